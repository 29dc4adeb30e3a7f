"""Aggregates for the overview, the office page, the dashboard and the home panel."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, QuerySet, Sum
from django.utils import timezone

from presence.core.derived import count_over
from presence.org.access import Action, restrict
from presence.org.models import Office, Region
from presence.resilience.models import (
    Assessment,
    AssessmentKind,
    Installation,
    PlanningDocument,
    RemediationAction,
)
from presence.resilience.rules import RiskLevel, compliance
from presence.resilience.selectors._common import (
    ZERO,
    of_visible_assessments,
    office_list,
    visible_assessments,
)
from presence.resilience.selectors.assessments import (
    assessment_list,
    latest_assessments,
    latest_scores,
    score_history,
)
from presence.resilience.selectors.coverage import (
    CoverageSummary,
    OfficeCoverage,
    coverage_by_office,
    coverage_totals,
)
from presence.resilience.selectors.findings import (
    MatrixCell,
    findings_by_level,
    findings_by_office,
    risk_matrix,
)
from presence.resilience.selectors.installations import (
    InstallationProgress,
    installation_list,
    installation_progress,
    remaining_workdays,
)
from presence.resilience.selectors.plans import expiring_plans, offices_missing_plans, plan_list

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
    # (type, compliance, how many) of the offices' latest assessments of each type: one row per distinct
    # (type, points, possible points), counted in the database, however many offices there are.
    latest = [
        (kind, compliance(Decimal(points), Decimal(possible)), n)
        for (kind, points, possible), n in count_over(latest_scores(user=user, region=region, office=office))
    ]
    open_counts: dict[tuple[str, str], int] = {
        (entry["template__kind"], entry["status"]): entry["n"]
        for entry in visible_assessments(user, region, office)
        .exclude(status__in=Assessment.LOCKED)
        .order_by()
        .values("template__kind", "status")
        .annotate(n=Count("pk"))
    }
    rows = []
    for kind, label in AssessmentKind.choices:
        scored = [(score, n) for k, score, n in latest if k == kind and score is not None]
        assessed = sum(n for _score, n in scored)
        average = (
            (sum((score * n for score, n in scored), ZERO) / assessed).quantize(Decimal("0.1"))
            if assessed
            else None
        )
        rows.append(
            KindCompliance(
                kind=kind,
                label=str(label),
                offices_assessed=sum(n for k, _score, n in latest if k == kind),
                offices_total=offices_total,
                average_compliance=average,
                in_progress=open_counts.get((kind, Assessment.Status.IN_PROGRESS), 0),
                planned=open_counts.get((kind, Assessment.Status.PLANNED), 0),
            )
        )
    return rows


@dataclass
class ResilienceFigures:
    """What the dashboard shows of resilience: aggregates only, safe for every role."""

    offices: int
    compliance_by_kind: list[KindCompliance]
    open_findings_by_level: dict[str, int]
    coverage: CoverageSummary


def resilience_figures(
    *, user: Any, region: Region | str | None = None, office: Office | str | None = None
) -> ResilienceFigures:
    """The open offices, compliance by assessment type, open findings by risk level and crisis-comms
    coverage: the dashboard's resilience section (`resilience_summary` adds what the resilience pages
    list)."""
    offices = office_list(user=user, region=region, office=office).count()
    return ResilienceFigures(
        offices=offices,
        compliance_by_kind=compliance_by_kind(user=user, region=region, office=office, offices_total=offices),
        open_findings_by_level=findings_by_level(user=user, region=region, office=office),
        coverage=coverage_totals(user=user, region=region, office=office),
    )


@dataclass
class ResilienceSummary:
    """Aggregates only: safe for every role, including member-state viewers."""

    offices: int
    compliance_by_kind: list[KindCompliance]
    open_findings_by_level: dict[str, int]
    open_findings: int
    overdue_actions: int
    plans_expiring: int
    plans_expiring_list: QuerySet[PlanningDocument]  # read only by the pages that list them
    offices_missing_plans: int
    installations: InstallationProgress
    coverage: CoverageSummary


def resilience_summary(
    *, user: Any, region: Region | str | None = None, office: Office | str | None = None
) -> ResilienceSummary:
    today = timezone.localdate()
    figures = resilience_figures(user=user, region=region, office=office)
    overdue = of_visible_assessments(
        RemediationAction.objects.filter(status__in=RemediationAction.OPEN_STATUSES, due_on__lt=today),
        user,
        region,
        office,
        path="finding__assessment",
    ).count()
    expiring = expiring_plans(user=user, today=today, region=region, office=office)
    return ResilienceSummary(
        offices=figures.offices,
        compliance_by_kind=figures.compliance_by_kind,
        open_findings_by_level=figures.open_findings_by_level,
        open_findings=sum(figures.open_findings_by_level.values()),
        overdue_actions=overdue,
        plans_expiring=expiring.count(),
        plans_expiring_list=expiring,
        offices_missing_plans=offices_missing_plans(user=user, region=region, office=office),
        installations=installation_progress(user=user, region=region, office=office),
        coverage=figures.coverage,
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


def region_rows(
    *,
    user: Any,
    region: Region | str | None = None,
    office: Office | str | None = None,
    offices: Sequence[int] | None = None,
) -> list[dict[str, Any]]:
    """One row per office (of the ids `offices` if given, as one page of the overview lists them):
    latest compliance per type, open findings, plans, coverage."""
    shown = office_list(user=user, region=region, office=office)
    if offices is not None:
        shown = shown.filter(pk__in=offices)
    listed = list(shown)
    ids = [o.pk for o in listed]
    place: dict[str, Any] = {"region": region, "office": office}
    latest: dict[tuple[int, str], Assessment] = {
        (item.office_id, item.template.kind): item
        for item in latest_assessments(user=user, **place, offices=ids)
    }
    findings = {row["office"].pk: row for row in findings_by_office(user=user, **place, offices=ids)}
    # Counted and summed per office in the database: one row per office, whatever the records.
    expiring: dict[int, int] = defaultdict(int)
    expiring.update(
        expiring_plans(user=user, **place)
        .filter(office_id__in=ids)
        .order_by()
        .values("office_id")
        .annotate(n=Count("pk"))
        .values_list("office_id", "n")
    )
    coverage = {row.office.pk: row for row in coverage_by_office(user=user, **place, offices=ids)}
    remaining: dict[int, Decimal] = defaultdict(lambda: ZERO)
    tenth = Decimal("0.1")
    remaining.update(
        (office_id, Decimal(total).quantize(tenth) if total else ZERO)
        for office_id, total in installation_list(user=user, **place, status="open")
        .filter(office_id__in=ids)
        .order_by()
        .values("office_id")
        .annotate(total=Sum(remaining_workdays(), output_field=DecimalField(max_digits=12, decimal_places=1)))
        .values_list("office_id", "total")
    )
    return [
        {
            "office": o,
            "compliance": [latest.get((o.pk, kind)) for kind, _label in AssessmentKind.choices],
            "findings": findings.get(o.pk),
            "plans_expiring": expiring[o.pk],
            "coverage": coverage.get(o.pk),
            "remaining_workdays": remaining[o.pk],
        }
        for o in listed
    ]


def region_rows_in_chunks(
    *, user: Any, region: Region | str | None = None, office: Office | str | None = None, size: int = 500
) -> Iterator[dict[str, Any]]:
    """`region_rows` of every office, `size` offices at a time (a download of every office)."""
    ids = list(office_list(user=user, region=region, office=office).values_list("pk", flat=True))
    for start in range(0, len(ids), size):
        yield from region_rows(user=user, region=region, office=office, offices=ids[start : start + size])


def home_panel(*, user: Any) -> dict[str, Any] | None:
    if not restrict(Office.objects.all(), user, Action.VIEW).exists():
        return None
    summary = resilience_summary(user=user)
    return {"template": "resilience/home_panel.html", "summary": summary, "levels": RiskLevel.ORDER}
