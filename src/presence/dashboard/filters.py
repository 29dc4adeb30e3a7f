"""The dashboard's filters (year, region, office, funding source, map measure), all kept in the URL."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presence.core import figures
from presence.core.forms import QuickSelect, with_defaults
from presence.core.models import localized
from presence.core.years import YearField
from presence.org.models import Office, Region
from presence.portfolio.models import FundingSource

MEASURES = [
    ("projects", _("Projects on-going")),
    ("funding", _("Funding (k CHF)")),
    ("staff", _("Staff in post")),
    ("vacancies", _("Vacant posts")),
    ("offices", _("Offices")),
    ("activities", _("Operational-plan activities")),
    ("events", _("Events")),
    ("findings", _("Open high-risk findings")),
]


@dataclass(frozen=True)
class DashboardFilters:
    year: int
    region: str = ""
    office: str = ""
    source: str = ""
    measure: str = "projects"

    def with_(self, **changes: Any) -> DashboardFilters:
        return replace(self, **changes)

    def query(self) -> str:
        """The filters as a query string (defaults left out) so any view can be shared as a link."""
        values = {"year": self.year, "region": self.region, "office": self.office, "source": self.source}
        if self.measure != "projects":
            values["measure"] = self.measure
        return urlencode({k: v for k, v in values.items() if v})


def _office_choices() -> list[tuple[str, str]]:
    """Every office by its city in the active language, read once per version of the offices (a large
    organization has a thousand of them, and every dashboard page offers them)."""
    return figures.cached(
        "dashboard-office-choices",
        audience="",
        parts=(),
        domains=("org",),
        compute=lambda: [
            (code, localized(city, translations))
            for code, city, translations in Office.objects.order_by("city").values_list(
                "code", "city", "city_translations"
            )
        ],
    )


def _source_choices() -> list[tuple[str, str]]:
    return [(s.code, s.localized_name) for s in FundingSource.objects.order_by("sort_order", "code")]


class DashboardFilterForm(forms.Form):
    year = YearField(label=_("Year"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False, widget=QuickSelect)
    office = forms.ChoiceField(label=_("Office"), required=False, widget=QuickSelect)
    source = forms.ChoiceField(label=_("Funding source"), required=False, widget=QuickSelect)
    measure = forms.ChoiceField(label=_("Map shows"), required=False, choices=MEASURES)

    def __init__(self, data: Any = None, *args: Any, fixed: str = "", **kwargs: Any) -> None:
        # The year shown is the year used: the current one unless the link names another.
        this_year = timezone.localdate().year
        super().__init__(with_defaults(data, year=this_year), *args, **kwargs)
        self.fields["year"].initial = this_year
        any_choice = [("", _("All"))]
        self.fields["region"].choices = any_choice + [  # type: ignore[attr-defined]
            (r.code, r.localized_name) for r in Region.objects.all()
        ]
        self.fields["office"].choices = any_choice + _office_choices()  # type: ignore[attr-defined]
        self.fields["source"].choices = any_choice + _source_choices()  # type: ignore[attr-defined]
        # A region or office page fixes its place: those filters are not offered there.
        if fixed in ("region", "office"):
            del self.fields["region"]
            del self.fields["office"]
            del self.fields["measure"]  # the map is on the overview only

    def filters(self, *, region: str = "", office: str = "") -> DashboardFilters:
        """The filters chosen (invalid values fall back to the defaults: the current year, everything)."""
        values = self.cleaned_data if self.is_valid() else {}
        return DashboardFilters(
            year=values.get("year") or timezone.localdate().year,
            region=region or values.get("region") or "",
            office=office or values.get("office") or "",
            source=values.get("source") or "",
            measure=values.get("measure") or "projects",
        )
