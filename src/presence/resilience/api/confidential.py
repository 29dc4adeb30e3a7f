"""API: confidential details (results, findings, remediation actions), security role and HQ admins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Schema
from ninja.pagination import paginate

from presence.core.api import LimitOffsetPagination, expected_version, set_etag
from presence.core.filtering import ListFilter, filtered
from presence.core.selectors import get_or_404
from presence.resilience import selectors, services
from presence.resilience.api._common import router
from presence.resilience.filters import ActionFilter, FindingFilter
from presence.resilience.models import (
    Assessment,
    Finding,
    RemediationAction,
)

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
    assessment = get_or_404(selectors.assessment_get, user=request.user, pk=pk)
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
    assessment = get_or_404(selectors.assessment_get, user=request.user, pk=pk)
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
@filtered(FindingFilter)
def list_findings(request: HttpRequest, filters: ListFilter) -> Any:
    """Findings with their details: an empty list for roles other than security and HQ admins."""
    return selectors.finding_list(user=request.user, filters=filters)


@router.get("/findings/{pk}", response=FindingOut)
def get_finding(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    finding = get_or_404(selectors.finding_get, user=request.user, pk=pk)
    set_etag(response, finding)
    return finding


@router.post("/assessments/{pk}/findings", response={201: FindingOut})
def create_finding(request: HttpRequest, response: HttpResponse, pk: int, payload: FindingIn) -> Any:
    assessment = get_or_404(selectors.assessment_get, user=request.user, pk=pk)
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
    return 201, get_or_404(selectors.finding_get, user=request.user, pk=finding.pk)


@router.patch("/findings/{pk}", response=FindingOut)
def update_finding(request: HttpRequest, response: HttpResponse, pk: int, payload: FindingPatch) -> Any:
    finding = get_or_404(selectors.finding_get, user=request.user, pk=pk)
    services.finding_update(
        actor=request.user,
        finding=finding,
        expected_version=expected_version(request, finding),
        **payload.dict(exclude_unset=True),
    )
    finding = get_or_404(selectors.finding_get, user=request.user, pk=pk)
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
@filtered(ActionFilter)
def list_actions(request: HttpRequest, filters: ListFilter) -> Any:
    """Remediation actions (`overdue`: open after their due date): for security and HQ admins."""
    return selectors.action_list(user=request.user, filters=filters)


@router.post("/findings/{pk}/actions", response={201: ActionOut})
def create_action(request: HttpRequest, pk: int, payload: ActionIn) -> Any:
    finding = get_or_404(selectors.finding_get, user=request.user, pk=pk)
    return 201, services.action_create(actor=request.user, finding=finding, **payload.dict())
