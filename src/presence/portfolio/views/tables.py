"""Pages: Table 1 with drill-down and downloads, the funding list, reconciliation, the home panel."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.core.filtering import list_page
from presence.portfolio import documents, figures, selectors
from presence.portfolio.filters import FundingFilter
from presence.portfolio.forms import (
    ReconcileForm,
)
from presence.portfolio.reconcile import TableError, reconcile_csv
from presence.portfolio.views._common import _year, funding_context, funding_rows

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
    return list_page(
        request,
        FundingFilter,
        lambda filters: selectors.table1_fundings(user=request.user, filters=filters),
        template="portfolio/funding_list.html",
        rows=funding_rows,
        context=funding_context,
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
