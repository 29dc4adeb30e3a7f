"""The dashboard's results section (activities, indicators) and the quarterly reviews section."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from presence.core import formatting
from presence.core.charts import Point, Series
from presence.dashboard.selectors._common import GLOBAL, HQ, Context, Figure, Place, Section, _group_counts
from presence.results import selectors as results


def results_section(ctx: Context) -> Section:
    f = ctx.filters
    place: Place = {"region": f.region, "office": f.office}
    activities = results.activity_set(user=ctx.user, year=f.year, **place)  # the list's rows, to count
    path = "region__code" if ctx.mode == "region" else "responsible_office__code"
    counts = _group_counts(activities, path, "status", distinct=False)
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
    by_rating = results.latest_ratings(reviews)
    del by_rating[""]  # a latest review without a rating: not rated
    rated = sum(by_rating.values())
    good = by_rating.get("completed", 0) + by_rating.get("on_track", 0)
    behind = by_rating.get("off_track", 0) + by_rating.get("at_risk", 0)
    share = (Decimal(good) * 100 / rated).quantize(Decimal("0.1")) if rated else None
    figures.append(
        Figure(
            "implementation",
            _("Completed or on track (approved reviews)"),
            share,
            ctx.link("results:review-list", year=f.year, status="approved", kind="activity", **place),
            ctx.now,
            unit="%",
            note=_("%(good)s of %(rated)s activities rated; %(behind)s at risk or off track")
            % {"good": good, "rated": rated, "behind": behind},
        )
    )
    # Indicators whose actual for the year has not reached its target (progress from baseline < 100 %):
    # the results app's indicator list, whose "below" filter gives the same rows.
    progress = results.indicator_status_counts(user=ctx.user, year=f.year, **place)
    measured, below = progress["below"] + progress["reached"], progress["below"]
    figures.append(
        Figure(
            "indicators-below",
            _("Indicators below their %(year)s target") % {"year": f.year},
            below,
            ctx.link("results:indicator-list", year=f.year, progress="below", **place),
            ctx.now,
            note=_("of %(n)s indicators with a target and a result for the year") % {"n": measured},
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


def reviews_section(ctx: Context) -> Section:
    """Quarterly reviews of the latest quarter of the year that has any (else the current quarter).

    Counts per status and overdue (not approved once the quarter's deadline has passed), from
    `results.review_list`, so each figure links to the review list with the same filters.
    """
    f = ctx.filters
    today = timezone.localdate()
    quarter, period = results.review_quarter(user=ctx.user, year=f.year, today=today)
    place: Place = {"region": f.region, "office": f.office}
    reviews = results.review_list(user=ctx.user, year=f.year, quarter=quarter, **place)
    path = "region__code" if ctx.mode == "region" else "office__code"
    counts = _group_counts(reviews, path, "status", distinct=False)
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
    deadline = formatting.date(period.submission_deadline) if period is not None else ""
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
