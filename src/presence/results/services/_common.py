"""Private helpers shared by the `services` submodules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import timezone

from presence.core.services import Actor, tracked_update
from presence.org.access import covered_by, grants, is_superuser
from presence.org.models import Office, Region, Role


def is_admin_for(user: Any, record: models.Model) -> bool:
    """Whether the user holds the administrator role on the record's scope (admins act on closed quarters).

    The scope is org.access's rule: the administrator's grant covers the record's region AND office.
    """
    if is_superuser(user):
        return True
    return covered_by([grant for grant in grants(user) if grant.role == Role.ADMIN], record)


def move_with(
    *, actor: Actor, records: Iterable[Any], region: Region | None, office: Office | None, reason: str
) -> None:
    """Move indicators or reviews to the region and office of the record they belong to.

    Each moved record is written through `tracked_update` (versioned, audited with `reason`, and the
    move checked against the actor's grants where it was and where it goes).
    """
    region_id = region.pk if region is not None else None
    office_id = office.pk if office is not None else None
    for record in records:
        if (record.region_id, record.office_id) == (region_id, office_id):
            continue
        tracked_update(
            instance=record,
            actor=actor,
            data={"region": region, "office": office},
            expected_version=None,
            reason=reason,
        )


def _today() -> dt.date:
    return timezone.localdate()
