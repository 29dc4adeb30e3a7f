"""Crisis-communications registration counts, their upload and coverage per office."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied
from presence.core.filtering import bind, download, paginate, requested_format
from presence.core.selectors import get_or_404
from presence.core.views import delete_confirmation
from presence.org.access import Action, can_anywhere, check
from presence.resilience import selectors, services
from presence.resilience.filters import RegistrationFilter
from presence.resilience.forms import RegistrationForm, RegistrationUploadForm
from presence.resilience.models import (
    CrisisCommsRegistration,
)
from presence.resilience.views._common import (
    form_page,
    place_of,
    record_detail,
    to_coverage_page,
    writable_offices,
)

# Crisis-comms coverage ------------------------------------------------------------------------


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    """Crisis-comms coverage per office and the latest counts, by `filters.RegistrationFilter`."""
    filters = bind(RegistrationFilter, request)
    valid = filters.is_valid()
    place = place_of(filters)
    rows = selectors.coverage_by_office(user=request.user, **place) if valid else []
    fmt = requested_format(request)
    if valid and fmt:
        return download(
            RegistrationFilter.export,
            (
                {
                    "office": r.office.localized_name,
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
            fmt,
        )
    registrations = selectors.registration_list(user=request.user, filters=filters) if valid else []
    page = paginate(request, registrations)
    return render(
        request,
        "resilience/coverage.html",
        {
            "rows": rows,
            "filters": filters.form,
            "list_filter": filters,
            "summary": selectors.coverage_summary(rows),
            "page": page,
            "can_add": can_anywhere(request.user, Action.ADD, CrisisCommsRegistration),
        },
        status=200 if valid else 400,
    )


@login_required
def registration_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, CrisisCommsRegistration):
        raise AccessDenied(_("You are not allowed to enter crisis-comms counts."))
    form = RegistrationForm(request.POST or None, offices=writable_offices(request, CrisisCommsRegistration))

    def save() -> models.Model:
        record = services.registration_create(actor=request.user, **form.service_data())
        return record.office

    return form_page(
        request,
        form,
        title=_("Enter a crisis-comms count"),
        back=reverse("resilience:coverage"),
        save=lambda: to_coverage_page(save()),
        done=_("Count saved."),
    )


@login_required
def registration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_or_404(selectors.registration_get, user=request.user, pk=pk)
    check(request.user, Action.CHANGE, record)
    form = RegistrationForm(
        request.POST or None, instance=record, offices=writable_offices(request, CrisisCommsRegistration)
    )
    return form_page(
        request,
        form,
        title=_("Edit crisis-comms count"),
        back=reverse("resilience:coverage"),
        save=lambda: to_coverage_page(
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
        return to_coverage_page(saved[0])

    return form_page(
        request,
        form,
        title=_("Upload crisis-comms counts"),
        back=reverse("resilience:coverage"),
        save=save,
        done=_("Upload complete."),
        multipart=True,
    )


@login_required
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_or_404(selectors.registration_get, user=request.user, pk=pk)
    return record_detail(
        request,
        record,
        back=reverse("resilience:coverage"),
        urls="registration",
        facts=[
            (_("Office"), record.office.name),
            (_("Counted on"), record.counted_on),
            (_("Registered staff"), record.registered),
            (
                _("Staff in the office (entered)"),
                record.staff_in_office if record.staff_in_office is not None else "-",
            ),
            (_("Source"), record.get_source_display()),
            (_("Notes"), record.notes or "-"),
        ],
    )


@login_required
def registration_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_or_404(selectors.registration_get, user=request.user, pk=pk)
    return delete_confirmation(
        request,
        record=record,
        delete=lambda version: services.registration_delete(
            actor=request.user, registration=record, expected_version=version
        ),
        after=reverse("resilience:coverage"),
        warning=_("The office's coverage is then computed from its previous count, if any."),
    )
