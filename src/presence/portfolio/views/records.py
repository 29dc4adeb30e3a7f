"""Pages: records attached to a project (fundings, budgets, transactions, obligations)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from presence.core.forms import VersionedModelForm
from presence.core.selectors import get_or_404
from presence.core.views import create_from, delete_confirmation, form_page, update_from
from presence.org.access import Action, check
from presence.portfolio import services
from presence.portfolio.forms import (
    BudgetForm,
    FundingForm,
    ObligationForm,
    TransactionForm,
)
from presence.portfolio.models import (
    Budget,
    Funding,
    ReportingObligation,
    Transaction,
)
from presence.portfolio.views._common import _project

# Records attached to a project: one set of views, one entry per kind -----------------------------------


@dataclass(frozen=True)
class ChildKind:
    model: type[Any]
    form: type[VersionedModelForm]
    label: str
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    argument: str  # the keyword the update and delete services take the record by


CHILDREN = {
    "funding": ChildKind(
        Funding,
        FundingForm,
        "funding",
        services.funding_create,
        services.funding_update,
        services.funding_delete,
        "funding",
    ),
    "budget": ChildKind(
        Budget,
        BudgetForm,
        "budget",
        services.budget_create,
        services.budget_update,
        services.budget_delete,
        "budget",
    ),
    "transaction": ChildKind(
        Transaction,
        TransactionForm,
        "transaction",
        services.transaction_create,
        services.transaction_update,
        services.transaction_delete,
        "transaction_record",
    ),
    "report": ChildKind(
        ReportingObligation,
        ObligationForm,
        "reporting obligation",
        services.obligation_create,
        services.obligation_update,
        services.obligation_delete,
        "obligation",
    ),
}


def _child(kind: str) -> ChildKind:
    if kind not in CHILDREN:
        raise Http404(_("No such kind of record."))
    return CHILDREN[kind]


@login_required
def child_create(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    spec = _child(kind)
    project = _project(request, code)
    check(request.user, Action.ADD, spec.model(project=project))
    form = spec.form(request.POST or None, initial={"currency": project.currency})
    return form_page(
        request,
        form,
        create_from(request, form, spec.create, project=project),
        template="portfolio/child_form.html",
        context=lambda: {"project": project, "label": spec.label, "record": None},
        done=lambda _saved: _("%(label)s added.") % {"label": spec.label.capitalize()},
        after=lambda _saved: project,
    )


@login_required
def child_edit(request: HttpRequest, code: str, kind: str, pk: int) -> HttpResponse:
    spec = _child(kind)
    project = _project(request, code)
    record = get_or_404(spec.model, pk=pk, project=project)
    check(request.user, Action.CHANGE, record)
    form = spec.form(request.POST or None, instance=record)
    return form_page(
        request,
        form,
        update_from(request, form, spec.update, **{spec.argument: record}),
        template="portfolio/child_form.html",
        context=lambda: {"project": project, "label": spec.label, "record": record},
        done=lambda _saved: _("%(label)s saved.") % {"label": spec.label.capitalize()},
        after=lambda _saved: project,
    )


@login_required
def child_delete(request: HttpRequest, code: str, kind: str, pk: int) -> HttpResponse:
    spec = _child(kind)
    project = _project(request, code)
    record = get_or_404(spec.model, pk=pk, project=project)
    return delete_confirmation(
        request,
        record=record,
        delete=lambda version: spec.delete(
            actor=request.user, expected_version=version, **{spec.argument: record}
        ),
        after=project.get_absolute_url(),
        cancel=project.get_absolute_url(),
        done=_("%(label)s deleted.") % {"label": spec.label.capitalize()},
    )
