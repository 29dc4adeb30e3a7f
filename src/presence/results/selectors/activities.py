"""Reads of the operational plan's activities."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from presence.core.derived import Joined
from presence.core.filtering import ListFilter
from presence.org.access import Action, restrict
from presence.org.models import Country
from presence.results.filters import ActivityFilter
from presence.results.models import Activity, Indicator, Output


def activity_list(*, user: Any, filters: ListFilter | None = None, **values: Any) -> QuerySet[Activity]:
    """Activities the user may see narrowed by `filters.ActivityFilter` (region "global": without one)."""
    return (
        activity_set(user=user, filters=filters, **values)
        .select_related("region", "responsible_office")
        .prefetch_related("outputs", "countries")
        .annotate(indicator_count=Count("indicators", distinct=True))
        .order_by("year", "code")  # as Activity.Meta: a grouped query drops it
        .distinct()
    )


def activity_table(*, user: Any, filters: ListFilter | None = None, **values: Any) -> QuerySet[Activity]:
    """The activities `activity_list` lists, as the activity list page shows them: each with its
    outputs' codes (`output_codes`, in the outputs' order) and its countries' ISO codes
    (`country_codes`, by country name) as text read with the activity (`core.derived.Joined`), so a
    page reads one row per activity, however many outputs and countries they have (NULL: none)."""
    # In the records' own order (their Meta), as the related managers read them.
    outputs = Output.objects.filter(activities=OuterRef("pk")).order_by(
        "outcome__sort_order", "sort_order", "code"
    )
    countries = Country.objects.filter(activities=OuterRef("pk")).order_by("name")
    indicators = (
        Indicator.objects.filter(activity=OuterRef("pk")).order_by().values("activity").annotate(n=Count("*"))
    )
    # The matching activities as a set (a filter through outputs may repeat one), and every column a
    # subquery rather than a join and GROUP BY: PostgreSQL then computes them for the page's rows only
    # (after the sort and the limit), not for every activity (48,500 at 100 times the demo).
    return (
        Activity.objects.filter(pk__in=activity_set(user=user, filters=filters, **values).values("pk"))
        .select_related("region", "responsible_office")
        .annotate(
            indicator_count=Coalesce(Subquery(indicators.values("n")), 0),
            output_codes=Joined(outputs.annotate(item=F("code")).values("item")),
            country_codes=Joined(countries.annotate(item=F("iso2")).values("item")),
        )
        .order_by("year", "code")
    )


def activity_set(*, user: Any, filters: ListFilter | None = None, **values: Any) -> QuerySet[Activity]:
    """The activities `activity_list` lists, without the columns its pages show (the number of
    indicators, a join of every activity's indicators, and the related records): to count them in the
    database. The filters through outputs or priorities may repeat an activity (counts are distinct)."""
    activities = restrict(Activity.objects.all(), user, Action.VIEW)
    return ActivityFilter.apply(activities, filters or values)


def activity_get(*, user: Any, pk: int) -> Activity:
    return (
        restrict(Activity.objects.select_related("region", "responsible_office"), user, Action.VIEW)
        .prefetch_related("countries", "outputs__outcome__priority")
        .get(pk=pk)
    )


def activity_years() -> list[int]:
    return list(Activity.objects.order_by("-year").values_list("year", flat=True).distinct())
