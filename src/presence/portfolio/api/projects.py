"""API: projects and their country shares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Schema
from ninja.pagination import paginate

from presence.core.api import LimitOffsetPagination, record_routes
from presence.core.filtering import ListFilter, filtered
from presence.org.models import Country
from presence.org.personal import api_person
from presence.portfolio import selectors, services
from presence.portfolio.api._common import _project, _resolve, router
from presence.portfolio.filters import ProjectFilter
from presence.portfolio.models import (
    Project,
)

# Schemas --------------------------------------------------------------------------------------------


class ProjectOut(Schema):
    code: str
    title: str
    description: str
    status: str
    planned_start: dt.date
    planned_end: dt.date
    actual_start: dt.date | None
    actual_end: dt.date | None
    lead_office: str
    region: str
    kap_priority: str | None
    regional_initiative: int | None
    manager_name: str | None
    manager_location: str
    currency: str
    is_demo: bool
    version: int

    @staticmethod
    def resolve_lead_office(obj: Project) -> str:
        return obj.lead_office.code

    @staticmethod
    def resolve_region(obj: Project) -> str:
        return obj.region.code

    @staticmethod
    def resolve_kap_priority(obj: Project) -> str | None:
        return obj.kap_priority.code if obj.kap_priority else None

    @staticmethod
    def resolve_regional_initiative(obj: Project) -> int | None:
        return obj.regional_initiative_id

    @staticmethod
    def resolve_manager_name(obj: Project, context: dict[str, Any]) -> str | None:
        """The project manager's name; null for roles that may not see people's names."""
        return api_person(context, obj, "manager_name")


class ProjectIn(Schema):
    code: str
    title: str
    description: str = ""
    status: Project.Status = Project.Status.PIPELINE
    planned_start: dt.date
    planned_end: dt.date
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    lead_office: str
    region: str
    kap_priority: str | None = None
    regional_initiative: int | None = None
    manager_name: str = ""
    manager_location: Project.ManagerLocation = Project.ManagerLocation.HQ
    currency: str = "CHF"


class ProjectPatch(Schema):
    title: str | None = None
    description: str | None = None
    status: Project.Status | None = None
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    lead_office: str | None = None
    region: str | None = None
    kap_priority: str | None = None
    regional_initiative: int | None = None
    manager_name: str | None = None
    manager_location: Project.ManagerLocation | None = None
    currency: str | None = None


class CountryShareIO(Schema):
    country: str
    percentage: Decimal | None = None


# Projects ---------------------------------------------------------------------------------------------


@router.get("/projects/", response=list[ProjectOut])
@paginate(LimitOffsetPagination)
@filtered(ProjectFilter)
def list_projects(request: HttpRequest, filters: ListFilter) -> Any:
    """Filtered as the list page: q, region, office, status, source, partner, year, initiative, priority."""
    return selectors.project_list(user=request.user, filters=filters)


record_routes(
    router,
    "/projects",
    noun="project",
    module=__name__,
    out=ProjectOut,
    key="code",
    fetch=_project,
    new=ProjectIn,
    create=services.project_create,
    patch=ProjectPatch,
    update=services.project_update,
    delete=services.project_delete,
    resolve=_resolve,
)


@router.get("/projects/{code}/countries", response=list[CountryShareIO])
def get_countries(request: HttpRequest, code: str) -> Any:
    project = _project(request, code)
    return [
        {"country": share.country.iso2, "percentage": share.percentage}
        for share in project.countries.select_related("country")
    ]


@router.put("/projects/{code}/countries", response=list[CountryShareIO])
def set_countries(request: HttpRequest, code: str, payload: list[CountryShareIO]) -> Any:
    project = _project(request, code)
    found = {c.iso2: c for c in Country.objects.filter(iso2__in=[item.country for item in payload])}
    missing = sorted({item.country for item in payload} - set(found))
    if missing:
        raise ValidationError({"country": f"Unknown country codes: {', '.join(missing)}."})
    services.project_countries_set(
        actor=request.user,
        project=project,
        countries=[(found[item.country], item.percentage) for item in payload],
    )
    return get_countries(request, code)
