"""Pages: the activity list (with export), an activity's detail, creating and editing activities."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied
from presence.core.filtering import list_page
from presence.core.selectors import get_or_404
from presence.core.views import create_from, form_page, update_from
from presence.org.access import Action, can, can_anywhere, check
from presence.org.personal import history_for
from presence.results import selectors, services
from presence.results.filters import ActivityFilter
from presence.results.forms import ActivityForm
from presence.results.models import Activity, ReportingPeriod
from presence.results.views._common import _current_year


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    def rows(activities: Any) -> Iterator[dict[str, Any]]:
        for a in activities:
            yield {
                "year": a.year,
                "code": a.code,
                "title": a.title,
                "level": a.get_level_display(),
                "region": a.region.code if a.region else "",
                "office": a.responsible_office.localized_name,
                "countries": a.country_codes or "",
                "outputs": a.output_codes or "",
                "planned_budget": a.planned_budget,
                "status": a.get_status_display(),
                "indicators": a.indicator_count,
            }

    def context(activities: Any, page: Page) -> dict[str, Any]:
        budget = None
        if isinstance(activities, QuerySet):  # the budget of every matching activity, one query
            matching = Activity.objects.filter(pk__in=activities.values("pk"))
            budget = matching.aggregate(total=Sum("planned_budget"))["total"]
        return {
            "total_budget": budget or Decimal(0),
            "can_add": can_anywhere(request.user, Action.ADD, Activity),
        }

    return list_page(
        request,
        ActivityFilter,
        lambda filters: selectors.activity_table(user=request.user, filters=filters),
        template="results/activity_list.html",
        rows=rows,
        context=context,
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
    return form_page(
        request,
        form,
        create_from(request, form, services.activity_create),
        template="results/activity_form.html",
        context={"activity": None},
        done=lambda activity: _("Activity %(code)s created.") % {"code": activity.code},
    )


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_or_404(selectors.activity_get, user=request.user, pk=pk)
    check(request.user, Action.CHANGE, activity)
    form = ActivityForm(request.POST or None, instance=activity)
    return form_page(
        request,
        form,
        update_from(request, form, services.activity_update, activity=activity),
        template="results/activity_form.html",
        context={"activity": activity},
        done=lambda saved: _("Activity %(code)s saved.") % {"code": saved.code},
    )
