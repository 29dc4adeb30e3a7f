"""Assessment templates, assessments with their scores, results and evidence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from presence.core.filtering import ListFilter
from presence.org.access import Action, restrict
from presence.org.models import Office, Region
from presence.resilience.confidential import restrict_confidential, sees_confidential
from presence.resilience.filters import AssessmentFilter
from presence.resilience.models import (
    Assessment,
    AssessmentTemplate,
    Evidence,
    Finding,
    Requirement,
    RequirementResult,
)
from presence.resilience.rules import RESULT_FACTORS
from presence.resilience.selectors._common import WEIGHT, ZERO, in_place, place_values

# Templates ------------------------------------------------------------------------------------


def template_list(*, user: Any) -> QuerySet[AssessmentTemplate]:
    weights = (
        Requirement.objects.filter(template=OuterRef("pk"))
        .values("template")
        .annotate(w=Sum("weight"))
        .values("w")
    )
    return restrict(AssessmentTemplate.objects.all(), user, Action.VIEW).annotate(
        requirement_count=Count("requirements", distinct=True),
        assessment_count=Count("assessments", distinct=True),
        total_weight=Coalesce(Subquery(weights[:1], output_field=WEIGHT), Value(ZERO), output_field=WEIGHT),
    )


def template_requirements(*, template: AssessmentTemplate) -> QuerySet[Requirement]:
    return template.requirements.order_by("sort_order", "code")


# Assessments ----------------------------------------------------------------------------------


def _result_sum(expression: Any) -> Subquery:
    return Subquery(
        RequirementResult.objects.filter(assessment=OuterRef("pk"))
        .values("assessment")
        .annotate(total=Sum(expression, output_field=WEIGHT))
        .values("total")[:1],
        output_field=WEIGHT,
    )


def _result_count(result: str) -> Subquery:
    return Subquery(
        RequirementResult.objects.filter(assessment=OuterRef("pk"), result=result)
        .values("assessment")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


def _score_expressions(path: str = "") -> tuple[Case, Case]:
    """SQL: a requirement result's weighted points and possible points (N/A excluded); `path` leads from
    the queried model to the result."""
    points = Case(
        *[
            When(**{f"{path}result": result}, then=F(f"{path}requirement__weight") * Value(factor))
            for result, factor in RESULT_FACTORS.items()
        ],
        default=Value(ZERO),
        output_field=WEIGHT,
    )
    possible = Case(
        When(**{f"{path}result__in": list(RESULT_FACTORS)}, then=F(f"{path}requirement__weight")),
        default=Value(ZERO),
        output_field=WEIGHT,
    )
    return points, possible


def with_scores(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate weighted points, possible points (N/A excluded) and counts per result and of open findings."""
    points, possible = _score_expressions()
    open_findings = Subquery(
        Finding.objects.filter(assessment=OuterRef("pk"), status__in=Finding.OPEN_STATUSES)
        .values("assessment")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    requirement_count = Subquery(
        Requirement.objects.filter(template=OuterRef("template"))
        .values("template")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    return assessments.annotate(
        score_points=Coalesce(_result_sum(points), Value(ZERO), output_field=WEIGHT),
        score_possible=Coalesce(_result_sum(possible), Value(ZERO), output_field=WEIGHT),
        compliant_count=Coalesce(_result_count(RequirementResult.Result.COMPLIANT), 0),
        partial_count=Coalesce(_result_count(RequirementResult.Result.PARTIAL), 0),
        non_compliant_count=Coalesce(_result_count(RequirementResult.Result.NON_COMPLIANT), 0),
        not_applicable_count=Coalesce(_result_count(RequirementResult.Result.NOT_APPLICABLE), 0),
        requirement_count=Coalesce(requirement_count, 0),
        open_finding_count=Coalesce(open_findings, 0),
    )


def assessment_list(*, user: Any, filters: ListFilter | None = None, **values: Any) -> QuerySet[Assessment]:
    """Assessments the user may see, narrowed by `filters.AssessmentFilter` (a bound one, or its values:
    region and office by code or as records), with their scores."""
    assessments = restrict(
        Assessment.objects.select_related("office", "office__region", "template"), user, Action.VIEW
    )
    return with_scores(AssessmentFilter.apply(assessments, filters or place_values(values)))


def _latest_locked(
    user: Any, region: Region | str | None, office: Office | str | None, offices: Sequence[int] | None = None
) -> QuerySet[Assessment]:
    """Each office's latest completed or archived assessment of each type (the last by actual end, then
    id, as `score_history` orders them), of the offices with ids `offices` if given."""
    locked = in_place(
        restrict(Assessment.objects.all(), user, Action.VIEW), region=region, office=office
    ).filter(status__in=Assessment.LOCKED)
    if offices is not None:
        locked = locked.filter(office_id__in=offices)
    # Numbered within each office and type in one sort of the rows (the same order, missing ends
    # included, as an ORDER BY on each database), not by a "first of its kind" subquery per assessment.
    first = Window(
        RowNumber(),
        partition_by=[F("office"), F("template__kind")],
        order_by=[F("actual_end").desc(), F("pk").desc()],
    )
    # The others left out, rather than the first kept: PostgreSQL cannot tell how many rows a filter
    # on a row number keeps and plans the joins for a handful (nested loops and sorts over every
    # requirement result); "not among the others" it plans for the many rows they are.
    return locked.exclude(pk__in=locked.annotate(rank=first).filter(rank__gt=1).values("pk"))


def latest_assessments(
    *,
    user: Any,
    region: Region | str | None = None,
    office: Office | str | None = None,
    offices: Sequence[int] | None = None,
) -> QuerySet[Assessment]:
    """Each office's latest completed or archived assessment of each type (the last by actual end, then
    id, as `score_history` orders them), with their scores: one row per office and type, whatever the
    number of past assessments (of the offices with ids `offices` if given)."""
    return with_scores(
        _latest_locked(user, region, office, offices).select_related("office", "office__region", "template")
    )


def latest_scores(
    *, user: Any, region: Region | str | None = None, office: Office | str | None = None
) -> QuerySet[Any]:
    """(type, weighted points, possible points) of each office's latest completed or archived assessment
    of each type (`latest_assessments`' rows and scores): the points are summed by one join and GROUP BY
    over the requirement results, not by a subquery per assessment and score."""
    points, possible = _score_expressions("results__")
    return (
        _latest_locked(user, region, office)
        .order_by()
        .values("pk", "template__kind")
        .annotate(
            points=Coalesce(Sum(points), Value(ZERO), output_field=WEIGHT),
            possible=Coalesce(Sum(possible), Value(ZERO), output_field=WEIGHT),
        )
        .values_list("template__kind", "points", "possible")
    )


def assessment_get(*, user: Any, pk: int) -> Assessment:
    return assessment_list(user=user).get(pk=pk)


@dataclass
class RequirementRow:
    """One requirement of an assessment; `result` is None for users who may not see details."""

    requirement: Requirement
    result: RequirementResult | None
    evidence: list[Evidence] = field(default_factory=list)


def assessment_results(*, user: Any, assessment: Assessment) -> list[RequirementRow] | None:
    """The requirement-by-requirement results with observations and evidence, or None if not allowed."""
    if not sees_confidential(user, RequirementResult(assessment=assessment)):
        return None
    results = {
        r.requirement_id: r
        for r in restrict_confidential(
            RequirementResult.objects.filter(assessment=assessment).prefetch_related("evidence"), user
        )
    }
    return [
        RequirementRow(
            requirement=requirement,
            result=results.get(requirement.pk),
            evidence=list(results[requirement.pk].evidence.all()) if requirement.pk in results else [],
        )
        for requirement in assessment.template.requirements.order_by("sort_order", "code")
    ]


def result_get(*, user: Any, pk: int) -> RequirementResult:
    return restrict_confidential(
        RequirementResult.objects.select_related("assessment", "assessment__office", "requirement"), user
    ).get(pk=pk)


def evidence_get(*, user: Any, pk: int) -> Evidence:
    return restrict_confidential(
        Evidence.objects.select_related("result", "result__assessment", "result__assessment__office"), user
    ).get(pk=pk)


def score_history(*, user: Any, office: Office, kind: str = "") -> list[Assessment]:
    """An office's completed and archived assessments with their compliance, oldest first."""
    history = assessment_list(user=user, office=office, kind=kind).filter(status__in=Assessment.LOCKED)
    return list(history.order_by("template__kind", "actual_end", "pk"))
