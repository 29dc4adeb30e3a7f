"""Findings and remediation actions (details for allowed roles, counts for everyone else)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presence.core.exports import Column
from presence.core.selectors import get_or_404
from presence.org.access import Action, can
from presence.org.personal import history_for
from presence.resilience import selectors, services
from presence.resilience.confidential import sees_confidential, sees_confidential_anywhere
from presence.resilience.forms import (
    ActionForm,
    FindingFilterForm,
    FindingForm,
    Place,
    StatusFilterForm,
)
from presence.resilience.models import (
    Finding,
    RemediationAction,
)
from presence.resilience.rules import RiskLevel
from presence.resilience.views._common import download_if_asked, form_page, visible_offices

# Findings and actions -------------------------------------------------------------------------

FINDING_COLUMNS = [
    Column("id", gettext_lazy("Id")),
    Column("office", gettext_lazy("Office")),
    Column("assessment", gettext_lazy("Assessment")),
    Column("requirement", gettext_lazy("Requirement")),
    Column("title", gettext_lazy("Finding")),
    Column("details", gettext_lazy("Details")),
    Column("likelihood", gettext_lazy("Likelihood")),
    Column("impact", gettext_lazy("Impact")),
    Column("risk_level", gettext_lazy("Risk level")),
    Column("treatment", gettext_lazy("Treatment")),
    Column("owner", gettext_lazy("Owner")),
    Column("due_on", gettext_lazy("Due on")),
    Column("status", gettext_lazy("Status")),
    Column("open_actions", gettext_lazy("Open actions")),
]
FINDING_COUNT_COLUMNS = [
    Column("office", gettext_lazy("Office")),
    Column("region", gettext_lazy("Region")),
    *[
        Column(level, format_lazy(gettext_lazy("Open: {level}"), level=RiskLevel.LABELS[level]))
        for level in RiskLevel.ORDER
    ],
    Column("open", gettext_lazy("Open findings")),
    Column("closed", gettext_lazy("Closed findings")),
    Column("open_actions", gettext_lazy("Open actions")),
    Column("overdue_actions", gettext_lazy("Overdue actions")),
]


def _count_rows(rows: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for row in rows:
        office = row["office"]
        yield {
            **{k: v for k, v in row.items() if k != "office"},
            "office": office.localized_name,
            "region": office.region.code if office.region else "",
        }


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    offices = visible_offices(request)
    filters = FindingFilterForm(request.GET or None, offices=offices)
    values = (
        filters.cleaned_data
        if filters.is_valid()
        else {"region": "", "office": "", "level": "", "status": ""}
    )
    place: Place = {"region": values.get("region", ""), "office": values.get("office", "")}
    if not sees_confidential_anywhere(request.user):
        # Everyone else: counts per office, never the findings themselves.
        counts = selectors.findings_by_office(user=request.user, **place)
        export = download_if_asked(request, FINDING_COUNT_COLUMNS, _count_rows(counts), "findings-by-office")
        if export:
            return export
        return render(
            request,
            "resilience/finding_counts.html",
            {
                "rows": counts,
                "filters": filters,
                "levels": [(lv, RiskLevel.LABELS[lv]) for lv in RiskLevel.ORDER],
            },
        )
    findings = selectors.finding_list(
        user=request.user, level=values.get("level", ""), status=values.get("status", ""), **place
    )
    export = download_if_asked(
        request,
        FINDING_COLUMNS,
        (
            {
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
            for f in cast(Iterable[Any], findings)
        ),
        "findings",
    )
    if export:
        return export
    return render(
        request,
        "resilience/finding_list.html",
        {"findings": findings, "filters": filters, "today": timezone.localdate()},
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
        save=lambda: services.finding_create(
            actor=request.user, assessment=assessment, **form.service_data()
        ),
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
        save=lambda: services.finding_update(
            actor=request.user,
            finding=finding,
            expected_version=form.expected_version(),
            **form.service_data(),
        ),
        done=_("Finding saved."),
    )


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_or_404(selectors.finding_get, user=request.user, pk=pk)
    form = ActionForm(request.POST or None)

    def save() -> models.Model:
        services.action_create(actor=request.user, finding=finding, **form.service_data())
        return finding

    return form_page(
        request,
        form,
        title=_("Add a remediation action"),
        back=finding.get_absolute_url(),
        save=save,
        done=_("Action added."),
    )


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_or_404(selectors.action_list(user=request.user), pk=pk)
    form = ActionForm(request.POST or None, instance=action)

    def save() -> models.Model:
        services.action_update(
            actor=request.user, action=action, expected_version=form.expected_version(), **form.service_data()
        )
        return action.finding

    return form_page(
        request,
        form,
        title=_("Edit remediation action"),
        back=action.finding.get_absolute_url(),
        save=save,
        done=_("Action saved."),
    )


ACTION_COLUMNS = [
    Column("id", gettext_lazy("Id")),
    Column("office", gettext_lazy("Office")),
    Column("finding", gettext_lazy("Finding")),
    Column("action", gettext_lazy("Action")),
    Column("owner", gettext_lazy("Owner")),
    Column("due_on", gettext_lazy("Due on")),
    Column("status", gettext_lazy("Status")),
    Column("days_overdue", gettext_lazy("Days overdue")),
]


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    """Remediation actions; `?overdue=1` lists the overdue ones (the reminder list)."""
    offices = visible_offices(request)
    filters = StatusFilterForm(
        request.GET or None, offices=offices, statuses=RemediationAction.Status.choices
    )
    values = filters.cleaned_data if filters.is_valid() else {}
    place: Place = {"region": values.get("region", ""), "office": values.get("office", "")}
    today = timezone.localdate()
    overdue = request.GET.get("overdue") == "1"
    if not sees_confidential_anywhere(request.user):
        counts = selectors.findings_by_office(user=request.user, **place)
        export = download_if_asked(request, FINDING_COUNT_COLUMNS, _count_rows(counts), "actions-by-office")
        if export:
            return export
        return render(
            request,
            "resilience/finding_counts.html",
            {
                "rows": counts,
                "filters": filters,
                "levels": [(lv, RiskLevel.LABELS[lv]) for lv in RiskLevel.ORDER],
            },
        )
    actions = (
        selectors.overdue_actions(user=request.user, today=today, **place)
        if overdue
        else selectors.action_list(user=request.user, status=values.get("status", ""), **place)
    )
    export = download_if_asked(
        request,
        ACTION_COLUMNS,
        (
            {
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
            for a in actions
        ),
        "overdue-actions" if overdue else "actions",
    )
    if export:
        return export
    return render(
        request,
        "resilience/action_list.html",
        {"actions": actions, "filters": filters, "today": today, "overdue": overdue},
    )
