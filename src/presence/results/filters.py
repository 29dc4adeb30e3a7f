"""Results' lists, each declared once: filters for the page, its CSV/XLSX export and the API, and the
export's columns. See `core/filtering.py`; the selectors apply these after `org.access.restrict`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters as df
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presence.core.exports import Column
from presence.core.filtering import Export, FlagFilter, ListFilter, YearFilter, by_code
from presence.org.models import Office, Priority, Region
from presence.results.models import Activity, Indicator, Output, QuarterlyReview

GLOBAL = "global"  # activities without a region


def in_region(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    """Records of a region by code, or without one for "global"."""
    if value == GLOBAL:
        return queryset.filter(region__isnull=True)
    return queryset.filter(region__code=value)


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
        return in_region(queryset, value)

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(code__icontains=value) | Q(title__icontains=value) | Q(description__icontains=value)
        )


PROGRESS_CHOICES = [
    ("below", _("Below target")),
    ("reached", _("Target reached")),
    ("unmeasured", _("Not measured (no target, no result or qualitative)")),
]


class IndicatorFilter(ListFilter):
    """The indicator list: `year` is the year of the figures shown (this year when not given) and of
    `progress` (below target, reached, not measured: `selectors.indicators.STATUS`)."""

    year = YearFilter(label=_("Year"), method="figures_of")
    region = df.ChoiceFilter(
        label=_("Region"), choices=region_codes, method="in_region", empty_label=_("Any")
    )
    office = by_code(Office, _("Office"), field_name="office")
    progress = df.ChoiceFilter(
        label=_("Progress for the year"),
        choices=PROGRESS_CHOICES,
        method="with_progress",
        empty_label=_("Any"),
    )
    activity = df.ModelChoiceFilter(
        label=_("Activity (id)"),
        queryset=Activity.objects.all(),
        field_name="activity",
        widget=forms.NumberInput,
    )

    class Meta:
        model = Indicator
        fields: list[str] = []

    export = Export(
        filename="indicators",
        title=_("Indicators"),
        columns=[
            Column("year", _("Year")),
            Column("code", _("Code")),
            Column("name", _("Name")),
            Column("measures", _("Measures (outcome, output, activity or project)")),
            Column("measured_code", _("Measured record code")),
            Column("measured_title", _("Measured record title")),
            Column("region", _("Region")),
            Column("office", _("Office")),
            Column("baseline", _("Baseline"), "#,##0.00"),
            Column("target", _("Target"), "#,##0.00"),
            Column("actual", _("Actual"), "#,##0.00"),
            Column("progress", _("Progress (%)"), "0.0"),
            Column("status", _("Progress for the year (below, reached, unmeasured)")),
        ],
    )

    def figures_year(self) -> int:
        """The year of the figures: the one asked, else this year."""
        data = getattr(self.form, "cleaned_data", {})
        return data.get("year") or timezone.localdate().year

    def figures_of(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset  # the year of the figures, read by `selectors.with_status` and the list's rows

    def in_region(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return in_region(queryset, value)

    def with_progress(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset  # applied by `selectors.indicator_list` (`with_status`, in the database)


class ReviewFilter(ListFilter):
    """The review list: `office` is the reviewed record's office, `overdue` the reviews not approved once
    their quarter's submission deadline has passed (`today`, by default the local date)."""

    year = YearFilter(label=_("Year"), field_name="period__year")
    quarter = df.ChoiceFilter(
        label=_("Quarter"),
        choices=[(q, f"Q{q}") for q in range(1, 5)],
        field_name="period__quarter",
        empty_label=_("Any"),
    )
    region = df.ChoiceFilter(
        label=_("Region"), choices=region_codes, method="in_region", empty_label=_("Any")
    )
    office = by_code(Office, _("Office"), field_name="office")
    status = df.ChoiceFilter(label=_("Status"), choices=QuarterlyReview.Status.choices, empty_label=_("Any"))
    overdue = FlagFilter(label=_("Overdue: not approved after the deadline"), method="late")
    kind = df.ChoiceFilter(
        label=_("Reviewed record"),
        choices=[("activity", _("Activities")), ("project", _("Projects"))],
        method="of_kind",
        empty_label=_("Any"),
    )

    class Meta:
        model = QuarterlyReview
        fields: list[str] = []

    export = Export(
        filename="reviews",
        title=_("Reviews"),
        columns=[
            Column("year", _("Year")),
            Column("quarter", _("Quarter")),
            Column("kind", _("Reviewed record")),
            Column("code", _("Code")),
            Column("title", _("Title")),
            Column("region", _("Region")),
            Column("office", _("Office")),
            Column("status", _("Status")),
            Column("rating", _("Rating")),
            Column("deadline", _("Submission deadline")),
            Column("overdue", _("Overdue")),
            Column("submitted_at", _("Submitted at")),
            Column("decided_at", _("Approved or returned at")),
        ],
    )
    # Names of people, left out for viewers without access to personal data (member-state viewers).
    name_columns = [
        Column("submitted_by", _("Submitted by")),
        Column("decided_by", _("Approved or returned by")),
    ]

    today: dt.date | None = None

    def in_region(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return in_region(queryset, value)

    def late(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        day = self.today or timezone.localdate()
        return queryset.filter(period__submission_deadline__lt=day).exclude(
            status=QuarterlyReview.Status.APPROVED
        )

    def of_kind(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(**{f"{value}__isnull": False})
