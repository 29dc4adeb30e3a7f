"""API: activities (list, read, create, update, delete)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Schema
from ninja.pagination import paginate

from presence.core.api import LimitOffsetPagination, expected_version, record_routes, set_etag
from presence.core.filtering import ListFilter, filtered
from presence.core.selectors import get_or_404
from presence.core.years import Year
from presence.org.models import Country, Office, Region
from presence.results import selectors, services
from presence.results.api._common import _by_code, router
from presence.results.filters import ActivityFilter
from presence.results.models import (
    Activity,
    Output,
)


class ActivityOut(Schema):
    id: int
    year: int
    code: str
    title: str
    description: str
    level: str
    region: str | None
    responsible_office: str
    countries: list[str]
    outputs: list[str]
    planned_budget: Decimal
    status: str
    version: int

    @staticmethod
    def resolve_region(obj: Activity) -> str | None:
        return obj.region.code if obj.region else None

    @staticmethod
    def resolve_responsible_office(obj: Activity) -> str:
        return obj.responsible_office.code

    @staticmethod
    def resolve_countries(obj: Activity) -> list[str]:
        return [c.iso2 for c in obj.countries.all()]

    @staticmethod
    def resolve_outputs(obj: Activity) -> list[str]:
        return [o.code for o in obj.outputs.all()]


class ActivityIn(Schema):
    year: Year
    code: str
    title: str
    description: str = ""
    level: Activity.Level = Activity.Level.REGIONAL
    region: str | None = None
    responsible_office: str
    countries: list[str] = []
    outputs: list[int] = []
    planned_budget: Decimal = Decimal(0)
    status: Activity.Status = Activity.Status.PLANNED


class ActivityPatch(Schema):
    title: str | None = None
    description: str | None = None
    level: Activity.Level | None = None
    region: str | None = None
    responsible_office: str | None = None
    countries: list[str] | None = None
    outputs: list[int] | None = None
    planned_budget: Decimal | None = None
    status: Activity.Status | None = None


def _activity_references(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if "region" in data:
        data["region"] = _by_code(Region, "code", data["region"], "region", errors)
    if "responsible_office" in data:
        data["responsible_office"] = _by_code(
            Office, "code", data["responsible_office"], "responsible_office", errors
        )
    if data.get("countries") is not None:
        found = list(Country.objects.filter(iso2__in=data["countries"]))
        missing = sorted(set(data["countries"]) - {c.iso2 for c in found})
        if missing:
            errors["countries"] = f"Unknown country codes: {', '.join(missing)}."
        data["countries"] = found
    if data.get("outputs") is not None:
        outputs = list(Output.objects.filter(pk__in=data["outputs"]).select_related("outcome__framework"))
        missing_ids = sorted(set(data["outputs"]) - {o.pk for o in outputs})
        if missing_ids:
            errors["outputs"] = f"Unknown output ids: {', '.join(map(str, missing_ids))}."
        data["outputs"] = outputs
    if errors:
        raise ValidationError(errors)
    return data


@router.get("/activities/", response=list[ActivityOut])
@paginate(LimitOffsetPagination)
@filtered(ActivityFilter)
def list_activities(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.activity_list(user=request.user, filters=filters)


record_routes(
    router,
    "/activities",
    noun="activity",
    module=__name__,
    out=ActivityOut,
    get=selectors.activity_get,
    new=ActivityIn,
    create=services.activity_create,
    delete=services.activity_delete,
    resolve=_activity_references,
)


@router.patch("/activities/{pk}", response=ActivityOut)
def update_activity(request: HttpRequest, response: HttpResponse, pk: int, payload: ActivityPatch) -> Any:
    activity = get_or_404(selectors.activity_get, user=request.user, pk=pk)
    version = expected_version(request, activity)
    data = _activity_references(payload.dict(exclude_unset=True))
    activity = services.activity_update(
        actor=request.user, activity=activity, expected_version=version, **data
    )
    set_etag(response, activity)
    return activity
