"""Results' lists, each declared once: filters for the page, its CSV/XLSX export and the API, and the
export's columns. See `core/filtering.py`; the selectors apply these after `org.access.restrict`."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from presence.core.exports import Column
from presence.core.filtering import Export, ListFilter, YearFilter, by_code
from presence.org.models import Office, Priority, Region
from presence.results.models import Activity, Output

GLOBAL = "global"  # activities without a region


def region_codes() -> list[tuple[str, Any]]:
    """Regions by code, and "global" for records without a region."""
    return [
        (GLOBAL, _("Global (no region)")),
        *((r.code, f"{r.code} {r.name}") for r in Region.objects.all()),
    ]


class ActivityFilter(ListFilter):
    year = YearFilter(label=_("Year"), field_name="year")
    region = df.ChoiceFilter(
        label=_("Region"), choices=region_codes, method="in_region", empty_label=_("Any")
    )
    office = by_code(Office, _("Responsible office"), field_name="responsible_office")
    level = df.ChoiceFilter(label=_("Scope"), choices=Activity.Level.choices, empty_label=_("Any"))
    status = df.ChoiceFilter(label=_("Status"), choices=Activity.Status.choices, empty_label=_("Any"))
    output = df.ModelChoiceFilter(
        label=_("Output"),
        queryset=Output.objects.select_related("outcome__framework"),
        field_name="outputs",
        distinct=True,
    )
    priority = df.ModelChoiceFilter(
        label=_("KAP priority (id)"),
        queryset=Priority.objects.all(),
        field_name="outputs__outcome__priority",
        distinct=True,
    )
    q = df.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = Activity
        fields: list[str] = []

    export = Export(
        filename="activities",
        title=_("Activities"),
        columns=[
            Column("year", _("Year")),
            Column("code", _("Code")),
            Column("title", _("Title")),
            Column("level", _("Scope")),
            Column("region", _("Region")),
            Column("office", _("Responsible office")),
            Column("countries", _("Countries")),
            Column("outputs", _("Outputs")),
            Column("planned_budget", _("Planned budget (CHF)"), "#,##0.00"),
            Column("status", _("Status")),
            Column("indicators", _("Indicators")),
        ],
    )

    def in_region(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == GLOBAL:
            return queryset.filter(region__isnull=True)
        return queryset.filter(region__code=value)

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(code__icontains=value) | Q(title__icontains=value) | Q(description__icontains=value)
        )
