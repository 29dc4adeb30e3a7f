"""Pages: Table 1 with drill-down and downloads, the funding list, reconciliation, the home panel."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presence.core.exports import Column, table_download
from presence.portfolio import documents, figures, selectors
from presence.portfolio.filters import FundingFilterForm
from presence.portfolio.forms import (
    ReconcileForm,
)
from presence.portfolio.models import (
    Funding,
)
from presence.portfolio.reconcile import TableError, reconcile_csv
from presence.portfolio.views._common import _year

FUNDING_COLUMNS = [
    Column("project", gettext_lazy("Project")),
    Column("region", gettext_lazy("Region")),
    Column("source", gettext_lazy("Funding source")),
    Column("partner", gettext_lazy("Partner")),
    Column("signed_on", gettext_lazy("Signed on")),
    Column("amount", gettext_lazy("Amount"), "#,##0.00"),
    Column("currency", gettext_lazy("Currency")),
    Column("chf", gettext_lazy("Amount (CHF)"), "#,##0.00"),
]


# Table 1 and the records behind each cell -----------------------------------------------------------


def _drop_empty(**params: str) -> dict[str, str]:
    return {key: value for key, value in params.items() if value}


def _cell_url(year: int, **params: str) -> str:
    query = {"year": str(year), **{k: v for k, v in params.items() if v}}
    return f"{reverse('portfolio:funding-list')}?{urlencode(query)}"


@login_required
def table1(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    table = figures.table1(user=request.user, year=year)
    fmt = request.GET.get("format", "")
    if fmt in documents.FORMATS:
        response = HttpResponse(documents.render(table, fmt), content_type=documents.FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="table1-{year}.{fmt}"'
        return response
    project_url = reverse("portfolio:project-list")
    rows = []
    for row in table.all_rows:
        cells = []
        for column in table.columns:
            url = _cell_url(year, region=row.region, kind=column.kind, source=column.source)
            cells.append((row.kchf(column.key), url))
        rows.append(
            {
                "label": row.label,
                "projects": row.projects,
                "projects_url": f"{project_url}?{urlencode(_drop_empty(year=str(year), region=row.region))}",
                "cells": cells,
                "total": row.total_kchf,
                "total_url": _cell_url(year, region=row.region),
            }
        )
    return render(
        request,
        "portfolio/table1.html",
        {
            "table": table,
            "rows": rows,
            "year": year,
            "years": selectors.table1_years(user=request.user),
            "headings": documents.headings(table),
            "footnote": _(documents.MUL_FOOTNOTE),
        },
    )


@login_required
def funding_list(request: HttpRequest) -> HttpResponse:
    filters = FundingFilterForm(request.GET or None)
    pairs: list[tuple[Funding, Decimal | None]] = []
    if filters.is_valid():
        pairs = selectors.with_chf(selectors.table1_fundings(user=request.user, **filters.selector_kwargs()))
    total = sum((chf for _f, chf in pairs if chf is not None), Decimal(0))
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:
        records = (
            {
                "project": f.project.code,
                "region": f.project.region.code,
                "source": f.source.name,
                "partner": f.partner.name if f.partner else "",
                "signed_on": f.signed_on,
                "amount": f.amount,
                "currency": f.currency,
                "chf": chf.quantize(Decimal("0.01")) if chf is not None else None,
            }
            for f, chf in pairs
        )
        return table_download(
            columns=FUNDING_COLUMNS, rows=records, filename="funding", fmt=fmt, title=gettext_lazy("Funding")
        )
    return render(
        request,
        "portfolio/funding_list.html",
        {
            "filters": filters,
            "pairs": pairs,
            "total_chf": total,
            "total_kchf": selectors.to_kchf(total),
            "unconverted": [f for f, chf in pairs if chf is None],
        },
    )


@login_required
def reconcile(request: HttpRequest) -> HttpResponse:
    form = ReconcileForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = reconcile_csv(upload.read().decode("utf-8-sig"))
        except (TableError, UnicodeDecodeError) as error:
            form.add_error("file", str(error))
    return render(request, "portfolio/reconcile.html", {"form": form, "result": result})


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The home page's portfolio panel: the current year's Table 1 totals and overdue reports."""
    if not getattr(request.user, "is_authenticated", False):
        return None
    year = timezone.localdate().year
    table = figures.table1(user=request.user, year=year)
    return {
        "template": "portfolio/home_panel.html",
        "portfolio_year": year,
        "portfolio_total": table.total,
        "portfolio_overdue": selectors.overdue_reports(user=request.user).count(),
    }
