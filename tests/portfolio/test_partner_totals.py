"""A partner's totals: summed in the database, the same queries whatever the number of contributions,
equal to converting each contribution at the rate of its signature date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from presence.portfolio import selectors, services
from presence.portfolio.models import Funding
from presence.portfolio.rates import RateBook


def _per_record_chf(fundings: Any) -> Decimal:
    book = RateBook.load()
    converted = (book.to_chf(f.amount, f.currency, f.signed_on) for f in fundings)
    return sum((chf for chf in converted if chf is not None), Decimal(0))


def test_the_partner_totals_take_the_same_queries_whatever_the_number_of_contributions(
    admin_user: Any, make_project: Any, sources: Any, usd_rate: Any, count_queries: Any
) -> None:
    partner = services.partner_create(actor=admin_user, name="Connectivity fund", organisation_type="60")

    def add(n: int) -> None:
        for index in range(n):
            project = make_project(region=("AFR", "ASP")[index % 2], office=("dakar", "bangkok")[index % 2])
            services.funding_create(
                actor=admin_user,
                project=project,
                source=sources["partners"],
                partner=partner,
                amount=Decimal(1000 + index),
                currency=("CHF", "USD")[index % 2],
                signed_on=dt.date(2023 + index % 2, 3, 1),
            )

    add(2)
    few = count_queries(lambda: selectors.partner_contributions(user=admin_user, partner=partner))
    add(12)
    result = selectors.partner_contributions(user=admin_user, partner=partner)
    many = count_queries(lambda: selectors.partner_contributions(user=admin_user, partner=partner))
    assert many == few
    assert result.count == 14
    assert result.total_chf == _per_record_chf(Funding.objects.filter(partner=partner))
    assert [line.label for line in result.by_year] == ["2023", "2024"]
    assert [line.label for line in result.by_region] == ["AFR", "ASP"]
