"""Planning documents register: business continuity, crisis management, ICT disaster recovery plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied
from presence.core.filtering import bind, list_page
from presence.core.selectors import get_or_404
from presence.core.views import create_from, delete_confirmation, update_from
from presence.org.access import Action, can_anywhere, check
from presence.org.personal import sees_personal
from presence.resilience import selectors, services
from presence.resilience.filters import PlanFilter
from presence.resilience.forms import PlanForm
from presence.resilience.models import (
    PlanningDocument,
)
from presence.resilience.views._common import (
    form_page,
    place_of,
    record_detail,
    writable_offices,
)

# Planning documents ---------------------------------------------------------------------------


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
    """Planning documents; `?expiring=1` lists the current ones due for review (the reminder list)."""
    filters = bind(PlanFilter, request)
    today = timezone.localdate()
    filters.today = today
    days = selectors.current_settings().plan_warning_days
    names = sees_personal(request.user)

    def rows(plans: Any) -> Iterable[dict[str, Any]]:
        for p in plans:
            yield {
                "owner": _owner(p) if names else "",
                "office": p.office.localized_name,
                "region": p.office.region.code if p.office.region else "",
                "plan": p.get_kind_display(),
                "version": p.edition,
                "approved_on": p.approved_on,
                "next_review_on": p.next_review_on,
                "current": "no" if getattr(p, "superseded", False) else "yes",
                "flag": _plan_flag(p, today, days),
            }

    def context(plans: Any, page: Page) -> dict[str, Any]:
        valid = filters.is_valid()
        return {
            "rows": [(p, _plan_flag(p, today, days)) for p in page],
            "days": days,
            "expiring_only": valid and bool(filters.form.cleaned_data.get("expiring")),
            "missing": selectors.missing_plans(user=request.user, **place_of(filters)) if valid else [],
            "show_owner": names,
            "can_add": can_anywhere(request.user, Action.ADD, PlanningDocument),
        }

    return list_page(
        request,
        PlanFilter,
        lambda bound: selectors.plan_list(user=request.user, filters=bound),
        template="resilience/plan_list.html",
        filters=filters,
        rows=rows,
        context=context,
        extra_columns=[PlanFilter.owner_column] if names else (),
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_or_404(selectors.plan_get, user=request.user, pk=pk)
    return record_detail(
        request,
        plan,
        back=reverse("resilience:plan-list"),
        urls="plan",
        facts=[
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
                _plan_flag(plan, timezone.localdate(), selectors.current_settings().plan_warning_days) or "-",
            ),
            (_("Notes"), plan.notes or "-"),
        ],
        history=selectors.plan_history(user=request.user, plan=plan),
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
        save=create_from(request, form, services.plan_create),
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
        save=update_from(request, form, services.plan_update, plan=plan),
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
