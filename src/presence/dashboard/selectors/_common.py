"""The dashboard's building blocks: figures, sections, the page context, drill-down links, domains."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypedDict
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from presence.core.charts import Chart, Marker, Number, RegionShade, Series
from presence.dashboard.filters import DashboardFilters
from presence.org.models import Office

HQ = "HQ"


GLOBAL = "global"  # operational-plan activities that belong to no region


OPTIONAL = {HQ, "MUL", GLOBAL}


TREND_YEARS = 5


class Place(TypedDict):
    """The region and office a section is narrowed to ("" for all), as the domain selectors take them."""

    region: str
    office: str


class PlaceOrAll(TypedDict):
    """The same, None for all (the resilience selectors' convention)."""

    region: str | None
    office: str | None


class Period(TypedDict):
    start: dt.date
    end: dt.date


def drill(url_name: str, **params: Any) -> str:
    """The list page `url_name` filtered by `params` (empty values left out); "" if it does not exist."""
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return ""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{query}" if query else url


@dataclass
class Figure:
    """One number on a tile, with the list behind it and the time it was counted."""

    key: str
    label: str
    value: Number | None
    url: str
    as_of: dt.datetime
    unit: str = ""
    note: str = ""


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure]
    charts: list[Chart]
    as_of: dt.datetime
    note: str = ""


@dataclass
class OfficeStatus:
    office: Office
    last_updated: dt.datetime | None


@dataclass
class Dashboard:
    filters: DashboardFilters
    title: str
    mode: str  # "region" (overview: breakdowns by region) or "office" (region page: by office)
    sections: list[Section]
    trend: Chart | None
    map_regions: list[RegionShade]
    map_markers: list[Marker]
    map_measure_label: str
    map_unit: str
    offices: list[OfficeStatus]  # one page of the open offices
    offices_count: int  # every open office of the page's place
    offices_page: int
    offices_per_page: int
    as_of: dt.datetime
    personal_data: bool
    links: bool
    map_marker_label: str = ""  # what a map marker stands for, where it is not one office

    def charts(self) -> list[Chart]:
        found = [chart for section in self.sections for chart in section.charts]
        return [*found, self.trend] if self.trend else found

    def chart(self, key: str) -> Chart | None:
        return next((chart for chart in self.charts() if chart.key == key), None)


@dataclass
class Context:
    """What every domain adapter needs: who asks, for what, broken down how, and when."""

    user: Any
    filters: DashboardFilters
    mode: str
    categories: list[str]
    names: dict[str, str]
    now: dt.datetime
    links: bool
    hq_offices: list[str] = field(default_factory=list)
    measures: dict[str, dict[str, Number]] = field(default_factory=dict)

    def link(self, url_name: str, **params: Any) -> str:
        return drill(url_name, **params) if self.links else ""

    def parts(self) -> tuple[Any, ...]:
        """Everything but the user a section's figures depend on, as a value with a stable repr (a
        cache key's parameters; the user's grants are its audience)."""
        return (
            self.filters,
            self.mode,
            self.links,
            tuple(self.categories),
            tuple(sorted(self.names.items())),
            tuple(self.hq_offices),
        )

    def place(self, category: str, *, hq_as_office: bool = False) -> dict[str, str]:
        """Filters for one breakdown category (a region code, HQ, or an office code).

        Lists that know no "HQ" region are given headquarters as its office instead.
        """
        if self.mode == "office":
            return {"region": self.filters.region, "office": category}
        if category == HQ and hq_as_office and len(self.hq_offices) == 1:
            return {"region": "", "office": self.hq_offices[0]}
        return {"region": category, "office": self.filters.office}

    @property
    def label(self) -> str:
        return _("Region") if self.mode == "region" else _("Office")

    def chart(self, key: str, title: str, kind: str, unit: str, series: list[Series], **extra: Any) -> Chart:
        categories = extra.pop("categories", self.categories)
        # Headquarters, multi-regional and global rows appear only where they hold something.
        categories = [c for c in categories if c not in OPTIONAL or any(s.value_at(c) for s in series)]
        return Chart(
            key=key,
            title=title,
            kind=kind,
            unit=unit,
            categories=categories,
            series=series,
            as_of=self.now,
            category_label=extra.pop("category_label", self.label),
            category_names=extra.pop("category_names", self.names),
            **extra,
        )


def _group_counts(
    queryset: QuerySet[Any], path: str, *extra: str, distinct: bool = True
) -> dict[tuple[Any, ...], int]:
    """Records of `queryset` per (`path`, *`extra`), no `path` counted as HQ. `distinct=False` for a
    queryset whose rows are not repeated (no join to many rows): the database then groups its rows by
    hashing them, not by sorting them."""
    count = Count("pk", distinct=True) if distinct else Count("*")
    rows = queryset.order_by().values(path, *extra).annotate(n=count)
    return {(row[path] or HQ, *(row[e] for e in extra)): row["n"] for row in rows}
