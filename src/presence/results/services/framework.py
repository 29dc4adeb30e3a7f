"""Writes to the results framework and the reporting calendar (administrators)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from presence.core.errors import InvalidTransition
from presence.core.services import Actor, only_fields, tracked_create, tracked_delete, tracked_update
from presence.org.access import Action, check
from presence.results.models import (
    Activity,
    Framework,
    Outcome,
    Output,
    ReportingPeriod,
    StrategicGoal,
)

FRAMEWORK_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Framework: ("code", "name", "start_year", "end_year", "priority_cycle"),
    StrategicGoal: ("framework", "code", "name", "sort_order", "priorities"),
    Outcome: ("framework", "priority", "code", "title", "sort_order"),
    Output: ("outcome", "code", "title", "kind", "sort_order"),
    ReportingPeriod: ("year", "quarter", "starts_on", "ends_on", "submission_deadline"),
}


# --- Framework and reporting calendar (administrators) -----------------------------------------


# Which fields make an element unique, so a duplicate is a field error on `code` (or `quarter`).
UNIQUE_WITHIN: dict[type[models.Model], tuple[str, tuple[str, ...]]] = {
    Framework: ("code", ()),
    StrategicGoal: ("code", ("framework",)),
    Outcome: ("code", ("framework",)),
    Output: ("code", ("outcome",)),
    ReportingPeriod: ("quarter", ("year",)),
}


def _framework_invariants(model: type[models.Model], data: Mapping[str, Any], instance: Any = None) -> None:
    errors: dict[str, str] = {}
    priority: Any = data.get("priority")
    framework: Any = data.get("framework")
    cycle_mismatch = (
        priority is not None and framework is not None and priority.cycle != framework.priority_cycle
    )
    if model is Outcome and cycle_mismatch:
        errors["priority"] = _(
            "This priority belongs to WTDC cycle %(c)s, not the framework's cycle %(f)s."
        ) % {
            "c": priority.cycle,
            "f": framework.priority_cycle,
        }
    if model is StrategicGoal and framework is not None:
        wrong = sorted(p.code for p in data.get("priorities") or [] if p.cycle != framework.priority_cycle)
        if wrong:
            errors["priorities"] = _("Priorities %(codes)s are not of the framework's WTDC cycle %(f)s.") % {
                "codes": ", ".join(wrong),
                "f": framework.priority_cycle,
            }
    if model is Framework and (data.get("end_year") or 0) < (data.get("start_year") or 0):
        errors["end_year"] = _("The last year cannot come before the first year.")
    if model is Framework and instance is not None and not errors:
        years = range(int(data["start_year"]), int(data["end_year"]) + 1)
        outside = (
            Activity.objects.filter(outputs__outcome__framework=instance)
            .exclude(year__in=list(years))
            .values_list("year", flat=True)
            .distinct()
        )
        if outside:
            errors["start_year"] = _(
                "Activities of %(years)s deliver outputs of this framework; it must keep covering them."
            ) % {"years": ", ".join(str(y) for y in sorted(outside))}
    if model is ReportingPeriod and data.get("quarter") is not None and not 1 <= int(data["quarter"]) <= 4:
        errors["quarter"] = _("A quarter is 1 to 4.")
    key, within = UNIQUE_WITHIN[model]
    if data.get(key) not in (None, "") and all(data.get(name) is not None for name in within):
        same = model._default_manager.filter(**{key: data[key], **{name: data[name] for name in within}})
        if instance is not None:
            same = same.exclude(pk=instance.pk)
        if same.exists():
            errors[key] = _("%(value)s is already used here; give another %(field)s.") % {
                "value": data[key],
                "field": str(getattr(model._meta.get_field(key), "verbose_name", key)),
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def framework_element_create(*, actor: Actor, model: type[models.Model], **data: Any) -> Any:
    """Create a framework, goal, outcome, output or reporting period (administrators only)."""
    fields = FRAMEWORK_FIELDS[model]
    only_fields(data, fields)
    check(actor, Action.ADD, model(**{k: v for k, v in data.items() if k != "priorities"}))
    _framework_invariants(model, data)
    return tracked_create(model=model, actor=actor, data=data)  # type: ignore[type-var]


@transaction.atomic
def framework_element_update(
    *, actor: Actor, instance: Any, expected_version: int | None, **data: Any
) -> Any:
    model = type(instance)
    fields = FRAMEWORK_FIELDS[model]
    only_fields(data, fields)
    check(actor, Action.CHANGE, instance)
    merged = {
        name: (list(getattr(instance, name).all()) if name == "priorities" else getattr(instance, name))
        for name in fields
    }
    merged.update(data)
    _framework_invariants(model, merged, instance)
    return tracked_update(instance=instance, actor=actor, data=data, expected_version=expected_version)


def _uses(instance: Any) -> dict[str, int]:
    """Records that still depend on a framework element or period (deleting it would lose or break them)."""
    if isinstance(instance, Framework):
        return {_("goals"): instance.goals.count(), _("outcomes"): instance.outcomes.count()}
    if isinstance(instance, Outcome):
        return {_("outputs"): instance.outputs.count(), _("indicators"): instance.indicators.count()}
    if isinstance(instance, Output):
        return {
            _("activities"): instance.activities.count(),
            _("project contributions"): instance.project_links.count(),
            _("indicators"): instance.indicators.count(),
        }
    if isinstance(instance, ReportingPeriod):
        return {_("quarterly reviews"): instance.reviews.count()}
    return {}


@transaction.atomic
def framework_element_delete(*, actor: Actor, instance: Any, expected_version: int | None) -> None:
    """Delete an element nothing depends on any more; refused (InvalidTransition) while records use it."""
    check(actor, Action.DELETE, instance)
    used = {label: n for label, n in _uses(instance).items() if n}
    if used:
        raise InvalidTransition(
            _("%(record)s still has %(uses)s; remove or move them first.")
            % {"record": instance, "uses": ", ".join(f"{n} {label}" for label, n in used.items())}
        )
    tracked_delete(instance=instance, actor=actor, expected_version=expected_version)


@transaction.atomic
def periods_create_year(*, actor: Actor, year: int, days_after: int = 30) -> list[ReportingPeriod]:
    """Create a year's missing quarters, each with a deadline `days_after` days after it ends."""
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Give a year between 2000 and 2100.")})
    if not 0 <= days_after <= 120:
        raise ValidationError({"days_after": _("The deadline falls 0 to 120 days after the quarter ends.")})
    existing = {p.quarter: p for p in ReportingPeriod.objects.filter(year=year)}
    periods = []
    for quarter in range(1, 5):
        if quarter in existing:
            periods.append(existing[quarter])
            continue
        start, end, deadline = ReportingPeriod.default_dates(year, quarter, days_after)
        periods.append(
            framework_element_create(
                actor=actor,
                model=ReportingPeriod,
                year=year,
                quarter=quarter,
                starts_on=start,
                ends_on=end,
                submission_deadline=deadline,
            )
        )
    return periods
