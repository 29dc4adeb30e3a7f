"""Figures counted or summed per group in the database equal those of each record on its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from presence.portfolio.models import ExchangeRate, Funding, FundingSource, Project
from presence.portfolio.rates import RateBook
from presence.portfolio.selectors import (
    chf_totals,
    ongoing_counts,
    project_list,
    table1_fundings,
    unconverted_fundings,
)


def test_the_projects_on_going_per_year_are_those_the_list_shows_for_each_year(
    admin_user: Any, make_project: Callable[..., Project]
) -> None:
    make_project(planned_start=dt.date(2021, 1, 1), planned_end=dt.date(2023, 1, 1))
    make_project(planned_start=dt.date(2024, 1, 1), planned_end=dt.date(2025, 1, 1))
    make_project(planned_start=dt.date(2019, 5, 1), planned_end=dt.date(2020, 12, 31))
    make_project(status=Project.Status.PIPELINE)
    make_project(status=Project.Status.CANCELLED)
    make_project(
        planned_end=dt.date(2024, 12, 31), actual_start=dt.date(2021, 1, 1), actual_end=dt.date(2022, 6, 30)
    )
    make_project(region="ASP", office="bangkok", actual_start=dt.date(2023, 12, 31))
    years = list(range(2019, 2027))
    for place in ({}, {"region": "AFR"}, {"region": "ASP", "office": "bangkok"}):
        counts = ongoing_counts(project_list(user=admin_user, **place), years)
        assert counts == {
            year: project_list(user=admin_user, year=year, **place).count() for year in years
        }, place
    assert ongoing_counts(project_list(user=admin_user), []) == {}


def test_the_chf_totals_per_group_are_the_sums_of_each_contribution_converted_on_its_date(
    admin_user: Any, make_project: Callable[..., Project], sources: dict[str, FundingSource]
) -> None:
    for currency, valid_from, rate in (
        ("USD", dt.date(2022, 1, 1), "0.91"),
        ("USD", dt.date(2023, 7, 1), "0.88"),
        ("EUR", dt.date(2023, 1, 1), "0.97"),
    ):
        ExchangeRate.objects.create(currency=currency, valid_from=valid_from, rate_to_chf=Decimal(rate))
    afr = make_project()
    asp = make_project(region="ASP", office="bangkok")
    rows = [
        (afr, "partners", "1000.10", "USD", dt.date(2022, 3, 1)),
        (afr, "partners", "2000.20", "USD", dt.date(2023, 7, 1)),  # the day the second rate applies
        (afr, "ict-df", "333.33", "USD", dt.date(2023, 6, 30)),
        (afr, "ict-df", "500.00", "EUR", dt.date(2022, 12, 31)),  # no EUR rate yet: left out
        (afr, "ict-df", "400.00", "EUR", dt.date(2023, 2, 1)),
        (asp, "partners", "123.45", "CHF", dt.date(2021, 1, 1)),
        (asp, "ri-fund", "77.77", "CHF", dt.date(2023, 9, 9)),
        (asp, "ri-fund", "10.01", "USD", dt.date(2023, 9, 9)),
    ]
    for project, source, amount, currency, signed_on in rows:
        Funding.objects.create(
            project=project,
            source=sources[source],
            amount=Decimal(amount),
            currency=currency,
            signed_on=signed_on,
        )
    book = RateBook.load()
    fundings = table1_fundings(user=admin_user, year=2023)
    expected: dict[tuple[str, str], Decimal] = {}
    for funding in fundings:
        chf = book.to_chf(funding.amount, funding.currency, funding.signed_on)
        if chf is not None:
            key = (funding.project.region.code, funding.source.kind)
            expected[key] = expected.get(key, Decimal(0)) + chf
    assert chf_totals(fundings, "project__region__code", "source__kind") == expected
    unconverted = [f for f in fundings if book.to_chf(f.amount, f.currency, f.signed_on) is None]
    assert [(f.amount, f.currency) for f in unconverted] == [(Decimal("500.00"), "EUR")]
    assert list(unconverted_fundings(fundings)) == unconverted
    assert expected[("AFR", "partner")] == Decimal("1000.10") * Decimal("0.91") + Decimal(
        "2000.20"
    ) * Decimal("0.88")
