"""API: assessment templates and assessments with their scores and workflow."""

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
from presence.org.models import Office
from presence.resilience import selectors, services
from presence.resilience.api._common import _office, router
from presence.resilience.filters import AssessmentFilter
from presence.resilience.models import (
    Assessment,
    AssessmentTemplate,
)

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
@filtered(AssessmentFilter)
def list_assessments(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.assessment_list(user=request.user, filters=filters)


@router.get("/assessments/{pk}", response=AssessmentOut)
def get_assessment(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    assessment = get_or_404(selectors.assessment_get, user=request.user, pk=pk)
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
    assessment = get_or_404(selectors.assessment_get, user=request.user, pk=assessment.pk)
    set_etag(response, assessment)
    return 201, assessment


@router.patch("/assessments/{pk}", response=AssessmentOut)
def update_assessment(request: HttpRequest, response: HttpResponse, pk: int, payload: AssessmentPatch) -> Any:
    assessment = get_or_404(selectors.assessment_get, user=request.user, pk=pk)
    services.assessment_update(
        actor=request.user,
        assessment=assessment,
        expected_version=expected_version(request, assessment),
        **payload.dict(exclude_unset=True),
    )
    assessment = get_or_404(selectors.assessment_get, user=request.user, pk=pk)
    set_etag(response, assessment)
    return assessment


@router.post("/assessments/{pk}/transition", response=AssessmentOut)
def transition_assessment(
    request: HttpRequest, response: HttpResponse, pk: int, payload: TransitionIn
) -> Any:
    assessment = get_or_404(selectors.assessment_get, user=request.user, pk=pk)
    services.assessment_transition(
        actor=request.user,
        assessment=assessment,
        to=payload.to,
        expected_version=expected_version(request, assessment),
        on=payload.on,
    )
    assessment = get_or_404(selectors.assessment_get, user=request.user, pk=pk)
    set_etag(response, assessment)
    return assessment
