"""API: aggregates open to every reader: summary, office resilience, risk matrix, finding counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Schema

from presence.resilience import selectors
from presence.resilience.api._common import _office, router
from presence.resilience.rules import RiskLevel

# Aggregates -----------------------------------------------------------------------------------


class KindComplianceOut(Schema):
    kind: str
    label: str
    offices_assessed: int
    offices_total: int
    average_compliance: Decimal | None
    in_progress: int
    planned: int


class InstallationProgressOut(Schema):
    total: int
    planned: int
    in_progress: int
    completed: int
    cancelled: int
    estimated_workdays: Decimal
    actual_workdays: Decimal
    remaining_workdays: Decimal
    percent_completed: Decimal | None


class CoverageOut(Schema):
    registered: int
    staff: int
    percent: Decimal | None
    threshold: Decimal
    offices_below: list[str]


class SummaryOut(Schema):
    offices: int
    compliance_by_kind: list[KindComplianceOut]
    open_findings_by_level: dict[str, int]
    open_findings: int
    overdue_actions: int
    plans_expiring: int
    offices_missing_plans: int
    installations: InstallationProgressOut
    coverage: CoverageOut


def _summary(summary: selectors.ResilienceSummary) -> dict[str, Any]:
    return {
        "offices": summary.offices,
        "compliance_by_kind": [vars(row) for row in summary.compliance_by_kind],
        "open_findings_by_level": summary.open_findings_by_level,
        "open_findings": summary.open_findings,
        "overdue_actions": summary.overdue_actions,
        "plans_expiring": summary.plans_expiring,
        "offices_missing_plans": summary.offices_missing_plans,
        "installations": {
            **vars(summary.installations),
            "percent_completed": summary.installations.percent_completed,
        },
        "coverage": {
            "registered": summary.coverage.registered,
            "staff": summary.coverage.staff,
            "percent": summary.coverage.percent,
            "threshold": summary.coverage.threshold,
            "offices_below": summary.coverage.offices_below,
        },
    }


@router.get("/summary", response=SummaryOut)
def summary(request: HttpRequest, region: str = "", office: str = "") -> Any:
    """Aggregates only: compliance by type, open findings by level, plans, installations, coverage."""
    return _summary(selectors.resilience_summary(user=request.user, region=region, office=office))


class ScorePoint(Schema):
    assessment: int
    kind: str
    template_version: int
    completed_on: dt.date | None
    compliance: Decimal | None


class OfficeResilienceOut(Schema):
    office: str
    summary: SummaryOut
    score_history: list[ScorePoint]
    risk_matrix: list[list[int]]


@router.get("/offices/{code}", response=OfficeResilienceOut)
def office_resilience(request: HttpRequest, code: str) -> Any:
    data = selectors.office_resilience(user=request.user, office=_office(request, code))
    return {
        "office": code,
        "summary": _summary(data.summary),
        "score_history": [
            {
                "assessment": a.pk,
                "kind": a.template.kind,
                "template_version": a.template.edition,
                "completed_on": a.actual_end,
                "compliance": a.compliance,
            }
            for a in data.score_history
        ],
        "risk_matrix": [[cell.count for cell in row] for row in data.matrix],
    }


class MatrixOut(Schema):
    likelihood_rows: list[int]
    impact_columns: list[int]
    counts: list[list[int]]
    by_level: dict[str, int]
    levels: list[str]


@router.get("/risk-matrix", response=MatrixOut)
def risk_matrix(request: HttpRequest, region: str = "", office: str = "") -> Any:
    """Open findings counted per likelihood (rows, 5 down to 1) and impact (columns, 1 to 5)."""
    matrix = selectors.risk_matrix(user=request.user, region=region, office=office)
    return {
        "likelihood_rows": [row[0].likelihood for row in matrix],
        "impact_columns": [1, 2, 3, 4, 5],
        "counts": [[cell.count for cell in row] for row in matrix],
        "by_level": selectors.findings_by_level(user=request.user, region=region, office=office),
        "levels": list(RiskLevel.ORDER),
    }


class OfficeFindingCountOut(Schema):
    office: str
    low: int
    medium: int
    high: int
    critical: int
    open: int
    closed: int
    open_actions: int
    overdue_actions: int


@router.get("/finding-counts", response=list[OfficeFindingCountOut])
def finding_counts(request: HttpRequest, region: str = "", office: str = "") -> Any:
    rows = selectors.findings_by_office(user=request.user, region=region, office=office)
    return [{**{k: v for k, v in row.items() if k != "office"}, "office": row["office"].code} for row in rows]
