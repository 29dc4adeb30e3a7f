"""Assessment templates with their requirements, and the register's settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presence.core.errors import AccessDenied
from presence.core.selectors import get_or_404
from presence.core.views import create_from, update_from
from presence.org.access import Action, can, can_anywhere, check, restrict
from presence.org.personal import history_for
from presence.resilience import selectors, services
from presence.resilience.forms import (
    RequirementForm,
    SettingsForm,
    TemplateForm,
)
from presence.resilience.models import (
    AssessmentTemplate,
    Requirement,
    ResilienceSettings,
)
from presence.resilience.views._common import form_page, part_form_page, to_coverage_page

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
    template: Any = get_or_404(
        selectors.template_list(user=request.user), pk=pk
    )  # annotated with assessment_count
    return render(
        request,
        "resilience/template_detail.html",
        {
            "template": template,
            "requirements": selectors.template_requirements(template=template),
            "can_change": can(request.user, Action.CHANGE, template),
            "in_use": template.assessment_count > 0,
            "history": history_for(user=request.user, record=template, limit=50),
        },
    )


@login_required
def template_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, AssessmentTemplate):
        raise AccessDenied(_("You are not allowed to write assessment templates."))
    form = TemplateForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("New assessment template"),
        back=reverse("resilience:template-list"),
        save=create_from(request, form, services.template_create),
        done=_("Template created."),
    )


@login_required
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_or_404(selectors.template_list(user=request.user), pk=pk)
    check(request.user, Action.CHANGE, template)
    form = TemplateForm(request.POST or None, instance=template)
    return form_page(
        request,
        form,
        title=_("Edit template"),
        back=template.get_absolute_url(),
        save=update_from(request, form, services.template_update, template=template),
        done=_("Template saved."),
    )


@login_required
@require_POST
def template_new_edition(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_or_404(selectors.template_list(user=request.user), pk=pk)
    copy = services.template_new_edition(actor=request.user, template=template)
    messages.success(request, _("Version %(n)d created; edit its requirements.") % {"n": copy.edition})
    return redirect(copy)


@login_required
def requirement_create(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_or_404(selectors.template_list(user=request.user), pk=pk)
    check(request.user, Action.CHANGE, template)
    form = RequirementForm(request.POST or None)
    return part_form_page(
        request,
        form,
        parent=template,
        title=_("Add a requirement"),
        write=create_from(request, form, services.requirement_create, template=template),
        done=_("Requirement added."),
    )


@login_required
def requirement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = get_or_404(
        restrict(Requirement.objects.select_related("template"), request.user, Action.VIEW), pk=pk
    )
    check(request.user, Action.CHANGE, requirement)
    form = RequirementForm(request.POST or None, instance=requirement)
    return part_form_page(
        request,
        form,
        parent=requirement.template,
        title=_("Edit requirement"),
        write=update_from(request, form, services.requirement_update, requirement=requirement),
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
        return to_coverage_page(current)

    return form_page(
        request,
        form,
        title=_("Resilience settings"),
        back=reverse("resilience:overview"),
        save=save,
        done=_("Settings saved."),
    )


__all__ = ["ResilienceSettings"]
