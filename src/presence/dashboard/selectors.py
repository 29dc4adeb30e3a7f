"""The dashboard's figures, composed from the domain apps' selectors (never from their models).

Each domain contributes a `Section`: tiles (`Figure`) and charts (`charts.Chart`). Every figure and
chart element carries the link to the domain's list page filtered the same way, so the list's
total is the figure. Breakdowns are single GROUP BY queries over the domain's own list selector,
so a page runs the same number of queries whatever the amount of data.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Count, Max, QuerySet, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.dashboard.charts import Chart, Number, Point, Series
from presence.dashboard.filters import MEASURES, DashboardFilters
from presence.dashboard.worldmap import Marker, RegionShade
from presence.org import selectors as org_selectors
from presence.org.access import sees_personal_data
from presence.org.models import Office, Region

HQ = "HQ"
GLOBAL = "global"  # operational-plan activities that belong to no region
OPTIONAL = {HQ, "MUL", GLOBAL}
TREND_YEARS = 5


def domain(name: str) -> ModuleType | None:
    """A domain app's selectors module, or None while that app is not installed."""
    if not apps.is_installed(f"presence.{name}"):
        return None
    try:
        return importlib.import_module(f"presence.{name}.selectors")
    except ImportError:
        return None


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
    offices: list[OfficeStatus]
    as_of: dt.datetime
    personal_data: bool
    links: bool

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


def _group_counts(queryset: QuerySet[Any], path: str, *extra: str) -> dict[tuple[Any, ...], int]:
    rows = queryset.order_by().values(path, *extra).annotate(n=Count("pk", distinct=True))
    return {(row[path] or HQ, *(row[e] for e in extra)): row["n"] for row in rows}


# --- Offices (org) --------------------------------------------------------------------------------


def offices_section(ctx: Context) -> Section:
    f = ctx.filters
    offices = org_selectors.office_list(user=ctx.user, region=f.region).filter(closed_on__isnull=True)
    if f.office:
        offices = offices.filter(code=f.office)
    path = "region__code" if ctx.mode == "region" else "code"
    counts = _group_counts(offices, path)
    total = sum(counts.values())
    ctx.measures["offices"] = {k[0]: v for k, v in counts.items()}
    points = []
    for category in ctx.categories:
        if ctx.mode == "office":
            url = ctx.link("org:office-list", region=f.region)
        elif category == HQ:
            url = ctx.link("org:office-list", kind=Office.Kind.HEADQUARTERS)
        else:
            url = ctx.link("org:office-list", region=category)
        points.append(Point(category, counts.get((category,), 0), url))
    figures = [
        Figure(
            "offices",
            _("Offices open"),
            total,
            ctx.link("org:office-list", region=f.region) if not f.office else "",
            ctx.now,
        )
    ]
    charts = []
    if ctx.mode == "region":
        charts.append(ctx.chart("offices", _("Offices by region"), "bar", "", [Series(_("Offices"), points)]))
    return Section("offices", _("Offices"), figures, charts, ctx.now)


# --- Portfolio ----------------------------------------------------------------------------------------


def portfolio_section(ctx: Context, portfolio: ModuleType) -> Section:
    f = ctx.filters
    place = {"region": f.region, "office": f.office}
    projects = portfolio.project_list(user=ctx.user, year=f.year, source=f.source, **place)
    path = "region__code" if ctx.mode == "region" else "lead_office__code"
    counts = _group_counts(projects, path)
    ctx.measures["projects"] = {k[0]: v for k, v in counts.items()}
    list_params = {"year": f.year, "source": f.source}
    project_points = [
        Point(c, counts.get((c,), 0), ctx.link("portfolio:project-list", **list_params, **ctx.place(c)))
        for c in ctx.categories
    ]
    figures = [
        Figure(
            "projects",
            _("Projects on-going in %(year)s") % {"year": f.year},
            sum(counts.values()),
            ctx.link("portfolio:project-list", **list_params, **place),
            ctx.now,
        )
    ]
    # Funding: the contributions Table 1 counts for the year, converted to CHF, per kind of source.
    fundings = portfolio.with_chf(
        portfolio.table1_fundings(user=ctx.user, year=f.year, region=f.region, source=f.source)
    )
    kinds = list(portfolio.FundingSource.Kind.choices)
    by_kind: dict[str, Decimal] = defaultdict(Decimal)
    by_cell: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    office_codes = dict(Office.objects.values_list("pk", "code"))  # reference data: ids to codes
    for funding, chf in fundings:
        project = funding.project
        lead_office = office_codes.get(project.lead_office_id, "")
        if f.office and lead_office != f.office:
            continue
        category = project.region.code if ctx.mode == "region" else lead_office
        value = chf or Decimal(0)
        by_kind[funding.source.kind] += value
        by_cell[(category, funding.source.kind)] += value
    total = portfolio.to_kchf(sum(by_kind.values(), Decimal(0)))
    ctx.measures["funding"] = {
        c: portfolio.to_kchf(sum((by_cell[(c, k)] for k, _label in kinds), Decimal(0)))
        for c in ctx.categories
    }
    funding_params = {"year": f.year, "source": f.source}
    figures.append(
        Figure(
            "funding",
            _("Funding of these projects"),
            total,
            ctx.link("portfolio:funding-list", **funding_params, **place),
            ctx.now,
            unit="k CHF",
        )
    )
    for kind, label in kinds:
        if by_kind.get(kind):
            figures.append(
                Figure(
                    f"funding-{kind}",
                    str(label),
                    portfolio.to_kchf(by_kind[kind]),
                    ctx.link("portfolio:funding-list", **funding_params, kind=kind, **place),
                    ctx.now,
                    unit="k CHF",
                )
            )
    funding_series = [
        Series(
            str(label),
            [
                Point(
                    c,
                    portfolio.to_kchf(by_cell[(c, kind)]),
                    ctx.link("portfolio:funding-list", **funding_params, kind=kind, **ctx.place(c)),
                )
                for c in ctx.categories
            ],
        )
        for kind, label in kinds
        if by_kind.get(kind)
    ]
    timeliness = portfolio.reporting_timeliness(user=ctx.user, year=f.year, **place).total
    figures.append(
        Figure(
            "reporting",
            _("Financial reports submitted on time"),
            timeliness.on_time_rate,
            ctx.link("portfolio:obligation-list", year=f.year, **place),
            ctx.now,
            unit="%",
            note=_("%(on_time)s of %(due)s due in %(year)s; %(outstanding)s outstanding")
            % {
                "on_time": timeliness.on_time,
                "due": timeliness.due,
                "year": f.year,
                "outstanding": timeliness.outstanding,
            },
        )
    )
    charts = [
        ctx.chart(
            "projects",
            _("Projects on-going in %(year)s by %(by)s") % {"year": f.year, "by": ctx.label.lower()},
            "bar",
            "",
            [Series(_("Projects"), project_points)],
        ),
        ctx.chart(
            "funding",
            _("Funding by source, k CHF, by %(by)s") % {"by": ctx.label.lower()},
            "stacked",
            "k CHF",
            funding_series,
        ),
    ]
    return Section("portfolio", _("Projects and funding"), figures, charts, ctx.now)


def portfolio_trend(ctx: Context, portfolio: ModuleType) -> Chart:
    """Projects on-going in each of the last five years up to the chosen one (one query per year)."""
    f = ctx.filters
    years = [str(year) for year in range(f.year - TREND_YEARS + 1, f.year + 1)]
    place = {"region": f.region, "office": f.office}
    points = [
        Point(
            year,
            portfolio.project_list(user=ctx.user, year=int(year), source=f.source, **place).count(),
            ctx.link("portfolio:project-list", year=year, source=f.source, **place),
        )
        for year in years
    ]
    return ctx.chart(
        "trend",
        _("Projects on-going per year"),
        "trend",
        "",
        [Series(_("Projects on-going"), points)],
        categories=years,
        category_label=_("Year"),
        category_names={},
    )


# --- Staffing -------------------------------------------------------------------------------------------


def staffing_section(ctx: Context, staffing: ModuleType) -> Section:
    f = ctx.filters
    place = {"region": f.region, "office": f.office}
    posts = staffing.post_list(user=ctx.user, **place)
    path = "office__region__code" if ctx.mode == "region" else "office__code"
    counts = _group_counts(posts, path, "status")
    statuses = list(staffing.Post.Status.choices)
    totals = {status: sum(n for (_c, s), n in counts.items() if s == status) for status, _l in statuses}
    ctx.measures["staff"] = {c: counts.get((c, "filled"), 0) for c in ctx.categories}
    ctx.measures["vacancies"] = {c: counts.get((c, "vacant"), 0) for c in ctx.categories}
    figures = [
        Figure(
            "staff",
            _("Staff in post"),
            totals.get("filled", 0),
            ctx.link("staffing:post-list", status="filled", **place),
            ctx.now,
        ),
        Figure(
            "vacancies",
            _("Vacant posts"),
            totals.get("vacant", 0),
            ctx.link("staffing:post-list", status="vacant", **place),
            ctx.now,
        ),
    ]
    recruitments = staffing.recruitment_list(user=ctx.user, status="open", **place).count()
    figures.append(
        Figure(
            "recruitments",
            _("Recruitments open"),
            recruitments,
            ctx.link("staffing:recruitment-list", status="open", **place),
            ctx.now,
        )
    )
    series = [
        Series(
            str(label),
            [
                Point(
                    c,
                    counts.get((c, status), 0),
                    ctx.link("staffing:post-list", status=status, **ctx.place(c)),
                )
                for c in ctx.categories
            ],
        )
        for status, label in statuses
        if totals.get(status)
    ]
    charts = [
        ctx.chart(
            "posts",
            _("Posts by status, by %(by)s (today)") % {"by": ctx.label.lower()},
            "stacked",
            "",
            series,
        )
    ]
    return Section(
        "staffing", _("Staff and vacancies"), figures, charts, ctx.now, note=_("Posts as they are today.")
    )


# --- Resilience ---------------------------------------------------------------------------------------


def resilience_section(ctx: Context, resilience: ModuleType) -> Section:
    """Aggregates only (scores, counts, coverage): safe for every role, member-state viewers included."""
    f = ctx.filters
    place = {"region": f.region or None, "office": f.office or None}
    summary = resilience.resilience_summary(user=ctx.user, **place)
    params = {"region": f.region, "office": f.office}
    figures = []
    for kind in summary.compliance_by_kind:
        figures.append(
            Figure(
                f"compliance-{kind.kind}",
                _("%(kind)s: average compliance") % {"kind": kind.label},
                kind.average_compliance,
                ctx.link("resilience:assessment-list", kind=kind.kind, **params),
                ctx.now,
                unit="%",
                note=_("%(done)s of %(total)s offices assessed")
                % {"done": kind.offices_assessed, "total": kind.offices_total},
            )
        )
    for level, label in (("critical", _("Open critical findings")), ("high", _("Open high-risk findings"))):
        figures.append(
            Figure(
                f"findings-{level}",
                str(label),
                summary.open_findings_by_level.get(level, 0),
                ctx.link("resilience:finding-list", status="open", level=level, **params),
                ctx.now,
                note=_("on the 5 x 5 risk matrix; counts only"),
            )
        )
    coverage = summary.coverage
    figures.append(
        Figure(
            "coverage",
            _("Crisis-communications coverage"),
            coverage.percent,
            ctx.link("resilience:coverage", **params),
            ctx.now,
            unit="%",
            note=_("%(registered)s registered of %(staff)s staff")
            % {"registered": coverage.registered, "staff": coverage.staff},
        )
    )
    rows = resilience.findings_by_office(user=ctx.user, **place)
    by_cell: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        office = row["office"]
        key = (office.region.code if office.region else HQ) if ctx.mode == "region" else office.code
        for level in ("critical", "high"):
            by_cell[(key, level)] += row.get(level, 0)
    ctx.measures["findings"] = {c: by_cell[(c, "critical")] + by_cell[(c, "high")] for c in ctx.categories}
    series = [
        Series(
            str(label),
            [
                Point(
                    c,
                    by_cell[(c, level)],
                    # Only places with open offices can be chosen on the findings list.
                    ctx.link(
                        "resilience:finding-list",
                        status="open",
                        level=level,
                        **ctx.place(c, hq_as_office=True),
                    )
                    if ctx.measures["offices"].get(c)
                    else "",
                )
                for c in ctx.categories
            ],
        )
        for level, label in (("critical", _("Critical")), ("high", _("High")))
    ]
    charts = [
        ctx.chart(
            "findings",
            _("Open critical and high-risk findings by %(by)s") % {"by": ctx.label.lower()},
            "stacked",
            "",
            series,
        )
    ]
    return Section(
        "resilience",
        _("Resilience"),
        figures,
        charts,
        ctx.now,
        note=_("Aggregates only: scores and counts, no finding text."),
    )


# --- Operational plan (results) ----------------------------------------------------------------------


def results_section(ctx: Context, results: ModuleType) -> Section:
    f = ctx.filters
    place = {"region": f.region, "office": f.office}
    activities = results.activity_list(user=ctx.user, year=f.year, **place)
    path = "region__code" if ctx.mode == "region" else "responsible_office__code"
    counts = _group_counts(activities, path, "status")
    categories = [*ctx.categories, GLOBAL] if ctx.mode == "region" and not f.region else ctx.categories
    names = {**ctx.names, GLOBAL: str(_("Global"))}

    def key(value: str) -> str:
        return GLOBAL if value == HQ else value

    by_cell: dict[tuple[str, str], int] = defaultdict(int)
    for (category, status), n in counts.items():
        by_cell[(key(category), status)] += n
    statuses = list(results.Activity.Status.choices)
    total = sum(by_cell.values())
    ctx.measures["activities"] = {c: sum(by_cell[(c, s)] for s, _l in statuses) for c in categories}
    figures = [
        Figure(
            "activities",
            _("Operational-plan activities %(year)s") % {"year": f.year},
            total,
            ctx.link("results:activity-list", year=f.year, **place),
            ctx.now,
        )
    ]
    for status in ("completed", "ongoing"):
        figures.append(
            Figure(
                f"activities-{status}",
                str(dict(statuses)[status]),
                sum(n for (_c, s), n in by_cell.items() if s == status),
                ctx.link("results:activity-list", year=f.year, status=status, **place),
                ctx.now,
            )
        )
    # Implementation: each activity's latest approved quarterly review of the year, by its rating.
    reviews = results.review_list(user=ctx.user, year=f.year, status="approved", kind="activity", **place)
    latest: dict[int, tuple[int, str]] = {}
    for activity_id, quarter, rating in reviews.values_list("activity_id", "period__quarter", "rating"):
        if activity_id not in latest or quarter > latest[activity_id][0]:
            latest[activity_id] = (quarter, rating)
    rated = [rating for _q, rating in latest.values() if rating]
    good = sum(1 for rating in rated if rating in ("completed", "on_track"))
    behind = sum(1 for rating in rated if rating in ("off_track", "at_risk"))
    share = (Decimal(good) * 100 / len(rated)).quantize(Decimal("0.1")) if rated else None
    figures.append(
        Figure(
            "implementation",
            _("Completed or on track (approved reviews)"),
            share,
            ctx.link("results:review-list", year=f.year, status="approved", kind="activity", **place),
            ctx.now,
            unit="%",
            note=_("%(good)s of %(rated)s activities rated; %(behind)s at risk or off track")
            % {"good": good, "rated": len(rated), "behind": behind},
        )
    )
    # Indicators whose actual for the year has not reached its target (progress from baseline < 100 %).
    indicators = results.indicator_list(user=ctx.user)
    if f.region:
        indicators = indicators.filter(region__code=f.region)
    if f.office:
        indicators = indicators.filter(office__code=f.office)
    year_figures = [
        results.figures_for(indicator, list(indicator.values.all()), f.year) for indicator in indicators
    ]
    measured = [result.progress for result in year_figures if result.progress is not None]
    below = sum(1 for progress in measured if progress < 1)
    figures.append(
        Figure(
            "indicators-below",
            _("Indicators below their %(year)s target") % {"year": f.year},
            below,
            ctx.link("results:framework", year=f.year, region=f.region),
            ctx.now,
            note=_("of %(n)s indicators with a target and a result for the year") % {"n": len(measured)},
        )
    )
    series = [
        Series(
            str(label),
            [
                Point(
                    c,
                    by_cell[(c, status)],
                    ctx.link("results:activity-list", year=f.year, status=status, **ctx.place(c)),
                )
                for c in categories
            ],
        )
        for status, label in statuses
        if any(by_cell[(c, status)] for c in categories)
    ]
    charts = [
        ctx.chart(
            "activities",
            _("Activities %(year)s by status, by %(by)s") % {"year": f.year, "by": ctx.label.lower()},
            "stacked",
            "",
            series,
            categories=categories,
            category_names=names,
        )
    ]
    return Section("results", _("Operational plan"), figures, charts, ctx.now)


def reviews_section(ctx: Context, results: ModuleType) -> Section:
    """Quarterly reviews of the latest quarter of the year that has any (else the current quarter).

    Counts per status and overdue (not approved once the quarter's deadline has passed), from
    `results.review_list`, so each figure links to the review list with the same filters.
    """
    f = ctx.filters
    today = timezone.localdate()
    quarter, period = results.review_quarter(user=ctx.user, year=f.year, today=today)
    place = {"region": f.region, "office": f.office}
    reviews = results.review_list(user=ctx.user, year=f.year, quarter=quarter, **place)
    path = "region__code" if ctx.mode == "region" else "office__code"
    counts = _group_counts(reviews, path, "status")
    categories = [*ctx.categories, GLOBAL] if ctx.mode == "region" and not f.region else ctx.categories
    names = {**ctx.names, GLOBAL: str(_("Global"))}
    by_cell: dict[tuple[str, str], int] = defaultdict(int)
    for (category, status), n in counts.items():
        by_cell[(GLOBAL if category == HQ and ctx.mode == "region" else category, status)] += n
    totals: dict[str, int] = defaultdict(int)
    for (_category, status), n in by_cell.items():
        totals[status] += n
    closed = period is not None and period.is_closed(today)
    approved = results.QuarterlyReview.Status.APPROVED
    overdue = sum(n for status, n in totals.items() if status != approved) if closed else 0
    filters = {"year": f.year, "quarter": quarter}
    figures = [
        Figure(
            f"reviews-{status}",
            label,
            totals.get(status, 0),
            ctx.link("results:review-list", **filters, status=status, **place),
            ctx.now,
        )
        for status, label in (
            ("submitted", _("Reviews awaiting approval")),
            ("approved", _("Reviews approved")),
            ("returned", _("Reviews returned")),
        )
    ]
    deadline = period.submission_deadline.isoformat() if period is not None else ""
    figures.append(
        Figure(
            "reviews-overdue",
            _("Reviews overdue"),
            overdue,
            ctx.link("results:review-list", **filters, overdue=1, **place),
            ctx.now,
            note=(_("not approved after the deadline, %(deadline)s") % {"deadline": deadline})
            if deadline
            else _("no reporting calendar for this quarter"),
        )
    )
    statuses = list(results.QuarterlyReview.Status.choices)
    series = [
        Series(
            str(label),
            [
                Point(
                    c,
                    by_cell[(c, status)],
                    ctx.link("results:review-list", **filters, status=status, **ctx.place(c)),
                )
                for c in categories
            ],
        )
        for status, label in statuses
        if any(by_cell[(c, status)] for c in categories)
    ]
    label = _("%(year)s Q%(quarter)s") % {"year": f.year, "quarter": quarter}
    charts = [
        ctx.chart(
            "reviews",
            _("Quarterly reviews %(quarter)s by status, by %(by)s")
            % {"quarter": label, "by": ctx.label.lower()},
            "stacked",
            "",
            series,
            categories=categories,
            category_names=names,
        )
    ]
    return Section(
        "reviews",
        _("Quarterly reviews, %(quarter)s") % {"quarter": label},
        figures,
        charts,
        ctx.now,
        note=_("The latest quarter of %(year)s with reviews (or the current quarter).") % {"year": f.year},
    )


# --- Engagement -------------------------------------------------------------------------------------------


def engagement_section(ctx: Context, engagement: ModuleType) -> Section:
    f = ctx.filters
    place = {"region": f.region, "office": f.office}
    period = {"start": dt.date(f.year, 1, 1), "end": dt.date(f.year, 12, 31)}
    events = engagement.event_list(user=ctx.user, **period, **place)
    path = "region__code" if ctx.mode == "region" else "office__code"
    grouped = {
        (row[path] or HQ): (row["n"], row["people"] or 0)
        for row in events.order_by().values(path).annotate(n=Count("pk"), people=Sum("participants_total"))
    }
    ctx.measures["events"] = {c: v[0] for c, v in grouped.items()}
    dates = {"start": period["start"].isoformat(), "end": period["end"].isoformat()}
    figures = [
        Figure(
            "events",
            _("Events in %(year)s") % {"year": f.year},
            sum(n for n, _p in grouped.values()),
            ctx.link("engagement:event-list", **dates, **place),
            ctx.now,
        ),
        Figure(
            "participants",
            _("Participants in these events"),
            sum(p for _n, p in grouped.values()),
            ctx.link("engagement:event-list", **dates, **place),
            ctx.now,
        ),
    ]
    opportunities = engagement.opportunity_list(user=ctx.user, stage="open", **place).count()
    figures.append(
        Figure(
            "opportunities",
            _("Open funding opportunities"),
            opportunities,
            ctx.link("engagement:opportunity-list", stage="open", **place),
            ctx.now,
        )
    )
    pipeline = engagement.opportunity_pipeline(user=ctx.user, **place)[-1]
    figures.append(
        Figure(
            "pipeline",
            _("Pipeline weighted by probability"),
            (Decimal(pipeline.weighted_chf) / 1000).quantize(Decimal("0.1")),
            ctx.link("engagement:opportunity-list", stage="open", **place),
            ctx.now,
            unit="k CHF",
            note=_("open value %(value)s k CHF") % {"value": f"{Decimal(pipeline.open_chf) / 1000:,.1f}"},
        )
    )
    charts = [
        ctx.chart(
            "events",
            _("Events %(year)s, by %(by)s") % {"year": f.year, "by": ctx.label.lower()},
            "bar",
            "",
            [
                Series(
                    _("Events"),
                    [
                        Point(
                            c,
                            grouped.get(c, (0, 0))[0],
                            ctx.link("engagement:event-list", **dates, **ctx.place(c)),
                        )
                        for c in ctx.categories
                    ],
                )
            ],
        ),
        ctx.chart(
            "participants",
            _("Participants %(year)s, by %(by)s") % {"year": f.year, "by": ctx.label.lower()},
            "bar",
            "",
            [
                Series(
                    _("Participants"),
                    [
                        Point(
                            c,
                            grouped.get(c, (0, 0))[1],
                            ctx.link("engagement:event-list", **dates, **ctx.place(c)),
                        )
                        for c in ctx.categories
                    ],
                )
            ],
        ),
    ]
    return Section("engagement", _("Events and engagement"), figures, charts, ctx.now)


# --- Last update per office ----------------------------------------------------------------------------


def _last_updates(user: Any, region: str, office: str) -> dict[str, dt.datetime]:
    """Office code -> the latest change to any of its records, over the domain selectors available."""
    sources: list[tuple[Callable[[], QuerySet[Any]], str]] = []
    if (portfolio := domain("portfolio")) is not None:
        sources.append(
            (lambda: portfolio.project_list(user=user, region=region, office=office), "lead_office__code")
        )
    if (staffing := domain("staffing")) is not None:
        sources.append((lambda: staffing.post_list(user=user, region=region, office=office), "office__code"))
    if (resilience := domain("resilience")) is not None:
        place = {"region": region or None, "office": office or None}
        sources.append((lambda: resilience.plan_list(user=user, **place), "office__code"))
        sources.append((lambda: resilience.installation_list(user=user, **place), "office__code"))
    if (results := domain("results")) is not None:
        sources.append(
            (
                lambda: results.activity_list(user=user, region=region, office=office),
                "responsible_office__code",
            )
        )
    if (engagement := domain("engagement")) is not None:
        sources.append(
            (lambda: engagement.event_list(user=user, region=region, office=office), "office__code")
        )
    latest: dict[str, dt.datetime] = {}
    for make, path in sources:
        for row in make().order_by().values(path).annotate(last=Max("updated_at")):
            code, last = row[path], row["last"]
            if code and last and (code not in latest or last > latest[code]):
                latest[code] = last
    return latest


# --- The page -----------------------------------------------------------------------------------------


MEASURE_UNITS = {"funding": "k CHF"}


def dashboard(*, user: Any, filters: DashboardFilters, mode: str = "region", links: bool = True) -> Dashboard:
    """Everything an overview (mode "region") or region page (mode "office") shows for these filters."""
    now = timezone.now()
    # Geographic regions in their order, then multi-regional (as in Table 1).
    regions = sorted(org_selectors.region_list(user=user), key=lambda r: (not r.is_geographic, r.sort_order))
    offices = list(org_selectors.office_list(user=user, region=filters.region).filter(closed_on__isnull=True))
    if filters.office:
        offices = [o for o in offices if o.code == filters.office]
    if mode == "region":
        categories = [r.code for r in regions if not filters.region or r.code == filters.region]
        # Charts name regions by their codes, as the Council tables do; tables give the full names.
        names = {r.code: r.code for r in regions}
        if not filters.region:
            categories.append(HQ)
            names[HQ] = HQ
    else:
        categories = [o.code for o in offices]
        names = {o.code: o.city for o in offices}
    ctx = Context(user, filters, mode, categories, names, now, links)
    ctx.hq_offices = [o.code for o in offices if o.region_id is None]
    offices_part = offices_section(ctx)  # always counted: other sections link only where offices are
    sections = [] if filters.office else [offices_part]
    trend = None
    if (portfolio := domain("portfolio")) is not None:
        sections.append(portfolio_section(ctx, portfolio))
        trend = portfolio_trend(ctx, portfolio)
    if (results := domain("results")) is not None:
        sections.append(results_section(ctx, results))
        sections.append(reviews_section(ctx, results))
    if (staffing := domain("staffing")) is not None:
        sections.append(staffing_section(ctx, staffing))
    if (engagement := domain("engagement")) is not None:
        sections.append(engagement_section(ctx, engagement))
    if (resilience := domain("resilience")) is not None:
        sections.append(resilience_section(ctx, resilience))
    measure = filters.measure if filters.measure in ctx.measures else "projects"
    values = ctx.measures.get(measure, {})
    shared = filters.with_(region="", office="").query()
    map_regions = [
        RegionShade(
            r.code,
            r.name,
            values.get(r.code, 0) if mode == "region" else None,
            reverse("dashboard:region", args=[r.code]) + (f"?{shared}" if shared else ""),
        )
        for r in regions
        if r.is_geographic
    ]
    updates = _last_updates(user, filters.region, filters.office)
    markers = [
        Marker(
            o.code,
            o.name,
            o.country.iso2,
            reverse("dashboard:office", args=[o.code]),
            _("data last updated %(when)s") % {"when": updates[o.code].strftime("%Y-%m-%d")}
            if o.code in updates
            else "",
            city=o.city,
        )
        for o in offices
    ]
    title = _("Overview")
    if filters.region:
        title = next((r.name for r in regions if r.code == filters.region), filters.region)
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
        as_of=now,
        personal_data=sees_personal_data(user),
        links=links,
    )


def region_countries(*, user: Any) -> dict[str, str]:
    """ISO alpha-2 -> ITU region code of every country (reference data, one query)."""
    return dict(org_selectors.country_list(user=user).values_list("iso2", "region__code"))


def region_get(*, user: Any, code: str) -> Region:
    return org_selectors.region_get(user=user, code=code)


def office_get(*, user: Any, code: str) -> Office:
    return org_selectors.office_get(user=user, code=code)
