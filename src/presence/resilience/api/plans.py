"""API: resilience plans, installations and their timeline, coverage and registrations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Schema
from ninja.pagination import paginate

from presence.core.api import LimitOffsetPagination, expected_version, set_etag
from presence.core.filtering import ListFilter, filtered
from presence.core.selectors import get_or_404
from presence.org.models import Office
from presence.org.personal import api_person
from presence.resilience import selectors, services
from presence.resilience.api._common import _office, router
from presence.resilience.filters import InstallationFilter, PlanFilter, RegistrationFilter
from presence.resilience.models import (
    CrisisCommsRegistration,
    Installation,
    PlanningDocument,
)


def _person(username: str | None) -> Any:
    if not username:
        return None
    person = get_user_model().objects.filter(username=username, is_active=True).first()
    if person is None:
        raise ValidationError({"owner": f"Unknown user {username!r}."})
    return person


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
        return api_person(context, obj, "owner")


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
@filtered(PlanFilter)
def list_plans(request: HttpRequest, filters: ListFilter) -> Any:
    """Planning documents (`expiring`: the current ones due for review, soonest first)."""
    return selectors.plan_list(user=request.user, filters=filters)


@router.get("/plans/{int:pk}", response=PlanOut)
def get_plan(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    plan = get_or_404(selectors.plan_get, user=request.user, pk=pk)
    set_etag(response, plan)
    return plan


@router.delete("/plans/{int:pk}", response={204: None})
def delete_plan(request: HttpRequest, pk: int) -> Any:
    plan = get_or_404(selectors.plan_get, user=request.user, pk=pk)
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
    return 201, get_or_404(selectors.plan_get, user=request.user, pk=plan.pk)


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
@filtered(InstallationFilter)
def list_installations(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.installation_list(user=request.user, filters=filters)


@router.get("/installations/{int:pk}", response=InstallationOut)
def get_installation(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    item = get_or_404(selectors.installation_get, user=request.user, pk=pk)
    set_etag(response, item)
    return item


@router.delete("/installations/{int:pk}", response={204: None})
def delete_installation(request: HttpRequest, pk: int) -> Any:
    item = get_or_404(selectors.installation_get, user=request.user, pk=pk)
    services.installation_delete(
        actor=request.user, installation=item, expected_version=expected_version(request, item)
    )
    return 204, None


@router.patch("/installations/{int:pk}", response=InstallationOut)
def update_installation(
    request: HttpRequest, response: HttpResponse, pk: int, payload: InstallationPatch
) -> Any:
    item = get_or_404(selectors.installation_get, user=request.user, pk=pk)
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
@filtered(RegistrationFilter)
def list_registrations(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.registration_list(user=request.user, filters=filters)


@router.get("/registrations/{int:pk}", response=RegistrationOut)
def get_registration(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    record = get_or_404(selectors.registration_get, user=request.user, pk=pk)
    set_etag(response, record)
    return record


@router.delete("/registrations/{int:pk}", response={204: None})
def delete_registration(request: HttpRequest, pk: int) -> Any:
    record = get_or_404(selectors.registration_get, user=request.user, pk=pk)
    services.registration_delete(
        actor=request.user, registration=record, expected_version=expected_version(request, record)
    )
    return 204, None
