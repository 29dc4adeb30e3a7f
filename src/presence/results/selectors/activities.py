"""Reads of the operational plan's activities."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from presence.org.access import Action, restrict
from presence.org.models import Priority
from presence.results.models import (
    Activity,
    Output,
)


def activity_list(
    *,
    user: Any,
    year: int | None = None,
    region: str = "",
    office: str = "",
    level: str = "",
    status: str = "",
    output: Output | None = None,
    priority: Priority | None = None,
    q: str = "",
) -> QuerySet[Activity]:
    """Activities the user may see, filtered; `region="global"` selects activities without a region."""
    activities = (
        restrict(Activity.objects.select_related("region", "responsible_office"), user, Action.VIEW)
        .prefetch_related("outputs", "countries")
        .annotate(indicator_count=Count("indicators", distinct=True))
    )
    if year:
        activities = activities.filter(year=year)
    if region == "global":
        activities = activities.filter(region__isnull=True)
    elif region:
        activities = activities.filter(region__code=region)
    if office:
        activities = activities.filter(responsible_office__code=office)
    if level:
        activities = activities.filter(level=level)
    if status:
        activities = activities.filter(status=status)
    if output is not None:
        activities = activities.filter(outputs=output)
    if priority is not None:
        activities = activities.filter(outputs__outcome__priority=priority)
    if q:
        activities = activities.filter(
            Q(code__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q)
        )
    return activities.distinct()


def activity_get(*, user: Any, pk: int) -> Activity:
    return (
        restrict(Activity.objects.select_related("region", "responsible_office"), user, Action.VIEW)
        .prefetch_related("countries", "outputs__outcome__priority")
        .get(pk=pk)
    )


def activity_years() -> list[int]:
    return list(Activity.objects.order_by("-year").values_list("year", flat=True).distinct())
