"""Pages: a partner with its contributions by year, region and project; the contributions list; funding
agreements (list, detail, create, edit, delete)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied
from presence.core.filtering import list_page
from presence.core.forms import CodesField
from presence.core.selectors import get_or_404
from presence.core.views import create_from, delete_confirmation, submit_form, update_from
from presence.org.access import Action, can, can_anywhere, check
from presence.org.personal import history_for
from presence.portfolio import selectors, services
from presence.portfolio.filters import AgreementFilter, FundingRecordFilter
from presence.portfolio.forms import AgreementForm
from presence.portfolio.models import FundingAgreement, Partner, Project
from presence.portfolio.views._common import funding_context, funding_rows


def contributions_url(partner: Partner, **params: str) -> str:
    """The contributions list narrowed to the partner and `params` (the list behind one total)."""
    return f"{reverse('portfolio:contribution-list')}?{urlencode({'partner': partner.pk, **params})}"


@login_required
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_or_404(selectors.partner_get, user=request.user, pk=pk)
    contributions = selectors.partner_contributions(user=request.user, partner=partner)
    groups = [
        (_("By year of signature"), _("Year"), contributions.by_year),
        (_("By region"), _("Region"), contributions.by_region),
        (_("By project"), _("Project"), contributions.by_project),
    ]
    return render(
        request,
        "portfolio/partner_detail.html",
        {
            "partner": partner,
            "contributions": contributions,
            "all_url": contributions_url(partner),
            "groups": [
                (title, heading, [(line, contributions_url(partner, **line.params)) for line in lines])
                for title, heading, lines in groups
            ],
            "agreements": selectors.agreement_list(user=request.user, partner=partner.pk),
            "can_change": can(request.user, Action.CHANGE, partner),
            "can_add_agreement": can_anywhere(request.user, Action.ADD, FundingAgreement),
        },
    )


@login_required
def contribution_list(request: HttpRequest) -> HttpResponse:
    """Contributions as recorded, by project, source, partner, region and year of signature."""
    return list_page(
        request,
        FundingRecordFilter,
        lambda filters: selectors.funding_list(user=request.user, filters=filters),
        template="portfolio/contribution_list.html",
        rows=funding_rows,
        context=funding_context,
    )


# Funding agreements -----------------------------------------------------------------------------------


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    def rows(agreements: Any) -> Iterator[dict[str, Any]]:
        for a in agreements:
            yield {
                "reference": a.reference,
                "title": a.title,
                "partner": a.partner.name,
                "status": a.get_status_display(),
                "signed_on": a.signed_on,
                "amount": a.amount,
                "currency": a.currency,
                "reporting_frequency": a.get_reporting_frequency_display(),
                "next_report_due": a.next_report_due,
                "reporting_obligations": a.reporting_obligations,
                "projects": ", ".join(p.code for p in a.visible_projects),
            }

    return list_page(
        request,
        AgreementFilter,
        lambda filters: selectors.agreement_list(user=request.user, filters=filters),
        template="portfolio/agreement_list.html",
        rows=rows,
        context=lambda _agreements, _page: {
            "can_add": can_anywhere(request.user, Action.ADD, FundingAgreement)
        },
    )


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_or_404(selectors.agreement_get, user=request.user, pk=pk)
    return render(
        request,
        "portfolio/agreement_detail.html",
        {
            "agreement": agreement,
            "projects": selectors.agreement_projects(user=request.user, agreement=agreement),
            "history": history_for(user=request.user, record=agreement, limit=50),
            "can_change": selectors.agreement_writable(request.user, agreement),
            "can_delete": selectors.agreement_writable(request.user, agreement, Action.DELETE),
        },
    )


def _form(request: HttpRequest, instance: FundingAgreement | None = None) -> AgreementForm:
    initial = {}
    if instance is None and request.GET.get("partner", "").isdigit():
        initial["partner"] = request.GET["partner"]
    form = AgreementForm(request.POST or None, instance=instance, initial=initial)
    # Projects are typed by code; any project's code parses (project codes are published, in the IATI
    # file among others), so that linking one the user may not change is the service's refusal (403)
    # naming it, as for every record written outside the user's scope; an unknown code is a field error.
    cast(CodesField, form.fields["projects"]).queryset = Project.objects.all()
    return form


def _form_page(
    request: HttpRequest, form: AgreementForm, record: FundingAgreement | None, status: int
) -> HttpResponse:
    title = _("Edit %(r)s") % {"r": record.reference} if record else _("New funding agreement")
    return render(
        request,
        "portfolio/agreement_form.html",
        {"form": form, "title": title, "record": record, "back": "portfolio:agreement-list"},
        status=status,
    )


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.ADD, FundingAgreement())
    form = _form(request)
    outcome = submit_form(
        request,
        form,
        create_from(request, form, services.agreement_create),
        done=lambda saved: _("Agreement %(ref)s saved.") % {"ref": saved.reference},
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return _form_page(request, form, None, outcome)


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_or_404(selectors.agreement_get, user=request.user, pk=pk)
    if not selectors.agreement_writable(request.user, agreement):
        raise AccessDenied(_("You may not change this agreement: it links projects you may not change."))
    form = _form(request, agreement)
    outcome = submit_form(
        request,
        form,
        update_from(request, form, services.agreement_update, agreement=agreement),
        done=lambda saved: _("Agreement %(ref)s saved.") % {"ref": saved.reference},
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return _form_page(request, form, agreement, outcome)


@login_required
def agreement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_or_404(selectors.agreement_get, user=request.user, pk=pk)
    return delete_confirmation(
        request,
        record=agreement,
        delete=lambda version: services.agreement_delete(
            actor=request.user, agreement=agreement, expected_version=version
        ),
        after=reverse("portfolio:agreement-list"),
        cancel=agreement.get_absolute_url(),
        done=_("Agreement %(ref)s deleted.") % {"ref": agreement.reference},
    )
