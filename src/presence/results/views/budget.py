"""Pages: budget allocation."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from presence.core.exports import Column, table_download
from presence.core.filtering import requested_format
from presence.results import selectors
from presence.results.forms import BudgetForm
from presence.results.views._common import _current_year


@login_required
def budget_allocation(request: HttpRequest) -> HttpResponse:
    form = BudgetForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    years = selectors.activity_years()
    year = values.get("year") or (years[0] if years else _current_year())
    data = selectors.budget_allocation(user=request.user, year=year, total=values.get("total"))
    fmt = requested_format(request)
    if fmt:
        columns = [
            Column("region", gettext_lazy("Region")),
            Column("actual", gettext_lazy("Actual (planned budgets, CHF)"), "#,##0.00"),
        ] + [
            Column(key, format_lazy(gettext_lazy("{method} (CHF)"), method=label), "#,##0.00")
            for key, label, _doc in data["methods"]
        ]
        rows = [{"region": r.region.code, "actual": r.actual, **r.shares} for r in data["rows"]]
        return table_download(
            columns=columns,
            rows=rows,
            filename=f"budget-allocation-{year}",
            fmt=fmt,
            title="Budget allocation",
        )
    return render(request, "results/budget_allocation.html", {"form": form, "years": years, **data})
