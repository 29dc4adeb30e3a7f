"""The dashboard's offices, staffing, engagement and resilience sections."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from presence.core import formatting
from presence.core.charts import Point, Series
from presence.dashboard.selectors._common import (
    HQ,
    Context,
    Figure,
    Period,
    Place,
    PlaceOrAll,
    Section,
    _group_counts,
)
from presence.engagement import selectors as engagement
from presence.org import selectors as org_selectors
from presence.org.models import Office
from presence.resilience import selectors as resilience
from presence.staffing import selectors as staffing


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


def staffing_section(ctx: Context) -> Section:
    f = ctx.filters
    place: Place = {"region": f.region, "office": f.office}
    posts = staffing.post_list(user=ctx.user, **place)
    by = "region__code" if ctx.mode == "region" else "code"
    counts = {(key or HQ, status): n for (key, status), n in staffing.post_counts_by(posts, by).items()}
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


def resilience_section(ctx: Context) -> Section:
    """Aggregates only (scores, counts, coverage): safe for every role, member-state viewers included."""
    f = ctx.filters
    place: PlaceOrAll = {"region": f.region or None, "office": f.office or None}
    summary = resilience.resilience_figures(user=ctx.user, **place)
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
    grouped = resilience.open_findings_by(
        user=ctx.user, by="region__code" if ctx.mode == "region" else "code", **place
    )
    by_cell: dict[tuple[str, str], int] = defaultdict(int)
    for (key, level), n in grouped.items():
        by_cell[(key or HQ, level)] += n
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


def engagement_section(ctx: Context) -> Section:
    f = ctx.filters
    place: Place = {"region": f.region, "office": f.office}
    period: Period = {"start": dt.date(f.year, 1, 1), "end": dt.date(f.year, 12, 31)}
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
            Decimal(pipeline.weighted_chf) / 1000,
            ctx.link("engagement:opportunity-list", stage="open", **place),
            ctx.now,
            unit="k CHF",
            note=_("open value %(value)s k CHF")
            % {"value": formatting.number(Decimal(pipeline.open_chf) / 1000, 1)},
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
