"""The one way templates write numbers and dates (core/formatting.py); loaded in every template."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template

from presence.core import formatting

register = template.Library()


@register.filter
def number(value: Decimal | int | float | None, decimals: int | str | None = None) -> str:
    """`{{ amount|number:2 }}`: grouped and rounded (halves up) as the language writes numbers ("" for
    None, so `|default:"—"` applies)."""
    if value is None or value == "":
        return ""
    return formatting.number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def day(value: dt.date | None) -> str:
    """`{{ record.due_on|day }}`: the date in the language's DATE_FORMAT ("" when there is none)."""
    return formatting.date(value)


@register.filter
def moment(value: dt.datetime | None) -> str:
    """`{{ entry.at|moment }}`: local date and time in the language's DATETIME_FORMAT."""
    return formatting.moment(value)
