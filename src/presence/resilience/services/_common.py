"""Private helpers shared by the `services` submodules."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from presence.core.services import Actor
from presence.org.access import Action, check
from presence.resilience.models import (
    Assessment,
)


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
