"""Shared pieces of the resilience selectors: settings, place filters, the offices a user sees."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import (
    DecimalField,
    QuerySet,
)

from presence.org.access import Action, restrict
from presence.org.models import Office, Region, Role, RoleAssignment
from presence.resilience.models import (
    Assessment,
    ResilienceSettings,
)

ZERO = Decimal("0")
WEIGHT = DecimalField(max_digits=12, decimal_places=3)


def current_settings() -> ResilienceSettings:
    """The stored settings, or the defaults when nobody has set them yet."""
    return ResilienceSettings.objects.order_by("pk").first() or ResilienceSettings()


def region_code(region: Region | str | None) -> str:
    return region.code if isinstance(region, Region) else (region or "")


def office_code(office: Office | str | None) -> str:
    return office.code if isinstance(office, Office) else (office or "")


def in_place(
    queryset: QuerySet[Any], *, region: Region | str | None, office: Office | str | None, path: str = "office"
) -> QuerySet[Any]:
    if region_code(region):
        queryset = queryset.filter(**{f"{path}__region__code": region_code(region)})
    if office_code(office):
        queryset = queryset.filter(**{f"{path}__code": office_code(office)})
    return queryset


def office_list(
    *, user: Any, region: Region | str | None = None, office: Office | str | None = None
) -> QuerySet[Office]:
    offices = restrict(Office.objects.select_related("region"), user, Action.VIEW).filter(
        closed_on__isnull=True
    )
    if region_code(region):
        offices = offices.filter(region__code=region_code(region))
    if office_code(office):
        offices = offices.filter(code=office_code(office))
    return offices.order_by("region__sort_order", "code")


def visible_assessments(
    user: Any, region: Region | str | None, office: Office | str | None
) -> QuerySet[Assessment]:
    return in_place(restrict(Assessment.objects.all(), user, Action.VIEW), region=region, office=office)


def of_visible_assessments(
    queryset: QuerySet[Any],
    user: Any,
    region: Region | str | None,
    office: Office | str | None,
    path: str = "assessment",
) -> QuerySet[Any]:
    """The records of `queryset` (findings, actions: `path` leads from them to their assessment) that
    belong to `visible_assessments(user, region, office)`: the place through joins, and the user's
    reach as a subquery only when it narrows anything (none for a reader who sees every assessment)."""
    assessments = restrict(Assessment.objects.all(), user, Action.VIEW)
    if assessments.query.has_filters():
        queryset = queryset.filter(**{f"{path}__in": assessments})
    return in_place(queryset, region=region, office=office, path=f"{path}__office")


def global_security_people() -> list[Any]:
    """Holders of the global security role: told about items that have no owner."""
    return [
        assignment.user
        for assignment in RoleAssignment.objects.filter(
            role=Role.SECURITY, region__isnull=True, office__isnull=True
        ).select_related("user")
    ]


def place_values(values: dict[str, Any]) -> dict[str, Any]:
    """A list's filter values with its region and office as codes (callers may pass the records)."""
    if "region" in values:
        values["region"] = region_code(values["region"])
    if "office" in values:
        values["office"] = office_code(values["office"])
    return values
