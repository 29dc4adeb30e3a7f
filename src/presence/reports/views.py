"""The reports page and the dashboard's tables as documents."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from presence.core.years import refuse_invalid_year, year_in_error
from presence.dashboard import selectors as dashboard_selectors
from presence.dashboard.filters import DashboardFilterForm
from presence.dashboard.views import dashboard_access
from presence.reports import documents


@dashboard_access
def report_list(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None)
    filters = form.filters()
    return render(
        request,
        "reports/report_list.html",
        {
            "form": form,
            "filters": filters,
            "query": filters.query(),
            "table1": request.user.is_authenticated,
        },
        status=400 if year_in_error(form) else 200,  # a year out of range is shown at its field
    )


@dashboard_access
def dashboard_document(request: HttpRequest, fmt: str) -> HttpResponse:
    """The dashboard overview (or one region or office, by the filters) as XLSX, DOCX or PDF."""
    if fmt not in documents.FORMATS:
        raise Http404(_("No such format."))
    form = DashboardFilterForm(request.GET or None)
    refuse_invalid_year(form)
    filters = form.filters()
    # A region's document charts every office of the region (page=None), where the page shows one
    # page of them; the overview's charts are by region, and no document lists the offices.
    data = dashboard_selectors.dashboard(
        user=request.user,
        filters=filters,
        mode="office" if filters.region else "region",
        links=False,
        page=None if filters.region else 1,
    )
    response = HttpResponse(documents.render(data, fmt), content_type=documents.FORMATS[fmt])
    place = filters.office or filters.region or "all"
    response["Content-Disposition"] = f'attachment; filename="dashboard-{filters.year}-{place}.{fmt}"'
    return response
