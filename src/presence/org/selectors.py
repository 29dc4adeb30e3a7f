"""Reads of regions, countries and offices, restricted by the access mechanism."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from presence.org.access import Action, restrict
from presence.org.models import Country, Office, Region, RoleAssignment


def region_list(*, user: Any) -> QuerySet[Region]:
    return restrict(Region.objects.all(), user, Action.VIEW).annotate(
        office_count=Count("offices", filter=Q(offices__closed_on__isnull=True), distinct=True),
        country_count=Count("countries", distinct=True),
    )


def region_get(*, user: Any, code: str) -> Region:
    return restrict(Region.objects.all(), user, Action.VIEW).get(code=code)


def country_list(*, user: Any, region: str = "") -> QuerySet[Country]:
    countries = restrict(Country.objects.select_related("region"), user, Action.VIEW)
    if region:
        countries = countries.filter(region__code=region)
    return countries


def office_list(*, user: Any, region: str = "", kind: str = "", q: str = "") -> QuerySet[Office]:
    offices = restrict(Office.objects.select_related("region", "country"), user, Action.VIEW).annotate(
        covered_count=Count("covered_countries", distinct=True)
    )
    if region:
        offices = offices.filter(region__code=region)
    if kind:
        offices = offices.filter(kind=kind)
    if q:
        offices = offices.filter(Q(name__icontains=q) | Q(city__icontains=q) | Q(country__name__icontains=q))
    return offices


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
