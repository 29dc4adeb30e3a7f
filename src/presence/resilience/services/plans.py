"""Writes to planning documents and installations."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from presence.core.services import Actor
from presence.org.writes import checked_create, checked_delete
from presence.resilience.models import (
    Installation,
    PlanningDocument,
)
from presence.resilience.services._common import _office_record_update

# Planning documents, installations ------------------------------------------------------------

PLAN_FIELDS = ("office", "kind", "edition", "approved_on", "next_review_on", "owner", "notes")


INSTALLATION_FIELDS = (
    "office",
    "title",
    "status",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "estimated_workdays",
    "actual_workdays",
    "notes",
)


@transaction.atomic
def plan_create(*, actor: Actor, **data: Any) -> PlanningDocument:
    return checked_create(PlanningDocument, actor=actor, data=data, fields=PLAN_FIELDS)


@transaction.atomic
def plan_update(
    *, actor: Actor, plan: PlanningDocument, expected_version: int | None, **data: Any
) -> PlanningDocument:
    return _office_record_update(
        plan, actor=actor, data=data, fields=PLAN_FIELDS, expected_version=expected_version
    )


@transaction.atomic
def plan_delete(*, actor: Actor, plan: PlanningDocument, expected_version: int | None) -> None:
    checked_delete(plan, actor=actor, expected_version=expected_version)


@transaction.atomic
def installation_create(*, actor: Actor, **data: Any) -> Installation:
    return checked_create(Installation, actor=actor, data=data, fields=INSTALLATION_FIELDS)


@transaction.atomic
def installation_update(
    *, actor: Actor, installation: Installation, expected_version: int | None, **data: Any
) -> Installation:
    return _office_record_update(
        installation, actor=actor, data=data, fields=INSTALLATION_FIELDS, expected_version=expected_version
    )


@transaction.atomic
def installation_delete(*, actor: Actor, installation: Installation, expected_version: int | None) -> None:
    checked_delete(installation, actor=actor, expected_version=expected_version)
