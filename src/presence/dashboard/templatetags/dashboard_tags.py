"""Template filters for dashboard figures."""

from __future__ import annotations

from django import template

from presence.core.charts import Number, format_value

register = template.Library()


@register.filter
def figure(value: Number | None, unit: str = "") -> str:
    """A figure as the dashboard writes it: thousands separated, k CHF and per cent with one decimal."""
    return format_value(value, unit)
