"""Findings and remediation actions (details for allowed roles, counts for everyone else)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.core.filtering import ListFilter, bind, download, list_page, requested_format
from presence.core.selectors import get_or_404
from presence.core.views import create_from, update_from
from presence.org.access import Action, can
from presence.org.personal import history_for
from presence.resilience import selectors, services
from presence.resilience.confidential import sees_confidential, sees_confidential_anywhere
from presence.resilience.filters import FINDING_COUNT_EXPORT, ActionFilter, FindingFilter
from presence.resilience.forms import ActionForm, FindingForm
from presence.resilience.models import (
    Finding,
    RemediationAction,
)
from presence.resilience.rules import RiskLevel
from presence.resilience.views._common import form_page, part_form_page, place_of

# Findings and actions -------------------------------------------------------------------------


def _count_rows(rows: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for row in rows:
        office = row["office"]
        yield {
            **{k: v for k, v in row.items() if k != "office"},
            "office": office.localized_name,
            "region": office.region.code if office.region else "",
        }


def _counts_page(request: HttpRequest, filters: ListFilter) -> HttpResponse:
    """What roles without access to confidential details get: counts per office, never the records."""
    valid = filters.is_valid()
    counts = selectors.findings_by_office(user=request.user, **place_of(filters)) if valid else []
    fmt = requested_format(request)
    if valid and fmt:
        return download(FINDING_COUNT_EXPORT, _count_rows(counts), fmt)
    return render(
        request,
        "resilience/finding_counts.html",
        {
            "rows": counts,
            "filters": filters.form,
            "list_filter": filters,
            "levels": [(lv, RiskLevel.LABELS[lv]) for lv in RiskLevel.ORDER],
        },
        status=200 if valid else 400,
    )


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    if not sees_confidential_anywhere(request.user):
        return _counts_page(request, bind(FindingFilter, request))

    def rows(findings: Any) -> Iterable[dict[str, Any]]:
        for f in findings:
            yield {
                "id": f.pk,
                "office": f.assessment.office.localized_name,
                "assessment": str(f.assessment),
                "requirement": f.requirement.code,
                "title": f.title,
                "details": f.details,
                "likelihood": f.likelihood,
                "impact": f.impact,
                "risk_level": f.risk_level,
                "treatment": f.get_treatment_display(),
                "owner": f.owner.get_username() if f.owner else "",
                "due_on": f.due_on,
                "status": f.get_status_display(),
                "open_actions": f.open_action_count,
            }

    return list_page(
        request,
        FindingFilter,
        lambda filters: selectors.finding_list(user=request.user, filters=filters),
        template="resilience/finding_list.html",
        rows=rows,
        context=lambda findings, page: {"today": timezone.localdate()},
    )


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_or_404(selectors.finding_get, user=request.user, pk=pk)
    return render(
        request,
        "resilience/finding_detail.html",
        {
            "finding": finding,
            "actions": finding.actions.select_related("owner").order_by("due_on", "pk"),
            "history": history_for(user=request.user, record=finding, limit=50),
            "can_change": can(request.user, Action.CHANGE, finding),
            "today": timezone.localdate(),
        },
    )


@login_required
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_or_404(selectors.assessment_get, user=request.user, pk=pk)
    if not sees_confidential(request.user, Finding(assessment=assessment)):
        raise Http404(_("No such record, or you may not see it."))
    form = FindingForm(request.POST or None, assessment=assessment)
    return form_page(
        request,
        form,
        title=_("Record a finding"),
        back=assessment.get_absolute_url(),
        save=create_from(request, form, services.finding_create, assessment=assessment),
        done=_("Finding recorded."),
    )


@login_required
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_or_404(selectors.finding_get, user=request.user, pk=pk)
    form = FindingForm(request.POST or None, instance=finding, assessment=finding.assessment)
    return form_page(
        request,
        form,
        title=_("Edit finding"),
        back=finding.get_absolute_url(),
        save=update_from(request, form, services.finding_update, finding=finding),
        done=_("Finding saved."),
    )


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_or_404(selectors.finding_get, user=request.user, pk=pk)
    form = ActionForm(request.POST or None)
    return part_form_page(
        request,
        form,
        parent=finding,
        title=_("Add a remediation action"),
        write=create_from(request, form, services.action_create, finding=finding),
        done=_("Action added."),
    )


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_or_404(selectors.action_list(user=request.user), pk=pk)
    form = ActionForm(request.POST or None, instance=action)
    return part_form_page(
        request,
        form,
        parent=action.finding,
        title=_("Edit remediation action"),
        write=update_from(request, form, services.action_update, action=action),
        done=_("Action saved."),
    )


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    """Remediation actions; `?overdue=1` lists the overdue ones (the reminder list)."""
    filters = bind(ActionFilter, request)
    if not sees_confidential_anywhere(request.user):
        return _counts_page(request, filters)
    today = timezone.localdate()
    filters.today = today

    def rows(actions: Any) -> Iterable[dict[str, Any]]:
        for a in actions:
            yield {
                "id": a.pk,
                "office": a.finding.assessment.office.localized_name,
                "finding": a.finding.title,
                "action": a.description,
                "owner": a.owner.get_username() if a.owner else "",
                "due_on": a.due_on,
                "status": a.get_status_display(),
                "days_overdue": (today - a.due_on).days
                if a.status in RemediationAction.OPEN_STATUSES and a.due_on < today
                else 0,
            }

    overdue = bool(filters.is_valid() and filters.form.cleaned_data.get("overdue"))
    return list_page(
        request,
        ActionFilter,
        lambda bound: selectors.action_list(user=request.user, filters=bound),
        template="resilience/action_list.html",
        filters=filters,
        rows=rows,
        context=lambda actions, page: {"today": today, "overdue": overdue},
    )
