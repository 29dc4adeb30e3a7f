"""Template filters shared by every app's pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.apps import apps
from django.urls import reverse

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
def total_minutes(duration: dt.timedelta) -> int:
    """A duration in whole minutes, rounded up (a lockout of 90 seconds reads "2 minutes")."""
    return max(1, -(-int(duration.total_seconds()) // 60))


@register.filter
def field_label(name: str) -> str:
    return name.replace("_", " ").capitalize()


@register.simple_tag
def list_links(list_url_name: str) -> list[tuple[str, str]]:
    """Links other apps add to a list page, as (label, URL): an AppConfig's `list_links` maps a list's
    URL name to its (label, URL name) entries, so the list's app need not know the apps on top of it
    (the IATI download of the project list is interchange's)."""
    return [
        (str(label), reverse(url_name))
        for config in apps.get_app_configs()
        for label, url_name in getattr(config, "list_links", {}).get(list_url_name, [])
    ]


@register.simple_tag(takes_context=True)
def query_with(context: Any, **changes: Any) -> str:
    """The current query string with `changes` (a page number, a format), as `?...` for a link."""
    query = context["request"].GET.copy()
    for name, value in changes.items():
        if value in (None, ""):
            query.pop(name, None)
        else:
            query[name] = value
    return f"?{query.urlencode()}" if query else "?"
