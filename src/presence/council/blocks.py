"""Inserted blocks: the fixed set of tables and charts a Council text may place on a line of its own.

A text inserts a block as `[[kind arg=value ...]]` alone on a line, for example `[[table1 year=2023]]`.
`compute` turns the records into JSON-able data (what an approved version stores), and each kind has an
HTML template (`council/blocks/<kind>.html`, for the page, the preview and the PDF) and a Word writer
(`council/documents.py`, `DOCX_WRITERS`). All read the data only, so a frozen block prints as it was.

Extension point: a new kind is one more `BlockKind` in `BLOCKS` (its compute reads the selectors of
the app that holds the records), one template and one Word writer; the parser, validation, freezing,
comparison and both outputs pick it up from this table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from presence.core.charts import Chart, Point, Series
from presence.council.fields import Live, LiveField, Param, period_of
from presence.dashboard.selectors import drill
from presence.engagement import selectors as engagement
from presence.mandates import selectors as mandates
from presence.portfolio import selectors as portfolio
from presence.portfolio.models import FundingSource
from presence.resilience import selectors as resilience
from presence.resilience.models import AssessmentKind
from presence.staffing import selectors as staffing

CHART_KEYS = (
    "projects",
    "funding",
    "trend",
    "activities",
    "reviews",
    "posts",
    "events",
    "participants",
    "findings",
    "offices",
)
OTHER = "other"


def _kchf(value: Decimal) -> str:
    return str(portfolio.to_kchf(value))


def table1_block(live: Live, args: dict[str, Any]) -> dict[str, Any]:
    """Table 1 in its published form: region rows, MUL, Total, plus the column for other ITU funds.

    The three fixed columns are the published ones; every further source (kind "other", and any
    further source Table 1 lists) is summed into one "Other ITU funds" column, so a row adds up.
    """
    year = args["year"]
    table = portfolio.table1(user=live.user, year=year)
    fixed = [c for c in table.columns if c.kind]
    further = [c for c in table.columns if not c.kind]
    columns = [{"key": c.key, "label": c.label} for c in fixed]
    columns.append({"key": OTHER, "label": str(FundingSource.Kind.OTHER.label)})

    def row(item: portfolio.Table1Row) -> dict[str, Any]:
        other = sum((item.chf.get(c.key, Decimal(0)) for c in further), Decimal(0))
        return {
            "label": item.label,
            "projects": item.projects,
            "cells": [_kchf(item.chf.get(c.key, Decimal(0))) for c in fixed] + [_kchf(other)],
            "total": str(item.total_kchf),
            # Summed in full precision and rounded once, as every figure (docs/architecture.md).
            "shown": _kchf(sum((item.chf.get(c.key, Decimal(0)) for c in fixed), Decimal(0))),
            "url": drill("portfolio:project-list", year=year, region=item.region),
        }

    total = row(table.total)
    return {
        "year": year,
        "columns": columns,
        "rows": [row(item) for item in table.rows],
        "total": total,
        "other_total": total["cells"][-1],
        "unconverted": len(table.unconverted),
        "url": drill("portfolio:table1", year=year),
        "computed_at": live.now.isoformat(),
    }


def chart_to_data(chart: Chart) -> dict[str, Any]:
    return {
        "key": chart.key,
        "title": chart.title,
        "kind": chart.kind,
        "unit": chart.unit,
        "categories": chart.categories,
        "category_label": chart.category_label,
        "category_names": chart.category_names,
        "series": [
            {
                "name": s.name,
                "points": [
                    {"category": p.category, "value": None if p.value is None else str(p.value), "url": p.url}
                    for p in s.points
                ],
            }
            for s in chart.series
        ],
        "computed_at": chart.as_of.isoformat(),
    }


def chart_from_data(data: dict[str, Any]) -> Chart:
    import datetime as dt

    def number(text: str | None) -> int | Decimal | None:
        if text is None:
            return None
        value = Decimal(text)
        return int(value) if value == value.to_integral_value() and "." not in text else value

    return Chart(
        key=data["key"],
        title=data["title"],
        kind=data["kind"],
        unit=data["unit"],
        categories=list(data["categories"]),
        series=[
            Series(s["name"], [Point(p["category"], number(p["value"]), p["url"]) for p in s["points"]])
            for s in data["series"]
        ],
        as_of=dt.datetime.fromisoformat(data["computed_at"]),
        category_label=data["category_label"],
        category_names=dict(data["category_names"]),
    )


def chart_block(live: Live, args: dict[str, Any]) -> dict[str, Any]:
    chart = live.dashboard(args["year"]).chart(args["key"])
    if chart is None:  # every key of CHART_KEYS is drawn by the overview; kept for safety
        raise LookupError(args["key"])
    return chart_to_data(chart)


def staffing_measures_block(live: Live, args: dict[str, Any]) -> dict[str, Any]:
    start, end = period_of(args)
    rows = staffing.measures(user=live.user, start=start, end=end)
    keys = (
        "g6_to_p2_upgrades",
        "new_p5_posts",
        "relocations_to_field",
        "tsb_field_deployments",
        "new_field_posts",
    )
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "columns": [
            _g("G6 to P2 upgrades"),
            _g("New P5 posts"),
            _g("Relocations to the field"),
            _g("TSB staff deployed to the field"),
            _g("New field posts"),
        ],
        "rows": [
            {"label": row.region or _g("Total"), "values": [getattr(row, k) for k in keys]}
            for row in rows
            if row.region == "" or any(getattr(row, k) for k in keys)
        ],
        "url": drill("staffing:measures", start=start.isoformat(), end=end.isoformat()),
        "computed_at": live.now.isoformat(),
    }


def forums_block(live: Live, args: dict[str, Any]) -> dict[str, Any]:
    start, end = period_of(args)
    kind = args.get("kind", "forum")
    events = engagement.event_list(user=live.user, kind=kind, start=start, end=end).order_by(
        "start_date", "pk"
    )
    rows = [
        {
            "title": e.title,
            "region": e.region.code,
            "city": e.city,
            "date": e.start_date.isoformat(),
            "participants": e.participants_total,
            "url": e.get_absolute_url(),
        }
        for e in events
    ]
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "rows": rows,
        "participants": sum(r["participants"] for r in rows),
        "url": drill("engagement:event-list", kind=kind, start=start.isoformat(), end=end.isoformat()),
        "computed_at": live.now.isoformat(),
    }


def _percent(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def resilience_status_block(live: Live, args: dict[str, Any]) -> dict[str, Any]:
    """Per office: latest compliance per assessment type, open critical/high findings, coverage, workdays."""
    rows = []
    for item in resilience.region_rows(user=live.user, region=args.get("region")):
        office = item["office"]
        findings = item["findings"] or {}
        coverage = item["coverage"]
        rows.append(
            {
                "office": office.localized_name,
                "region": office.region.code if office.region else "",
                "compliance": [_percent(a.compliance) if a is not None else None for a in item["compliance"]],
                "critical": findings.get("critical", 0),
                "high": findings.get("high", 0),
                "coverage": _percent(coverage.percent) if coverage is not None else None,
                "remaining_workdays": str(item["remaining_workdays"]),
                "url": reverse("resilience:office", args=[office.code]),
            }
        )
    return {
        "kinds": [{"code": kind.upper(), "label": str(label)} for kind, label in AssessmentKind.choices],
        "rows": rows,
        "url": drill("resilience:overview"),
        "computed_at": live.now.isoformat(),
    }


def installations_block(live: Live, args: dict[str, Any]) -> dict[str, Any]:
    by_office: dict[str, dict[str, Any]] = {}
    for item in resilience.installation_list(user=live.user).order_by("office__name", "planned_start"):
        row = by_office.setdefault(
            item.office.code,
            {
                "office": item.office.localized_name,
                "planned": 0,
                "in_progress": 0,
                "completed": 0,
                "cancelled": 0,
                "remaining": Decimal(0),
                "planned_end": "",
            },
        )
        row[item.status] += 1
        row["remaining"] += item.remaining_workdays
        if item.status in item.OPEN_STATUSES:
            row["planned_end"] = max(row["planned_end"], item.planned_end.isoformat())
    progress = resilience.installation_progress(user=live.user)
    return {
        "rows": [{**row, "remaining": str(row["remaining"])} for row in by_office.values()],
        "total": {
            "planned": progress.planned,
            "in_progress": progress.in_progress,
            "completed": progress.completed,
            "cancelled": progress.cancelled,
            "remaining": str(progress.remaining_workdays),
        },
        "url": drill("resilience:installation-list"),
        "computed_at": live.now.isoformat(),
    }


def coverage_block(live: Live, args: dict[str, Any]) -> dict[str, Any]:
    rows = resilience.coverage_by_office(user=live.user, on=args.get("on"))
    summary = resilience.coverage_summary(rows)
    return {
        "rows": [
            {
                "office": r.office.localized_name,
                "counted_on": r.counted_on.isoformat() if r.counted_on else "",
                "registered": r.registered,
                "staff": r.staff,
                "percent": _percent(r.percent),
                "below": r.below_threshold,
            }
            for r in rows
        ],
        "total": {
            "registered": summary.registered,
            "staff": summary.staff,
            "percent": _percent(summary.percent),
        },
        "threshold": str(summary.threshold),
        "url": drill("resilience:coverage"),
        "computed_at": live.now.isoformat(),
    }


def tracker_block(live: Live, args: dict[str, Any]) -> dict[str, Any]:
    """The governing bodies' published requests, their evidence computed from records and progress."""
    rows = mandates.tracker_rows(user=live.user, published_only=True, today=live.now.date())
    return {
        "rows": [
            {
                "body": str(r["body"]),
                "session": r["session"],
                "reference": r["reference"],
                "text": r["text"],
                "due": r["due"].isoformat() if r["due"] else "",
                "status": str(r["status"]),
                "evidence": str(r["evidence_label"]),
                "value": r["evidence_value"],
                "total": r["evidence_total"],
                "progress": None if r["progress"] is None else str(r["progress"]),
                "assessment": str(r["assessment"]),
            }
            for r in rows
        ],
        "url": drill("mandates:mandate-list"),
        "computed_at": live.now.isoformat(),
    }


@dataclass(frozen=True)
class BlockKind:
    name: str
    label: str | Promise
    params: tuple[Param, ...]
    compute: Callable[[Live, dict[str, Any]], dict[str, Any]]
    period: bool = False

    @property
    def template(self) -> str:
        return f"council/blocks/{self.name}.html"

    def as_field(self) -> LiveField:
        """The same argument checks as the live fields (without the display arguments)."""
        return LiveField(self.name, self.label, self.params, self.compute, period=self.period, display=False)


YEAR = Param("year", "year", required=True)
BLOCKS: dict[str, BlockKind] = {
    b.name: b
    for b in (
        BlockKind("table1", _("Table 1: on-going projects by region (k CHF)"), (YEAR,), table1_block),
        BlockKind(
            "chart",
            _("A chart of the dashboard's overview"),
            (YEAR, Param("key", "choice", required=True, choices=CHART_KEYS)),
            chart_block,
        ),
        BlockKind(
            "staffing_measures", _("Staffing measures by region"), (), staffing_measures_block, period=True
        ),
        BlockKind(
            "forums",
            _("Forums (or other events) and their participants"),
            (Param("kind", "choice", choices=("forum", "workshop", "training", "seminar", "meeting")),),
            forums_block,
            period=True,
        ),
        BlockKind("resilience_status", _("Resilience status by office"), (), resilience_status_block),
        BlockKind(
            "installations", _("Installations and remaining workdays by office"), (), installations_block
        ),
        BlockKind(
            "coverage", _("Crisis-communications coverage by office"), (Param("on", "date"),), coverage_block
        ),
        BlockKind(
            "tracker", _("Governing bodies' requests and the evidence of their progress"), (), tracker_block
        ),
    )
}
