"""Reads of the resilience register: restricted querysets, and aggregates that reveal no details.

Aggregates (scores, counts per risk level, coverage) are computed over the assessments and
offices the user may view; the confidential details themselves (results, observations, evidence,
findings, actions) are only returned through `restrict_confidential`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import importlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from presence.core.reminders import Reminder
from presence.org.access import Action, restrict
from presence.org.models import Office, Region, Role, RoleAssignment
from presence.resilience.confidential import restrict_confidential, sees_confidential
from presence.resilience.models import (
    Assessment,
    AssessmentKind,
    AssessmentTemplate,
    CrisisCommsRegistration,
    Evidence,
    Finding,
    Installation,
    PlanningDocument,
    RemediationAction,
    Requirement,
    RequirementResult,
    ResilienceSettings,
)
from presence.resilience.rules import RESULT_FACTORS, RiskLevel, compliance, risk_level_case, risk_product

ZERO = Decimal("0")
WEIGHT = DecimalField(max_digits=12, decimal_places=3)


def current_settings() -> ResilienceSettings:
    """The stored settings, or the defaults when nobody has set them yet."""
    return ResilienceSettings.objects.order_by("pk").first() or ResilienceSettings()


def _region_code(region: Region | str | None) -> str:
    return region.code if isinstance(region, Region) else (region or "")


def _office_code(office: Office | str | None) -> str:
    return office.code if isinstance(office, Office) else (office or "")


def _in_place(
    queryset: QuerySet[Any], *, region: Region | str | None, office: Office | str | None, path: str = "office"
) -> QuerySet[Any]:
    if _region_code(region):
        queryset = queryset.filter(**{f"{path}__region__code": _region_code(region)})
    if _office_code(office):
        queryset = queryset.filter(**{f"{path}__code": _office_code(office)})
    return queryset


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


def with_scores(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate weighted points, possible points (N/A excluded) and counts per result and of open findings."""
    points = Case(
        *[
            When(result=result, then=F("requirement__weight") * Value(factor))
            for result, factor in RESULT_FACTORS.items()
        ],
        default=Value(ZERO),
        output_field=WEIGHT,
    )
    possible = Case(
        When(result__in=list(RESULT_FACTORS), then=F("requirement__weight")),
        default=Value(ZERO),
        output_field=WEIGHT,
    )
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


def assessment_list(
    *,
    user: Any,
    region: Region | str | None = None,
    office: Office | str | None = None,
    kind: str = "",
    status: str = "",
) -> QuerySet[Assessment]:
    assessments = restrict(
        Assessment.objects.select_related("office", "office__region", "template"), user, Action.VIEW
    )
    assessments = _in_place(assessments, region=region, office=office)
    if kind:
        assessments = assessments.filter(template__kind=kind)
    if status:
        assessments = assessments.filter(status=status)
    return with_scores(assessments)


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


# Findings and actions -------------------------------------------------------------------------


def finding_list(
    *,
    user: Any,
    region: Region | str | None = None,
    office: Office | str | None = None,
    level: str = "",
    status: str = "",
    kind: str = "",
) -> QuerySet[Finding]:
    """Findings with their details: only for the security role and HQ administrators."""
    findings = restrict_confidential(
        Finding.objects.select_related(
            "assessment",
            "assessment__office",
            "assessment__office__region",
            "assessment__template",
            "requirement",
            "owner",
        ).annotate(
            risk_product=risk_product(),
            level=risk_level_case(),
            open_action_count=Count("actions", filter=Q(actions__status__in=RemediationAction.OPEN_STATUSES)),
        ),
        user,
    )
    findings = _in_place(findings, region=region, office=office, path="assessment__office")
    if level:
        findings = findings.filter(level=level)  # type: ignore[misc]
    if status == "open":
        findings = findings.filter(status__in=Finding.OPEN_STATUSES)
    elif status:
        findings = findings.filter(status=status)
    if kind:
        findings = findings.filter(assessment__template__kind=kind)
    return findings.order_by("-risk_product", "due_on", "pk")  # type: ignore[misc]


def finding_get(*, user: Any, pk: int) -> Finding:
    return finding_list(user=user).get(pk=pk)


def action_list(
    *,
    user: Any,
    region: Region | str | None = None,
    office: Office | str | None = None,
    status: str = "",
    overdue_on: dt.date | None = None,
) -> QuerySet[RemediationAction]:
    actions = restrict_confidential(
        RemediationAction.objects.select_related(
            "finding",
            "finding__assessment",
            "finding__assessment__office",
            "finding__assessment__template",
            "owner",
        ),
        user,
    )
    actions = _in_place(actions, region=region, office=office, path="finding__assessment__office")
    if status == "open":
        actions = actions.filter(status__in=RemediationAction.OPEN_STATUSES)
    elif status:
        actions = actions.filter(status=status)
    if overdue_on is not None:
        actions = actions.filter(status__in=RemediationAction.OPEN_STATUSES, due_on__lt=overdue_on)
    return actions.order_by("due_on", "pk")


def overdue_actions(
    *,
    user: Any,
    today: dt.date | None = None,
    region: Region | str | None = None,
    office: Office | str | None = None,
) -> QuerySet[RemediationAction]:
    return action_list(user=user, region=region, office=office, overdue_on=today or timezone.localdate())


def _visible_assessments(
    user: Any, region: Region | str | None, office: Office | str | None
) -> QuerySet[Assessment]:
    return _in_place(restrict(Assessment.objects.all(), user, Action.VIEW), region=region, office=office)


def _open_findings_of(assessments: QuerySet[Assessment]) -> QuerySet[Finding]:
    return Finding.objects.filter(assessment__in=assessments, status__in=Finding.OPEN_STATUSES)


def findings_by_level(
    *, user: Any, region: Region | str | None = None, office: Office | str | None = None
) -> dict[str, int]:
    """Counts of open findings per risk level (an aggregate every viewer may see)."""
    rows = (
        _open_findings_of(_visible_assessments(user, region, office))
        .annotate(risk_product=risk_product(), level=risk_level_case())
        .values("level")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(RiskLevel.ORDER, 0)
    for row in rows:
        counts[row["level"]] = row["n"]
    return counts


@dataclass
class MatrixCell:
    likelihood: int
    impact: int
    count: int
    level: str


def risk_matrix(
    *, user: Any, region: Region | str | None = None, office: Office | str | None = None
) -> list[list[MatrixCell]]:
    """Open findings counted on the 5x5 matrix; rows from likelihood 5 (top) down to 1."""
    from presence.resilience.rules import risk_level

    counts = {
        (row["likelihood"], row["impact"]): row["n"]
        for row in _open_findings_of(_visible_assessments(user, region, office))
        .values("likelihood", "impact")
        .annotate(n=Count("pk"))
    }
    return [
        [
            MatrixCell(
                likelihood, impact, counts.get((likelihood, impact), 0), risk_level(likelihood, impact)
            )
            for impact in range(1, 6)
        ]
        for likelihood in range(5, 0, -1)
    ]


def findings_by_office(
    *, user: Any, region: Region | str | None = None, office: Office | str | None = None
) -> list[dict[str, Any]]:
    """Per office: open findings per risk level, closed findings, open and overdue actions (counts only)."""
    today = timezone.localdate()
    offices = office_list(user=user, region=region, office=office)
    findings = (
        Finding.objects.filter(assessment__in=_visible_assessments(user, region, office))
        .annotate(risk_product=risk_product(), level=risk_level_case())
        .values("assessment__office_id", "level", "status")
        .annotate(n=Count("pk"))
    )
    actions = (
        RemediationAction.objects.filter(
            finding__assessment__in=_visible_assessments(user, region, office),
            status__in=RemediationAction.OPEN_STATUSES,
        )
        .values("finding__assessment__office_id")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )
    rows: dict[int, dict[str, Any]] = {
        o.pk: {
            "office": o,
            "closed": 0,
            "open": 0,
            "open_actions": 0,
            "overdue_actions": 0,
            **dict.fromkeys(RiskLevel.ORDER, 0),
        }
        for o in offices
    }
    for item in findings:
        row = rows.get(item["assessment__office_id"])
        if row is None:
            continue
        if item["status"] in Finding.OPEN_STATUSES:
            row[item["level"]] += item["n"]
            row["open"] += item["n"]
        else:
            row["closed"] += item["n"]
    for counted in actions:
        row = rows.get(counted["finding__assessment__office_id"])
        if row is not None:
            row["open_actions"] = counted["n"]
            row["overdue_actions"] = counted["overdue"]
    return list(rows.values())


# Offices, plans, installations, coverage ------------------------------------------------------


def office_list(
    *, user: Any, region: Region | str | None = None, office: Office | str | None = None
) -> QuerySet[Office]:
    offices = restrict(Office.objects.select_related("region"), user, Action.VIEW).filter(
        closed_on__isnull=True
    )
    if _region_code(region):
        offices = offices.filter(region__code=_region_code(region))
    if _office_code(office):
        offices = offices.filter(code=_office_code(office))
    return offices.order_by("region__sort_order", "code")


def plan_list(
    *,
    user: Any,
    region: Region | str | None = None,
    office: Office | str | None = None,
    kind: str = "",
    current_only: bool = False,
) -> QuerySet[PlanningDocument]:
    newer = PlanningDocument.objects.filter(
        office=OuterRef("office"), kind=OuterRef("kind"), approved_on__gt=OuterRef("approved_on")
    )
    plans = restrict(
        PlanningDocument.objects.select_related("office", "office__region"), user, Action.VIEW
    ).annotate(superseded=Exists(newer))
    plans = _in_place(plans, region=region, office=office)
    if kind:
        plans = plans.filter(kind=kind)
    if current_only:
        plans = plans.filter(superseded=False)
    return plans


def plan_get(*, user: Any, pk: int) -> PlanningDocument:
    return plan_list(user=user).get(pk=pk)


def expiring_plans(
    *,
    user: Any,
    today: dt.date | None = None,
    within_days: int | None = None,
    region: Region | str | None = None,
    office: Office | str | None = None,
) -> QuerySet[PlanningDocument]:
    """Current plans whose next review falls within the warning window (or is already past)."""
    today = today or timezone.localdate()
    days = within_days if within_days is not None else current_settings().plan_warning_days
    return (
        plan_list(user=user, region=region, office=office, current_only=True)
        .filter(next_review_on__lte=today + dt.timedelta(days=days))
        .order_by("next_review_on", "office__code")
    )


def missing_plans(
    *, user: Any, region: Region | str | None = None, office: Office | str | None = None
) -> list[tuple[Office, list[str]]]:
    """Offices lacking one or more of the three plans, with the kinds missing."""
    have: dict[int, set[str]] = defaultdict(set)
    for office_id, kind in plan_list(user=user, region=region, office=office).values_list(
        "office_id", "kind"
    ):
        have[office_id].add(kind)
    result = []
    for o in office_list(user=user, region=region, office=office):
        missing = [label for value, label in PlanningDocument.Kind.choices if value not in have[o.pk]]
        if missing:
            result.append((o, [str(label) for label in missing]))
    return result


def installation_list(
    *,
    user: Any,
    region: Region | str | None = None,
    office: Office | str | None = None,
    status: str = "",
) -> QuerySet[Installation]:
    installations = restrict(
        Installation.objects.select_related("office", "office__region"), user, Action.VIEW
    )
    installations = _in_place(installations, region=region, office=office)
    if status == "open":
        installations = installations.filter(status__in=Installation.OPEN_STATUSES)
    elif status:
        installations = installations.filter(status=status)
    return installations


def installation_get(*, user: Any, pk: int) -> Installation:
    return installation_list(user=user).get(pk=pk)


@dataclass
class InstallationProgress:
    total: int = 0
    planned: int = 0
    in_progress: int = 0
    completed: int = 0
    cancelled: int = 0
    estimated_workdays: Decimal = ZERO
    actual_workdays: Decimal = ZERO
    remaining_workdays: Decimal = ZERO
    offices_done: int = 0
    offices_with_installations: int = 0

    @property
    def percent_completed(self) -> Decimal | None:
        counted = self.total - self.cancelled
        return compliance(Decimal(self.completed), Decimal(counted)) if counted else None


def installation_progress(
    *, user: Any, region: Region | str | None = None, office: Office | str | None = None
) -> InstallationProgress:
    progress = InstallationProgress()
    offices: dict[int, bool] = {}
    for item in installation_list(user=user, region=region, office=office).only(
        "office_id", "status", "estimated_workdays", "actual_workdays"
    ):
        progress.total += 1
        setattr(progress, item.status, getattr(progress, item.status) + 1)
        if item.status != Installation.Status.CANCELLED:
            progress.estimated_workdays += item.estimated_workdays
        progress.actual_workdays += item.actual_workdays or ZERO
        progress.remaining_workdays += item.remaining_workdays
        done = item.status in (Installation.Status.COMPLETED, Installation.Status.CANCELLED)
        offices[item.office_id] = offices.get(item.office_id, True) and done
    progress.offices_with_installations = len(offices)
    progress.offices_done = sum(1 for done in offices.values() if done)
    return progress


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months = []
    current = first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return months


def _spread(workdays: Decimal, start: dt.date, end: dt.date) -> dict[dt.date, Decimal]:
    """Workdays spread over the months of [start, end] in proportion to calendar days."""
    total_days = (end - start).days + 1
    shares: dict[dt.date, Decimal] = {}
    for month in _months(start, end):
        month_end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        days = (min(end, month_end) - max(start, month)).days + 1
        shares[month] = workdays * days / total_days
    return shares


@dataclass
class TimelineRow:
    office: Office
    cells: list[Decimal]
    states: list[str]  # per month: "", "planned", "in_progress", "completed"
    total: Decimal


@dataclass
class Timeline:
    months: list[dt.date]
    rows: list[TimelineRow]
    workload: list[Decimal]
    capacity: Decimal
    over_capacity: list[bool]
    remaining_workdays: Decimal
    months_needed: Decimal | None


def installation_timeline(
    *,
    user: Any,
    region: Region | str | None = None,
    office: Office | str | None = None,
    capacity: Decimal | None = None,
    first_month: dt.date | None = None,
    month_count: int | None = None,
) -> Timeline:
    """Offices x months: the staff workdays each installation needs in each month, against capacity.

    Open installations spread their remaining workdays over the planned period (from the actual
    start once started); completed ones spread the workdays they took over their actual dates.
    """
    capacity = current_settings().workdays_per_month if capacity is None else capacity
    items = [
        i
        for i in installation_list(user=user, region=region, office=office)
        if i.status != Installation.Status.CANCELLED
    ]
    spans: list[tuple[Installation, dt.date, dt.date, Decimal]] = []
    for item in items:
        if item.status == Installation.Status.COMPLETED:
            start = item.actual_start or item.planned_start
            end = max(item.actual_end or item.planned_end, start)
            spans.append((item, start, end, item.actual_workdays or ZERO))
        else:
            start = max(item.actual_start or item.planned_start, item.planned_start)
            if item.actual_start:
                start = item.actual_start
            end = max(item.planned_end, start)
            spans.append((item, start, end, item.remaining_workdays))
    if first_month is None:
        first_month = min((s for _i, s, _e, _w in spans), default=timezone.localdate()).replace(day=1)
    last = max((e for _i, _s, e, _w in spans), default=first_month)
    months = _months(first_month, last)
    if month_count is not None:
        months = _months(first_month, first_month + dt.timedelta(days=31 * max(month_count, 1) - 1))[
            :month_count
        ]
    months = months[:36]
    index = {month: n for n, month in enumerate(months)}
    rows: dict[int, TimelineRow] = {}
    for item, start, end, work in spans:
        row = rows.setdefault(
            item.office_id, TimelineRow(item.office, [ZERO] * len(months), [""] * len(months), ZERO)
        )
        for month, share in _spread(work, start, end).items():
            if month in index:
                row.cells[index[month]] += share
                row.states[index[month]] = item.status
                row.total += share
    workload = [sum((row.cells[n] for row in rows.values()), ZERO) for n in range(len(months))]
    remaining = sum((i.remaining_workdays for i in items), ZERO)
    return Timeline(
        months=months,
        rows=sorted(
            rows.values(),
            key=lambda r: (min((n for n, s in enumerate(r.states) if s), default=99), r.office.code),
        ),
        workload=workload,
        capacity=capacity,
        over_capacity=[load > capacity for load in workload],
        remaining_workdays=remaining,
        months_needed=(remaining / capacity).quantize(Decimal("0.1")) if capacity else None,
    )


def registration_list(
    *,
    user: Any,
    region: Region | str | None = None,
    office: Office | str | None = None,
) -> QuerySet[CrisisCommsRegistration]:
    registrations = restrict(
        CrisisCommsRegistration.objects.select_related("office", "office__region"), user, Action.VIEW
    )
    return _in_place(registrations, region=region, office=office)


def registration_get(*, user: Any, pk: int) -> CrisisCommsRegistration:
    return registration_list(user=user).get(pk=pk)


def staff_counts_from_staffing(*, dates: Iterable[dt.date]) -> dict[dt.date, dict[int, int]] | None:
    """For each date, staff per office id from the staffing app; None when it is not installed."""
    if not apps.is_installed("presence.staffing"):
        return None
    try:
        module = importlib.import_module("presence.staffing.selectors")
    except ImportError:
        return None
    counter = getattr(module, "staff_counts_by_office_on", None)
    if counter is None:
        return None
    return {
        on: {int(k): int(v) for k, v in by_office.items()} for on, by_office in counter(dates=dates).items()
    }


@dataclass
class OfficeCoverage:
    office: Office
    counted_on: dt.date | None
    registered: int | None
    staff: int | None
    staff_source: str  # "staffing", "entered" or ""
    percent: Decimal | None
    below_threshold: bool


def coverage_by_office(
    *,
    user: Any,
    region: Region | str | None = None,
    office: Office | str | None = None,
    on: dt.date | None = None,
) -> list[OfficeCoverage]:
    """Latest registration count per office (on or before `on`) against the office's staff on the day
    of that count: from the staffing register, else the count entered with the registration."""
    on = on or timezone.localdate()
    threshold = current_settings().coverage_threshold
    latest = CrisisCommsRegistration.objects.filter(office=OuterRef("pk"), counted_on__lte=on).order_by(
        "-counted_on"
    )
    offices = list(
        office_list(user=user, region=region, office=office).annotate(
            cc_counted_on=Subquery(latest.values("counted_on")[:1]),
            cc_registered=Subquery(latest.values("registered")[:1]),
            cc_staff=Subquery(latest.values("staff_in_office")[:1]),
        )
    )
    # Each count is compared with the staff of the office on the day it was made, not today's.
    staffing = staff_counts_from_staffing(dates={o.cc_counted_on for o in offices if o.cc_counted_on})
    rows = []
    for o in offices:
        staff: int | None = None
        source = ""
        on_the_day = (staffing or {}).get(o.cc_counted_on, {}) if o.cc_counted_on else {}
        if on_the_day.get(o.pk):
            staff, source = on_the_day[o.pk], "staffing"
        elif o.cc_staff:
            staff, source = o.cc_staff, "entered"
        percent = (
            compliance(Decimal(o.cc_registered), Decimal(staff))
            if staff and o.cc_registered is not None
            else None
        )
        rows.append(
            OfficeCoverage(
                office=o,
                counted_on=o.cc_counted_on,
                registered=o.cc_registered,
                staff=staff,
                staff_source=source,
                percent=percent,
                below_threshold=percent is not None and percent < threshold,
            )
        )
    return rows


@dataclass
class CoverageSummary:
    registered: int
    staff: int
    percent: Decimal | None
    threshold: Decimal
    offices_below: list[OfficeCoverage]
    offices_without_count: list[Office]


def coverage_summary(rows: list[OfficeCoverage]) -> CoverageSummary:
    registered = sum(r.registered or 0 for r in rows)
    staff = sum(r.staff or 0 for r in rows if r.registered is not None)
    return CoverageSummary(
        registered=registered,
        staff=staff,
        percent=compliance(Decimal(registered), Decimal(staff)) if staff else None,
        threshold=current_settings().coverage_threshold,
        offices_below=[r for r in rows if r.below_threshold],
        offices_without_count=[r.office for r in rows if r.registered is None],
    )


# Summaries for the overview, the office page and the dashboard -------------------------------


@dataclass
class KindCompliance:
    kind: str
    label: str
    offices_assessed: int
    offices_total: int
    average_compliance: Decimal | None
    in_progress: int
    planned: int


def compliance_by_kind(
    *,
    user: Any,
    region: Region | str | None = None,
    office: Office | str | None = None,
    offices_total: int | None = None,
) -> list[KindCompliance]:
    """Per assessment type: offices with a completed assessment and the mean of their latest compliance."""
    if offices_total is None:
        offices_total = office_list(user=user, region=region, office=office).count()
    latest: dict[tuple[str, int], Assessment] = {}
    open_counts: dict[tuple[str, str], int] = defaultdict(int)
    for item in assessment_list(user=user, region=region, office=office).order_by("actual_end", "pk"):
        if item.status in Assessment.LOCKED:
            latest[(item.template.kind, item.office_id)] = item
        else:
            open_counts[(item.template.kind, item.status)] += 1
    rows = []
    for kind, label in AssessmentKind.choices:
        scores = [a.compliance for (k, _o), a in latest.items() if k == kind and a.compliance is not None]
        average = (sum(scores, ZERO) / len(scores)).quantize(Decimal("0.1")) if scores else None
        rows.append(
            KindCompliance(
                kind=kind,
                label=str(label),
                offices_assessed=sum(1 for (k, _o) in latest if k == kind),
                offices_total=offices_total,
                average_compliance=average,
                in_progress=open_counts[(kind, Assessment.Status.IN_PROGRESS)],
                planned=open_counts[(kind, Assessment.Status.PLANNED)],
            )
        )
    return rows


@dataclass
class ResilienceSummary:
    """Aggregates only: safe for every role, including member-state viewers."""

    offices: int
    compliance_by_kind: list[KindCompliance]
    open_findings_by_level: dict[str, int]
    open_findings: int
    overdue_actions: int
    plans_expiring: int
    plans_expiring_list: list[PlanningDocument]
    offices_missing_plans: int
    installations: InstallationProgress
    coverage: CoverageSummary


def resilience_summary(
    *, user: Any, region: Region | str | None = None, office: Office | str | None = None
) -> ResilienceSummary:
    today = timezone.localdate()
    offices = office_list(user=user, region=region, office=office).count()
    by_level = findings_by_level(user=user, region=region, office=office)
    overdue = RemediationAction.objects.filter(
        finding__assessment__in=_visible_assessments(user, region, office),
        status__in=RemediationAction.OPEN_STATUSES,
        due_on__lt=today,
    ).count()
    expiring = list(expiring_plans(user=user, today=today, region=region, office=office))
    return ResilienceSummary(
        offices=offices,
        compliance_by_kind=compliance_by_kind(user=user, region=region, office=office, offices_total=offices),
        open_findings_by_level=by_level,
        open_findings=sum(by_level.values()),
        overdue_actions=overdue,
        plans_expiring=len(expiring),
        plans_expiring_list=expiring,
        offices_missing_plans=len(missing_plans(user=user, region=region, office=office)),
        installations=installation_progress(user=user, region=region, office=office),
        coverage=coverage_summary(coverage_by_office(user=user, region=region, office=office)),
    )


@dataclass
class OfficeResilience:
    office: Office
    summary: ResilienceSummary
    latest_by_kind: list[tuple[str, Assessment | None]]
    score_history: list[Assessment]
    open_assessments: list[Assessment]
    plans: list[PlanningDocument]
    installations: list[Installation]
    coverage: OfficeCoverage | None
    matrix: list[list[MatrixCell]]


def office_resilience(*, user: Any, office: Office) -> OfficeResilience:
    """Everything about one office's resilience, as aggregates (no finding or observation text)."""
    history = score_history(user=user, office=office)
    latest: dict[str, Assessment] = {}
    for item in history:
        latest[item.template.kind] = item
    coverage = coverage_by_office(user=user, office=office)
    return OfficeResilience(
        office=office,
        summary=resilience_summary(user=user, office=office),
        latest_by_kind=[(str(label), latest.get(kind)) for kind, label in AssessmentKind.choices],
        score_history=history,
        open_assessments=list(
            assessment_list(user=user, office=office)
            .exclude(status__in=Assessment.LOCKED)
            .order_by("planned_start")
        ),
        plans=list(plan_list(user=user, office=office).order_by("kind", "-approved_on")),
        installations=list(installation_list(user=user, office=office)),
        coverage=coverage[0] if coverage else None,
        matrix=risk_matrix(user=user, office=office),
    )


def region_rows(*, user: Any, region: Region | str | None = None) -> list[dict[str, Any]]:
    """One row per office for the overview: latest compliance per type, open findings, plans, coverage."""
    offices = list(office_list(user=user, region=region))
    latest: dict[tuple[int, str], Assessment] = {}
    for item in (
        assessment_list(user=user, region=region)
        .filter(status__in=Assessment.LOCKED)
        .order_by("actual_end", "pk")
    ):
        latest[(item.office_id, item.template.kind)] = item
    findings = {row["office"].pk: row for row in findings_by_office(user=user, region=region)}
    expiring: dict[int, int] = defaultdict(int)
    for plan in expiring_plans(user=user, region=region):
        expiring[plan.office_id] += 1
    coverage = {row.office.pk: row for row in coverage_by_office(user=user, region=region)}
    remaining: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for installation in installation_list(user=user, region=region, status="open"):
        remaining[installation.office_id] += installation.remaining_workdays
    return [
        {
            "office": o,
            "compliance": [latest.get((o.pk, kind)) for kind, _label in AssessmentKind.choices],
            "findings": findings.get(o.pk),
            "plans_expiring": expiring[o.pk],
            "coverage": coverage.get(o.pk),
            "remaining_workdays": remaining[o.pk],
        }
        for o in offices
    ]


# Reminders and the home panel -----------------------------------------------------------------


def action_reminders(*, today: dt.date) -> list[Reminder]:
    """Open remediation actions overdue or due within a week, for their owners (else the security role)."""
    soon = today + dt.timedelta(days=7)
    actions = list(
        RemediationAction.objects.filter(status__in=RemediationAction.OPEN_STATUSES, due_on__lte=soon)
        .select_related("owner", "finding__assessment__office", "finding__assessment__template")
        .order_by("due_on", "pk")
    )
    if not actions:
        return []
    security_people = [
        assignment.user
        for assignment in RoleAssignment.objects.filter(
            role=Role.SECURITY, region__isnull=True, office__isnull=True
        ).select_related("user")
    ]
    items = []
    for action in actions:
        assessment = action.finding.assessment
        people = [action.owner] if action.owner is not None else security_people
        for person in people:
            # The action text is confidential: only people who may read it get it in their email.
            text = action.description[:80] if sees_confidential(person, action) else ""
            subject = f"{assessment.office.name}, {assessment.template.get_kind_display()}: {action}"
            if text:
                subject += f" ({text})"
            items.append(
                Reminder(
                    user=person,
                    kind="remediation action overdue" if action.due_on < today else "remediation action due",
                    subject=subject,
                    due=action.due_on,
                    url=reverse("resilience:finding-detail", args=[action.finding_id]),
                )
            )
    return items


def home_panel(*, user: Any) -> dict[str, Any] | None:
    if not restrict(Office.objects.all(), user, Action.VIEW).exists():
        return None
    summary = resilience_summary(user=user)
    return {"template": "resilience/home_panel.html", "summary": summary, "levels": RiskLevel.ORDER}
