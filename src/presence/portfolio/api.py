"""API for the portfolio: projects and their records, shared lists, Table 1 and reporting as JSON.

Same filters as the list pages (the list page's filter form parses the query), same access rules
(selectors restrict, services check), ETag on reads and If-Match on writes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from presence.core.api import expected_version, set_etag
from presence.org.access import Action, restrict, sees_personal_data
from presence.org.models import Country, Office, Priority, Region
from presence.portfolio import selectors, services
from presence.portfolio.filters import ProjectFilterForm
from presence.portfolio.models import (
    Budget,
    Funding,
    FundingSource,
    Partner,
    Project,
    RegionalInitiative,
    ReportingObligation,
    Transaction,
)

router = Router(tags=["portfolio"])


# Schemas --------------------------------------------------------------------------------------------


class ProjectOut(Schema):
    code: str
    title: str
    description: str
    status: str
    planned_start: dt.date
    planned_end: dt.date
    actual_start: dt.date | None
    actual_end: dt.date | None
    lead_office: str
    region: str
    kap_priority: str | None
    regional_initiative: int | None
    manager_name: str
    manager_location: str
    currency: str
    is_demo: bool
    version: int

    @staticmethod
    def resolve_lead_office(obj: Project) -> str:
        return obj.lead_office.code

    @staticmethod
    def resolve_region(obj: Project) -> str:
        return obj.region.code

    @staticmethod
    def resolve_kap_priority(obj: Project) -> str | None:
        return obj.kap_priority.code if obj.kap_priority else None

    @staticmethod
    def resolve_regional_initiative(obj: Project) -> int | None:
        return obj.regional_initiative_id

    @staticmethod
    def resolve_manager_name(obj: Project, context: dict[str, Any]) -> str:
        return obj.manager_name if sees_personal_data(context["request"].user) else ""


class ProjectIn(Schema):
    code: str
    title: str
    description: str = ""
    status: Project.Status = Project.Status.PIPELINE
    planned_start: dt.date
    planned_end: dt.date
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    lead_office: str
    region: str
    kap_priority: str | None = None
    regional_initiative: int | None = None
    manager_name: str = ""
    manager_location: Project.ManagerLocation = Project.ManagerLocation.HQ
    currency: str = "CHF"


class ProjectPatch(Schema):
    title: str | None = None
    description: str | None = None
    status: Project.Status | None = None
    planned_start: dt.date | None = None
    planned_end: dt.date | None = None
    actual_start: dt.date | None = None
    actual_end: dt.date | None = None
    lead_office: str | None = None
    region: str | None = None
    kap_priority: str | None = None
    regional_initiative: int | None = None
    manager_name: str | None = None
    manager_location: Project.ManagerLocation | None = None
    currency: str | None = None


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
    year: int
    amount: Decimal
    currency: str = "CHF"


class BudgetPatch(Schema):
    year: int | None = None
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


class CountryShareIO(Schema):
    country: str
    percentage: Decimal | None = None


class RateOut(Schema):
    id: int
    currency: str
    valid_from: dt.date
    rate_to_chf: Decimal
    version: int


class RateIn(Schema):
    currency: str
    valid_from: dt.date
    rate_to_chf: Decimal


class RatePatch(Schema):
    currency: str | None = None
    valid_from: dt.date | None = None
    rate_to_chf: Decimal | None = None


class PartnerOut(Schema):
    id: int
    name: str
    organisation_type: str
    iati_identifier: str
    country: str | None
    version: int

    @staticmethod
    def resolve_country(obj: Partner) -> str | None:
        return obj.country.iso2 if obj.country else None


class PartnerIn(Schema):
    name: str
    organisation_type: Partner.OrganisationType
    iati_identifier: str = ""
    country: str | None = None


class PartnerPatch(Schema):
    name: str | None = None
    organisation_type: Partner.OrganisationType | None = None
    iati_identifier: str | None = None
    country: str | None = None


class SourceOut(Schema):
    code: str
    name: str
    kind: str
    sort_order: int
    version: int


class SourceIn(Schema):
    code: str
    name: str
    kind: FundingSource.Kind
    sort_order: int = 0


class SourcePatch(Schema):
    code: str | None = None
    name: str | None = None
    kind: FundingSource.Kind | None = None
    sort_order: int | None = None


class InitiativeOut(Schema):
    id: int
    cycle: int
    region: str
    code: str
    title: str
    version: int

    @staticmethod
    def resolve_region(obj: RegionalInitiative) -> str:
        return obj.region.code


class InitiativeIn(Schema):
    cycle: int
    region: str
    code: str
    title: str


class InitiativePatch(Schema):
    cycle: int | None = None
    region: str | None = None
    code: str | None = None
    title: str | None = None


class Table1RowOut(Schema):
    label: str
    number_of_projects: int
    cells: dict[str, Decimal]
    total_kchf: Decimal


class Table1Out(Schema):
    year: int
    columns: list[dict[str, str]]
    rows: list[Table1RowOut]
    unconverted: int


# Reference resolution ---------------------------------------------------------------------------------


def _lookup(data: dict[str, Any], errors: dict[str, str], name: str, model: Any, **lookup: Any) -> None:
    if data.get(name) is None:
        return
    key, attribute = next(iter(lookup.items()))
    found = model.objects.filter(**{key: data[name]}).first()
    if found is None:
        errors[name] = f"Unknown {attribute} {data[name]!r}."
    data[name] = found


def _resolve(data: dict[str, Any]) -> dict[str, Any]:
    """Codes and ids in a payload to records; an unknown one is a field error."""
    errors: dict[str, str] = {}
    _lookup(data, errors, "lead_office", Office, code="office code")
    _lookup(data, errors, "region", Region, code="region code")
    _lookup(data, errors, "kap_priority", Priority, code="priority code")
    _lookup(data, errors, "regional_initiative", RegionalInitiative, pk="regional initiative")
    _lookup(data, errors, "source", FundingSource, code="funding source")
    _lookup(data, errors, "partner", Partner, pk="partner")
    _lookup(data, errors, "country", Country, iso2="country code")
    if errors:
        raise ValidationError(errors)
    return data


def _project(request: HttpRequest, code: str) -> Project:
    return selectors.project_get(user=request.user, code=code)


def _child(request: HttpRequest, model: Any, pk: int) -> Any:
    return get_object_or_404(
        restrict(model.objects.select_related("project"), request.user, Action.VIEW), pk=pk
    )


# Projects ---------------------------------------------------------------------------------------------


@router.get("/projects/", response=list[ProjectOut])
@paginate(LimitOffsetPagination)
def list_projects(request: HttpRequest) -> Any:
    """Query parameters as on the list page: q, region, office, status, source, partner, year, initiative,
    priority."""
    filters = ProjectFilterForm(request.GET or None)
    if request.GET and not filters.is_valid():
        raise ValidationError({name: list(errors) for name, errors in filters.errors.items()})
    return selectors.project_list(user=request.user, **filters.selector_kwargs())


@router.get("/projects/{code}", response=ProjectOut)
def get_project(request: HttpRequest, response: HttpResponse, code: str) -> Any:
    project = _project(request, code)
    set_etag(response, project)
    return project


@router.post("/projects/", response={201: ProjectOut})
def create_project(request: HttpRequest, response: HttpResponse, payload: ProjectIn) -> Any:
    project = services.project_create(actor=request.user, **_resolve(payload.dict()))
    set_etag(response, project)
    return 201, project


@router.patch("/projects/{code}", response=ProjectOut)
def update_project(request: HttpRequest, response: HttpResponse, code: str, payload: ProjectPatch) -> Any:
    project = _project(request, code)
    version = expected_version(request, project)
    data = _resolve(payload.dict(exclude_unset=True))
    project = services.project_update(actor=request.user, project=project, expected_version=version, **data)
    set_etag(response, project)
    return project


@router.delete("/projects/{code}", response={204: None})
def delete_project(request: HttpRequest, code: str) -> Any:
    project = _project(request, code)
    services.project_delete(
        actor=request.user, project=project, expected_version=expected_version(request, project)
    )
    return 204, None


@router.get("/projects/{code}/countries", response=list[CountryShareIO])
def get_countries(request: HttpRequest, code: str) -> Any:
    project = _project(request, code)
    return [
        {"country": share.country.iso2, "percentage": share.percentage}
        for share in project.countries.select_related("country")
    ]


@router.put("/projects/{code}/countries", response=list[CountryShareIO])
def set_countries(request: HttpRequest, code: str, payload: list[CountryShareIO]) -> Any:
    project = _project(request, code)
    found = {c.iso2: c for c in Country.objects.filter(iso2__in=[item.country for item in payload])}
    missing = sorted({item.country for item in payload} - set(found))
    if missing:
        raise ValidationError({"country": f"Unknown country codes: {', '.join(missing)}."})
    services.project_countries_set(
        actor=request.user,
        project=project,
        countries=[(found[item.country], item.percentage) for item in payload],
    )
    return get_countries(request, code)


# Records attached to a project --------------------------------------------------------------------------


@router.get("/fundings/", response=list[FundingOut])
@paginate(LimitOffsetPagination)
def list_fundings(
    request: HttpRequest, project: str = "", source: str = "", partner: int | None = None
) -> Any:
    return selectors.funding_list(user=request.user, project=project, source=source, partner=partner)


@router.get("/fundings/{pk}", response=FundingOut)
def get_funding(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    record = _child(request, Funding, pk)
    set_etag(response, record)
    return record


@router.post("/projects/{code}/fundings/", response={201: FundingOut})
def create_funding(request: HttpRequest, response: HttpResponse, code: str, payload: FundingIn) -> Any:
    record = services.funding_create(
        actor=request.user, project=_project(request, code), **_resolve(payload.dict())
    )
    set_etag(response, record)
    return 201, record


@router.patch("/fundings/{pk}", response=FundingOut)
def update_funding(request: HttpRequest, response: HttpResponse, pk: int, payload: FundingPatch) -> Any:
    record = _child(request, Funding, pk)
    version = expected_version(request, record)
    record = services.funding_update(
        actor=request.user,
        funding=record,
        expected_version=version,
        **_resolve(payload.dict(exclude_unset=True)),
    )
    set_etag(response, record)
    return record


@router.delete("/fundings/{pk}", response={204: None})
def delete_funding(request: HttpRequest, pk: int) -> Any:
    record = _child(request, Funding, pk)
    services.funding_delete(
        actor=request.user, funding=record, expected_version=expected_version(request, record)
    )
    return 204, None


@router.get("/budgets/", response=list[BudgetOut])
@paginate(LimitOffsetPagination)
def list_budgets(request: HttpRequest, project: str = "", year: int | None = None) -> Any:
    return selectors.budget_list(user=request.user, project=project, year=year)


@router.post("/projects/{code}/budgets/", response={201: BudgetOut})
def create_budget(request: HttpRequest, response: HttpResponse, code: str, payload: BudgetIn) -> Any:
    record = services.budget_create(actor=request.user, project=_project(request, code), **payload.dict())
    set_etag(response, record)
    return 201, record


@router.patch("/budgets/{pk}", response=BudgetOut)
def update_budget(request: HttpRequest, response: HttpResponse, pk: int, payload: BudgetPatch) -> Any:
    record = _child(request, Budget, pk)
    version = expected_version(request, record)
    record = services.budget_update(
        actor=request.user, budget=record, expected_version=version, **payload.dict(exclude_unset=True)
    )
    set_etag(response, record)
    return record


@router.delete("/budgets/{pk}", response={204: None})
def delete_budget(request: HttpRequest, pk: int) -> Any:
    record = _child(request, Budget, pk)
    services.budget_delete(
        actor=request.user, budget=record, expected_version=expected_version(request, record)
    )
    return 204, None


@router.get("/transactions/", response=list[TransactionOut])
@paginate(LimitOffsetPagination)
def list_transactions(
    request: HttpRequest, project: str = "", kind: str = "", year: int | None = None
) -> Any:
    return selectors.transaction_list(user=request.user, project=project, kind=kind, year=year)


@router.post("/projects/{code}/transactions/", response={201: TransactionOut})
def create_transaction(
    request: HttpRequest, response: HttpResponse, code: str, payload: TransactionIn
) -> Any:
    record = services.transaction_create(
        actor=request.user, project=_project(request, code), **payload.dict()
    )
    set_etag(response, record)
    return 201, record


@router.patch("/transactions/{pk}", response=TransactionOut)
def update_transaction(
    request: HttpRequest, response: HttpResponse, pk: int, payload: TransactionPatch
) -> Any:
    record = _child(request, Transaction, pk)
    version = expected_version(request, record)
    record = services.transaction_update(
        actor=request.user,
        transaction_record=record,
        expected_version=version,
        **payload.dict(exclude_unset=True),
    )
    set_etag(response, record)
    return record


@router.delete("/transactions/{pk}", response={204: None})
def delete_transaction(request: HttpRequest, pk: int) -> Any:
    record = _child(request, Transaction, pk)
    services.transaction_delete(
        actor=request.user, transaction_record=record, expected_version=expected_version(request, record)
    )
    return 204, None


@router.get("/reporting-obligations/", response=list[ObligationOut])
@paginate(LimitOffsetPagination)
def list_obligations(request: HttpRequest, project: str = "", overdue: bool = False) -> Any:
    return selectors.obligation_list(user=request.user, project=project, overdue=overdue)


@router.post("/projects/{code}/reporting-obligations/", response={201: ObligationOut})
def create_obligation(request: HttpRequest, response: HttpResponse, code: str, payload: ObligationIn) -> Any:
    record = services.obligation_create(
        actor=request.user, project=_project(request, code), **_resolve(payload.dict())
    )
    set_etag(response, record)
    return 201, record


@router.patch("/reporting-obligations/{pk}", response=ObligationOut)
def update_obligation(request: HttpRequest, response: HttpResponse, pk: int, payload: ObligationPatch) -> Any:
    record = _child(request, ReportingObligation, pk)
    version = expected_version(request, record)
    record = services.obligation_update(
        actor=request.user,
        obligation=record,
        expected_version=version,
        **_resolve(payload.dict(exclude_unset=True)),
    )
    set_etag(response, record)
    return record


@router.delete("/reporting-obligations/{pk}", response={204: None})
def delete_obligation(request: HttpRequest, pk: int) -> Any:
    record = _child(request, ReportingObligation, pk)
    services.obligation_delete(
        actor=request.user, obligation=record, expected_version=expected_version(request, record)
    )
    return 204, None


# Shared lists -----------------------------------------------------------------------------------------


@router.get("/exchange-rates/", response=list[RateOut])
@paginate(LimitOffsetPagination)
def list_rates(request: HttpRequest, currency: str = "") -> Any:
    return selectors.exchange_rate_list(user=request.user, currency=currency)


@router.post("/exchange-rates/", response={201: RateOut})
def create_rate(request: HttpRequest, response: HttpResponse, payload: RateIn) -> Any:
    record = services.exchange_rate_create(actor=request.user, **payload.dict())
    set_etag(response, record)
    return 201, record


def _rate(request: HttpRequest, pk: int) -> Any:
    return get_object_or_404(selectors.exchange_rate_list(user=request.user), pk=pk)


@router.get("/exchange-rates/{pk}", response=RateOut)
def get_rate(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    record = _rate(request, pk)
    set_etag(response, record)
    return record


@router.patch("/exchange-rates/{pk}", response=RateOut)
def update_rate(request: HttpRequest, response: HttpResponse, pk: int, payload: RatePatch) -> Any:
    """Change a rate (If-Match); refused (422) when recorded amounts would lose their rate."""
    record = _rate(request, pk)
    version = expected_version(request, record)
    record = services.exchange_rate_update(
        actor=request.user, rate=record, expected_version=version, **payload.dict(exclude_unset=True)
    )
    set_etag(response, record)
    return record


@router.delete("/exchange-rates/{pk}", response={204: None})
def delete_rate(request: HttpRequest, pk: int) -> Any:
    """Delete a rate (If-Match); refused (409) when recorded amounts would lose their rate."""
    record = _rate(request, pk)
    services.exchange_rate_delete(
        actor=request.user, rate=record, expected_version=expected_version(request, record)
    )
    return 204, None


@router.get("/partners/", response=list[PartnerOut])
@paginate(LimitOffsetPagination)
def list_partners(request: HttpRequest, q: str = "") -> Any:
    return selectors.partner_list(user=request.user, q=q)


@router.post("/partners/", response={201: PartnerOut})
def create_partner(request: HttpRequest, response: HttpResponse, payload: PartnerIn) -> Any:
    record = services.partner_create(actor=request.user, **_resolve(payload.dict()))
    set_etag(response, record)
    return 201, record


def _partner(request: HttpRequest, pk: int) -> Any:
    return get_object_or_404(selectors.partner_list(user=request.user), pk=pk)


@router.get("/partners/{pk}", response=PartnerOut)
def get_partner(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    record = _partner(request, pk)
    set_etag(response, record)
    return record


@router.patch("/partners/{pk}", response=PartnerOut)
def update_partner(request: HttpRequest, response: HttpResponse, pk: int, payload: PartnerPatch) -> Any:
    record = _partner(request, pk)
    version = expected_version(request, record)
    record = services.partner_update(
        actor=request.user,
        partner=record,
        expected_version=version,
        **_resolve(payload.dict(exclude_unset=True)),
    )
    set_etag(response, record)
    return record


@router.delete("/partners/{pk}", response={204: None})
def delete_partner(request: HttpRequest, pk: int) -> Any:
    """Delete a partner (administrators; If-Match); refused (409) while contributions or reports name it."""
    record = _partner(request, pk)
    services.partner_delete(
        actor=request.user, partner=record, expected_version=expected_version(request, record)
    )
    return 204, None


@router.get("/funding-sources/", response=list[SourceOut])
def list_sources(request: HttpRequest) -> Any:
    return selectors.funding_source_list(user=request.user)


@router.post("/funding-sources/", response={201: SourceOut})
def create_source(request: HttpRequest, response: HttpResponse, payload: SourceIn) -> Any:
    record = services.funding_source_create(actor=request.user, **payload.dict())
    set_etag(response, record)
    return 201, record


def _source(request: HttpRequest, code: str) -> Any:
    return get_object_or_404(selectors.funding_source_list(user=request.user), code=code)


@router.get("/funding-sources/{code}", response=SourceOut)
def get_source(request: HttpRequest, response: HttpResponse, code: str) -> Any:
    record = _source(request, code)
    set_etag(response, record)
    return record


@router.patch("/funding-sources/{code}", response=SourceOut)
def update_source(request: HttpRequest, response: HttpResponse, code: str, payload: SourcePatch) -> Any:
    """Change a funding source (administrators; If-Match)."""
    record = _source(request, code)
    version = expected_version(request, record)
    record = services.funding_source_update(
        actor=request.user, source=record, expected_version=version, **payload.dict(exclude_unset=True)
    )
    set_etag(response, record)
    return record


@router.delete("/funding-sources/{code}", response={204: None})
def delete_source(request: HttpRequest, code: str) -> Any:
    """Delete a funding source (administrators; If-Match); refused (409) while contributions use it."""
    record = _source(request, code)
    services.funding_source_delete(
        actor=request.user, source=record, expected_version=expected_version(request, record)
    )
    return 204, None


@router.get("/regional-initiatives/", response=list[InitiativeOut])
def list_initiatives(request: HttpRequest, region: str = "", cycle: int | None = None) -> Any:
    return selectors.regional_initiative_list(user=request.user, region=region, cycle=cycle)


@router.post("/regional-initiatives/", response={201: InitiativeOut})
def create_initiative(request: HttpRequest, response: HttpResponse, payload: InitiativeIn) -> Any:
    record = services.regional_initiative_create(actor=request.user, **_resolve(payload.dict()))
    set_etag(response, record)
    return 201, record


def _initiative(request: HttpRequest, pk: int) -> Any:
    return get_object_or_404(selectors.regional_initiative_list(user=request.user), pk=pk)


@router.get("/regional-initiatives/{pk}", response=InitiativeOut)
def get_initiative(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    record = _initiative(request, pk)
    set_etag(response, record)
    return record


@router.patch("/regional-initiatives/{pk}", response=InitiativeOut)
def update_initiative(request: HttpRequest, response: HttpResponse, pk: int, payload: InitiativePatch) -> Any:
    """Change a regional initiative (editors of its region; If-Match)."""
    record = _initiative(request, pk)
    version = expected_version(request, record)
    record = services.regional_initiative_update(
        actor=request.user,
        initiative=record,
        expected_version=version,
        **_resolve(payload.dict(exclude_unset=True)),
    )
    set_etag(response, record)
    return record


@router.delete("/regional-initiatives/{pk}", response={204: None})
def delete_initiative(request: HttpRequest, pk: int) -> Any:
    """Delete a regional initiative (If-Match); refused (409) while projects belong to it."""
    record = _initiative(request, pk)
    services.regional_initiative_delete(
        actor=request.user, initiative=record, expected_version=expected_version(request, record)
    )
    return 204, None


# Table 1 and reporting ----------------------------------------------------------------------------------


@router.get("/table1/{year}", response=Table1Out)
def get_table1(request: HttpRequest, year: int) -> Any:
    """Table 1 for a year in k CHF: one row per region, MUL and Total; keys are the CSV column names."""
    table = selectors.table1(user=request.user, year=year)
    return {
        "year": year,
        "columns": [{"key": c.csv_name, "label": c.label} for c in table.columns],
        "rows": [
            {
                "label": row.label,
                "number_of_projects": row.projects,
                "cells": {c.csv_name: row.kchf(c.key) for c in table.columns},
                "total_kchf": row.total_kchf,
            }
            for row in table.all_rows
        ],
        "unconverted": len(table.unconverted),
    }
