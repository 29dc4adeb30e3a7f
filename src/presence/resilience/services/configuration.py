"""Writes to the configuration: assessment templates, their requirements and the settings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from presence.core.services import Actor, only_fields, tracked_create, tracked_delete, tracked_update
from presence.org.access import Action, check
from presence.org.writes import checked_create
from presence.resilience.models import (
    AssessmentTemplate,
    Requirement,
    ResilienceSettings,
)

# Templates and requirements -------------------------------------------------------------------

TEMPLATE_FIELDS = ("kind", "name", "edition", "description", "is_current")


REQUIREMENT_FIELDS = ("code", "text", "category", "weight", "sort_order")


@transaction.atomic
def template_create(*, actor: Actor, **data: Any) -> AssessmentTemplate:
    return checked_create(AssessmentTemplate, actor=actor, data=data, fields=TEMPLATE_FIELDS)


@transaction.atomic
def template_update(
    *, actor: Actor, template: AssessmentTemplate, expected_version: int | None, **data: Any
) -> AssessmentTemplate:
    only_fields(data, TEMPLATE_FIELDS)
    check(actor, Action.CHANGE, template)
    if ("kind" in data or "edition" in data) and template.assessments.exists():
        changed = data.get("kind", template.kind) != template.kind or data.get(
            "edition", template.edition
        ) != (template.edition)
        if changed:
            raise ValidationError({"edition": "Assessments use this template; create a new version instead."})
    return tracked_update(instance=template, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def template_new_edition(*, actor: Actor, template: AssessmentTemplate) -> AssessmentTemplate:
    """Copy a template and its requirements as the next version; the old version stops being offered."""
    check(actor, Action.ADD, template)
    latest = AssessmentTemplate.objects.filter(kind=template.kind).order_by("-edition").first()
    edition = (latest.edition if latest else template.edition) + 1
    copy = tracked_create(
        model=AssessmentTemplate,
        actor=actor,
        data={
            "kind": template.kind,
            "name": template.name,
            "edition": edition,
            "description": template.description,
            "is_current": True,
        },
        reason=f"new version of {template}",
    )
    for requirement in template.requirements.all():
        tracked_create(
            model=Requirement,
            actor=actor,
            data={"template": copy, **{name: getattr(requirement, name) for name in REQUIREMENT_FIELDS}},
        )
    AssessmentTemplate.objects.filter(kind=template.kind).exclude(pk=copy.pk).filter(is_current=True).update(
        is_current=False
    )
    return copy


def _refuse_template_in_use(template: AssessmentTemplate) -> None:
    if template.assessments.exists():
        raise ValidationError(
            {
                "__all__": "Assessments already use this template version; "
                "create a new version to change requirements."
            }
        )


@transaction.atomic
def requirement_create(*, actor: Actor, template: AssessmentTemplate, **data: Any) -> Requirement:
    only_fields(data, REQUIREMENT_FIELDS)
    check(actor, Action.ADD, Requirement(template=template, **data))
    _refuse_template_in_use(template)
    return tracked_create(model=Requirement, actor=actor, data={"template": template, **data})


@transaction.atomic
def requirement_update(
    *, actor: Actor, requirement: Requirement, expected_version: int | None, **data: Any
) -> Requirement:
    only_fields(data, REQUIREMENT_FIELDS)
    check(actor, Action.CHANGE, requirement)
    _refuse_template_in_use(requirement.template)
    return tracked_update(instance=requirement, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def requirement_delete(*, actor: Actor, requirement: Requirement, expected_version: int | None) -> None:
    check(actor, Action.DELETE, requirement)
    _refuse_template_in_use(requirement.template)
    tracked_delete(instance=requirement, actor=actor, expected_version=expected_version)


# Settings -------------------------------------------------------------------------------------

SETTINGS_FIELDS = ("workdays_per_month", "coverage_threshold", "plan_warning_days")


@transaction.atomic
def settings_update(*, actor: Actor, expected_version: int | None, **data: Any) -> ResilienceSettings:
    only_fields(data, SETTINGS_FIELDS)
    current = ResilienceSettings.objects.order_by("pk").first()
    if current is None:
        check(actor, Action.ADD, ResilienceSettings())
        return tracked_create(model=ResilienceSettings, actor=actor, data=data)
    check(actor, Action.CHANGE, current)
    return tracked_update(instance=current, actor=actor, data=data, expected_version=expected_version)


def workdays(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"))
