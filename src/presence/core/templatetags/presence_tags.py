"""Template filters shared by every app's pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def audit_value(value: Any) -> str:
    """An audited value as a person reads it: lists joined, empty shown as a dash."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


@register.filter
def field_label(name: str) -> str:
    return name.replace("_", " ").capitalize()
