"""Filter forms shared by each list page, its CSV/XLSX export and (by the same names) the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters as df
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from presence.core.exports import Column
from presence.core.filtering import Export, ListFilter, by_code
from presence.org.models import Office, Region
from presence.staffing.models import Category, Funding, Grade, Post, Recruitment, Sector

DATE = forms.DateInput(attrs={"type": "date"})
HQ = "HQ"  # the key used for headquarters, which belongs to no region


def _region_choices() -> list[tuple[str, Any]]:
    return [("", _("Any")), (HQ, _("Headquarters"))] + [
        (code, code) for code in Region.objects.values_list("code", flat=True)
    ]


def _in_region(prefix: str) -> Callable[[QuerySet[Any], str, str], QuerySet[Any]]:
    """Filter by the region of the office at `prefix` (HQ: headquarters, which has no region)."""

    def method(queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == HQ:
            return queryset.filter(**{f"{prefix}__region__isnull": True})
        return queryset.filter(**{f"{prefix}__region__code": value})

    return method


def _region_filter(prefix: str) -> df.ChoiceFilter:
    return df.ChoiceFilter(
        label=_("Region"),
        choices=lambda: _region_choices()[1:],
        method=_in_region(prefix),
        empty_label=_("Any"),
    )


class StaffingTableFilter(ListFilter):
    """The staffing table's filters, for its page, its download and the API: a date and a place.

    The table is computed from their values (`table_values`) by `selectors.staffing_table`, a page of
    offices at a time; a refused value is a 400 on the page and a 422 naming it in the API."""

    on = df.DateFilter(label=_("On"), method="as_of", widget=DATE)
    region = df.ChoiceFilter(label=_("Region"), choices=lambda: _region_choices()[1:], empty_label=_("Any"))
    office = by_code(Office, _("Office"), field_name="office")

    class Meta:
        model = Office
        fields: list[str] = []

    def as_of(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset  # the date the table is computed for, not a narrowing of a list

    def table_values(self) -> dict[str, Any]:
        """The selectors' arguments: `on` (None for today), `region` and `office` as codes ("" for all)."""
        data = self.form.cleaned_data if self.is_valid() else {}
        office = data.get("office")
        return {
            "on": data.get("on"),
            "region": data.get("region") or "",
            "office": office.code if office else "",
        }


class PostFilter(ListFilter):
    q = df.CharFilter(label=_("Search"), method="search")
    region = _region_filter("office")
    office = by_code(Office, _("Office"), field_name="office")
    sector = df.ChoiceFilter(label=_("Sector"), choices=Sector.choices, empty_label=_("Any"))
    category = df.ChoiceFilter(label=_("Category"), choices=Category.choices, empty_label=_("Any"))
    grade = df.ChoiceFilter(label=_("Grade"), choices=Grade.choices, empty_label=_("Any"))
    status = df.ChoiceFilter(label=_("Status"), choices=Post.Status.choices, empty_label=_("Any"))
    funding = df.ChoiceFilter(label=_("Funding"), choices=Funding.choices, empty_label=_("Any"))

    class Meta:
        model = Post
        fields: list[str] = []

    export = Export(
        filename="posts",
        title=_("Posts"),
        columns=[
            Column("number", _("Post number")),
            Column("title", _("Title")),
            Column("office", _("Office")),
            Column("region", _("Region")),
            Column("unit", _("Unit")),
            Column("category", _("Category")),
            Column("grade", _("Grade")),
            Column("sector", _("Sector")),
            Column("funding", _("Funding")),
            Column("status", _("Status")),
            Column("start_date", _("Occupied from")),
            Column("end_date", _("Occupied until")),
        ],
    )

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(unit__icontains=value)
        )


INCUMBENT_COLUMN = Column("incumbent", _("Incumbent"))


class RecruitmentFilter(ListFilter):
    q = df.CharFilter(label=_("Search"), method="search")
    region = _region_filter("post__office")
    office = by_code(Office, _("Office"), field_name="post__office")
    status = df.ChoiceFilter(label=_("Status"), choices=Recruitment.Status.choices, empty_label=_("Any"))
    opened_from = df.DateFilter(
        label=_("Opened from"), field_name="opened_on", lookup_expr="gte", widget=DATE
    )
    opened_to = df.DateFilter(label=_("Opened until"), field_name="opened_on", lookup_expr="lte", widget=DATE)

    class Meta:
        model = Recruitment
        fields: list[str] = []

    export = Export(
        filename="recruitments",
        title=_("Recruitments"),
        columns=[
            Column("vacancy_number", _("Vacancy number")),
            Column("post", _("Post number")),
            Column("title", _("Post title")),
            Column("grade", _("Grade")),
            Column("office", _("Office")),
            Column("region", _("Region")),
            Column("status", _("Status")),
            Column("opened_on", _("Opened on")),
            Column("closed_on", _("Closed on")),
            Column("selected_on", _("Selected on")),
            Column("on_board_on", _("On board on")),
            Column("time_to_fill", _("Time to fill (days)")),
        ],
    )

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(vacancy_number__icontains=value)
            | Q(post__number__icontains=value)
            | Q(post__title__icontains=value)
        )


CANDIDATE_COLUMN = Column("selected_candidate", _("Selected candidate"))


class MeasuresFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
