"""Pages: reporting obligations, and the shared lists (exchange rates, partners) with editing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied
from presence.core.filtering import PER_PAGE, ListFilter, bind, paginate
from presence.core.forms import VersionedModelForm
from presence.core.models import TrackedModel
from presence.core.selectors import get_or_404
from presence.core.views import create_from, delete_confirmation, form_page, submit_form, update_from
from presence.org.access import Action, can, can_anywhere, check, restrict
from presence.org.personal import history_for
from presence.portfolio import selectors, services
from presence.portfolio.filters import ExchangeRateFilter, PartnerFilter
from presence.portfolio.forms import (
    ExchangeRateForm,
    PartnerForm,
)
from presence.portfolio.models import (
    ExchangeRate,
    Partner,
)
from presence.portfolio.views._common import _year

# Reporting obligations, exchange rates, partners -----------------------------------------------------


# The overdue reports are listed a page at a time, oldest first.
OVERDUE_PER_PAGE = PER_PAGE


@login_required
def reporting(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    return render(
        request,
        "portfolio/reporting.html",
        {
            "year": year,
            "report": selectors.reporting_timeliness(user=request.user, year=year),
            "overdue": paginate(request, selectors.overdue_reports(user=request.user), OVERDUE_PER_PAGE),
        },
    )


def _shared_list(
    request: HttpRequest,
    *,
    model: type[TrackedModel],
    form_class: type[VersionedModelForm],
    create: Callable[..., Any],
    filterset: type[ListFilter],
    select: Callable[[ListFilter], Any],
    template: str,
) -> HttpResponse:
    """A shared list (its filters and one page of records) with its add form."""
    filters = bind(filterset, request)
    valid = filters.is_valid()
    page = paginate(request, select(filters) if valid else [])
    can_add = can_anywhere(request.user, Action.ADD, model)
    form = form_class(request.POST or None)
    if request.method == "POST" and not can_add:
        raise AccessDenied(_("You are not allowed to add these records."))
    status = submit_form(
        request,
        form,
        create_from(request, form, create),
        done=lambda _record: _("Saved."),
        after=lambda _record: request.path,
    )
    if isinstance(status, HttpResponse):
        return status
    if status == 200 and not valid:
        status = 400
    context = {
        "form": form,
        "filters": filters.form,
        "list_filter": filters,
        "page": page,
        "can_add": can_add,
        "can_change": can_anywhere(request.user, Action.CHANGE, model),
    }
    return render(request, template, context, status=status)


@login_required
def exchange_rates(request: HttpRequest) -> HttpResponse:
    return _shared_list(
        request,
        model=ExchangeRate,
        form_class=ExchangeRateForm,
        create=services.exchange_rate_create,
        filterset=ExchangeRateFilter,
        select=lambda filters: selectors.exchange_rate_list(user=request.user, filters=filters),
        template="portfolio/exchange_rates.html",
    )


@login_required
def partners(request: HttpRequest) -> HttpResponse:
    return _shared_list(
        request,
        model=Partner,
        form_class=PartnerForm,
        create=services.partner_create,
        filterset=PartnerFilter,
        select=lambda filters: selectors.partner_list(user=request.user, filters=filters),
        template="portfolio/partners.html",
    )


@dataclass(frozen=True)
class SharedKind:
    """A shared list (exchange rates, partners) whose entries have edit and delete pages."""

    model: type[TrackedModel]
    form: type[VersionedModelForm]
    label: str
    list_url: str
    update: Callable[..., Any]
    delete: Callable[..., Any]
    argument: str


SHARED = {
    "exchange-rates": SharedKind(
        ExchangeRate,
        ExchangeRateForm,
        "exchange rate",
        "portfolio:exchange-rates",
        services.exchange_rate_update,
        services.exchange_rate_delete,
        "rate",
    ),
    "partners": SharedKind(
        Partner,
        PartnerForm,
        "partner",
        "portfolio:partners",
        services.partner_update,
        services.partner_delete,
        "partner",
    ),
}


def _shared(kind: str, pk: int, user: Any) -> tuple[SharedKind, Any]:
    if kind not in SHARED:
        raise Http404(_("No such list."))
    spec = SHARED[kind]
    record = get_or_404(restrict(spec.model._default_manager.all(), user, Action.VIEW), pk=pk)
    return spec, record


@login_required
def shared_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec, record = _shared(kind, pk, request.user)
    check(request.user, Action.CHANGE, record)
    form = spec.form(request.POST or None, instance=record)
    return form_page(
        request,
        form,
        update_from(request, form, spec.update, **{spec.argument: record}),
        template="portfolio/shared_form.html",
        context=lambda: {
            "record": record,
            "label": spec.label,
            "kind": kind,
            "list_url": reverse(spec.list_url),
            "history": history_for(user=request.user, record=record, limit=50),
            "can_delete": can(request.user, Action.DELETE, record),
        },
        done=lambda _saved: _("%(label)s saved.") % {"label": spec.label.capitalize()},
        after=lambda _saved: spec.list_url,
    )


@login_required
def shared_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec, record = _shared(kind, pk, request.user)
    return delete_confirmation(
        request,
        record=record,
        delete=lambda version: spec.delete(
            actor=request.user, expected_version=version, **{spec.argument: record}
        ),
        after=reverse(spec.list_url),
        cancel=reverse(spec.list_url),
        done=_("%(label)s deleted.") % {"label": spec.label.capitalize()},
    )
