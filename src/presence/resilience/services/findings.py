"""Writes to findings and remediation actions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from presence.core.services import Actor, only_fields, tracked_create, tracked_delete, tracked_update
from presence.org.access import Action, check
from presence.resilience.confidential import check_confidential
from presence.resilience.models import (
    Assessment,
    Finding,
    RemediationAction,
)
from presence.resilience.services._common import _refuse_locked

# Findings and remediation actions -------------------------------------------------------------

FINDING_FIELDS = (
    "requirement",
    "title",
    "details",
    "likelihood",
    "impact",
    "treatment",
    "owner",
    "due_on",
    "status",
    "closed_on",
)


# Once the assessment is locked its findings keep what was found; follow-up fields stay editable.
FINDING_FOLLOW_UP = ("treatment", "owner", "due_on", "status", "closed_on")


ACTION_FIELDS = ("description", "owner", "due_on", "status", "completed_on")


@transaction.atomic
def finding_create(*, actor: Actor, assessment: Assessment, **data: Any) -> Finding:
    only_fields(data, FINDING_FIELDS)
    draft = Finding(assessment=assessment)
    check(actor, Action.ADD, draft)
    check_confidential(actor, draft)
    _refuse_locked(assessment)
    return tracked_create(model=Finding, actor=actor, data={"assessment": assessment, **data})


@transaction.atomic
def finding_update(*, actor: Actor, finding: Finding, expected_version: int | None, **data: Any) -> Finding:
    only_fields(data, FINDING_FIELDS)
    check(actor, Action.CHANGE, finding)
    check_confidential(actor, finding)
    if finding.assessment.is_locked:
        frozen = sorted(
            name for name in data if name not in FINDING_FOLLOW_UP and data[name] != getattr(finding, name)
        )
        if frozen:
            raise ValidationError(
                dict.fromkeys(
                    frozen, "The assessment is locked; only treatment, owner, due date and status can change."
                )
            )
    return tracked_update(instance=finding, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def finding_delete(*, actor: Actor, finding: Finding, expected_version: int | None) -> None:
    check(actor, Action.DELETE, finding)
    check_confidential(actor, finding)
    _refuse_locked(finding.assessment)
    finding.actions.all().delete()
    tracked_delete(instance=finding, actor=actor, expected_version=expected_version)


@transaction.atomic
def action_create(*, actor: Actor, finding: Finding, **data: Any) -> RemediationAction:
    only_fields(data, ACTION_FIELDS)
    draft = RemediationAction(finding=finding)
    check(actor, Action.ADD, draft)
    check_confidential(actor, draft)
    if finding.status == Finding.Status.CLOSED:
        raise ValidationError({"__all__": "The finding is closed; reopen it before adding actions."})
    return tracked_create(model=RemediationAction, actor=actor, data={"finding": finding, **data})


@transaction.atomic
def action_update(
    *, actor: Actor, action: RemediationAction, expected_version: int | None, **data: Any
) -> RemediationAction:
    only_fields(data, ACTION_FIELDS)
    check(actor, Action.CHANGE, action)
    check_confidential(actor, action)
    return tracked_update(instance=action, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def action_delete(*, actor: Actor, action: RemediationAction, expected_version: int | None) -> None:
    check(actor, Action.DELETE, action)
    check_confidential(actor, action)
    tracked_delete(instance=action, actor=actor, expected_version=expected_version)
