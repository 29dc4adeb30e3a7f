"""Dashboard pages: overview, region and office, each with its charts' data as CSV or XLSX."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from presence.core import figures as core_figures
from presence.core.charts import world_map
from presence.core.exports import table_download
from presence.core.filtering import page_number, requested_format
from presence.core.selectors import get_or_404
from presence.core.years import year_in_error
from presence.dashboard import figures, selectors
from presence.dashboard.filters import DashboardFilterForm, DashboardFilters
from presence.org.access import audience

View = Callable[..., HttpResponse]


def dashboard_access(view: View) -> View:
    """Logged-in users always; anonymous visitors only when the public dashboard is switched on."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and not settings.PUBLIC_DASHBOARD:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def _download(request: HttpRequest, data: selectors.Dashboard, slug: str) -> HttpResponse | None:
    """The data of one chart (`?chart=<key>&format=csv|xlsx`), or None when no download is asked for."""
    fmt = requested_format(request)
    key = request.GET.get("chart", "")
    if fmt is None or not key:
        return None
    chart = data.chart(key)
    if chart is None:
        raise Http404(_("No such chart."))
    return table_download(
        columns=chart.table_columns(),
        rows=chart.table_rows(),
        filename=f"dashboard-{slug}-{key}-{data.filters.year}",
        fmt=fmt,
        title=chart.title,
    )


def _page(
    request: HttpRequest,
    *,
    form: DashboardFilterForm,
    filters: DashboardFilters,
    mode: str,
    slug: str,
    title: str = "",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    data, countries = figures.dashboard_with_countries(
        user=request.user,
        filters=filters,
        mode=mode,
        links=request.user.is_authenticated,
        page=page_number(request),
    )
    if title:
        data.title = title
    # A year out of range is shown at its field with 400 (the figures are the default year's); no download.
    status = 400 if year_in_error(form) else 200
    download = _download(request, data, slug) if status == 200 else None
    if download is not None:
        return download
    context = {
        "form": form,
        "data": data,
        "query": data.filters.query(),
        **(extra or {}),
    }

    def body() -> str:
        """The page below its filters: the sections, the map, the trend and the offices.

        Each section and the map are rendered once per content: after a write, only the sections
        whose figures changed are rendered again."""
        page = context.get("page", "")
        sections = [
            core_figures.by_content(
                "dashboard-section-html",
                parts=(section, page, context["query"]),
                compute=lambda section=section: render_to_string(  # type: ignore[misc]
                    "dashboard/_section.html", {"section": section, "page": page, "query": context["query"]}
                ),
            )
            for section in data.sections
        ]
        world = None
        if data.mode == "region":
            title = _("Offices, and regions shaded by %(measure)s") % {
                "measure": data.map_measure_label.lower()
            }
            world = core_figures.by_content(
                "dashboard-map",
                parts=(
                    title,
                    data.map_unit,
                    countries,
                    data.map_regions,
                    data.map_markers,
                    data.map_marker_label,
                ),
                compute=lambda: world_map(
                    title=title,
                    unit=data.map_unit,
                    country_regions=countries,
                    regions=data.map_regions,
                    markers=data.map_markers,
                    marker_label=data.map_marker_label,
                ),
            )
        offices = Paginator(range(data.offices_count), data.offices_per_page).get_page(data.offices_page)
        return render_to_string(
            "dashboard/_body.html",
            {
                **context,
                "world_map": world,
                "offices_page": offices,
                "sections": sections,  # markup as rendered: safe strings, kept so in the cache
            },
            request=request,
        )

    # Rendered once per data version, audience, language and query (its page links keep the query).
    context["body"] = mark_safe(  # noqa: S308 - a template's output, escaped as it was rendered
        core_figures.cached(
            "dashboard-body",
            audience=audience(request.user),
            parts=(filters, mode, slug, request.user.is_authenticated, request.GET.urlencode()),
            compute=body,
        )
    )
    return render(request, "dashboard/page.html", context, status=status)


@dashboard_access
def overview(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None)
    filters = form.filters()
    return _page(
        request, form=form, filters=filters, mode="region", slug="overview", extra={"page": "overview"}
    )


@dashboard_access
def region(request: HttpRequest, code: str) -> HttpResponse:
    place = get_or_404(selectors.region_get, user=request.user, code=code)
    form = DashboardFilterForm(request.GET or None, fixed="region")
    filters = form.filters(region=place.code)
    return _page(
        request,
        form=form,
        filters=filters,
        mode="office",
        slug=place.code,
        title=place.localized_name,
        extra={"page": "region", "region": place},
    )


@dashboard_access
def office(request: HttpRequest, code: str) -> HttpResponse:
    place = get_or_404(selectors.office_get, user=request.user, code=code)
    form = DashboardFilterForm(request.GET or None, fixed="office")
    filters = form.filters(region=place.region.code if place.region else "", office=place.code)
    return _page(
        request,
        form=form,
        filters=filters,
        mode="office",
        slug=place.code,
        title=place.localized_name,
        extra={"page": "office", "office": place},
    )
