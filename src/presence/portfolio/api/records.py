"""API: a project's records: fundings, budgets, transactions and reporting obligations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Schema
from ninja.pagination import paginate

from presence.core.api import LimitOffsetPagination, record_routes
from presence.core.filtering import ListFilter, filtered
from presence.core.selectors import get_or_404
from presence.core.years import Year
from presence.org.access import Action, restrict
from presence.portfolio import selectors, services
from presence.portfolio.api._common import _project, _resolve, router
from presence.portfolio.filters import BudgetFilter, FundingRecordFilter, ObligationFilter, TransactionFilter
from presence.portfolio.models import (
    Budget,
    Funding,
    ReportingObligation,
    Transaction,
)


class FundingOut(Schema):
    id: int
    project: str
    source: str
    partner: int | None
    amount: Decimal
    currency: str
    signed_on: dt.date
    version: int

    @staticmethod
    def resolve_project(obj: Funding) -> str:
        return obj.project.code

    @staticmethod
    def resolve_source(obj: Funding) -> str:
        return obj.source.code

    @staticmethod
    def resolve_partner(obj: Funding) -> int | None:
        return obj.partner_id


class FundingIn(Schema):
    source: str
    partner: int | None = None
    amount: Decimal
    currency: str = "CHF"
    signed_on: dt.date


class FundingPatch(Schema):
    source: str | None = None
    partner: int | None = None
    amount: Decimal | None = None
    currency: str | None = None
    signed_on: dt.date | None = None


class BudgetOut(Schema):
    id: int
    project: str
    year: int
    amount: Decimal
    currency: str
    version: int

    @staticmethod
    def resolve_project(obj: Budget) -> str:
        return obj.project.code


class BudgetIn(Schema):
    year: Year
    amount: Decimal
    currency: str = "CHF"


class BudgetPatch(Schema):
    year: Year | None = None
    amount: Decimal | None = None
    currency: str | None = None


class TransactionOut(Schema):
    id: int
    project: str
    kind: str
    date: dt.date
    amount: Decimal
    currency: str
    description: str
    version: int

    @staticmethod
    def resolve_project(obj: Transaction) -> str:
        return obj.project.code


class TransactionIn(Schema):
    kind: Transaction.Kind
    date: dt.date
    amount: Decimal
    currency: str = "CHF"
    description: str = ""


class TransactionPatch(Schema):
    kind: Transaction.Kind | None = None
    date: dt.date | None = None
    amount: Decimal | None = None
    currency: str | None = None
    description: str | None = None


class ObligationOut(Schema):
    id: int
    project: str
    title: str
    partner: int | None
    due_on: dt.date
    submitted_on: dt.date | None
    version: int

    @staticmethod
    def resolve_project(obj: ReportingObligation) -> str:
        return obj.project.code

    @staticmethod
    def resolve_partner(obj: ReportingObligation) -> int | None:
        return obj.partner_id


class ObligationIn(Schema):
    title: str = "Financial report"
    partner: int | None = None
    due_on: dt.date
    submitted_on: dt.date | None = None


class ObligationPatch(Schema):
    title: str | None = None
    partner: int | None = None
    due_on: dt.date | None = None
    submitted_on: dt.date | None = None


def _child(request: HttpRequest, model: Any, pk: int) -> Any:
    return get_or_404(restrict(model.objects.select_related("project"), request.user, Action.VIEW), pk=pk)


# Records attached to a project --------------------------------------------------------------------------


@router.get("/fundings/", response=list[FundingOut])
@paginate(LimitOffsetPagination)
@filtered(FundingRecordFilter)
def list_fundings(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.funding_list(user=request.user, filters=filters)


record_routes(
    router,
    "/fundings",
    noun="funding",
    module=__name__,
    out=FundingOut,
    fetch=lambda request, pk: _child(request, Funding, pk),
    new=FundingIn,
    create=services.funding_create,
    under=("/projects/{code}", _project, "project"),
    patch=FundingPatch,
    update=services.funding_update,
    delete=services.funding_delete,
    resolve=_resolve,
)


@router.get("/budgets/", response=list[BudgetOut])
@paginate(LimitOffsetPagination)
@filtered(BudgetFilter)
def list_budgets(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.budget_list(user=request.user, filters=filters)


record_routes(
    router,
    "/budgets",
    noun="budget",
    module=__name__,
    out=BudgetOut,
    readable=False,
    fetch=lambda request, pk: _child(request, Budget, pk),
    new=BudgetIn,
    create=services.budget_create,
    under=("/projects/{code}", _project, "project"),
    patch=BudgetPatch,
    update=services.budget_update,
    delete=services.budget_delete,
)


@router.get("/transactions/", response=list[TransactionOut])
@paginate(LimitOffsetPagination)
@filtered(TransactionFilter)
def list_transactions(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.transaction_list(user=request.user, filters=filters)


record_routes(
    router,
    "/transactions",
    noun="transaction",
    argument="transaction_record",
    module=__name__,
    out=TransactionOut,
    readable=False,
    fetch=lambda request, pk: _child(request, Transaction, pk),
    new=TransactionIn,
    create=services.transaction_create,
    under=("/projects/{code}", _project, "project"),
    patch=TransactionPatch,
    update=services.transaction_update,
    delete=services.transaction_delete,
)


@router.get("/reporting-obligations/", response=list[ObligationOut])
@paginate(LimitOffsetPagination)
@filtered(ObligationFilter)
def list_obligations(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.obligation_list(user=request.user, filters=filters)


record_routes(
    router,
    "/reporting-obligations",
    noun="obligation",
    module=__name__,
    out=ObligationOut,
    readable=False,
    fetch=lambda request, pk: _child(request, ReportingObligation, pk),
    new=ObligationIn,
    create=services.obligation_create,
    under=("/projects/{code}", _project, "project"),
    patch=ObligationPatch,
    update=services.obligation_update,
    delete=services.obligation_delete,
    resolve=_resolve,
)
