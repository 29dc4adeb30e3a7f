"""Writes to the governing bodies' requests: checked by org.access, versioned and audited by core."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from presence.core.services import Actor
from presence.mandates.models import Mandate
from presence.org.writes import checked_create, checked_delete, checked_update

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
    return checked_create(Mandate, actor=actor, data=data, fields=MANDATE_FIELDS, draft=Mandate)


@transaction.atomic
def mandate_update(*, actor: Actor, mandate: Mandate, expected_version: int | None, **data: Any) -> Mandate:
    return checked_update(
        mandate, actor=actor, data=data, fields=MANDATE_FIELDS, expected_version=expected_version
    )


@transaction.atomic
def mandate_delete(*, actor: Actor, mandate: Mandate, expected_version: int | None) -> None:
    checked_delete(mandate, actor=actor, expected_version=expected_version)
