"""Filters for Council documents: numbers and dates in the document's language, a block's chart as SVG."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.safestring import SafeString

from presence.council import formatting
from presence.council.blocks import chart_from_data

register = template.Library()


@register.filter
def num(value: Any, language: str = "en") -> str:
    """A number of a block (stored as text) in the document's language; an en dash for none."""
    if value in (None, ""):
        return "\u2013"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return formatting.number(amount, language)


@register.filter
def kchf(value: Any, language: str = "en") -> str:
    """k CHF with one decimal; an empty cell for zero, as in the published Table 1."""
    if value in (None, ""):
        return ""
    amount = Decimal(str(value))
    return "" if amount == 0 else formatting.number(amount, language, decimals=1)


@register.filter
def isodate(value: str, language: str = "en") -> str:
    if not value:
        return "\u2013"
    return formatting.date(dt.date.fromisoformat(value[:10]), language)


@register.filter
def chart_svg(data: dict[str, Any]) -> SafeString:
    return chart_from_data(data).svg()
