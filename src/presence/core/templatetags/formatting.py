"""The one way templates write numbers and dates (core/formatting.py); loaded in every template."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import template

from presence.core import formatting

register = template.Library()


@register.filter
def number(value: Decimal | int | float | str | None, decimals: int | str | None = None) -> str:
    """`{{ amount|number:2 }}`: grouped and rounded (halves up) as the language writes numbers ("" for
    None, so `|default:"—"` applies)."""
    if value is None or value == "":
        return ""
    amount: Decimal | int | float
    if isinstance(value, str):  # a figure stored as a decimal string (a Council version's)
        try:
            amount = Decimal(value)
        except InvalidOperation:
            return value
    else:
        amount = value
    return formatting.number(amount, None if decimals in (None, "") else int(decimals))


@register.filter
def day(value: dt.date | None) -> str:
    """`{{ record.due_on|day }}`: the date in the language's DATE_FORMAT ("" when there is none)."""
    return formatting.date(value)


@register.filter
def moment(value: dt.datetime | None) -> str:
    """`{{ entry.at|moment }}`: local date and time in the language's DATETIME_FORMAT."""
    return formatting.moment(value)
