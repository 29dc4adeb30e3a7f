"""Pages: the activity list (with export), an activity's detail, creating and editing activities."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presence.core.errors import AccessDenied
from presence.core.exports import Column, table_download
from presence.core.selectors import get_or_404
from presence.core.views import submit_form
from presence.org.access import Action, can, can_anywhere, check
from presence.org.personal import history_for
from presence.results import selectors, services
from presence.results.forms import ActivityFilterForm, ActivityForm
from presence.results.models import Activity, ReportingPeriod
from presence.results.views._common import _current_year

ACTIVITY_COLUMNS = [
    Column("year", gettext_lazy("Year")),
    Column("code", gettext_lazy("Code")),
    Column("title", gettext_lazy("Title")),
    Column("level", gettext_lazy("Scope")),
    Column("region", gettext_lazy("Region")),
    Column("office", gettext_lazy("Responsible office")),
    Column("countries", gettext_lazy("Countries")),
    Column("outputs", gettext_lazy("Outputs")),
    Column("planned_budget", gettext_lazy("Planned budget (CHF)"), "#,##0.00"),
    Column("status", gettext_lazy("Status")),
    Column("indicators", gettext_lazy("Indicators")),
]


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    years = selectors.activity_years()
    filters = ActivityFilterForm(request.GET or None, years=years)
    values = filters.cleaned_data if filters.is_valid() else {}
    activities = selectors.activity_list(
        user=request.user,
        year=values.get("year"),
        region=values.get("region", ""),
        office=values["office"].code if values.get("office") else "",
        level=values.get("level", ""),
        status=values.get("status", ""),
        output=values.get("output"),
        q=values.get("q", ""),
    )
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:
        rows = (
            {
                "year": a.year,
                "code": a.code,
                "title": a.title,
                "level": a.get_level_display(),
                "region": a.region.code if a.region else "",
                "office": a.responsible_office.name,
                "countries": ", ".join(c.iso2 for c in a.countries.all()),
                "outputs": ", ".join(o.code for o in a.outputs.all()),
                "planned_budget": a.planned_budget,
                "status": a.get_status_display(),
                "indicators": a.indicator_count,  # type: ignore[attr-defined]
            }
            for a in activities
        )
        return table_download(
            columns=ACTIVITY_COLUMNS,
            rows=rows,
            filename="activities",
            fmt=fmt,
            title=gettext_lazy("Activities"),
        )
    activity_rows = list(activities)
    return render(
        request,
        "results/activity_list.html",
        {
            "activities": activity_rows,
            "filters": filters,
            "total_budget": sum((a.planned_budget for a in activity_rows), Decimal(0)),
            "can_add": can_anywhere(request.user, Action.ADD, Activity),
        },
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_or_404(selectors.activity_get, user=request.user, pk=pk)
    indicators = list(selectors.indicator_list(user=request.user, activity=activity))
    for indicator in indicators:
        indicator.figures = selectors.figures_for(indicator, list(indicator.values.all()), activity.year)  # type: ignore[attr-defined]
    periods = list(ReportingPeriod.objects.filter(year=activity.year))
    reviews = {r.period_id: r for r in selectors.review_list(user=request.user).filter(activity=activity)}
    return render(
        request,
        "results/activity_detail.html",
        {
            "activity": activity,
            "indicators": indicators,
            "quarters": [(p, reviews.get(p.pk)) for p in periods],
            "history": history_for(user=request.user, record=activity, limit=50),
            "can_change": can(request.user, Action.CHANGE, activity),
        },
    )


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, Activity):
        raise AccessDenied(_("You are not allowed to add activities."))
    form = ActivityForm(request.POST or None, initial={"year": _current_year()})
    outcome = submit_form(
        request,
        form,
        lambda: services.activity_create(actor=request.user, **form.service_data()),
        done=lambda activity: _("Activity %(code)s created.") % {"code": activity.code},
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return render(request, "results/activity_form.html", {"form": form, "activity": None}, status=outcome)


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_or_404(selectors.activity_get, user=request.user, pk=pk)
    check(request.user, Action.CHANGE, activity)
    form = ActivityForm(request.POST or None, instance=activity)
    outcome = submit_form(
        request,
        form,
        lambda: services.activity_update(
            actor=request.user,
            activity=activity,
            expected_version=form.expected_version(),
            **form.service_data(),
        ),
        done=lambda saved: _("Activity %(code)s saved.") % {"code": saved.code},
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return render(request, "results/activity_form.html", {"form": form, "activity": activity}, status=outcome)
