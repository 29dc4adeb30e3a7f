"""Pages: the list of requests with their evidence and progress, a request with the records behind its
evidence, and create, edit and delete (global editors and administrators)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied
from presence.core.filtering import list_page
from presence.core.selectors import get_or_404
from presence.core.views import create_from, delete_confirmation, submit_form, update_from
from presence.mandates import selectors, services
from presence.mandates.filters import MandateFilter
from presence.mandates.forms import MandateForm
from presence.mandates.models import Mandate
from presence.org.access import Action, can, check
from presence.org.personal import shown_people


@login_required
def mandate_list(request: HttpRequest) -> HttpResponse:
    def rows(mandates: Any) -> list[dict[str, Any]]:
        return [
            selectors.plain_row(row) for row in selectors.mandate_rows(user=request.user, mandates=mandates)
        ]

    return list_page(
        request,
        MandateFilter,
        lambda filters: selectors.mandate_list(user=request.user, filters=filters),
        template="mandates/mandate_list.html",
        rows=rows,
        context=lambda mandates, page: {
            "rows": selectors.mandate_rows(user=request.user, mandates=page.object_list),
            "can_add": can(request.user, Action.ADD, Mandate()),
            "staff": selectors.sees_unpublished(request.user),
        },
    )


@login_required
def mandate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = get_or_404(selectors.mandate_get, user=request.user, pk=pk)
    return render(
        request,
        "mandates/mandate_detail.html",
        {
            "mandate": mandate,
            "evidence": selectors.evidence_for(user=request.user, mandate=mandate),
            "owner": selectors.owner_label(request.user, mandate),
            "people": shown_people(request.user, mandate),
            "history": selectors.history_for(user=request.user, record=mandate),
            "can_change": can(request.user, Action.CHANGE, mandate),
            "can_delete": can(request.user, Action.DELETE, mandate),
        },
    )


def _form_page(
    request: HttpRequest, form: MandateForm, title: str, record: Mandate | None, status: int
) -> HttpResponse:
    return render(
        request,
        "mandates/form.html",
        {"form": form, "title": title, "record": record, "back": "mandates:mandate-list"},
        status=status,
    )


@login_required
def mandate_create(request: HttpRequest) -> HttpResponse:
    check(request.user, Action.ADD, Mandate())
    form = MandateForm(request.POST or None)
    outcome = submit_form(
        request,
        form,
        create_from(request, form, services.mandate_create),
        done=lambda saved: _("%(r)s saved.") % {"r": saved},
        refusals=(ValidationError, AccessDenied),
    )
    if not isinstance(outcome, int):
        return outcome
    return _form_page(request, form, _("New governing-body request"), None, outcome)


@login_required
def mandate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = get_or_404(selectors.mandate_get, user=request.user, pk=pk)
    check(request.user, Action.CHANGE, mandate)
    form = MandateForm(request.POST or None, instance=mandate)
    outcome = submit_form(
        request,
        form,
        update_from(request, form, services.mandate_update, mandate=mandate),
        done=lambda saved: _("%(r)s saved.") % {"r": saved},
        refusals=(ValidationError, AccessDenied),
    )
    if not isinstance(outcome, int):
        return outcome
    return _form_page(request, form, _("Edit %(r)s") % {"r": mandate}, mandate, outcome)


@login_required
def mandate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = get_or_404(selectors.mandate_get, user=request.user, pk=pk)
    return delete_confirmation(
        request,
        record=mandate,
        delete=lambda version: services.mandate_delete(
            actor=request.user, mandate=mandate, expected_version=version
        ),
        after=reverse("mandates:mandate-list"),
    )
