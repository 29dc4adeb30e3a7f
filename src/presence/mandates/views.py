"""Pages: the list of requests with their evidence and progress, a request with the records behind its
evidence, and create, edit and delete (global editors and administrators)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presence.core.errors import AccessDenied
from presence.core.exports import Column, table_download
from presence.core.views import delete_confirmation, submit_form
from presence.core.years import year_in_error
from presence.mandates import selectors, services
from presence.mandates.filters import MandateFilterForm
from presence.mandates.forms import MandateForm
from presence.mandates.models import Mandate
from presence.org.access import Action, can, check
from presence.org.personal import shown_people

COLUMNS = [
    Column("body", gettext_lazy("Governing body")),
    Column("session", gettext_lazy("Session")),
    Column("reference", gettext_lazy("Reference")),
    Column("text", gettext_lazy("Request")),
    Column("owner", gettext_lazy("Owner")),
    Column("due", gettext_lazy("Due")),
    Column("status", gettext_lazy("Status")),
    Column("evidence_label", gettext_lazy("Evidence")),
    Column("evidence_value", gettext_lazy("Done")),
    Column("evidence_total", gettext_lazy("Out of")),
    Column("progress", gettext_lazy("Progress (%)")),
    Column("assessment", gettext_lazy("Assessment")),
]


def _get(request: HttpRequest, pk: int) -> Mandate:
    try:
        return selectors.mandate_get(user=request.user, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404(_("No such record.")) from exc


@login_required
def mandate_list(request: HttpRequest) -> HttpResponse:
    filters = MandateFilterForm(request.GET or None)
    mandates = selectors.mandate_list(user=request.user, **filters.values())
    rows = selectors.mandate_rows(user=request.user, mandates=mandates)
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"} and not year_in_error(filters):
        return table_download(
            columns=COLUMNS,
            rows=[selectors.plain_row(row) for row in rows],
            filename="governing-body-requests",
            fmt=fmt,
            title=gettext_lazy("Requests"),
        )
    return render(
        request,
        "mandates/mandate_list.html",
        {
            "rows": rows,
            "filters": filters,
            "can_add": can(request.user, Action.ADD, Mandate()),
            "staff": selectors.sees_unpublished(request.user),
        },
        status=400 if year_in_error(filters) else 200,
    )


@login_required
def mandate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = _get(request, pk)
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
        lambda: services.mandate_create(actor=request.user, **form.service_data()),
        done=lambda saved: _("%(r)s saved.") % {"r": saved},
        refusals=(ValidationError, AccessDenied),
    )
    if not isinstance(outcome, int):
        return outcome
    return _form_page(request, form, _("New governing-body request"), None, outcome)


@login_required
def mandate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = _get(request, pk)
    check(request.user, Action.CHANGE, mandate)
    form = MandateForm(request.POST or None, instance=mandate)
    outcome = submit_form(
        request,
        form,
        lambda: services.mandate_update(
            actor=request.user,
            mandate=mandate,
            expected_version=form.expected_version(),
            **form.service_data(),
        ),
        done=lambda saved: _("%(r)s saved.") % {"r": saved},
        refusals=(ValidationError, AccessDenied),
    )
    if not isinstance(outcome, int):
        return outcome
    return _form_page(request, form, _("Edit %(r)s") % {"r": mandate}, mandate, outcome)


@login_required
def mandate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = _get(request, pk)
    return delete_confirmation(
        request,
        record=mandate,
        delete=lambda version: services.mandate_delete(
            actor=request.user, mandate=mandate, expected_version=version
        ),
        after=reverse("mandates:mandate-list"),
    )
