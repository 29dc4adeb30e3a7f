"""Planning documents register: business continuity, crisis management, ICT disaster recovery plans."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presence.core.errors import AccessDenied
from presence.core.exports import Column
from presence.core.selectors import get_or_404
from presence.core.views import delete_confirmation
from presence.org.access import Action, can, can_anywhere, check
from presence.org.personal import sees_personal
from presence.resilience import selectors, services
from presence.resilience.forms import (
    PlanForm,
    StatusFilterForm,
)
from presence.resilience.models import (
    PlanningDocument,
)
from presence.resilience.views._common import (
    download_if_asked,
    form_page,
    visible_offices,
    writable_offices,
)

# Planning documents ---------------------------------------------------------------------------

PLAN_COLUMNS = [
    Column("office", gettext_lazy("Office")),
    Column("region", gettext_lazy("Region")),
    Column("plan", gettext_lazy("Plan")),
    Column("version", gettext_lazy("Version")),
    Column("approved_on", gettext_lazy("Approval date")),
    Column("next_review_on", gettext_lazy("Next review date")),
    Column("current", gettext_lazy("Current")),
    Column("flag", gettext_lazy("Flag")),
]
OWNER_COLUMN = Column("owner", gettext_lazy("Owner"))


def _owner(plan: PlanningDocument) -> str:
    return (plan.owner.get_full_name() or plan.owner.username) if plan.owner else ""


def _plan_flag(plan: PlanningDocument, today: dt.date, days: int) -> str:
    if getattr(plan, "superseded", False):
        return ""
    if plan.next_review_on < today:
        return "review overdue"
    if plan.next_review_on <= today + dt.timedelta(days=days):
        return "review due soon"
    return ""


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    offices = visible_offices(request)
    filters = StatusFilterForm(request.GET or None, offices=offices)
    filters.fields.pop("status")
    place = filters.place()
    today = timezone.localdate()
    days = selectors.current_settings().plan_warning_days
    expiring_only = request.GET.get("expiring") == "1"
    plans = (
        selectors.expiring_plans(user=request.user, today=today, **place)
        if expiring_only
        else selectors.plan_list(user=request.user, **place)
    )
    rows = [(p, _plan_flag(p, today, days)) for p in plans]
    names = sees_personal(request.user)
    export = download_if_asked(
        request,
        [*PLAN_COLUMNS, OWNER_COLUMN] if names else PLAN_COLUMNS,
        (
            {
                "owner": _owner(p) if names else "",
                "office": p.office.localized_name,
                "region": p.office.region.code if p.office.region else "",
                "plan": p.get_kind_display(),
                "version": p.edition,
                "approved_on": p.approved_on,
                "next_review_on": p.next_review_on,
                "current": "no" if getattr(p, "superseded", False) else "yes",
                "flag": flag,
            }
            for p, flag in rows
        ),
        "plans",
    )
    if export:
        return export
    return render(
        request,
        "resilience/plan_list.html",
        {
            "rows": rows,
            "filters": filters,
            "days": days,
            "expiring_only": expiring_only,
            "missing": selectors.missing_plans(user=request.user, **place),
            "show_owner": names,
            "can_add": can_anywhere(request.user, Action.ADD, PlanningDocument),
        },
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_or_404(selectors.plan_get, user=request.user, pk=pk)
    return render(
        request,
        "resilience/record_detail.html",
        {
            "record": plan,
            "title": str(plan),
            "back": reverse("resilience:plan-list"),
            "facts": [
                (_("Office"), plan.office.localized_name),
                (_("Plan"), plan.get_kind_display()),
                (_("Version"), plan.edition),
                (_("Approval date"), plan.approved_on),
                (_("Next review date"), plan.next_review_on),
                *(
                    [(_("Owner"), _owner(plan) or _("none: the global security focal points are reminded"))]
                    if sees_personal(request.user)
                    else []
                ),
                (
                    _("Flag"),
                    _plan_flag(plan, timezone.localdate(), selectors.current_settings().plan_warning_days)
                    or "-",
                ),
                (_("Notes"), plan.notes or "-"),
            ],
            "edit_url": reverse("resilience:plan-edit", args=[plan.pk])
            if can(request.user, Action.CHANGE, plan)
            else "",
            "delete_url": reverse("resilience:plan-delete", args=[plan.pk])
            if can(request.user, Action.DELETE, plan)
            else "",
            "history": selectors.plan_history(user=request.user, plan=plan),
        },
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, PlanningDocument):
        raise AccessDenied(_("You are not allowed to register plans."))
    form = PlanForm(request.POST or None, offices=writable_offices(request, PlanningDocument))
    return form_page(
        request,
        form,
        title=_("Register a planning document"),
        back=reverse("resilience:plan-list"),
        save=lambda: services.plan_create(actor=request.user, **form.service_data()),
        done=_("Plan registered."),
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_or_404(selectors.plan_get, user=request.user, pk=pk)
    check(request.user, Action.CHANGE, plan)
    form = PlanForm(request.POST or None, instance=plan, offices=writable_offices(request, PlanningDocument))
    return form_page(
        request,
        form,
        title=_("Edit planning document"),
        back=plan.get_absolute_url(),
        save=lambda: services.plan_update(
            actor=request.user, plan=plan, expected_version=form.expected_version(), **form.service_data()
        ),
        done=_("Plan saved."),
    )


@login_required
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_or_404(selectors.plan_get, user=request.user, pk=pk)
    return delete_confirmation(
        request,
        record=plan,
        delete=lambda version: services.plan_delete(actor=request.user, plan=plan, expected_version=version),
        after=reverse("resilience:plan-list"),
        warning=_("The previous version of this plan, if any, becomes the current one."),
    )
