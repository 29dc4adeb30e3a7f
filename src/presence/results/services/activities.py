"""Writes to operational-plan activities and to projects' contributions to outputs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from presence.core.errors import InvalidTransition
from presence.core.services import Actor, only_fields, tracked_create, tracked_delete, tracked_update
from presence.org.access import Action, check
from presence.results.models import (
    Activity,
    Indicator,
    Output,
    ProjectOutput,
    QuarterlyReview,
)
from presence.results.services._common import move_with

ACTIVITY_FIELDS = (
    "year",
    "code",
    "title",
    "description",
    "level",
    "region",
    "responsible_office",
    "countries",
    "outputs",
    "planned_budget",
    "status",
)


# --- Operational-plan activities -------------------------------------------------------------------


def _activity_invariants(data: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    year = data.get("year")
    outputs = list(data.get("outputs") or [])
    if year is not None:
        wrong = [o.code for o in outputs if not o.outcome.framework.covers(int(year))]
        if wrong:
            errors["outputs"] = _("Outputs %(codes)s belong to a framework that does not cover %(year)s.") % {
                "codes": ", ".join(wrong),
                "year": year,
            }
    level = data.get("level")
    region = data.get("region")
    countries = list(data.get("countries") or [])
    if level == Activity.Level.COUNTRY and not countries:
        errors["countries"] = _("A country activity names at least one country.")
    if region is not None and countries:
        outside = sorted(c.name for c in countries if c.region_id != region.pk)
        if outside:
            errors["countries"] = _("%(names)s are not in region %(region)s.") % {
                "names": ", ".join(outside),
                "region": region.code,
            }
    office = data.get("responsible_office")
    if office is not None and region is not None and office.region_id not in (None, region.pk):
        errors["responsible_office"] = _("%(office)s is in region %(other)s, not %(region)s.") % {
            "office": office.localized_name,
            "other": office.region.code if office.region else "-",
            "region": region.code,
        }
    budget = data.get("planned_budget")
    if budget is not None and Decimal(budget) < 0:
        errors["planned_budget"] = _("The planned budget cannot be negative.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_create(*, actor: Actor, **data: Any) -> Activity:
    only_fields(data, ACTIVITY_FIELDS)
    check(
        actor,
        Action.ADD,
        Activity(region=data.get("region"), responsible_office=data.get("responsible_office")),
    )
    _activity_invariants(data)
    if Activity.objects.filter(year=data.get("year") or 0, code=data.get("code") or "").exists():
        raise ValidationError(
            {"code": _("An activity with this code already exists in %(y)s.") % {"y": data["year"]}}
        )
    return tracked_create(model=Activity, actor=actor, data=data)


@transaction.atomic
def activity_update(
    *, actor: Actor, activity: Activity, expected_version: int | None, **data: Any
) -> Activity:
    only_fields(data, ACTIVITY_FIELDS)
    check(actor, Action.CHANGE, activity)
    if "region" in data or "responsible_office" in data:
        # Moving an activity is a change where it goes too.
        moved = Activity(
            region=data.get("region", activity.region),
            responsible_office=data.get("responsible_office", activity.responsible_office),
        )
        check(actor, Action.CHANGE, moved)
    merged = {
        "year": activity.year,
        "level": activity.level,
        "region": activity.region,
        "responsible_office": activity.responsible_office,
        "countries": list(activity.countries.all()),
        "outputs": list(activity.outputs.select_related("outcome__framework")),
        **data,
    }
    _activity_invariants(merged)
    activity = tracked_update(instance=activity, actor=actor, data=data, expected_version=expected_version)
    if "region" in data or "responsible_office" in data:
        _rescope_children(actor, activity)
    return activity


def _rescope_children(actor: Actor, activity: Activity) -> None:
    """Indicators and reviews sit where their activity sits."""
    reason = _("Moved with activity %(code)s") % {"code": activity.code}
    for model in (Indicator, QuarterlyReview):
        move_with(
            actor=actor,
            records=model.objects.filter(activity=activity).order_by("pk"),
            region=activity.region,
            office=activity.responsible_office,
            reason=str(reason),
        )


@transaction.atomic
def activity_delete(*, actor: Actor, activity: Activity, expected_version: int | None) -> None:
    check(actor, Action.DELETE, activity)
    if activity.reviews.filter(status=QuarterlyReview.Status.APPROVED).exists():
        raise InvalidTransition(
            _("Activity %(code)s has approved quarterly reviews; cancel it (status) instead of deleting it.")
            % {"code": activity.code}
        )
    tracked_delete(instance=activity, actor=actor, expected_version=expected_version)


# --- Projects' records -----------------------------------------------------------------------------


def project_moved(actor: Actor, project: Any) -> None:
    """A project's indicators and quarterly reviews follow it to its new region and lead office.

    Registered with portfolio's `follow_project_moves` when the app is ready; `project_update` calls
    it in its transaction after a move.
    """
    reason = _("Moved with project %(code)s") % {"code": project.code}
    for model in (Indicator, QuarterlyReview):
        move_with(
            actor=actor,
            records=model.objects.filter(project=project).order_by("pk"),
            region=project.region,
            office=project.lead_office,
            reason=str(reason),
        )


# --- Project contributions to outputs ---------------------------------------------------------------


@transaction.atomic
def project_outputs_set(*, actor: Actor, project: Any, outputs: Sequence[Output]) -> list[ProjectOutput]:
    """Replace the outputs a project contributes to, in one step (editors of the project's scope).

    Each output must belong to a framework whose years overlap the project's period; links that stay
    are kept, removed ones are deleted and new ones created, each in the audit trail.
    """
    check(actor, Action.CHANGE, project)
    wanted = {output.pk: output for output in outputs}
    first, last = project.start.year, project.end.year
    outside = sorted(
        o.code
        for o in Output.objects.filter(pk__in=wanted).select_related("outcome__framework")
        if o.outcome.framework.end_year < first or o.outcome.framework.start_year > last
    )
    if outside:
        raise ValidationError(
            {
                "outputs": _(
                    "Outputs %(codes)s belong to a framework outside the project's years %(first)s-%(last)s."
                )
                % {"codes": ", ".join(outside), "first": first, "last": last}
            }
        )
    existing = {link.output_id: link for link in ProjectOutput.objects.filter(project=project)}
    for output_id, link in existing.items():
        if output_id not in wanted:
            tracked_delete(instance=link, actor=actor, expected_version=None)
    for output_id, output in wanted.items():
        if output_id not in existing:
            tracked_create(model=ProjectOutput, actor=actor, data={"project": project, "output": output})
    return list(ProjectOutput.objects.filter(project=project).select_related("output__outcome"))
