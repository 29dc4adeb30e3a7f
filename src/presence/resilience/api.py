"""API for the resilience register, under the same rules as the pages.

Aggregates (summary, office resilience, risk matrix, findings counted per office, assessments with
their scores, plans, installations, coverage) are open to every reader. Results, observations,
evidence, findings and remediation actions are only served to the security role and HQ admins.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from presence.core.api import expected_version, set_etag
from presence.org.access import sees_personal_data
from presence.org.models import Office
from presence.resilience import selectors, services
from presence.resilience.models import (
    Assessment,
    AssessmentTemplate,
    CrisisCommsRegistration,
    Finding,
    Installation,
    PlanningDocument,
    RemediationAction,
)
from presence.resilience.rules import RiskLevel

router = Router(tags=["resilience"])


def _office(request: HttpRequest, code: str) -> Office:
    return selectors.office_list(user=request.user).get(code=code)


def _person(username: str | None) -> Any:
    if not username:
        return None
    person = get_user_model().objects.filter(username=username, is_active=True).first()
    if person is None:
        raise ValidationError({"owner": f"Unknown user {username!r}."})
    return person


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
            "offices_below": [row.office.code for row in summary.coverage.offices_below],
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


# Templates and assessments --------------------------------------------------------------------


class RequirementOut(Schema):
    id: int
    code: str
    text: str
    category: str
    weight: Decimal


class TemplateOut(Schema):
    id: int
    kind: str
    name: str
    edition: int
    is_current: bool
    requirements: list[RequirementOut]


@router.get("/templates/", response=list[TemplateOut])
def list_templates(request: HttpRequest) -> Any:
    return selectors.template_list(user=request.user).prefetch_related("requirements")


class AssessmentOut(Schema):
    id: int
    office: str
    kind: str
    template: int
    template_version: int
    status: str
    planned_start: dt.date
    planned_end: dt.date
    actual_start: dt.date | None
    actual_end: dt.date | None
    requirement_count: int
    compliant_count: int
    partial_count: int
    non_compliant_count: int
    not_applicable_count: int
    score_points: Decimal
    score_possible: Decimal
    compliance: Decimal | None
    open_finding_count: int
    version: int

    @staticmethod
    def resolve_office(obj: Assessment) -> str:
        return obj.office.code

    @staticmethod
    def resolve_kind(obj: Assessment) -> str:
        return obj.template.kind

    @staticmethod
    def resolve_template(obj: Assessment) -> int:
        return obj.template_id

    @staticmethod
    def resolve_template_version(obj: Assessment) -> int:
        return obj.template.edition


class AssessmentIn(Schema):
    office: str
    template: int
    planned_start: dt.date
    planned_end: dt.date
    assessors: str = ""


class AssessmentPatch(Schema):
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    assessors: str | None = None


class TransitionIn(Schema):
    to: Assessment.Status
    on: dt.date | None = None


@router.get("/assessments/", response=list[AssessmentOut])
@paginate(LimitOffsetPagination)
def list_assessments(
    request: HttpRequest, region: str = "", office: str = "", kind: str = "", status: str = ""
) -> Any:
    return selectors.assessment_list(
        user=request.user, region=region, office=office, kind=kind, status=status
    )


@router.get("/assessments/{pk}", response=AssessmentOut)
def get_assessment(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    set_etag(response, assessment)
    return assessment


@router.post("/assessments/", response={201: AssessmentOut})
def create_assessment(request: HttpRequest, response: HttpResponse, payload: AssessmentIn) -> Any:
    data = payload.dict()
    try:
        data["office"] = _office(request, data["office"])
    except Office.DoesNotExist:
        raise ValidationError({"office": f"Unknown office code {payload.office!r}."}) from None
    template = AssessmentTemplate.objects.filter(pk=data["template"]).first()
    if template is None:
        raise ValidationError({"template": f"Unknown template {payload.template}."})
    data["template"] = template
    assessment = services.assessment_create(actor=request.user, **data)
    assessment = selectors.assessment_get(user=request.user, pk=assessment.pk)
    set_etag(response, assessment)
    return 201, assessment


@router.patch("/assessments/{pk}", response=AssessmentOut)
def update_assessment(request: HttpRequest, response: HttpResponse, pk: int, payload: AssessmentPatch) -> Any:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    services.assessment_update(
        actor=request.user,
        assessment=assessment,
        expected_version=expected_version(request, assessment),
        **payload.dict(exclude_unset=True),
    )
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    set_etag(response, assessment)
    return assessment


@router.post("/assessments/{pk}/transition", response=AssessmentOut)
def transition_assessment(
    request: HttpRequest, response: HttpResponse, pk: int, payload: TransitionIn
) -> Any:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    services.assessment_transition(
        actor=request.user,
        assessment=assessment,
        to=payload.to,
        expected_version=expected_version(request, assessment),
        on=payload.on,
    )
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    set_etag(response, assessment)
    return assessment


# Confidential details -------------------------------------------------------------------------


class ResultOut(Schema):
    requirement: str
    weight: Decimal
    result: str | None
    observation: str
    evidence: list[str]
    version: int | None


@router.get("/assessments/{pk}/results", response=list[ResultOut])
def assessment_results(request: HttpRequest, pk: int) -> Any:
    """Requirement-by-requirement results with observations: security role and HQ admins only."""
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    rows = selectors.assessment_results(user=request.user, assessment=assessment)
    if rows is None:
        raise Assessment.DoesNotExist("No such record, or you may not see it.")
    return [
        {
            "requirement": row.requirement.code,
            "weight": row.requirement.weight,
            "result": row.result.result if row.result else None,
            "observation": row.result.observation if row.result else "",
            "evidence": [e.original_name for e in row.evidence],
            "version": row.result.version if row.result else None,
        }
        for row in rows
    ]


class ResultIn(Schema):
    requirement: str
    result: str
    observation: str = ""


@router.put("/assessments/{pk}/results", response=ResultOut)
def record_result(request: HttpRequest, pk: int, payload: ResultIn) -> Any:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    requirement = assessment.template.requirements.filter(code=payload.requirement).first()
    if requirement is None:
        raise ValidationError(
            {"requirement": f"{payload.requirement!r} is not a requirement of this template."}
        )
    existing = assessment.results.filter(requirement=requirement).first()
    version = expected_version(request, existing) if existing else None
    record = services.result_record(
        actor=request.user,
        assessment=assessment,
        requirement=requirement,
        result=payload.result,
        observation=payload.observation,
        expected_version=version,
    )
    return {
        "requirement": requirement.code,
        "weight": requirement.weight,
        "result": record.result,
        "observation": record.observation,
        "evidence": [e.original_name for e in record.evidence.all()],
        "version": record.version,
    }


class FindingOut(Schema):
    id: int
    office: str
    assessment: int
    requirement: str
    title: str
    details: str
    likelihood: int
    impact: int
    risk_level: str
    treatment: str
    owner: str | None
    due_on: dt.date | None
    status: str
    closed_on: dt.date | None
    version: int

    @staticmethod
    def resolve_office(obj: Finding) -> str:
        return obj.assessment.office.code

    @staticmethod
    def resolve_assessment(obj: Finding) -> int:
        return obj.assessment_id

    @staticmethod
    def resolve_requirement(obj: Finding) -> str:
        return obj.requirement.code

    @staticmethod
    def resolve_owner(obj: Finding) -> str | None:
        return obj.owner.get_username() if obj.owner else None


class FindingIn(Schema):
    requirement: str
    title: str
    details: str = ""
    likelihood: int
    impact: int
    treatment: Finding.Treatment = Finding.Treatment.CONTROL
    due_on: dt.date | None = None


class FindingPatch(Schema):
    treatment: Finding.Treatment | None = None
    due_on: dt.date | None = None
    status: Finding.Status | None = None
    closed_on: dt.date | None = None
    title: str | None = None
    details: str | None = None
    likelihood: int | None = None
    impact: int | None = None


@router.get("/findings/", response=list[FindingOut])
@paginate(LimitOffsetPagination)
def list_findings(
    request: HttpRequest, region: str = "", office: str = "", level: str = "", status: str = ""
) -> Any:
    """Findings with their details: an empty list for roles other than security and HQ admins."""
    return selectors.finding_list(user=request.user, region=region, office=office, level=level, status=status)


@router.get("/findings/{pk}", response=FindingOut)
def get_finding(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    finding = selectors.finding_get(user=request.user, pk=pk)
    set_etag(response, finding)
    return finding


@router.post("/assessments/{pk}/findings", response={201: FindingOut})
def create_finding(request: HttpRequest, response: HttpResponse, pk: int, payload: FindingIn) -> Any:
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    data = payload.dict()
    requirement = assessment.template.requirements.filter(code=data.pop("requirement")).first()
    if requirement is None:
        raise ValidationError(
            {"requirement": f"{payload.requirement!r} is not a requirement of this template."}
        )
    finding = services.finding_create(
        actor=request.user, assessment=assessment, requirement=requirement, **data
    )
    set_etag(response, finding)
    return 201, selectors.finding_get(user=request.user, pk=finding.pk)


@router.patch("/findings/{pk}", response=FindingOut)
def update_finding(request: HttpRequest, response: HttpResponse, pk: int, payload: FindingPatch) -> Any:
    finding = selectors.finding_get(user=request.user, pk=pk)
    services.finding_update(
        actor=request.user,
        finding=finding,
        expected_version=expected_version(request, finding),
        **payload.dict(exclude_unset=True),
    )
    finding = selectors.finding_get(user=request.user, pk=pk)
    set_etag(response, finding)
    return finding


class ActionOut(Schema):
    id: int
    finding: int
    office: str
    description: str
    owner: str | None
    due_on: dt.date
    status: str
    completed_on: dt.date | None
    version: int

    @staticmethod
    def resolve_office(obj: RemediationAction) -> str:
        return obj.finding.assessment.office.code

    @staticmethod
    def resolve_finding(obj: RemediationAction) -> int:
        return obj.finding_id

    @staticmethod
    def resolve_owner(obj: RemediationAction) -> str | None:
        return obj.owner.get_username() if obj.owner else None


class ActionIn(Schema):
    description: str
    due_on: dt.date


@router.get("/actions/", response=list[ActionOut])
@paginate(LimitOffsetPagination)
def list_actions(
    request: HttpRequest, region: str = "", office: str = "", status: str = "", overdue: bool = False
) -> Any:
    if overdue:
        return selectors.overdue_actions(user=request.user, region=region, office=office)
    return selectors.action_list(user=request.user, region=region, office=office, status=status)


@router.post("/findings/{pk}/actions", response={201: ActionOut})
def create_action(request: HttpRequest, pk: int, payload: ActionIn) -> Any:
    finding = selectors.finding_get(user=request.user, pk=pk)
    return 201, services.action_create(actor=request.user, finding=finding, **payload.dict())


# Plans, installations, coverage ---------------------------------------------------------------


class PlanOut(Schema):
    id: int
    office: str
    kind: str
    edition: str
    approved_on: dt.date
    next_review_on: dt.date
    owner: str | None
    superseded: bool
    version: int

    @staticmethod
    def resolve_office(obj: PlanningDocument) -> str:
        return obj.office.code

    @staticmethod
    def resolve_owner(obj: PlanningDocument, context: dict[str, Any]) -> str | None:
        """The owner's username; null for roles that may not see people's names."""
        if obj.owner is None or not sees_personal_data(context["request"].user):
            return None
        return str(obj.owner.get_username())


class PlanIn(Schema):
    office: str
    kind: PlanningDocument.Kind
    edition: str
    approved_on: dt.date
    next_review_on: dt.date
    owner: str | None = None
    notes: str = ""


@router.get("/plans/", response=list[PlanOut])
@paginate(LimitOffsetPagination)
def list_plans(request: HttpRequest, region: str = "", office: str = "", expiring: bool = False) -> Any:
    if expiring:
        return selectors.expiring_plans(user=request.user, region=region, office=office)
    return selectors.plan_list(user=request.user, region=region, office=office)


@router.get("/plans/{int:pk}", response=PlanOut)
def get_plan(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    plan = selectors.plan_get(user=request.user, pk=pk)
    set_etag(response, plan)
    return plan


@router.delete("/plans/{int:pk}", response={204: None})
def delete_plan(request: HttpRequest, pk: int) -> Any:
    plan = selectors.plan_get(user=request.user, pk=pk)
    services.plan_delete(actor=request.user, plan=plan, expected_version=expected_version(request, plan))
    return 204, None


@router.post("/plans/", response={201: PlanOut})
def create_plan(request: HttpRequest, payload: PlanIn) -> Any:
    data = payload.dict()
    try:
        data["office"] = _office(request, data["office"])
    except Office.DoesNotExist:
        raise ValidationError({"office": f"Unknown office code {payload.office!r}."}) from None
    data["owner"] = _person(data.get("owner"))
    plan = services.plan_create(actor=request.user, **data)
    return 201, selectors.plan_get(user=request.user, pk=plan.pk)


class InstallationOut(Schema):
    id: int
    office: str
    title: str
    status: str
    planned_start: dt.date
    planned_end: dt.date
    actual_start: dt.date | None
    actual_end: dt.date | None
    estimated_workdays: Decimal
    actual_workdays: Decimal | None
    remaining_workdays: Decimal
    version: int

    @staticmethod
    def resolve_office(obj: Installation) -> str:
        return obj.office.code


class InstallationPatch(Schema):
    status: Installation.Status | None = None
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    estimated_workdays: Decimal | None = None
    actual_workdays: Decimal | None = None
    notes: str | None = None


@router.get("/installations/", response=list[InstallationOut])
@paginate(LimitOffsetPagination)
def list_installations(request: HttpRequest, region: str = "", office: str = "", status: str = "") -> Any:
    return selectors.installation_list(user=request.user, region=region, office=office, status=status)


@router.get("/installations/{int:pk}", response=InstallationOut)
def get_installation(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    item = selectors.installation_get(user=request.user, pk=pk)
    set_etag(response, item)
    return item


@router.delete("/installations/{int:pk}", response={204: None})
def delete_installation(request: HttpRequest, pk: int) -> Any:
    item = selectors.installation_get(user=request.user, pk=pk)
    services.installation_delete(
        actor=request.user, installation=item, expected_version=expected_version(request, item)
    )
    return 204, None


@router.patch("/installations/{int:pk}", response=InstallationOut)
def update_installation(
    request: HttpRequest, response: HttpResponse, pk: int, payload: InstallationPatch
) -> Any:
    item = selectors.installation_get(user=request.user, pk=pk)
    item = services.installation_update(
        actor=request.user,
        installation=item,
        expected_version=expected_version(request, item),
        **payload.dict(exclude_unset=True),
    )
    set_etag(response, item)
    return item


class TimelineOut(Schema):
    months: list[dt.date]
    offices: list[str]
    cells: list[list[Decimal]]
    workload: list[Decimal]
    capacity: Decimal
    over_capacity: list[bool]
    remaining_workdays: Decimal


@router.get("/installations/timeline", response=TimelineOut)
def installation_timeline(
    request: HttpRequest, region: str = "", office: str = "", capacity: Decimal | None = None
) -> Any:
    data = selectors.installation_timeline(user=request.user, region=region, office=office, capacity=capacity)
    return {
        "months": data.months,
        "offices": [row.office.code for row in data.rows],
        "cells": [[c.quantize(Decimal("0.1")) for c in row.cells] for row in data.rows],
        "workload": [w.quantize(Decimal("0.1")) for w in data.workload],
        "capacity": data.capacity,
        "over_capacity": data.over_capacity,
        "remaining_workdays": data.remaining_workdays,
    }


class CoverageRowOut(Schema):
    office: str
    counted_on: dt.date | None
    registered: int | None
    staff: int | None
    staff_source: str
    percent: Decimal | None
    below_threshold: bool


@router.get("/coverage", response=list[CoverageRowOut])
def coverage(request: HttpRequest, region: str = "", office: str = "") -> Any:
    return [
        {**vars(row), "office": row.office.code}
        for row in selectors.coverage_by_office(user=request.user, region=region, office=office)
    ]


class RegistrationIn(Schema):
    office: str
    counted_on: dt.date
    registered: int
    staff_in_office: int | None = None


class RegistrationOut(Schema):
    id: int
    office: str
    counted_on: dt.date
    registered: int
    staff_in_office: int | None
    source: str
    version: int

    @staticmethod
    def resolve_office(obj: CrisisCommsRegistration) -> str:
        return obj.office.code


@router.post("/registrations/", response={201: RegistrationOut})
def create_registration(request: HttpRequest, payload: RegistrationIn) -> Any:
    data = payload.dict()
    try:
        data["office"] = _office(request, data["office"])
    except Office.DoesNotExist:
        raise ValidationError({"office": f"Unknown office code {payload.office!r}."}) from None
    return 201, services.registration_create(actor=request.user, **data)


@router.get("/registrations/", response=list[RegistrationOut])
@paginate(LimitOffsetPagination)
def list_registrations(request: HttpRequest, region: str = "", office: str = "") -> Any:
    return selectors.registration_list(user=request.user, region=region, office=office)


@router.get("/registrations/{int:pk}", response=RegistrationOut)
def get_registration(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    record = selectors.registration_get(user=request.user, pk=pk)
    set_etag(response, record)
    return record


@router.delete("/registrations/{int:pk}", response={204: None})
def delete_registration(request: HttpRequest, pk: int) -> Any:
    record = selectors.registration_get(user=request.user, pk=pk)
    services.registration_delete(
        actor=request.user, registration=record, expected_version=expected_version(request, record)
    )
    return 204, None
