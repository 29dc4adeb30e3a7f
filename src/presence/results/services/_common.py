"""Private helpers shared by the `services` submodules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils import timezone

from presence.org.access import grants, is_superuser, record_scope
from presence.org.models import Role


def _only(data: Mapping[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    return dict(data)


def is_admin_for(user: Any, record: models.Model) -> bool:
    """Whether the user holds the administrator role on the record's scope (admins act on closed quarters)."""
    if is_superuser(user):
        return True
    region_id, office_id, office_region_id = record_scope(record)
    for grant in grants(user):
        if grant.role != Role.ADMIN:
            continue
        if grant.is_global:
            return True
        if grant.region_id is not None and grant.region_id in (region_id, office_region_id):
            return True
        if grant.office_id is not None and grant.office_id == office_id:
            return True
    return False


def _today() -> dt.date:
    return timezone.localdate()
