"""The reference lists' filters (offices, countries), each declared once for page and API, and the
reference choices other apps' filters share. See `core/filtering.py`."""

from __future__ import annotations

from presence.org.models import Office, Priority


def priority_codes(kind: str = "") -> list[tuple[str, str]]:
    """KAP priorities by code (of one `kind` if given): a code used in several WTDC cycles is one choice,
    with its latest name."""
    priorities = Priority.objects.filter(kind=kind) if kind else Priority.objects.all()
    names = dict(priorities.order_by("cycle").values_list("code", "name"))
    return [(code, f"{code} {name}") for code, name in sorted(names.items())]


def office_choices() -> list[tuple[str, str]]:
    return list(Office.objects.order_by("code").values_list("code", "name"))
