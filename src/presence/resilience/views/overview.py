"""Overview per region and office, the office page and the risk matrix."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from presence.core import figures
from presence.core.exports import Column
from presence.core.filtering import paginate
from presence.core.selectors import get_or_404
from presence.org.access import Action, audience, can
from presence.resilience import selectors
from presence.resilience.confidential import sees_confidential, sees_confidential_anywhere
from presence.resilience.forms import (
    PlaceFilterForm,
)
from presence.resilience.models import (
    Assessment,
    AssessmentKind,
    Finding,
    PlanningDocument,
)
from presence.resilience.rules import RiskLevel
from presence.resilience.views._common import download_if_asked, visible_offices

# Overview, office page, risk matrix -----------------------------------------------------------

OVERVIEW_COLUMNS = [
    Column("office", gettext_lazy("Office")),
    Column("region", gettext_lazy("Region")),
    *[
        Column(f"compliance_{kind}", format_lazy(gettext_lazy("{kind} compliance %"), kind=label))
        for kind, label in AssessmentKind.choices
    ],
    Column("open_findings", gettext_lazy("Open findings")),
    *[
        Column(
            f"findings_{level}",
            format_lazy(gettext_lazy("Open findings: {level}"), level=RiskLevel.LABELS[level]),
        )
        for level in RiskLevel.ORDER
    ],
    Column("overdue_actions", gettext_lazy("Overdue actions")),
    Column("plans_expiring", gettext_lazy("Plans due for review")),
    Column("remaining_workdays", gettext_lazy("Remaining installation workdays"), "0.0"),
    Column("registered", gettext_lazy("Crisis-comms registered")),
    Column("staff", gettext_lazy("Staff")),
    Column("coverage", gettext_lazy("Coverage %")),
]


# Offices listed a page at a time on the overview (its download has every office).
OFFICES_PER_PAGE = 25
# What the overview's figures read: assessments, findings, plans and crisis-comms counts, the staff
# each office has (crisis-comms coverage), and the offices.
OVERVIEW_DOMAINS = ("org", "resilience", "staffing")


def _export_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "office": row["office"].name,
        "region": row["office"].region.code if row["office"].region else "",
        **{
            f"compliance_{kind}": (a.compliance if a else None)
            for (kind, _l), a in zip(AssessmentKind.choices, row["compliance"], strict=True)
        },
        "open_findings": row["findings"]["open"] if row["findings"] else 0,
        **{f"findings_{lvl}": (row["findings"][lvl] if row["findings"] else 0) for lvl in RiskLevel.ORDER},
        "overdue_actions": row["findings"]["overdue_actions"] if row["findings"] else 0,
        "plans_expiring": row["plans_expiring"],
        "remaining_workdays": row["remaining_workdays"],
        "registered": row["coverage"].registered if row["coverage"] else None,
        "staff": row["coverage"].staff if row["coverage"] else None,
        "coverage": row["coverage"].percent if row["coverage"] else None,
    }


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    offices = visible_offices(request)
    filters = PlaceFilterForm(request.GET or None, offices=offices)
    place = filters.place()
    export = download_if_asked(
        request,
        OVERVIEW_COLUMNS,
        (_export_row(row) for row in selectors.region_rows_in_chunks(user=request.user, **place)),
        "overview",
    )
    if export:
        return export
    summary, matrix = figures.cached(
        "resilience-overview",
        audience=audience(request.user),
        parts=(place["region"], place["office"]),
        compute=lambda: (
            # The overview shows how many plans are due, not which: no list to keep in the cache.
            dataclasses.replace(
                selectors.resilience_summary(user=request.user, **place),
                plans_expiring_list=PlanningDocument.objects.none(),
            ),
            selectors.risk_matrix(user=request.user, **place),
        ),
        domains=OVERVIEW_DOMAINS,
    )
    page = paginate(request, selectors.office_list(user=request.user, **place), per_page=OFFICES_PER_PAGE)
    ids = [office.pk for office in page.object_list]
    rows = figures.cached(
        "resilience-overview-rows",
        audience=audience(request.user),
        parts=(place["region"], place["office"], tuple(ids)),
        compute=lambda: selectors.region_rows(user=request.user, **place, offices=ids),
        domains=OVERVIEW_DOMAINS,
    )
    return render(
        request,
        "resilience/overview.html",
        {
            "filters": filters,
            "summary": summary,
            "rows": rows,
            "page": page,
            "kinds": AssessmentKind.choices,
            "levels": [(level, RiskLevel.LABELS[level]) for level in RiskLevel.ORDER],
            "matrix": matrix,
            "confidential": sees_confidential_anywhere(request.user),
            "can_change_settings": can(request.user, Action.CHANGE, selectors.current_settings()),
        },
    )


@login_required
def office_page(request: HttpRequest, code: str) -> HttpResponse:
    office = get_or_404(visible_offices(request), code=code)
    data = selectors.office_resilience(user=request.user, office=office)
    return render(
        request,
        "resilience/office.html",
        {
            "data": data,
            "office": office,
            "levels": [(level, RiskLevel.LABELS[level]) for level in RiskLevel.ORDER],
            "confidential": sees_confidential(request.user, Finding(assessment=Assessment(office=office))),
            "can_add_assessment": can(request.user, Action.ADD, Assessment(office=office)),
        },
    )


@login_required
def risk_matrix(request: HttpRequest) -> HttpResponse:
    offices = visible_offices(request)
    filters = PlaceFilterForm(request.GET or None, offices=offices)
    place = filters.place()
    findings: Any = None
    cell: tuple[int, int] | None = None
    if sees_confidential_anywhere(request.user):
        try:
            cell = (int(request.GET["likelihood"]), int(request.GET["impact"]))
        except (KeyError, ValueError):
            cell = None
        records = selectors.finding_list(user=request.user, status="open", **place)
        if cell:
            records = records.filter(likelihood=cell[0], impact=cell[1])
        # The open findings, highest risk first, a page at a time (the matrix counts them all).
        findings = paginate(request, records)
    # A cell's link keeps the place filters and starts at the first page of its findings.
    query = request.GET.copy()
    for name in ("page", "likelihood", "impact"):
        query.pop(name, None)
    return render(
        request,
        "resilience/matrix.html",
        {
            "filters": filters,
            "matrix": selectors.risk_matrix(user=request.user, **place),
            "by_level": selectors.findings_by_level(user=request.user, **place),
            "levels": [(level, RiskLevel.LABELS[level]) for level in RiskLevel.ORDER],
            "findings": findings,
            "page": findings,
            "sees_details": findings is not None,
            "cell": cell,
            "query": query.urlencode(),
        },
    )
