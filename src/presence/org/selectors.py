"""Reads of regions, countries and offices, restricted by the access mechanism."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from presence.core.filtering import ListFilter
from presence.org.access import Action, restrict
from presence.org.filters import CountryFilter, OfficeFilter
from presence.org.models import Country, Office, Priority, Region, RoleAssignment


def priority_list(*, user: Any) -> QuerySet[Priority]:
    """KAP priorities and enablers of every WTDC cycle, in their order."""
    return restrict(Priority.objects.all(), user, Action.VIEW)


def region_list(*, user: Any) -> QuerySet[Region]:
    # Each count its own subquery: joined together, offices and countries multiply before counting.
    return restrict(Region.objects.all(), user, Action.VIEW).annotate(
        office_count=_count_per(Office.objects.filter(closed_on__isnull=True), "region"),
        country_count=_count_per(Country.objects.all(), "region"),
    )


def _count_per(rows: QuerySet[Any], field: str) -> Coalesce:
    """How many of `rows` have `field` pointing at the outer query's record (0 for none)."""
    per = rows.filter(**{field: OuterRef("pk")}).order_by().values(field)
    counted: QuerySet[Any] = per.annotate(n=Count("*"))
    return Coalesce(Subquery(counted.values("n")), 0)


def region_get(*, user: Any, code: str) -> Region:
    return restrict(Region.objects.all(), user, Action.VIEW).get(code=code)


def country_list(*, user: Any, filters: ListFilter | None = None, **values: Any) -> QuerySet[Country]:
    countries = restrict(Country.objects.select_related("region"), user, Action.VIEW)
    return CountryFilter.apply(countries, filters or values)


def office_list(*, user: Any, filters: ListFilter | None = None, **values: Any) -> QuerySet[Office]:
    """Offices within the user's reach narrowed by `filters.OfficeFilter`."""
    offices = restrict(Office.objects.select_related("region", "country"), user, Action.VIEW)
    # Counted per office shown, not grouped over every office's countries before a page is cut.
    covered = _count_per(Office.covered_countries.through.objects.all(), "office")
    return (
        OfficeFilter.apply(offices, filters or values)
        .annotate(covered_count=covered)
        .order_by("region__sort_order", "kind", "city")
    )


def office_get(*, user: Any, code: str) -> Office:
    return (
        restrict(Office.objects.select_related("region", "country"), user, Action.VIEW)
        .prefetch_related(Prefetch("covered_countries", queryset=Country.objects.order_by("name")))
        .get(code=code)
    )


def region_offices(*, user: Any, region: Region) -> QuerySet[Office]:
    return office_list(user=user).filter(region=region)


def role_assignments_for(*, user: Any) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(user=user).select_related("region", "office")
