"""Private helpers shared by the `services` submodules."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError

from presence.core.models import TrackedModel
from presence.core.services import Actor
from presence.org.access import Action, check
from presence.org.writes import checked_update
from presence.resilience.models import (
    Assessment,
)

M = TypeVar("M", bound=TrackedModel)


def _refuse_locked(assessment: Assessment) -> None:
    if assessment.is_locked:
        raise ValidationError(
            {
                "__all__": f"This assessment is {assessment.get_status_display().lower()} and locked; "
                "it cannot be changed."
            }
        )


def _office_move(actor: Actor, model: type[Any], record: Any, data: dict[str, Any]) -> None:
    if "office" in data and data["office"] != record.office:
        check(actor, Action.ADD, model(office=data["office"]))


def _office_record_update(
    record: M, *, actor: Actor, data: dict[str, Any], fields: Iterable[str], expected_version: int | None
) -> M:
    """`checked_update` of a record placed by its office alone: moving it to another office needs the
    right to add one there."""
    return checked_update(
        record,
        actor=actor,
        data=data,
        fields=fields,
        expected_version=expected_version,
        rules=lambda: _office_move(actor, type(record), record, data),
    )
