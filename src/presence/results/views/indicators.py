"""Pages: an indicator's target/actual chart, creating, editing and deleting indicators, recording values."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presence.core.charts import Chart, Point, Series
from presence.core.errors import InvalidTransition, VersionConflict
from presence.core.filtering import bind, list_page
from presence.core.selectors import get_or_404
from presence.core.views import delete_confirmation, form_page, update_from
from presence.org.access import Action, can, check, restrict
from presence.org.personal import history_for
from presence.portfolio.models import Project
from presence.results import selectors, services
from presence.results.filters import IndicatorFilter
from presence.results.forms import IndicatorForm, IndicatorValueForm
from presence.results.models import Indicator, Outcome, Output
from presence.results.views._common import _back, _current_year


def target_actual_chart(indicator: Indicator, rows: list[selectors.PeriodRow]) -> Chart:
    """Target and actual per period as core grouped columns (actual solid, target hatched)."""
    categories = [row.label for row in rows]
    return Chart(
        key="indicator",
        title=_("Targets and actuals of %(c)s") % {"c": indicator.code},
        kind="grouped",
        unit="",
        categories=categories,
        series=[
            Series(_("Actual"), [Point(row.label, row.actual) for row in rows]),
            Series(_("Target"), [Point(row.label, row.target) for row in rows]),
        ],
        as_of=timezone.now(),
        category_label=_("Period"),
        emphasised=frozenset(row.label for row in rows if row.quarter == 0),
    )


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    """Indicators with their year's target, actual and progress, a page at a time; the dashboard's
    indicator tile links here.

    The filters (year, region, office, progress) stay in the URL and drive the CSV and XLSX downloads
    of every matching indicator (read in chunks, `selectors.IndicatorRows`).
    """
    filters = bind(IndicatorFilter, request)

    def rows(found: selectors.IndicatorRows) -> Iterator[dict[str, Any]]:
        year = filters.figures_year()
        for r in found:
            yield {
                "year": year,
                "code": r.indicator.code,
                "name": r.indicator.name,
                "measures": r.kind,
                "measured_code": getattr(r.record, "code", ""),
                "measured_title": getattr(r.record, "title", ""),
                "region": r.region.code if r.region else "",
                "office": r.office.code if r.office else "",
                "baseline": r.baseline,
                "target": r.target,
                "actual": r.actual,
                "progress": r.progress_percent,
                "status": r.status,
            }

    return list_page(
        request,
        IndicatorFilter,
        lambda bound: selectors.indicator_rows(user=request.user, filters=bound),
        template="results/indicator_list.html",
        filters=filters,
        rows=rows,
        context=lambda found, page: {"year": filters.figures_year()},
    )


@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_or_404(selectors.indicator_get, user=request.user, pk=pk)
    rows = selectors.indicator_series(indicator)
    breakdown = [v for v in indicator.values.all() if not v.is_total]
    return render(
        request,
        "results/indicator_detail.html",
        {
            "indicator": indicator,
            "rows": rows,
            "chart": target_actual_chart(indicator, rows) if indicator.is_quantitative and rows else None,
            "breakdown": breakdown,
            "history": history_for(user=request.user, record=indicator, limit=30),
            "can_change": can(request.user, Action.CHANGE, indicator),
            "value_form": IndicatorValueForm(initial={"year": _current_year(), "quarter": 0}),
        },
    )


ATTACH = ("outcome", "output", "activity", "project")


def _attachment(request: HttpRequest) -> tuple[str, Any]:
    """The record a new indicator will measure, named in the query (?activity=ID, ?project=CODE ...)."""
    for name in ATTACH:
        value = request.GET.get(name)
        if not value:
            continue
        if name == "activity":
            return name, get_or_404(selectors.activity_get, user=request.user, pk=int(value))
        if name == "project":
            return name, get_or_404(restrict(Project.objects.all(), request.user, Action.VIEW), code=value)
        model = Outcome if name == "outcome" else Output
        return name, get_or_404(model, pk=int(value))
    raise Http404(_("Say what the indicator measures: an outcome, output, activity or project."))


def _indicator_back(indicator: Indicator | None, name: str = "", record: Any = None) -> str:
    if indicator is not None:
        name, record = next(
            ((n, getattr(indicator, n)) for n in ATTACH if getattr(indicator, f"{n}_id")), ("", None)
        )
    if name == "activity":
        return str(record.get_absolute_url())
    if name == "project":
        return reverse("results:project-results", args=[record.code])
    if record is not None:
        return _back(record)
    return reverse("results:framework")


@login_required
def indicator_create(request: HttpRequest) -> HttpResponse:
    name, record = _attachment(request)
    form = IndicatorForm(request.POST or None)
    if request.method != "POST":
        # Show the form only to those the service will let through.
        region, office = services._indicator_place({name: record})
        check(request.user, Action.ADD, Indicator(region=region, office=office, **{name: record}))
        services._check_framework_kpi(request.user, Action.CHANGE, {name: record})
    return form_page(
        request,
        form,
        lambda: services.indicator_create(actor=request.user, **{name: record}, **form.service_data()),
        template="results/indicator_form.html",
        context=lambda: {
            "indicator": None,
            "measures": record,
            "cancel_url": _indicator_back(None, name, record),
        },
        done=lambda indicator: _("Indicator %(code)s created.") % {"code": indicator.code},
    )


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_or_404(selectors.indicator_get, user=request.user, pk=pk)
    check(request.user, Action.CHANGE, indicator)
    form = IndicatorForm(request.POST or None, instance=indicator)
    return form_page(
        request,
        form,
        update_from(request, form, services.indicator_update, indicator=indicator),
        template="results/indicator_form.html",
        context=lambda: {
            "indicator": indicator,
            "measures": indicator.measured_record,
            "cancel_url": indicator.get_absolute_url(),
            "history": history_for(user=request.user, record=indicator, limit=30),
        },
        done=lambda saved: _("Indicator %(code)s saved.") % {"code": saved.code},
    )


@login_required
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_or_404(selectors.indicator_get, user=request.user, pk=pk)
    return delete_confirmation(
        request,
        record=indicator,
        delete=lambda version: services.indicator_delete(
            actor=request.user, indicator=indicator, expected_version=version
        ),
        after=_indicator_back(indicator),
        cancel=indicator.get_absolute_url(),
        done=_("Indicator %(code)s deleted.") % {"code": indicator.code},
    )


@login_required
@require_POST
def indicator_value(request: HttpRequest, pk: int) -> HttpResponse:
    """Set a target, actual or note of the indicator from its page; errors come back as messages."""
    indicator = get_or_404(selectors.indicator_get, user=request.user, pk=pk)
    form = IndicatorValueForm(request.POST)
    if not form.is_valid():
        for field, field_errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(map(str, field_errors))}")
        return redirect(indicator)
    data = form.cleaned_data
    try:
        services.indicator_value_set(
            actor=request.user,
            indicator=indicator,
            year=data["year"],
            quarter=data["quarter"],
            breakdown_region=data["breakdown_region"],
            gender=data["gender"] or "",
            target=data["target"],
            actual=data["actual"],
            note=data["note"],
        )
    except ValidationError as error:
        for name, texts in error.message_dict.items():
            messages.error(request, f"{name}: {' '.join(texts)}")
    except (InvalidTransition, VersionConflict) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Value saved."))
    return redirect(indicator)
