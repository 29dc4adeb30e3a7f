"""The whole dashboard: sections composed for a region or office view, the map and last updates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.paginator import Paginator
from django.db.models import Count, Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from presence.core import formatting
from presence.core.charts import Marker, RegionShade
from presence.core.filtering import same_references
from presence.dashboard.filters import MEASURES, DashboardFilters
from presence.dashboard.selectors._common import HQ, Context, Dashboard, OfficeStatus, PlaceOrAll, drill
from presence.dashboard.selectors.offices import (
    engagement_section,
    offices_section,
    resilience_section,
    staffing_section,
)
from presence.dashboard.selectors.portfolio import portfolio_section, portfolio_trend
from presence.dashboard.selectors.results import results_section, reviews_section
from presence.engagement import selectors as engagement
from presence.org import selectors as org_selectors
from presence.org.models import Office, Region
from presence.org.personal import sees_personal
from presence.portfolio import selectors as portfolio
from presence.resilience import selectors as resilience
from presence.results import selectors as results
from presence.staffing import selectors as staffing


def _last_updates(user: Any, region: str, office: str, codes: list[str]) -> dict[str, dt.datetime]:
    """Office code -> the latest change to any of its records, for the offices `codes`, over the domain
    selectors."""
    place: PlaceOrAll = {"region": region or None, "office": office or None}
    sources: list[tuple[Callable[[], QuerySet[Any]], str]] = [
        (lambda: portfolio.project_list(user=user, region=region, office=office), "lead_office__code"),
        (lambda: staffing.post_list(user=user, region=region, office=office), "office__code"),
        (lambda: resilience.plan_list(user=user, **place), "office__code"),
        (lambda: resilience.installation_list(user=user, **place), "office__code"),
        (lambda: results.activity_list(user=user, region=region, office=office), "responsible_office__code"),
        (lambda: engagement.event_list(user=user, region=region, office=office), "office__code"),
    ]
    latest: dict[str, dt.datetime] = {}
    if not codes:
        return latest
    # One query: each domain's latest change per office, the six groupings joined by UNION ALL.
    per_domain = [
        make().filter(**{f"{path}__in": codes}).order_by().values_list(path).annotate(last=Max("updated_at"))
        for make, path in sources
    ]
    for code, last in per_domain[0].union(*per_domain[1:], all=True):
        if code and last and (code not in latest or last > latest[code]):
            latest[code] = last
    return latest


def _markers(
    offices: QuerySet[Office],
    marked: list[Office],
    count: int,
    filters: DashboardFilters,
    updates: dict[str, dt.datetime],
) -> list[Marker]:
    """The map's markers: one per office (`marked`, with `updates`, the last update of each), or, past
    MARKER_LIMIT offices, one per country with its count (a map of a thousand dots shows nothing; the
    country's marker opens its list of offices)."""
    if count > MARKER_LIMIT:
        rows = (
            offices.order_by()
            .values("country__iso2", "country__name")
            .annotate(n=Count("pk", distinct=True))
            .order_by("country__name")
        )
        return [
            Marker(
                row["country__iso2"],
                ngettext("%(country)s: %(n)s office", "%(country)s: %(n)s offices", row["n"])
                % {"country": row["country__name"], "n": row["n"]},
                row["country__iso2"],
                drill("org:office-list", country=row["country__iso2"], region=filters.region),
            )
            for row in rows
        ]
    return [
        Marker(
            o.code,
            o.localized_name,
            o.country.iso2,
            reverse("dashboard:office", args=[o.code]),
            _("data last updated %(when)s") % {"when": formatting.date(updates[o.code])}
            if o.code in updates
            else "",
            city=o.city,
        )
        for o in marked
    ]


# The domains each section reads besides "org" (regions, offices and grants, which every one reads): a
# section cached by `presence.dashboard.figures` is computed again only after a write to one of them.
# tests/figures/test_section_domains.py checks these against the tables each section's queries read.
SECTION_DOMAINS: dict[str, tuple[str, ...]] = {
    "offices": (),
    "portfolio": ("portfolio",),
    "trend": ("portfolio",),
    "results": ("results",),
    "reviews": ("results",),
    "staffing": ("staffing",),
    "engagement": ("engagement", "portfolio"),
    "resilience": ("resilience", "staffing"),
}
T = TypeVar("T")
# How a section is computed: `run(name, section, ctx)` calls `section(ctx)` (the figures module caches it).
SectionRunner = Callable[[str, Callable[[Context], T], Context], T]


def _direct(name: str, section: Callable[[Context], T], ctx: Context) -> T:
    return section(ctx)


MEASURE_UNITS = {"funding": "k CHF"}
# The offices a dashboard page lists (and, on a region page, charts) at a time.
OFFICES_PER_PAGE = 25
# Up to this many offices, the map marks each; past it, each country with its count of offices.
MARKER_LIMIT = 200


@same_references()  # the page's region and office are read once, not by each section's lists
def dashboard(
    *,
    user: Any,
    filters: DashboardFilters,
    mode: str = "region",
    links: bool = True,
    page: int | None = 1,
    run: SectionRunner[Any] = _direct,
) -> Dashboard:
    """Everything an overview (mode "region") or region page (mode "office") shows for these filters.

    The offices are read a page at a time (`page`, OFFICES_PER_PAGE of them; None for every office, as
    the documents want): the office table lists the page's offices and, by office, the charts show
    them. Every figure counts all offices. Each section is computed by `run` (named as in
    SECTION_DOMAINS), by default at once.
    """
    now = timezone.now()
    # Geographic regions in their order, then multi-regional (as in Table 1).
    regions = sorted(org_selectors.region_list(user=user), key=lambda r: (not r.is_geographic, r.sort_order))
    open_offices = org_selectors.office_list(user=user, region=filters.region).filter(closed_on__isnull=True)
    if filters.office:
        open_offices = open_offices.filter(code=filters.office)
    if page is None:
        offices = list(open_offices)
        count, number, per_page = len(offices), 1, max(len(offices), 1)
    else:
        shown = Paginator(open_offices, OFFICES_PER_PAGE).get_page(page)
        offices = list(shown.object_list)
        count, number, per_page = shown.paginator.count, shown.number, OFFICES_PER_PAGE
    if mode == "region":
        categories = [r.code for r in regions if not filters.region or r.code == filters.region]
        # Charts name regions by their codes, as the Council tables do; tables give the full names.
        names = {r.code: r.code for r in regions}
        if not filters.region:
            categories.append(HQ)
            names[HQ] = HQ
    else:
        categories = [o.code for o in offices]
        cities = [o.localized_city for o in offices]
        # Offices are named by their city, or by their name where the page has several in one city.
        names = {
            o.code: o.localized_city if cities.count(o.localized_city) == 1 else o.localized_name
            for o in offices
        }
    ctx = Context(user, filters, mode, categories, names, now, links)
    ctx.hq_offices = list(open_offices.filter(region__isnull=True).values_list("code", flat=True))
    offices_part = run("offices", offices_section, ctx)  # always: others link only where offices are
    sections = [] if filters.office else [offices_part]
    sections += [
        run("portfolio", portfolio_section, ctx),
        run("results", results_section, ctx),
        run("reviews", reviews_section, ctx),
        run("staffing", staffing_section, ctx),
        run("engagement", engagement_section, ctx),
        run("resilience", resilience_section, ctx),
    ]
    trend = run("trend", portfolio_trend, ctx)
    measure = filters.measure if filters.measure in ctx.measures else "projects"
    values = ctx.measures.get(measure, {})
    shared = filters.with_(region="", office="").query()
    map_regions = [
        RegionShade(
            r.code,
            r.localized_name,
            values.get(r.code, 0) if mode == "region" else None,
            reverse("dashboard:region", args=[r.code]) + (f"?{shared}" if shared else ""),
        )
        for r in regions
        if r.is_geographic
    ]
    # The map is drawn on the overview only; up to MARKER_LIMIT offices, it marks each with its last
    # update, read once with those of the office table's page.
    marked = list(open_offices) if mode == "region" and count <= MARKER_LIMIT else []
    updates = _last_updates(user, filters.region, filters.office, [o.code for o in marked or offices])
    markers = _markers(open_offices, marked, count, filters, updates) if mode == "region" else []
    title = _("Overview")
    if filters.region:
        title = next((r.localized_name for r in regions if r.code == filters.region), filters.region)
    return Dashboard(
        filters=filters,
        title=str(title),
        mode=mode,
        sections=sections,
        trend=trend,
        map_regions=map_regions,
        map_markers=markers,
        map_measure_label=str(dict(MEASURES).get(measure, measure)),
        map_unit=MEASURE_UNITS.get(measure, ""),
        offices=[OfficeStatus(o, updates.get(o.code)) for o in offices],
        offices_count=count,
        offices_page=number,
        offices_per_page=per_page,
        as_of=now,
        personal_data=sees_personal(user),
        links=links,
        map_marker_label=_("offices in a country") if count > MARKER_LIMIT else "",
    )


def region_countries(*, user: Any) -> dict[str, str]:
    """ISO alpha-2 -> ITU region code of every country (reference data, one query)."""
    return dict(org_selectors.country_list(user=user).values_list("iso2", "region__code"))


def region_get(*, user: Any, code: str) -> Region:
    return org_selectors.region_get(user=user, code=code)


def office_get(*, user: Any, code: str) -> Office:
    return org_selectors.office_get(user=user, code=code)
