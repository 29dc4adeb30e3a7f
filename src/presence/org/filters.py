"""The reference lists' filters (offices, countries), each declared once for page and API, and the
reference choices other apps' filters share. See `core/filtering.py`."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from presence.core.exports import Column
from presence.core.filtering import Export, ListFilter, by_code
from presence.core.forms import QuickSelect
from presence.org.models import Country, Office, Priority, Region


def priority_codes(kind: str = "") -> list[tuple[str, str]]:
    """KAP priorities by code (of one `kind` if given): a code used in several WTDC cycles is one choice,
    with its latest name."""
    priorities = Priority.objects.filter(kind=kind) if kind else Priority.objects.all()
    names = {priority.code: priority.localized_name for priority in priorities.order_by("cycle")}
    return [(code, f"{code} {name}") for code, name in sorted(names.items())]


def office_choices() -> list[tuple[str, str]]:
    return [(office.code, office.localized_name) for office in Office.objects.order_by("code")]


class OfficeFilter(ListFilter):
    q = df.CharFilter(label=_("Search"), method="search")
    region = by_code(Region, _("Region"), field_name="region")
    kind = df.ChoiceFilter(label=_("Kind"), choices=Office.Kind.choices, empty_label=_("Any"))
    country = df.ModelChoiceFilter(
        label=_("Country"),
        queryset=Country.objects.all(),
        to_field_name="iso2",
        field_name="country",
        widget=QuickSelect,
    )

    class Meta:
        model = Office
        fields: list[str] = []

    export = Export(
        filename="offices",
        title=_("Offices"),
        columns=[
            Column("code", _("Code")),
            Column("name", _("Name")),
            Column("kind", _("Kind")),
            Column("region", _("Region")),
            Column("city", _("City")),
            Column("country", _("Country")),
            Column("covered_countries", _("Countries covered")),
            Column("opened_on", _("Opened on")),
            Column("closed_on", _("Closed on")),
        ],
    )

    def search(self, queryset: QuerySet[Office], name: str, value: str) -> QuerySet[Office]:
        return queryset.filter(
            Q(name__icontains=value) | Q(city__icontains=value) | Q(country__name__icontains=value)
        )


class CountryFilter(ListFilter):
    region = by_code(Region, _("Region"), field_name="region")

    class Meta:
        model = Country
        fields: list[str] = []
