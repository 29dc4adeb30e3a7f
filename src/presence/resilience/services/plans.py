"""Writes to planning documents and installations."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from presence.core.services import Actor, only_fields, tracked_create, tracked_delete, tracked_update
from presence.org.access import Action, check
from presence.resilience.models import (
    Installation,
    PlanningDocument,
)
from presence.resilience.services._common import _office_move

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
    only_fields(data, PLAN_FIELDS)
    check(actor, Action.ADD, PlanningDocument(**data))
    return tracked_create(model=PlanningDocument, actor=actor, data=data)


@transaction.atomic
def plan_update(
    *, actor: Actor, plan: PlanningDocument, expected_version: int | None, **data: Any
) -> PlanningDocument:
    only_fields(data, PLAN_FIELDS)
    check(actor, Action.CHANGE, plan)
    _office_move(actor, PlanningDocument, plan, data)
    return tracked_update(instance=plan, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def plan_delete(*, actor: Actor, plan: PlanningDocument, expected_version: int | None) -> None:
    check(actor, Action.DELETE, plan)
    tracked_delete(instance=plan, actor=actor, expected_version=expected_version)


@transaction.atomic
def installation_create(*, actor: Actor, **data: Any) -> Installation:
    only_fields(data, INSTALLATION_FIELDS)
    check(actor, Action.ADD, Installation(**data))
    return tracked_create(model=Installation, actor=actor, data=data)


@transaction.atomic
def installation_update(
    *, actor: Actor, installation: Installation, expected_version: int | None, **data: Any
) -> Installation:
    only_fields(data, INSTALLATION_FIELDS)
    check(actor, Action.CHANGE, installation)
    _office_move(actor, Installation, installation, data)
    return tracked_update(instance=installation, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def installation_delete(*, actor: Actor, installation: Installation, expected_version: int | None) -> None:
    check(actor, Action.DELETE, installation)
    tracked_delete(instance=installation, actor=actor, expected_version=expected_version)
