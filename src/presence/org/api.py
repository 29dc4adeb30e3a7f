"""API for regions, countries and offices: read for every role, write for administrators.

This is the pattern other apps follow: filters shared with the list page, access through
`restrict`/`check` in selectors and services, ETag on reads and If-Match on writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from presence.core.api import LimitOffsetPagination, record_routes
from presence.core.filtering import ListFilter, filtered
from presence.org import selectors, services
from presence.org.filters import CountryFilter, OfficeFilter
from presence.org.models import Country, Office, Priority, Region

router = Router(tags=["organization"])


class RegionOut(Schema):
    code: str
    name: str
    names: dict[str, str]
    is_geographic: bool
    version: int


class PriorityOut(Schema):
    cycle: int
    code: str
    name: str
    names: dict[str, str]
    kind: Priority.Kind


class CountryOut(Schema):
    iso2: str
    iso3: str
    name: str
    region: str
    is_ldc: bool
    is_lldc: bool
    is_sids: bool

    @staticmethod
    def resolve_region(obj: Country) -> str:
        return obj.region.code


class OfficeOut(Schema):
    code: str
    name: str
    names: dict[str, str]
    city: str
    cities: dict[str, str]
    country: str
    kind: str
    region: str | None
    covered_countries: list[str]
    is_innovation_centre: bool
    opened_on: dt.date | None
    closed_on: dt.date | None
    notes: str
    version: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_country(obj: Office) -> str:
        return obj.country.iso2

    @staticmethod
    def resolve_region(obj: Office) -> str | None:
        return obj.region.code if obj.region else None

    @staticmethod
    def resolve_covered_countries(obj: Office) -> list[str]:
        return [country.iso2 for country in obj.covered_countries.all()]


class OfficeIn(Schema):
    code: str
    name: str
    name_translations: dict[str, str] = {}
    city: str
    city_translations: dict[str, str] = {}
    country: str
    kind: Office.Kind
    region: str | None = None
    covered_countries: list[str] = []
    is_innovation_centre: bool = False
    opened_on: dt.date | None = None
    closed_on: dt.date | None = None
    notes: str = ""


class OfficePatch(Schema):
    name: str | None = None
    name_translations: dict[str, str] | None = None
    city: str | None = None
    city_translations: dict[str, str] | None = None
    country: str | None = None
    kind: Office.Kind | None = None
    region: str | None = None
    covered_countries: list[str] | None = None
    is_innovation_centre: bool | None = None
    opened_on: dt.date | None = None
    closed_on: dt.date | None = None
    notes: str | None = None


def _resolve_references(data: dict[str, Any]) -> dict[str, Any]:
    """Codes in the payload to records; an unknown code is a field error."""
    errors: dict[str, str] = {}
    if data.get("region"):
        data["region"] = Region.objects.filter(code=data["region"]).first() or errors.setdefault(
            "region", f"Unknown region code {data['region']!r}."
        )
    if data.get("country"):
        data["country"] = Country.objects.filter(iso2=data["country"]).first() or errors.setdefault(
            "country", f"Unknown country code {data['country']!r}."
        )
    if data.get("covered_countries") is not None:
        codes = data["covered_countries"]
        found = list(Country.objects.filter(iso2__in=codes))
        missing = sorted(set(codes) - {country.iso2 for country in found})
        if missing:
            errors["covered_countries"] = f"Unknown country codes: {', '.join(missing)}."
        data["covered_countries"] = found
    if errors:
        raise ValidationError(errors)
    return data


@router.get("/regions/", response=list[RegionOut])
@paginate(LimitOffsetPagination)
def list_regions(request: HttpRequest) -> Any:
    return selectors.region_list(user=request.user)


@router.get("/priorities/", response=list[PriorityOut])
@paginate(LimitOffsetPagination)
def list_priorities(request: HttpRequest) -> Any:
    """KAP priorities and enablers (WTDC cycles), with their names in every language given."""
    return selectors.priority_list(user=request.user)


@router.get("/countries/", response=list[CountryOut])
@paginate(LimitOffsetPagination)
@filtered(CountryFilter)
def list_countries(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.country_list(user=request.user, filters=filters)


@router.get("/offices/", response=list[OfficeOut])
@paginate(LimitOffsetPagination)
@filtered(OfficeFilter)
def list_offices(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.office_list(user=request.user, filters=filters).prefetch_related("covered_countries")


record_routes(
    router,
    "/offices",
    noun="office",
    module=__name__,
    out=OfficeOut,
    key="code",
    get=selectors.office_get,
    new=OfficeIn,
    create=services.office_create,
    patch=OfficePatch,
    update=services.office_update,
    delete=services.office_delete,
    resolve=_resolve_references,
)
