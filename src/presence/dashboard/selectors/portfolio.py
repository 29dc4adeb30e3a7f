"""The dashboard's portfolio section (projects, funding, reporting) and the portfolio trend."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from presence.core.charts import Chart, Point, Series
from presence.core.years import YEAR_MIN
from presence.dashboard.selectors._common import TREND_YEARS, Context, Figure, Place, Section, _group_counts
from presence.portfolio import selectors as portfolio


def portfolio_section(ctx: Context) -> Section:
    f = ctx.filters
    place: Place = {"region": f.region, "office": f.office}
    projects = portfolio.project_list(user=ctx.user, year=f.year, source=f.source, **place)
    path = "region__code" if ctx.mode == "region" else "lead_office__code"
    # Each project is one row of the list (its filters add no joins that repeat it).
    counts = _group_counts(projects, path, distinct=False)
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
    fundings = portfolio.table1_fundings(user=ctx.user, year=f.year, region=f.region, source=f.source)
    if f.office:
        fundings = fundings.filter(project__lead_office__code=f.office)
    path = "project__region__code" if ctx.mode == "region" else "project__lead_office__code"
    kinds = list(portfolio.FundingSource.Kind.choices)
    by_kind: dict[str, Decimal] = defaultdict(Decimal)
    by_cell: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for (category, kind), chf in portfolio.chf_totals(fundings, path, "source__kind").items():
        by_kind[kind] += chf
        by_cell[(category or "", kind)] += chf
    # k CHF in full precision: figures, chart segments and their totals are rounded once, as shown.
    total = portfolio.in_kchf(sum(by_kind.values(), Decimal(0)))
    ctx.measures["funding"] = {
        c: portfolio.in_kchf(sum((by_cell[(c, k)] for k, _label in kinds), Decimal(0)))
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
                    portfolio.in_kchf(by_kind[kind]),
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
                    portfolio.in_kchf(by_cell[(c, kind)]),
                    ctx.link("portfolio:funding-list", **funding_params, kind=kind, **ctx.place(c)),
                )
                for c in ctx.categories
            ],
        )
        for kind, label in kinds
        if by_kind.get(kind)
    ]
    timeliness = portfolio.reporting_total(user=ctx.user, year=f.year, **place)
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


def portfolio_trend(ctx: Context) -> Chart:
    """Projects on-going in each of the last five years up to the chosen one (one query)."""
    f = ctx.filters
    # Years before the first the system accepts (the project list refuses them) are left out.
    years = [str(year) for year in range(max(YEAR_MIN, f.year - TREND_YEARS + 1), f.year + 1)]
    place: Place = {"region": f.region, "office": f.office}
    counts = portfolio.ongoing_counts(
        portfolio.project_list(user=ctx.user, source=f.source, **place), [int(year) for year in years]
    )
    points = [
        Point(
            year,
            counts[int(year)],
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
