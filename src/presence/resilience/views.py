"""Pages of the resilience register. Every figure comes from a selector; every write from a service.

Confidential details (results, observations, evidence, findings, actions) are only rendered for the
security role and HQ administrators; everyone else gets the same pages filled with counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presence.core.errors import AccessDenied, InvalidTransition, VersionConflict
from presence.core.exports import Column, table_download
from presence.core.forms import add_service_error
from presence.core.selectors import audit_for_record
from presence.org.access import Action, can, can_anywhere, check, restrict
from presence.org.models import Office
from presence.resilience import selectors, services
from presence.resilience.confidential import sees_confidential, sees_confidential_anywhere
from presence.resilience.forms import (
    ActionForm,
    AssessmentFilterForm,
    AssessmentForm,
    EvidenceForm,
    FindingFilterForm,
    FindingForm,
    InstallationForm,
    Place,
    PlaceFilterForm,
    PlanForm,
    RegistrationForm,
    RegistrationUploadForm,
    RequirementForm,
    ResultForm,
    SettingsForm,
    StatusFilterForm,
    TemplateForm,
)
from presence.resilience.models import (
    Assessment,
    AssessmentKind,
    AssessmentTemplate,
    CrisisCommsRegistration,
    Finding,
    Installation,
    PlanningDocument,
    RemediationAction,
    Requirement,
    ResilienceSettings,
)
from presence.resilience.rules import RiskLevel


def _offices(request: HttpRequest) -> Any:
    return selectors.office_list(user=request.user)


def _writable_offices(request: HttpRequest, model: type[models.Model]) -> Any:
    offices = list(_offices(request))
    allowed = [o.pk for o in offices if can(request.user, Action.ADD, model(office=o))]
    return Office.objects.filter(pk__in=allowed).order_by("code")


def _export(
    request: HttpRequest, columns: list[Column], rows: Iterable[dict[str, Any]], name: str
) -> HttpResponse | None:
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:
        return table_download(columns=columns, rows=rows, filename=f"resilience-{name}", fmt=fmt, title=name)
    return None


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    back: str,
    save: Callable[[], Any],
    done: str,
    multipart: bool = False,
) -> HttpResponse:
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            record = save()
        except VersionConflict as error:
            add_service_error(form, error)
            status = 409
        except ValidationError as error:
            add_service_error(form, error)
            status = 422
        else:
            messages.success(request, done)
            return redirect(record)
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "resilience/form.html",
        {"form": form, "title": title, "back": back, "multipart": multipart},
        status=status,
    )


def _get(getter: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist:
        raise Http404("No such record, or you may not see it.") from None


def _pct(value: Decimal | None) -> str:
    return "" if value is None else f"{value}"


# Overview, office page, risk matrix -----------------------------------------------------------

OVERVIEW_COLUMNS = [
    Column("office", "Office"),
    Column("region", "Region"),
    *[Column(f"compliance_{kind}", f"{label} compliance %") for kind, label in AssessmentKind.choices],
    Column("open_findings", "Open findings"),
    *[Column(f"findings_{level}", f"Open findings: {level}") for level in RiskLevel.ORDER],
    Column("overdue_actions", "Overdue actions"),
    Column("plans_expiring", "Plans due for review"),
    Column("remaining_workdays", "Remaining installation workdays", "0.0"),
    Column("registered", "Crisis-comms registered"),
    Column("staff", "Staff"),
    Column("coverage", "Coverage %"),
]


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    offices = _offices(request)
    filters = PlaceFilterForm(request.GET or None, offices=offices)
    place = filters.place()
    rows = selectors.region_rows(user=request.user, region=place["region"])
    if place["office"]:
        rows = [row for row in rows if row["office"].code == place["office"]]
    export = _export(
        request,
        OVERVIEW_COLUMNS,
        (
            {
                "office": row["office"].name,
                "region": row["office"].region.code if row["office"].region else "",
                **{
                    f"compliance_{kind}": (a.compliance if a else None)
                    for (kind, _l), a in zip(AssessmentKind.choices, row["compliance"], strict=True)
                },
                "open_findings": row["findings"]["open"] if row["findings"] else 0,
                **{
                    f"findings_{lvl}": (row["findings"][lvl] if row["findings"] else 0)
                    for lvl in RiskLevel.ORDER
                },
                "overdue_actions": row["findings"]["overdue_actions"] if row["findings"] else 0,
                "plans_expiring": row["plans_expiring"],
                "remaining_workdays": row["remaining_workdays"],
                "registered": row["coverage"].registered if row["coverage"] else None,
                "staff": row["coverage"].staff if row["coverage"] else None,
                "coverage": row["coverage"].percent if row["coverage"] else None,
            }
            for row in rows
        ),
        "overview",
    )
    if export:
        return export
    summary = selectors.resilience_summary(user=request.user, **place)
    return render(
        request,
        "resilience/overview.html",
        {
            "filters": filters,
            "summary": summary,
            "rows": rows,
            "kinds": AssessmentKind.choices,
            "levels": [(level, RiskLevel.LABELS[level]) for level in RiskLevel.ORDER],
            "matrix": selectors.risk_matrix(user=request.user, **place),
            "confidential": sees_confidential_anywhere(request.user),
        },
    )


@login_required
def office_page(request: HttpRequest, code: str) -> HttpResponse:
    office = _get(lambda: _offices(request).get(code=code))
    data = selectors.office_resilience(user=request.user, office=office)
    return render(
        request,
        "resilience/office.html",
        {
            "data": data,
            "office": office,
            "levels": [(level, RiskLevel.LABELS[level]) for level in RiskLevel.ORDER],
            "confidential": sees_confidential(request.user, Finding(assessment=Assessment(office=office))),
            "can_add_assessment": can(request.user, Action.ADD, Assessment(office=office)),
        },
    )


@login_required
def risk_matrix(request: HttpRequest) -> HttpResponse:
    offices = _offices(request)
    filters = PlaceFilterForm(request.GET or None, offices=offices)
    place = filters.place()
    findings: Any = None
    cell: tuple[int, int] | None = None
    if sees_confidential_anywhere(request.user):
        try:
            cell = (int(request.GET["likelihood"]), int(request.GET["impact"]))
        except (KeyError, ValueError):
            cell = None
        findings = selectors.finding_list(user=request.user, status="open", **place)
        if cell:
            findings = findings.filter(likelihood=cell[0], impact=cell[1])
    return render(
        request,
        "resilience/matrix.html",
        {
            "filters": filters,
            "matrix": selectors.risk_matrix(user=request.user, **place),
            "by_level": selectors.findings_by_level(user=request.user, **place),
            "levels": [(level, RiskLevel.LABELS[level]) for level in RiskLevel.ORDER],
            "findings": findings,
            "cell": cell,
            "query": request.GET.urlencode(),
        },
    )


# Assessments ----------------------------------------------------------------------------------

ASSESSMENT_COLUMNS = [
    Column("id", "Id"),
    Column("office", "Office"),
    Column("region", "Region"),
    Column("type", "Assessment type"),
    Column("template_version", "Template version"),
    Column("status", "Status"),
    Column("planned_start", "Planned start"),
    Column("planned_end", "Planned end"),
    Column("actual_start", "Actual start"),
    Column("actual_end", "Actual end"),
    Column("requirements", "Requirements"),
    Column("compliant", "Compliant"),
    Column("partial", "Partially compliant"),
    Column("non_compliant", "Non-compliant"),
    Column("not_applicable", "Not applicable"),
    Column("points", "Score (weighted points)", "0.00"),
    Column("possible", "Possible points", "0.00"),
    Column("compliance", "Compliance %", "0.0"),
    Column("open_findings", "Open findings"),
]


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    offices = _offices(request)
    filters = AssessmentFilterForm(request.GET or None, offices=offices)
    values = filters.cleaned_data if filters.is_valid() else {}
    assessments = selectors.assessment_list(
        user=request.user,
        region=values.get("region", ""),
        office=values.get("office", ""),
        kind=values.get("kind", ""),
        status=values.get("status", ""),
    )
    export = _export(
        request,
        ASSESSMENT_COLUMNS,
        (
            {
                "id": a.pk,
                "office": a.office.name,
                "region": a.office.region.code if a.office.region else "",
                "type": a.template.get_kind_display(),
                "template_version": a.template.edition,
                "status": a.get_status_display(),
                "planned_start": a.planned_start,
                "planned_end": a.planned_end,
                "actual_start": a.actual_start,
                "actual_end": a.actual_end,
                "requirements": a.requirement_count,
                "compliant": a.compliant_count,
                "partial": a.partial_count,
                "non_compliant": a.non_compliant_count,
                "not_applicable": a.not_applicable_count,
                "points": a.score_points,
                "possible": a.score_possible,
                "compliance": a.compliance,
                "open_findings": a.open_finding_count,
            }
            for a in cast(Iterable[Any], assessments)
        ),
        "assessments",
    )
    if export:
        return export
    return render(
        request,
        "resilience/assessment_list.html",
        {
            "assessments": assessments,
            "filters": filters,
            "can_add": can_anywhere(request.user, Action.ADD, Assessment),
        },
    )


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _get(selectors.assessment_get, user=request.user, pk=pk)
    rows = selectors.assessment_results(user=request.user, assessment=assessment)
    findings = (
        selectors.finding_list(user=request.user).filter(assessment=assessment) if rows is not None else None
    )
    return render(
        request,
        "resilience/assessment_detail.html",
        {
            "assessment": assessment,
            "rows": rows,
            "findings": findings,
            "history": audit_for_record(assessment)[:50],
            "can_change": can(request.user, Action.CHANGE, assessment) and not assessment.is_locked,
            "can_transition": can(request.user, Action.CHANGE, assessment),
            "next_statuses": [
                (s, Assessment.Status(s).label) for s in services.TRANSITIONS[assessment.status]
            ],
            "show_assessors": _sees_names(request),
        },
    )


def _sees_names(request: HttpRequest) -> bool:
    from presence.org.access import sees_personal_data

    return sees_personal_data(request.user)


@login_required
def assessment_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, Assessment):
        raise AccessDenied(_("You are not allowed to plan assessments."))
    form = AssessmentForm(request.POST or None, offices=_writable_offices(request, Assessment))
    return _form_page(
        request,
        form,
        title=_("Plan an assessment"),
        back=reverse("resilience:assessment-list"),
        save=lambda: services.assessment_create(actor=request.user, **form.service_data()),
        done=_("Assessment planned."),
    )


@login_required
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _get(selectors.assessment_get, user=request.user, pk=pk)
    check(request.user, Action.CHANGE, assessment)
    form = AssessmentForm(
        request.POST or None, instance=assessment, offices=_writable_offices(request, Assessment)
    )
    return _form_page(
        request,
        form,
        title=_("Edit assessment"),
        back=assessment.get_absolute_url(),
        save=lambda: services.assessment_update(
            actor=request.user,
            assessment=assessment,
            expected_version=form.expected_version(),
            **form.service_data(),
        ),
        done=_("Assessment saved."),
    )


@login_required
@require_POST
def assessment_transition(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _get(selectors.assessment_get, user=request.user, pk=pk)
    try:
        version = int(request.POST.get("version", "0")) or None
        services.assessment_transition(
            actor=request.user, assessment=assessment, to=request.POST.get("to", ""), expected_version=version
        )
    except (InvalidTransition, VersionConflict, ValueError) as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Assessment status changed."))
    return redirect(assessment)


@login_required
def result_edit(request: HttpRequest, pk: int, requirement_pk: int) -> HttpResponse:
    """Record one requirement's result, observation and evidence (security role and HQ admins)."""
    assessment = _get(selectors.assessment_get, user=request.user, pk=pk)
    rows = selectors.assessment_results(user=request.user, assessment=assessment)
    if rows is None:
        raise Http404("No such record, or you may not see it.")
    row = next((r for r in rows if r.requirement.pk == requirement_pk), None)
    if row is None:
        raise Http404("This requirement is not part of the assessment.")
    result_form = ResultForm(
        request.POST if "save_result" in request.POST else None, instance=row.result, prefix="result"
    )
    evidence_form = EvidenceForm(
        request.POST if "upload" in request.POST else None,
        request.FILES if "upload" in request.POST else None,
        prefix="evidence",
    )
    status = 200
    if request.method == "POST" and "save_result" in request.POST and result_form.is_valid():
        try:
            services.result_record(
                actor=request.user,
                assessment=assessment,
                requirement=row.requirement,
                expected_version=result_form.expected_version(),
                **result_form.service_data(),
            )
        except (ValidationError, VersionConflict) as error:
            add_service_error(result_form, error)
            status = 422
        else:
            messages.success(request, _("Result saved."))
            return redirect("resilience:result-edit", pk=pk, requirement_pk=requirement_pk)
    elif request.method == "POST" and "upload" in request.POST:
        if row.result is None:
            evidence_form.add_error(None, _("Record the result before attaching evidence."))
            status = 422
        elif evidence_form.is_valid():
            try:
                services.evidence_add(
                    actor=request.user, result=row.result, upload=evidence_form.cleaned_data["file"]
                )
            except ValidationError as error:
                add_service_error(evidence_form, error)
                status = 422
            else:
                messages.success(request, _("Evidence attached."))
                return redirect("resilience:result-edit", pk=pk, requirement_pk=requirement_pk)
        else:
            status = 422
    return render(
        request,
        "resilience/result_form.html",
        {
            "assessment": assessment,
            "row": row,
            "result_form": result_form,
            "evidence_form": evidence_form,
            "history": audit_for_record(row.result)[:20] if row.result else [],
        },
        status=status,
    )


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = _get(selectors.evidence_get, user=request.user, pk=pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _get(selectors.evidence_get, user=request.user, pk=pk)
    try:
        services.evidence_delete(
            actor=request.user,
            evidence=evidence,
            expected_version=int(request.POST.get("version", "0")) or None,
        )
    except (ValidationError, VersionConflict, ValueError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Evidence removed."))
    return redirect(
        "resilience:result-edit",
        pk=evidence.result.assessment_id,
        requirement_pk=evidence.result.requirement_id,
    )


# Findings and actions -------------------------------------------------------------------------

FINDING_COLUMNS = [
    Column("id", "Id"),
    Column("office", "Office"),
    Column("assessment", "Assessment"),
    Column("requirement", "Requirement"),
    Column("title", "Finding"),
    Column("details", "Details"),
    Column("likelihood", "Likelihood"),
    Column("impact", "Impact"),
    Column("risk_level", "Risk level"),
    Column("treatment", "Treatment"),
    Column("owner", "Owner"),
    Column("due_on", "Due on"),
    Column("status", "Status"),
    Column("open_actions", "Open actions"),
]
FINDING_COUNT_COLUMNS = [
    Column("office", "Office"),
    Column("region", "Region"),
    *[Column(level, f"Open: {level}") for level in RiskLevel.ORDER],
    Column("open", "Open findings"),
    Column("closed", "Closed findings"),
    Column("open_actions", "Open actions"),
    Column("overdue_actions", "Overdue actions"),
]


def _count_rows(rows: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for row in rows:
        office = row["office"]
        yield {
            **{k: v for k, v in row.items() if k != "office"},
            "office": office.name,
            "region": office.region.code if office.region else "",
        }


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    offices = _offices(request)
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
        export = _export(request, FINDING_COUNT_COLUMNS, _count_rows(counts), "findings-by-office")
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
    export = _export(
        request,
        FINDING_COLUMNS,
        (
            {
                "id": f.pk,
                "office": f.assessment.office.name,
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
    finding = _get(selectors.finding_get, user=request.user, pk=pk)
    return render(
        request,
        "resilience/finding_detail.html",
        {
            "finding": finding,
            "actions": finding.actions.select_related("owner").order_by("due_on", "pk"),
            "history": audit_for_record(finding)[:50],
            "can_change": can(request.user, Action.CHANGE, finding),
            "today": timezone.localdate(),
        },
    )


@login_required
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _get(selectors.assessment_get, user=request.user, pk=pk)
    if not sees_confidential(request.user, Finding(assessment=assessment)):
        raise Http404("No such record, or you may not see it.")
    form = FindingForm(request.POST or None, assessment=assessment)
    return _form_page(
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
    finding = _get(selectors.finding_get, user=request.user, pk=pk)
    form = FindingForm(request.POST or None, instance=finding, assessment=finding.assessment)
    return _form_page(
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
    finding = _get(selectors.finding_get, user=request.user, pk=pk)
    form = ActionForm(request.POST or None)

    def save() -> models.Model:
        services.action_create(actor=request.user, finding=finding, **form.service_data())
        return finding

    return _form_page(
        request,
        form,
        title=_("Add a remediation action"),
        back=finding.get_absolute_url(),
        save=save,
        done=_("Action added."),
    )


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _get(lambda: selectors.action_list(user=request.user).get(pk=pk))
    form = ActionForm(request.POST or None, instance=action)

    def save() -> models.Model:
        services.action_update(
            actor=request.user, action=action, expected_version=form.expected_version(), **form.service_data()
        )
        return action.finding

    return _form_page(
        request,
        form,
        title=_("Edit remediation action"),
        back=action.finding.get_absolute_url(),
        save=save,
        done=_("Action saved."),
    )


ACTION_COLUMNS = [
    Column("id", "Id"),
    Column("office", "Office"),
    Column("finding", "Finding"),
    Column("action", "Action"),
    Column("owner", "Owner"),
    Column("due_on", "Due on"),
    Column("status", "Status"),
    Column("days_overdue", "Days overdue"),
]


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    """Remediation actions; `?overdue=1` lists the overdue ones (the reminder list)."""
    offices = _offices(request)
    filters = StatusFilterForm(
        request.GET or None, offices=offices, statuses=RemediationAction.Status.choices
    )
    values = filters.cleaned_data if filters.is_valid() else {}
    place: Place = {"region": values.get("region", ""), "office": values.get("office", "")}
    today = timezone.localdate()
    overdue = request.GET.get("overdue") == "1"
    if not sees_confidential_anywhere(request.user):
        counts = selectors.findings_by_office(user=request.user, **place)
        export = _export(request, FINDING_COUNT_COLUMNS, _count_rows(counts), "actions-by-office")
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
    export = _export(
        request,
        ACTION_COLUMNS,
        (
            {
                "id": a.pk,
                "office": a.finding.assessment.office.name,
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


# Planning documents ---------------------------------------------------------------------------

PLAN_COLUMNS = [
    Column("office", "Office"),
    Column("region", "Region"),
    Column("plan", "Plan"),
    Column("version", "Version"),
    Column("approved_on", "Approval date"),
    Column("next_review_on", "Next review date"),
    Column("current", "Current"),
    Column("flag", "Flag"),
]


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
    offices = _offices(request)
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
    export = _export(
        request,
        PLAN_COLUMNS,
        (
            {
                "office": p.office.name,
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
            "can_add": can_anywhere(request.user, Action.ADD, PlanningDocument),
        },
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get(selectors.plan_get, user=request.user, pk=pk)
    return render(
        request,
        "resilience/record_detail.html",
        {
            "record": plan,
            "title": str(plan),
            "back": reverse("resilience:plan-list"),
            "facts": [
                (_("Office"), plan.office.name),
                (_("Plan"), plan.get_kind_display()),
                (_("Version"), plan.edition),
                (_("Approval date"), plan.approved_on),
                (_("Next review date"), plan.next_review_on),
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
            "history": audit_for_record(plan)[:50],
        },
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, PlanningDocument):
        raise AccessDenied(_("You are not allowed to register plans."))
    form = PlanForm(request.POST or None, offices=_writable_offices(request, PlanningDocument))
    return _form_page(
        request,
        form,
        title=_("Register a planning document"),
        back=reverse("resilience:plan-list"),
        save=lambda: services.plan_create(actor=request.user, **form.service_data()),
        done=_("Plan registered."),
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get(selectors.plan_get, user=request.user, pk=pk)
    check(request.user, Action.CHANGE, plan)
    form = PlanForm(request.POST or None, instance=plan, offices=_writable_offices(request, PlanningDocument))
    return _form_page(
        request,
        form,
        title=_("Edit planning document"),
        back=plan.get_absolute_url(),
        save=lambda: services.plan_update(
            actor=request.user, plan=plan, expected_version=form.expected_version(), **form.service_data()
        ),
        done=_("Plan saved."),
    )


# Installations --------------------------------------------------------------------------------

INSTALLATION_COLUMNS = [
    Column("office", "Office"),
    Column("region", "Region"),
    Column("installation", "Installation"),
    Column("status", "Status"),
    Column("planned_start", "Planned start"),
    Column("planned_end", "Planned end"),
    Column("actual_start", "Actual start"),
    Column("actual_end", "Actual end"),
    Column("estimated_workdays", "Estimated staff workdays", "0.0"),
    Column("actual_workdays", "Actual staff workdays", "0.0"),
    Column("remaining_workdays", "Remaining staff workdays", "0.0"),
]


@login_required
def installation_list(request: HttpRequest) -> HttpResponse:
    offices = _offices(request)
    filters = StatusFilterForm(request.GET or None, offices=offices, statuses=Installation.Status.choices)
    values = filters.cleaned_data if filters.is_valid() else {}
    place: Place = {"region": values.get("region", ""), "office": values.get("office", "")}
    installations = selectors.installation_list(user=request.user, status=values.get("status", ""), **place)
    export = _export(
        request,
        INSTALLATION_COLUMNS,
        (
            {
                "office": i.office.name,
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
            for i in installations
        ),
        "installations",
    )
    if export:
        return export
    return render(
        request,
        "resilience/installation_list.html",
        {
            "installations": installations,
            "filters": filters,
            "progress": selectors.installation_progress(user=request.user, **place),
            "can_add": can_anywhere(request.user, Action.ADD, Installation),
        },
    )


@login_required
def installation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get(selectors.installation_get, user=request.user, pk=pk)
    return render(
        request,
        "resilience/record_detail.html",
        {
            "record": item,
            "title": str(item),
            "back": reverse("resilience:installation-list"),
            "facts": [
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
            "edit_url": reverse("resilience:installation-edit", args=[item.pk])
            if can(request.user, Action.CHANGE, item)
            else "",
            "history": audit_for_record(item)[:50],
        },
    )


@login_required
def installation_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, Installation):
        raise AccessDenied(_("You are not allowed to plan installations."))
    form = InstallationForm(request.POST or None, offices=_writable_offices(request, Installation))
    return _form_page(
        request,
        form,
        title=_("Plan an installation"),
        back=reverse("resilience:installation-list"),
        save=lambda: services.installation_create(actor=request.user, **form.service_data()),
        done=_("Installation planned."),
    )


@login_required
def installation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get(selectors.installation_get, user=request.user, pk=pk)
    check(request.user, Action.CHANGE, item)
    form = InstallationForm(
        request.POST or None, instance=item, offices=_writable_offices(request, Installation)
    )
    return _form_page(
        request,
        form,
        title=_("Edit installation"),
        back=item.get_absolute_url(),
        save=lambda: services.installation_update(
            actor=request.user,
            installation=item,
            expected_version=form.expected_version(),
            **form.service_data(),
        ),
        done=_("Installation saved."),
    )


@login_required
def timeline(request: HttpRequest) -> HttpResponse:
    offices = _offices(request)
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
    return render(
        request,
        "resilience/timeline.html",
        {
            "filters": filters,
            "timeline": data,
            "capacity_error": capacity_error,
            "capacity_value": request.GET.get("capacity", ""),
            "columns": list(zip(data.months, data.workload, data.over_capacity, strict=True)),
        },
    )


# Crisis-comms coverage ------------------------------------------------------------------------

COVERAGE_COLUMNS = [
    Column("office", "Office"),
    Column("region", "Region"),
    Column("counted_on", "Counted on"),
    Column("registered", "Registered staff"),
    Column("staff", "Staff in office"),
    Column("staff_source", "Staff count from"),
    Column("coverage", "Coverage %", "0.0"),
    Column("below_threshold", "Below threshold"),
]


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    offices = _offices(request)
    filters = PlaceFilterForm(request.GET or None, offices=offices)
    place = filters.place()
    rows = selectors.coverage_by_office(user=request.user, **place)
    export = _export(
        request,
        COVERAGE_COLUMNS,
        (
            {
                "office": r.office.name,
                "region": r.office.region.code if r.office.region else "",
                "counted_on": r.counted_on,
                "registered": r.registered,
                "staff": r.staff,
                "staff_source": r.staff_source,
                "coverage": r.percent,
                "below_threshold": "yes" if r.below_threshold else "",
            }
            for r in rows
        ),
        "coverage",
    )
    if export:
        return export
    return render(
        request,
        "resilience/coverage.html",
        {
            "rows": rows,
            "filters": filters,
            "summary": selectors.coverage_summary(rows),
            "registrations": selectors.registration_list(user=request.user, **place)[:200],
            "can_add": can_anywhere(request.user, Action.ADD, CrisisCommsRegistration),
        },
    )


@login_required
def registration_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, CrisisCommsRegistration):
        raise AccessDenied(_("You are not allowed to enter crisis-comms counts."))
    form = RegistrationForm(request.POST or None, offices=_writable_offices(request, CrisisCommsRegistration))

    def save() -> models.Model:
        record = services.registration_create(actor=request.user, **form.service_data())
        return record.office

    return _form_page(
        request,
        form,
        title=_("Enter a crisis-comms count"),
        back=reverse("resilience:coverage"),
        save=lambda: _to_coverage(save()),
        done=_("Count saved."),
    )


def _to_coverage(_record: models.Model) -> Any:
    class Target:
        @staticmethod
        def get_absolute_url() -> str:
            return reverse("resilience:coverage")

    return Target()


@login_required
def registration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = _get(selectors.registration_get, user=request.user, pk=pk)
    check(request.user, Action.CHANGE, record)
    form = RegistrationForm(
        request.POST or None, instance=record, offices=_writable_offices(request, CrisisCommsRegistration)
    )
    return _form_page(
        request,
        form,
        title=_("Edit crisis-comms count"),
        back=reverse("resilience:coverage"),
        save=lambda: _to_coverage(
            services.registration_update(
                actor=request.user,
                registration=record,
                expected_version=form.expected_version(),
                **form.service_data(),
            )
        ),
        done=_("Count saved."),
    )


@login_required
def registration_upload(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, CrisisCommsRegistration):
        raise AccessDenied(_("You are not allowed to upload crisis-comms counts."))
    form = RegistrationUploadForm(request.POST or None, request.FILES or None)

    def save() -> Any:
        saved = services.registrations_import(actor=request.user, content=form.cleaned_data["file"].read())
        messages.info(request, _("%(n)d count(s) loaded.") % {"n": len(saved)})
        return _to_coverage(saved[0])

    return _form_page(
        request,
        form,
        title=_("Upload crisis-comms counts"),
        back=reverse("resilience:coverage"),
        save=save,
        done=_("Upload complete."),
        multipart=True,
    )


# Templates and settings -----------------------------------------------------------------------


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "resilience/template_list.html",
        {
            "templates": selectors.template_list(user=request.user),
            "can_add": can_anywhere(request.user, Action.ADD, AssessmentTemplate),
        },
    )


@login_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = _get(lambda: selectors.template_list(user=request.user).get(pk=pk))
    return render(
        request,
        "resilience/template_detail.html",
        {
            "template": template,
            "requirements": selectors.template_requirements(template=template),
            "can_change": can(request.user, Action.CHANGE, template),
            "in_use": template.assessment_count > 0,
            "history": audit_for_record(template)[:50],
        },
    )


@login_required
def template_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, AssessmentTemplate):
        raise AccessDenied(_("You are not allowed to write assessment templates."))
    form = TemplateForm(request.POST or None)
    return _form_page(
        request,
        form,
        title=_("New assessment template"),
        back=reverse("resilience:template-list"),
        save=lambda: services.template_create(actor=request.user, **form.service_data()),
        done=_("Template created."),
    )


@login_required
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = _get(lambda: selectors.template_list(user=request.user).get(pk=pk))
    check(request.user, Action.CHANGE, template)
    form = TemplateForm(request.POST or None, instance=template)
    return _form_page(
        request,
        form,
        title=_("Edit template"),
        back=template.get_absolute_url(),
        save=lambda: services.template_update(
            actor=request.user,
            template=template,
            expected_version=form.expected_version(),
            **form.service_data(),
        ),
        done=_("Template saved."),
    )


@login_required
@require_POST
def template_new_edition(request: HttpRequest, pk: int) -> HttpResponse:
    template = _get(lambda: selectors.template_list(user=request.user).get(pk=pk))
    copy = services.template_new_edition(actor=request.user, template=template)
    messages.success(request, _("Version %(n)d created; edit its requirements.") % {"n": copy.edition})
    return redirect(copy)


@login_required
def requirement_create(request: HttpRequest, pk: int) -> HttpResponse:
    template = _get(lambda: selectors.template_list(user=request.user).get(pk=pk))
    check(request.user, Action.CHANGE, template)
    form = RequirementForm(request.POST or None)

    def save() -> models.Model:
        services.requirement_create(actor=request.user, template=template, **form.service_data())
        return template

    return _form_page(
        request,
        form,
        title=_("Add a requirement"),
        back=template.get_absolute_url(),
        save=save,
        done=_("Requirement added."),
    )


@login_required
def requirement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = _get(
        lambda: restrict(Requirement.objects.select_related("template"), request.user, Action.VIEW).get(pk=pk)
    )
    check(request.user, Action.CHANGE, requirement)
    form = RequirementForm(request.POST or None, instance=requirement)

    def save() -> models.Model:
        services.requirement_update(
            actor=request.user,
            requirement=requirement,
            expected_version=form.expected_version(),
            **form.service_data(),
        )
        return requirement.template

    return _form_page(
        request,
        form,
        title=_("Edit requirement"),
        back=requirement.template.get_absolute_url(),
        save=save,
        done=_("Requirement saved."),
    )


@login_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    current = selectors.current_settings()
    if not can(request.user, Action.CHANGE, current):
        raise AccessDenied(_("Only the security role and administrators may change these settings."))
    form = SettingsForm(request.POST or None, instance=current if current.pk else None)

    def save() -> Any:
        services.settings_update(
            actor=request.user, expected_version=form.expected_version(), **form.service_data()
        )
        return _to_coverage(current)

    return _form_page(
        request,
        form,
        title=_("Resilience settings"),
        back=reverse("resilience:overview"),
        save=save,
        done=_("Settings saved."),
    )


__all__ = ["ResilienceSettings"]
