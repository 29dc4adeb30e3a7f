"""Security equipment installations and their timeline against capacity."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied
from presence.core.filtering import PER_PAGE, bind, list_page, paginate
from presence.core.selectors import get_or_404
from presence.core.views import create_from, delete_confirmation, update_from
from presence.org.access import Action, can_anywhere, check
from presence.resilience import selectors, services
from presence.resilience.filters import InstallationFilter
from presence.resilience.forms import (
    InstallationForm,
    PlaceFilterForm,
)
from presence.resilience.models import (
    Installation,
)
from presence.resilience.views._common import (
    form_page,
    place_of,
    record_detail,
    visible_offices,
    writable_offices,
)

# Installations --------------------------------------------------------------------------------


# Installations a page (a module constant so the rows test can measure it with a page the demo fills).
INSTALLATIONS_PER_PAGE = PER_PAGE


@login_required
def installation_list(request: HttpRequest) -> HttpResponse:
    def rows(installations: Any) -> Iterable[dict[str, Any]]:
        for i in installations:
            yield {
                "office": i.office.localized_name,
                "region": i.office.region.code if i.office.region else "",
                "installation": i.title,
                "status": i.get_status_display(),
                "planned_start": i.planned_start,
                "planned_end": i.planned_end,
                "actual_start": i.actual_start,
                "actual_end": i.actual_end,
                "estimated_workdays": i.estimated_workdays,
                "actual_workdays": i.actual_workdays,
                "remaining_workdays": i.remaining_workdays,
            }

    filters = bind(InstallationFilter, request)
    return list_page(
        request,
        InstallationFilter,
        lambda bound: selectors.installation_list(user=request.user, filters=bound),
        template="resilience/installation_list.html",
        filters=filters,
        rows=rows,
        per_page=INSTALLATIONS_PER_PAGE,
        context=lambda installations, page: {
            "progress": selectors.installation_progress(user=request.user, **place_of(filters)),
            "can_add": can_anywhere(request.user, Action.ADD, Installation),
        },
    )


@login_required
def installation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_or_404(selectors.installation_get, user=request.user, pk=pk)
    return record_detail(
        request,
        item,
        back=reverse("resilience:installation-list"),
        urls="installation",
        facts=[
            (_("Office"), item.office.name),
            (_("Status"), item.get_status_display()),
            (_("Planned"), f"{item.planned_start} - {item.planned_end}"),
            (_("Actual"), f"{item.actual_start or '-'} - {item.actual_end or '-'}"),
            (_("Estimated staff workdays"), item.estimated_workdays),
            (
                _("Actual staff workdays"),
                item.actual_workdays if item.actual_workdays is not None else "-",
            ),
            (_("Remaining staff workdays"), item.remaining_workdays),
            (_("Notes"), item.notes or "-"),
        ],
    )


@login_required
def installation_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, Installation):
        raise AccessDenied(_("You are not allowed to plan installations."))
    form = InstallationForm(request.POST or None, offices=writable_offices(request, Installation))
    return form_page(
        request,
        form,
        title=_("Plan an installation"),
        back=reverse("resilience:installation-list"),
        save=create_from(request, form, services.installation_create),
        done=_("Installation planned."),
    )


@login_required
def installation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_or_404(selectors.installation_get, user=request.user, pk=pk)
    check(request.user, Action.CHANGE, item)
    form = InstallationForm(
        request.POST or None, instance=item, offices=writable_offices(request, Installation)
    )
    return form_page(
        request,
        form,
        title=_("Edit installation"),
        back=item.get_absolute_url(),
        save=update_from(request, form, services.installation_update, installation=item),
        done=_("Installation saved."),
    )


# Up to this many months the timeline shows months; a longer plan is shown by quarter, so it fits a page.
MONTH_COLUMNS = 18
# Offices a page of the timeline lists (its workload and capacity rows count every office).
TIMELINE_OFFICES_PER_PAGE = PER_PAGE


@login_required
def timeline(request: HttpRequest) -> HttpResponse:
    offices = visible_offices(request)
    filters = PlaceFilterForm(request.GET or None, offices=offices)
    place = filters.place()
    capacity: Decimal | None = None
    capacity_error = ""
    if request.GET.get("capacity"):
        try:
            capacity = Decimal(request.GET["capacity"])
            if capacity < 0:
                raise InvalidOperation
        except InvalidOperation:
            capacity_error = _("Capacity must be a number of staff workdays per month, 0 or more.")
            capacity = None
    data = selectors.installation_timeline(user=request.user, capacity=capacity, **place)
    if len(data.months) > MONTH_COLUMNS:
        data = data.by_quarter()
    states = dict(Installation.Status.choices)
    page = paginate(request, data.rows, TIMELINE_OFFICES_PER_PAGE)
    labels = [
        f"{start.year} Q{(start.month - 1) // 3 + 1}"
        if data.period == "quarter"
        else date_format(start, "M y")
        for start in data.months
    ]
    return render(
        request,
        "resilience/timeline.html",
        {
            "filters": filters,
            "timeline": data,
            "capacity_error": capacity_error,
            "capacity_value": request.GET.get("capacity", ""),
            "columns": list(zip(labels, data.workload, data.over_capacity, strict=True)),
            "rows": [
                (
                    row,
                    [
                        (value, state, states.get(state, ""))
                        for value, state in zip(row.cells, row.states, strict=True)
                    ],
                )
                for row in page.object_list
            ],
            "page": page,
        },
    )


@login_required
def installation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_or_404(selectors.installation_get, user=request.user, pk=pk)
    return delete_confirmation(
        request,
        record=item,
        delete=lambda version: services.installation_delete(
            actor=request.user, installation=item, expected_version=version
        ),
        after=reverse("resilience:installation-list"),
        warning=_(
            "Its workdays leave the plan's totals and the timeline. A cancelled installation stays "
            "on record: set its status to cancelled instead if it was planned and dropped."
        ),
    )
