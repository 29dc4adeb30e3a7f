"""Writes to indicators and their values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from presence.core import formatting
from presence.core.errors import InvalidTransition
from presence.core.services import Actor, only_fields, tracked_create, tracked_delete, tracked_update
from presence.org.access import Action, check
from presence.results.models import (
    Indicator,
    IndicatorValue,
    QuarterlyReview,
    ReportingPeriod,
)
from presence.results.services._common import _today, is_admin_for

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


ATTACHMENTS = ("outcome", "output", "activity", "project")


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


def indicator_problems(data: Mapping[str, Any]) -> dict[str, str]:
    """What is wrong with an indicator's measure and baseline, by field (the rule of every write,
    the IATI import's plan included)."""
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
    return errors


def _indicator_invariants(data: Mapping[str, Any]) -> None:
    errors = indicator_problems(data)
    if errors:
        raise ValidationError(errors)


def indicator_value_problems(measure: str, values: Mapping[str, Any]) -> dict[str, str]:
    """What is wrong with the numbers of a value of an indicator of `measure`, by field."""
    errors: dict[str, str] = {}
    if measure == Indicator.Measure.QUALITATIVE:
        for name in ("target", "actual"):
            if values.get(name) is not None:
                errors[name] = _("A qualitative indicator takes words (note), not numbers.")
    elif measure == Indicator.Measure.PERCENTAGE:
        for name in ("target", "actual"):
            if values.get(name) is not None and not 0 <= Decimal(values[name]) <= 100:
                errors[name] = _("A percentage lies between 0 and 100.")
    return errors


def _check_framework_kpi(actor: Actor, action: Action, data: Mapping[str, Any]) -> None:
    """KPIs of outcomes and outputs are part of the framework: administrators define them."""
    for name in ("outcome", "output"):
        record = data.get(name)
        if record is not None:
            check(actor, action, record)


@transaction.atomic
def indicator_create(*, actor: Actor, **data: Any) -> Indicator:
    only_fields(data, INDICATOR_FIELDS)
    region, office = _indicator_place(data)
    check(actor, Action.ADD, Indicator(region=region, office=office))
    _check_framework_kpi(actor, Action.CHANGE, data)
    _indicator_invariants(data)
    return tracked_create(model=Indicator, actor=actor, data={**data, "region": region, "office": office})


@transaction.atomic
def indicator_update(
    *, actor: Actor, indicator: Indicator, expected_version: int | None, **data: Any
) -> Indicator:
    only_fields(data, INDICATOR_FIELDS)
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
    return _review_for(indicator, year, quarter, status=QuarterlyReview.Status.APPROVED)


def reopened_by_return(review: QuarterlyReview) -> bool:
    """A review its approver returned stays open to its editors after the deadline, until resubmitted."""
    return bool(review.return_comment) and review.status in (
        QuarterlyReview.Status.DRAFT,
        QuarterlyReview.Status.RETURNED,
    )


def _review_for(indicator: Indicator, year: int, quarter: int, **lookup: Any) -> QuarterlyReview | None:
    if quarter == 0 or not (indicator.activity_id or indicator.project_id):
        return None
    reviews = QuarterlyReview.objects.filter(period__year=year, period__quarter=quarter, **lookup)
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
            % {"period": period, "deadline": formatting.date(period.submission_deadline)}
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
    only_fields(values, ("target", "actual", "note"))
    check(actor, Action.CHANGE, indicator)
    errors: dict[str, str] = {}
    if not 0 <= quarter <= 4:
        errors["quarter"] = _("A quarter is 1 to 4, or 0 for the whole year.")
    if breakdown_region is not None and not indicator.by_region:
        errors["breakdown_region"] = _("This indicator is not broken down by region.")
    if gender and not indicator.by_gender:
        errors["gender"] = _("This indicator is not broken down by gender.")
    errors.update(indicator_value_problems(indicator.measure, values))
    if errors:
        raise ValidationError(errors)
    returned = _review_for(indicator, year, quarter, return_comment__gt="")
    if returned is None or not reopened_by_return(returned):
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
