"""Conversion of amounts to CHF at the rate valid on their date, read once per request."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from presence.core import formatting
from presence.portfolio.models import ExchangeRate

BASE = "CHF"


class RateBook:
    """All exchange rates of some currencies, looked up by date without further queries."""

    def __init__(self, rates: Iterable[tuple[str, dt.date, Decimal]]) -> None:
        by_currency: dict[str, list[tuple[dt.date, Decimal]]] = defaultdict(list)
        for currency, valid_from, rate in rates:
            by_currency[currency].append((valid_from, rate))
        self._dates: dict[str, list[dt.date]] = {}
        self._rates: dict[str, list[Decimal]] = {}
        for currency, entries in by_currency.items():
            entries.sort()
            self._dates[currency] = [valid_from for valid_from, _rate in entries]
            self._rates[currency] = [rate for _valid_from, rate in entries]

    @classmethod
    def load(cls) -> RateBook:
        return cls(ExchangeRate.objects.values_list("currency", "valid_from", "rate_to_chf"))

    @classmethod
    def for_currencies(cls, currencies: Iterable[str]) -> RateBook:
        return cls(
            ExchangeRate.objects.filter(currency__in=list(currencies)).values_list(
                "currency", "valid_from", "rate_to_chf"
            )
        )

    def rate(self, currency: str, on: dt.date) -> Decimal | None:
        """CHF for one unit of `currency` on `on`: the latest rate valid from that date or earlier."""
        if currency == BASE:
            return Decimal(1)
        dates = self._dates.get(currency)
        if not dates:
            return None
        index = bisect.bisect_right(dates, on) - 1
        return self._rates[currency][index] if index >= 0 else None

    def to_chf(self, amount: Decimal, currency: str, on: dt.date) -> Decimal | None:
        rate = self.rate(currency, on)
        return None if rate is None else amount * rate


def rate_valid_from(on: str = "signed_on") -> Subquery:
    """SQL: from when the exchange rate of a record's currency valid on its date `on` (a field or an
    annotation of the record) applies; NULL when none does. `RateBook.rate(currency, that date)` is
    the rate: records summed per currency and this date convert as each converted on its own date."""
    return Subquery(
        ExchangeRate.objects.filter(currency=OuterRef("currency"), valid_from__lte=OuterRef(on))
        .order_by("-valid_from")
        .values("valid_from")[:1]
    )


def rate_problem(rates: RateBook, currency: str, on: dt.date | None) -> str | None:
    """Why an amount in `currency` on `on` cannot be converted to CHF (no rate covers the date), or
    None. The rule of every amount a service writes, and of the amounts an import keeps."""
    if not currency or on is None or len(currency) != 3 or rates.rate(currency, on) is not None:
        return None
    return _(
        "There is no exchange rate for %(currency)s on %(date)s. Add a rate valid from that date "
        "or earlier, or give the amount in another currency."
    ) % {"currency": currency, "date": formatting.date(on)}
