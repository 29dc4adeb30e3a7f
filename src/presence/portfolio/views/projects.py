"""Pages: the project list (with export), a project's detail, creating, editing, deleting, countries."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied
from presence.core.filtering import list_page
from presence.core.views import create_from, delete_confirmation, form_page, update_from
from presence.org.access import Action, can_anywhere, check
from presence.org.pages import record_page
from presence.org.personal import sees_personal
from presence.portfolio import selectors, services
from presence.portfolio.filters import ProjectFilter
from presence.portfolio.forms import (
    CountryShareFormSet,
    ProjectForm,
)
from presence.portfolio.models import (
    Project,
)
from presence.portfolio.rates import RateBook
from presence.portfolio.views._common import _project

# Projects -------------------------------------------------------------------------------------------


def _kchf(chf: Decimal | None) -> Decimal | None:
    return selectors.to_kchf(chf) if chf is not None else None


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    personal = sees_personal(request.user)

    def rows(projects: Any) -> Iterator[dict[str, Any]]:
        projects = list(projects)
        totals = selectors.funding_totals_chf(projects)
        for p in projects:
            chf = totals[p.pk]
            yield {
                "code": p.code,
                "title": p.title,
                "region": p.region.code,
                "lead_office": p.lead_office.localized_name,
                "status": p.get_status_display(),
                "start": p.actual_start or p.planned_start,
                "end": p.actual_end or p.planned_end,
                "kap_priority": p.kap_priority.code if p.kap_priority else "",
                "regional_initiative": p.regional_initiative.code if p.regional_initiative else "",
                "manager": p.manager_name if personal else "",
                "manager_location": p.get_manager_location_display(),
                "funding_kchf": _kchf(chf),
                "is_demo": "yes" if p.is_demo else "",
            }

    def context(projects: Any, page: Page) -> dict[str, Any]:
        # The total of every matching project (amounts only, one query); the rows of this page.
        total_chf = selectors.funding_total_of_projects_chf(projects)
        shown = selectors.funding_totals_chf(list(page.object_list))
        return {
            "rows": [(p, _kchf(shown[p.pk])) for p in page.object_list],
            "total_kchf": selectors.to_kchf(total_chf),
            "can_add": can_anywhere(request.user, Action.ADD, Project),
            "personal": personal,
        }

    return list_page(
        request,
        ProjectFilter,
        lambda filters: selectors.project_list(user=request.user, filters=filters),
        template="portfolio/project_list.html",
        rows=rows,
        context=context,
    )


@login_required
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    project = _project(request, code)
    book = RateBook.load()
    fundings = [
        (funding, book.to_chf(funding.amount, funding.currency, funding.signed_on))
        for funding in project.fundings.select_related("source", "partner")
    ]
    return record_page(
        request,
        "portfolio/project_detail.html",
        project,
        name="project",
        fundings=fundings,
        finance=selectors.project_finance(project),
        countries=project.countries.select_related("country"),
        budgets=project.budgets.all(),
        transactions=project.transactions.all(),
        obligations=project.reporting_obligations.select_related("partner"),
        agreements=selectors.agreement_list(user=request.user, project=project.code),
        today=timezone.localdate(),
        personal=sees_personal(request.user),
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, Project):
        raise AccessDenied(_("You are not allowed to add projects."))
    form = ProjectForm(request.POST or None)
    return form_page(
        request,
        form,
        create_from(request, form, services.project_create),
        template="portfolio/project_form.html",
        context={"project": None},
        done=lambda project: _("Project %(code)s created.") % {"code": project.code},
    )


@login_required
def project_edit(request: HttpRequest, code: str) -> HttpResponse:
    project = _project(request, code)
    check(request.user, Action.CHANGE, project)
    form = ProjectForm(request.POST or None, instance=project)
    return form_page(
        request,
        form,
        update_from(request, form, services.project_update, project=project),
        template="portfolio/project_form.html",
        context={"project": project},
        done=lambda saved: _("Project %(code)s saved.") % {"code": saved.code},
    )


@login_required
def project_delete(request: HttpRequest, code: str) -> HttpResponse:
    project = _project(request, code)
    return delete_confirmation(
        request,
        record=project,
        delete=lambda version: services.project_delete(
            actor=request.user, project=project, expected_version=version
        ),
        after=reverse("portfolio:project-list"),
        done=_("Project %(code)s deleted.") % {"code": code},
    )


@login_required
def project_countries(request: HttpRequest, code: str) -> HttpResponse:
    project = _project(request, code)
    check(request.user, Action.CHANGE, project)
    initial = [
        {"country": c.country, "percentage": c.percentage}
        for c in project.countries.select_related("country")
    ]
    formset = CountryShareFormSet(request.POST or None, initial=initial)
    error = ""
    status = 422 if request.method == "POST" else 200  # an invalid formset or a refusal; a save redirects
    if request.method == "POST" and formset.is_valid():
        shares = [
            (form.cleaned_data["country"], form.cleaned_data.get("percentage"))
            for form in formset.forms
            if form.cleaned_data.get("country") and not form.cleaned_data.get("DELETE")
        ]
        try:
            services.project_countries_set(actor=request.user, project=project, countries=shares)
        except ValidationError as exc:
            error = " ".join(" ".join(messages_) for messages_ in exc.message_dict.values())
        else:
            messages.success(request, _("Recipient countries saved."))
            return redirect(project)
    return render(
        request,
        "portfolio/project_countries.html",
        {"project": project, "formset": formset, "error": error},
        status=status,
    )
