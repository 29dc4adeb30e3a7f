"""Writes to the results framework, the operational plan, indicators and quarterly reviews.

Every function checks access and invariants first, then writes through the tracked helpers so
each change is versioned and audited. Refused workflow steps raise InvalidTransition, refused
access AccessDenied, bad input ValidationError naming the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied, InvalidTransition
from presence.core.models import AuditEntry
from presence.core.services import Actor, tracked_create, tracked_delete, tracked_update
from presence.org.access import Action, check, grants, is_superuser, record_scope
from presence.org.models import Role
from presence.results.models import (
    Activity,
    Framework,
    Indicator,
    IndicatorValue,
    Outcome,
    Output,
    ProjectOutput,
    QuarterlyReview,
    ReportingPeriod,
    StrategicGoal,
)

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
INDICATOR_FIELDS = (
    "code",
    "name",
    "measure",
    "unit",
    "direction",
    "baseline_year",
    "baseline_value",
    "accumulates",
    "by_region",
    "by_gender",
    "outcome",
    "output",
    "activity",
    "project",
)
REVIEW_FIELDS = ("rating", "progress", "risks", "next_steps")
FRAMEWORK_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Framework: ("code", "name", "start_year", "end_year", "priority_cycle"),
    StrategicGoal: ("framework", "code", "name", "sort_order", "priorities"),
    Outcome: ("framework", "priority", "code", "title", "sort_order"),
    Output: ("outcome", "code", "title", "kind", "sort_order"),
    ReportingPeriod: ("year", "quarter", "starts_on", "ends_on", "submission_deadline"),
}
ATTACHMENTS = ("outcome", "output", "activity", "project")


def _only(data: Mapping[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    return dict(data)


def is_admin_for(user: Any, record: models.Model) -> bool:
    """Whether the user holds the administrator role on the record's scope (admins act on closed quarters)."""
    if is_superuser(user):
        return True
    region_id, office_id, office_region_id = record_scope(record)
    for grant in grants(user):
        if grant.role != Role.ADMIN:
            continue
        if grant.is_global:
            return True
        if grant.region_id is not None and grant.region_id in (region_id, office_region_id):
            return True
        if grant.office_id is not None and grant.office_id == office_id:
            return True
    return False


def _today() -> dt.date:
    return timezone.localdate()


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
    _only(data, fields)
    check(actor, Action.ADD, model(**{k: v for k, v in data.items() if k != "priorities"}))
    _framework_invariants(model, data)
    return tracked_create(model=model, actor=actor, data=data)  # type: ignore[type-var]


@transaction.atomic
def framework_element_update(
    *, actor: Actor, instance: Any, expected_version: int | None, **data: Any
) -> Any:
    model = type(instance)
    fields = FRAMEWORK_FIELDS[model]
    _only(data, fields)
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
            "office": office.name,
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
    _only(data, ACTIVITY_FIELDS)
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
    _only(data, ACTIVITY_FIELDS)
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
        _rescope_children(activity)
    return activity


def _rescope_children(activity: Activity) -> None:
    """Indicators and reviews sit where their activity sits."""
    Indicator.objects.filter(activity=activity).update(
        region=activity.region, office=activity.responsible_office
    )
    QuarterlyReview.objects.filter(activity=activity).update(
        region=activity.region, office=activity.responsible_office
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


# --- Indicators and their values -------------------------------------------------------------------


def _indicator_place(data: Mapping[str, Any]) -> tuple[Any, Any]:
    """(region, office) of the record an indicator measures; exactly one record must be named."""
    named = [name for name in ATTACHMENTS if data.get(name) is not None]
    if len(named) != 1:
        raise ValidationError(
            {
                "__all__": _(
                    "An indicator measures exactly one outcome, output, activity or project (got %(n)d)."
                )
                % {"n": len(named)}
            }
        )
    record = data[named[0]]
    if named[0] == "activity":
        return record.region, record.responsible_office
    if named[0] == "project":
        return record.region, record.lead_office
    return None, None


def _indicator_invariants(data: Mapping[str, Any]) -> None:
    errors: dict[str, str] = {}
    if data.get("measure") == Indicator.Measure.QUALITATIVE and data.get("baseline_value") is not None:
        errors["baseline_value"] = _(
            "A qualitative indicator has no numeric baseline; describe it in its values."
        )
    if data.get("baseline_value") is not None and data.get("baseline_year") is None:
        errors["baseline_year"] = _("Give the year of the baseline value.")
    if (
        data.get("measure") == Indicator.Measure.PERCENTAGE
        and data.get("baseline_value") is not None
        and not 0 <= Decimal(data["baseline_value"]) <= 100
    ):
        errors["baseline_value"] = _("A percentage lies between 0 and 100.")
    if errors:
        raise ValidationError(errors)


def _check_framework_kpi(actor: Actor, action: Action, data: Mapping[str, Any]) -> None:
    """KPIs of outcomes and outputs are part of the framework: administrators define them."""
    for name in ("outcome", "output"):
        record = data.get(name)
        if record is not None:
            check(actor, action, record)


@transaction.atomic
def indicator_create(*, actor: Actor, **data: Any) -> Indicator:
    _only(data, INDICATOR_FIELDS)
    region, office = _indicator_place(data)
    check(actor, Action.ADD, Indicator(region=region, office=office))
    _check_framework_kpi(actor, Action.CHANGE, data)
    _indicator_invariants(data)
    return tracked_create(model=Indicator, actor=actor, data={**data, "region": region, "office": office})


@transaction.atomic
def indicator_update(
    *, actor: Actor, indicator: Indicator, expected_version: int | None, **data: Any
) -> Indicator:
    _only(data, INDICATOR_FIELDS)
    check(actor, Action.CHANGE, indicator)
    merged = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    _check_framework_kpi(actor, Action.CHANGE, merged)
    merged.update(data)
    region, office = _indicator_place(merged)
    _check_framework_kpi(actor, Action.CHANGE, merged)
    if (region, office) != (indicator.region, indicator.office):
        check(actor, Action.CHANGE, Indicator(region=region, office=office))
    _indicator_invariants(merged)
    return tracked_update(
        instance=indicator,
        actor=actor,
        data={**data, "region": region, "office": office},
        expected_version=expected_version,
    )


@transaction.atomic
def indicator_delete(*, actor: Actor, indicator: Indicator, expected_version: int | None) -> None:
    check(actor, Action.DELETE, indicator)
    _check_framework_kpi(actor, Action.CHANGE, {n: getattr(indicator, n) for n in ("outcome", "output")})
    if indicator.activity_id or indicator.project_id:
        reported = set(indicator.values.filter(quarter__gt=0).values_list("year", "quarter"))
        owner = (
            {"activity_id": indicator.activity_id}
            if indicator.activity_id
            else {"project_id": indicator.project_id}
        )
        approved = QuarterlyReview.objects.filter(status=QuarterlyReview.Status.APPROVED, **owner)
        if reported & set(approved.values_list("period__year", "period__quarter")):
            raise InvalidTransition(
                _("Approved quarterly reviews report actuals of %(code)s; it cannot be deleted.")
                % {"code": indicator.code}
            )
    tracked_delete(instance=indicator, actor=actor, expected_version=expected_version)


def _approved_review_for(indicator: Indicator, year: int, quarter: int) -> QuarterlyReview | None:
    if quarter == 0 or not (indicator.activity_id or indicator.project_id):
        return None
    reviews = QuarterlyReview.objects.filter(
        period__year=year, period__quarter=quarter, status=QuarterlyReview.Status.APPROVED
    )
    if indicator.activity_id:
        return reviews.filter(activity_id=indicator.activity_id).first()
    return reviews.filter(project=indicator.project).first()


def _refuse_if_closed(actor: Actor, record: models.Model, year: int, quarter: int, today: dt.date) -> None:
    if quarter == 0:
        return
    period = ReportingPeriod.objects.filter(year=year, quarter=quarter).first()
    if period is not None and period.is_closed(today) and not is_admin_for(actor, record):
        raise InvalidTransition(
            _("%(period)s closed for editors on %(deadline)s; ask an administrator to make this change.")
            % {"period": period, "deadline": period.submission_deadline.isoformat()}
        )


@transaction.atomic
def indicator_value_set(
    *,
    actor: Actor,
    indicator: Indicator,
    year: int,
    quarter: int = 0,
    breakdown_region: Any = None,
    gender: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
    **values: Any,
) -> IndicatorValue:
    """Set the target, actual and/or note of an indicator for a year (quarter 0) or a quarter."""
    _only(values, ("target", "actual", "note"))
    check(actor, Action.CHANGE, indicator)
    errors: dict[str, str] = {}
    if not 0 <= quarter <= 4:
        errors["quarter"] = _("A quarter is 1 to 4, or 0 for the whole year.")
    if breakdown_region is not None and not indicator.by_region:
        errors["breakdown_region"] = _("This indicator is not broken down by region.")
    if gender and not indicator.by_gender:
        errors["gender"] = _("This indicator is not broken down by gender.")
    if not indicator.is_quantitative:
        for name in ("target", "actual"):
            if values.get(name) is not None:
                errors[name] = _("A qualitative indicator takes words (note), not numbers.")
    elif indicator.measure == Indicator.Measure.PERCENTAGE:
        for name in ("target", "actual"):
            if values.get(name) is not None and not 0 <= Decimal(values[name]) <= 100:
                errors[name] = _("A percentage lies between 0 and 100.")
    if errors:
        raise ValidationError(errors)
    _refuse_if_closed(actor, indicator, year, quarter, today or _today())
    review = _approved_review_for(indicator, year, quarter)
    if review is not None:
        raise InvalidTransition(
            _("The review %(review)s is approved and locked; an administrator must reopen it first.")
            % {"review": review}
        )
    existing = IndicatorValue.objects.filter(
        indicator=indicator, year=year, quarter=quarter, breakdown_region=breakdown_region, gender=gender
    ).first()
    if existing is None:
        return tracked_create(
            model=IndicatorValue,
            actor=actor,
            data={
                "indicator": indicator,
                "year": year,
                "quarter": quarter,
                "breakdown_region": breakdown_region,
                "gender": gender,
                **values,
            },
        )
    return tracked_update(instance=existing, actor=actor, data=values, expected_version=expected_version)


# --- Quarterly reviews ------------------------------------------------------------------------------


def _review_place(activity: Activity | None, project: Any) -> tuple[Any, Any]:
    if (activity is None) == (project is None):
        raise ValidationError({"__all__": _("A review is of one activity or one project.")})
    if activity is not None:
        return activity.region, activity.responsible_office
    return project.region, project.lead_office


def _save_actuals(
    *, actor: Actor, review: QuarterlyReview, actuals: Mapping[int, Decimal | str | None], today: dt.date
) -> None:
    """Store the quarter's indicator actuals entered with the review (words for qualitative ones)."""
    if not actuals:
        return
    subject = review.subject
    owned = {
        i.pk: i
        for i in Indicator.objects.filter(
            **({"activity": subject} if review.activity_id else {"project": subject})
        )
    }
    errors: dict[str, str] = {}
    for indicator_id, value in actuals.items():
        indicator = owned.get(int(indicator_id))
        if indicator is None:
            errors[f"actual_{indicator_id}"] = _("This indicator does not measure the reviewed record.")
            continue
        values: dict[str, Any] = (
            {"note": str(value or "")} if not indicator.is_quantitative else {"actual": value}
        )
        try:
            indicator_value_set(
                actor=actor,
                indicator=indicator,
                year=review.period.year,
                quarter=review.period.quarter,
                today=today,
                **values,
            )
        except ValidationError as error:
            errors[f"actual_{indicator_id}"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def review_create(
    *,
    actor: Actor,
    period: ReportingPeriod,
    activity: Activity | None = None,
    project: Any = None,
    actuals: Mapping[int, Decimal | str | None] | None = None,
    today: dt.date | None = None,
    **data: Any,
) -> QuarterlyReview:
    _only(data, REVIEW_FIELDS)
    today = today or _today()
    region, office = _review_place(activity, project)
    draft = QuarterlyReview(period=period, activity=activity, project=project, region=region, office=office)
    check(actor, Action.ADD, draft)
    if activity is not None and activity.year != period.year:
        raise ValidationError(
            {
                "period": _("Activity %(code)s belongs to the %(y)s plan, not %(p)s.")
                % {"code": activity.code, "y": activity.year, "p": period.year}
            }
        )
    existing = QuarterlyReview.objects.filter(
        period=period, **({"activity": activity} if activity is not None else {"project": project})
    )
    if existing.exists():
        raise ValidationError({"period": _("This record already has a review for %(p)s.") % {"p": period}})
    _refuse_if_closed(actor, draft, period.year, period.quarter, today)
    review = tracked_create(
        model=QuarterlyReview,
        actor=actor,
        data={
            "period": period,
            "activity": activity,
            "project": project,
            "region": region,
            "office": office,
            **data,
        },
    )
    _save_actuals(actor=actor, review=review, actuals=actuals or {}, today=today)
    return review


def _refuse_unless_editable(review: QuarterlyReview) -> None:
    if review.status == QuarterlyReview.Status.APPROVED:
        raise InvalidTransition(
            _("Review %(r)s is approved and locked; only an administrator can reopen it.") % {"r": review}
        )
    if review.status == QuarterlyReview.Status.SUBMITTED:
        raise InvalidTransition(
            _("Review %(r)s is submitted and waits for a decision; it can be edited once returned.")
            % {"r": review}
        )


@transaction.atomic
def review_update(
    *,
    actor: Actor,
    review: QuarterlyReview,
    expected_version: int | None,
    actuals: Mapping[int, Decimal | str | None] | None = None,
    today: dt.date | None = None,
    **data: Any,
) -> QuarterlyReview:
    """Edit a draft or returned review; editing a returned review puts it back to draft."""
    _only(data, REVIEW_FIELDS)
    today = today or _today()
    check(actor, Action.CHANGE, review)
    _refuse_unless_editable(review)
    _refuse_if_closed(actor, review, review.period.year, review.period.quarter, today)
    if review.status == QuarterlyReview.Status.RETURNED:
        data["status"] = QuarterlyReview.Status.DRAFT
    review = tracked_update(
        instance=review,
        actor=actor,
        data=data,
        expected_version=expected_version,
    )
    _save_actuals(actor=actor, review=review, actuals=actuals or {}, today=today)
    return review


def _transition(
    *,
    actor: Actor,
    review: QuarterlyReview,
    expected_version: int | None,
    data: dict[str, Any],
    reason: str = "",
) -> QuarterlyReview:
    return tracked_update(
        instance=review,
        actor=actor,
        data=data,
        expected_version=expected_version,
        reason=reason,
        action=AuditEntry.Action.TRANSITION,
    )


@transaction.atomic
def review_submit(
    *, actor: Actor, review: QuarterlyReview, expected_version: int | None, today: dt.date | None = None
) -> QuarterlyReview:
    check(actor, Action.CHANGE, review)
    if review.status not in (QuarterlyReview.Status.DRAFT, QuarterlyReview.Status.RETURNED):
        raise InvalidTransition(
            _("Only a draft or returned review can be submitted; review %(r)s is %(s)s.")
            % {"r": review, "s": review.get_status_display()}
        )
    _refuse_if_closed(actor, review, review.period.year, review.period.quarter, today or _today())
    errors: dict[str, str] = {}
    if not review.rating:
        errors["rating"] = _("Give a status rating before submitting.")
    if not review.progress.strip():
        errors["progress"] = _("Describe the progress before submitting.")
    if errors:
        raise ValidationError(errors)
    return _transition(
        actor=actor,
        review=review,
        expected_version=expected_version,
        data={
            "status": QuarterlyReview.Status.SUBMITTED,
            "submitted_by": actor,
            "submitted_at": timezone.now(),
            "return_comment": "",
        },
    )


def _check_decider(actor: Actor, review: QuarterlyReview, verb: str) -> None:
    check(actor, Action.APPROVE, review)
    if review.status != QuarterlyReview.Status.SUBMITTED:
        raise InvalidTransition(
            _("Only a submitted review can be %(verb)s; review %(r)s is %(s)s.")
            % {"verb": verb, "r": review, "s": review.get_status_display()}
        )
    if actor is not None and review.submitted_by_id is not None and review.submitted_by_id == actor.pk:
        raise AccessDenied(
            _("You submitted review %(r)s; another approver must decide on it.") % {"r": review}
        )


@transaction.atomic
def review_approve(*, actor: Actor, review: QuarterlyReview, expected_version: int | None) -> QuarterlyReview:
    _check_decider(actor, review, _("approved"))
    return _transition(
        actor=actor,
        review=review,
        expected_version=expected_version,
        data={"status": QuarterlyReview.Status.APPROVED, "decided_by": actor, "decided_at": timezone.now()},
    )


@transaction.atomic
def review_return(
    *, actor: Actor, review: QuarterlyReview, expected_version: int | None, comment: str
) -> QuarterlyReview:
    _check_decider(actor, review, _("returned"))
    if not comment.strip():
        raise ValidationError(
            {"return_comment": _("Say what must change: a returned review needs a comment.")}
        )
    return _transition(
        actor=actor,
        review=review,
        expected_version=expected_version,
        data={
            "status": QuarterlyReview.Status.RETURNED,
            "decided_by": actor,
            "decided_at": timezone.now(),
            "return_comment": comment.strip(),
        },
        reason=comment.strip(),
    )


@transaction.atomic
def review_reopen(
    *, actor: Actor, review: QuarterlyReview, expected_version: int | None, reason: str
) -> QuarterlyReview:
    """Unlock an approved review (administrators only); the reason stays in the audit trail."""
    check(actor, Action.VIEW, review)
    if not is_admin_for(actor, review):
        raise AccessDenied(_("Only an administrator can reopen an approved review."))
    if review.status != QuarterlyReview.Status.APPROVED:
        raise InvalidTransition(
            _("Only an approved review can be reopened; review %(r)s is %(s)s.")
            % {"r": review, "s": review.get_status_display()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening; the audit trail keeps it.")})
    return _transition(
        actor=actor,
        review=review,
        expected_version=expected_version,
        data={"status": QuarterlyReview.Status.DRAFT, "decided_by": None, "decided_at": None},
        reason=reason.strip(),
    )
