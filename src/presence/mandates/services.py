"""Writes to the governing bodies' requests: checked by org.access, versioned and audited by core."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from presence.core.services import Actor, only_fields, tracked_create, tracked_delete, tracked_update
from presence.mandates.models import Mandate
from presence.org.access import Action, check

MANDATE_FIELDS = (
    "body",
    "session",
    "year",
    "reference",
    "url",
    "kind",
    "text",
    "owner_unit",
    "owner",
    "due_on",
    "status",
    "evidence",
    "evidence_year",
    "assessment",
    "comment",
    "published",
)


@transaction.atomic
def mandate_create(*, actor: Actor, **data: Any) -> Mandate:
    only_fields(data, MANDATE_FIELDS)
    check(actor, Action.ADD, Mandate())
    return tracked_create(model=Mandate, actor=actor, data=data)


@transaction.atomic
def mandate_update(*, actor: Actor, mandate: Mandate, expected_version: int | None, **data: Any) -> Mandate:
    only_fields(data, MANDATE_FIELDS)
    check(actor, Action.CHANGE, mandate)
    return tracked_update(instance=mandate, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def mandate_delete(*, actor: Actor, mandate: Mandate, expected_version: int | None) -> None:
    check(actor, Action.DELETE, mandate)
    tracked_delete(instance=mandate, actor=actor, expected_version=expected_version)
