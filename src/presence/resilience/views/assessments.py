"""Assessments, their requirement results and evidence files."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presence.core.errors import AccessDenied, InvalidTransition, VersionConflict
from presence.core.filtering import list_page
from presence.core.forms import add_service_error
from presence.core.selectors import get_or_404
from presence.core.views import create_from, submit_form, update_from
from presence.org.access import Action, can, can_anywhere, check
from presence.org.personal import history_for
from presence.resilience import selectors, services
from presence.resilience.filters import AssessmentFilter
from presence.resilience.forms import (
    AssessmentForm,
    EvidenceForm,
    ResultForm,
)
from presence.resilience.models import (
    Assessment,
)
from presence.resilience.views._common import (
    form_page,
    writable_offices,
)

logger = logging.getLogger(__name__)

# Assessments ----------------------------------------------------------------------------------


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    def rows(assessments: Any) -> Iterable[dict[str, Any]]:
        for a in assessments:
            yield {
                "id": a.pk,
                "office": a.office.localized_name,
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

    return list_page(
        request,
        AssessmentFilter,
        lambda filters: selectors.assessment_list(user=request.user, filters=filters),
        template="resilience/assessment_list.html",
        rows=rows,
        context=lambda assessments, page: {"can_add": can_anywhere(request.user, Action.ADD, Assessment)},
    )


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_or_404(selectors.assessment_get, user=request.user, pk=pk)
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
            "history": history_for(user=request.user, record=assessment, limit=50),
            "can_change": can(request.user, Action.CHANGE, assessment) and not assessment.is_locked,
            "can_transition": can(request.user, Action.CHANGE, assessment),
            "next_statuses": [
                (s, Assessment.Status(s).label) for s in services.TRANSITIONS[assessment.status]
            ],
            "show_assessors": _sees_names(request),
        },
    )


def _sees_names(request: HttpRequest) -> bool:
    from presence.org.personal import sees_personal

    return sees_personal(request.user)


@login_required
def assessment_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, Assessment):
        raise AccessDenied(_("You are not allowed to plan assessments."))
    form = AssessmentForm(request.POST or None, offices=writable_offices(request, Assessment))
    return form_page(
        request,
        form,
        title=_("Plan an assessment"),
        back=reverse("resilience:assessment-list"),
        save=create_from(request, form, services.assessment_create),
        done=_("Assessment planned."),
    )


@login_required
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_or_404(selectors.assessment_get, user=request.user, pk=pk)
    check(request.user, Action.CHANGE, assessment)
    if assessment.is_locked:
        messages.error(request, _("Locked: completed assessments cannot be changed."))
        return redirect(assessment)
    form = AssessmentForm(
        request.POST or None, instance=assessment, offices=writable_offices(request, Assessment)
    )
    return form_page(
        request,
        form,
        title=_("Edit assessment"),
        back=assessment.get_absolute_url(),
        save=update_from(request, form, services.assessment_update, assessment=assessment),
        done=_("Assessment saved."),
    )


@login_required
@require_POST
def assessment_transition(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_or_404(selectors.assessment_get, user=request.user, pk=pk)
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
    assessment = get_or_404(selectors.assessment_get, user=request.user, pk=pk)
    rows = selectors.assessment_results(user=request.user, assessment=assessment)
    if rows is None:
        raise Http404(_("No such record, or you may not see it."))
    row = next((r for r in rows if r.requirement.pk == requirement_pk), None)
    if row is None:
        raise Http404(_("This requirement is not part of the assessment."))
    result_form = ResultForm(
        request.POST if "save_result" in request.POST else None, instance=row.result, prefix="result"
    )
    evidence_form = EvidenceForm(
        request.POST if "upload" in request.POST else None,
        request.FILES if "upload" in request.POST else None,
        prefix="evidence",
    )
    here = reverse("resilience:result-edit", kwargs={"pk": pk, "requirement_pk": requirement_pk})
    status = 200
    if "save_result" in request.POST:
        outcome = submit_form(
            request,
            result_form,
            lambda: services.result_record(
                actor=request.user,
                assessment=assessment,
                requirement=row.requirement,
                expected_version=result_form.expected_version(),
                **result_form.service_data(),
            ),
            done=lambda _result: _("Result saved."),
            after=lambda _result: here,
        )
        if isinstance(outcome, HttpResponse):
            return outcome
        status = outcome
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
                return redirect(here)
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
            "history": history_for(user=request.user, record=row.result, limit=20) if row.result else [],
        },
        status=status,
    )


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_or_404(selectors.evidence_get, user=request.user, pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        # The record outlived its file (e.g. a database restored without the media store).
        logger.warning("Evidence %s: file %s is missing from the storage", evidence.pk, evidence.file.name)
        raise Http404(_("The file of this evidence is missing from the storage.")) from None
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name)


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_or_404(selectors.evidence_get, user=request.user, pk=pk)
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
