"""Portfolio's record types: projects, the records attached to a project (fundings, budgets, transactions,
reporting obligations), the shared lists (partners, exchange rates, funding sources) and regional
initiatives."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from presence.portfolio import services
from presence.portfolio.models import (
    Budget,
    ExchangeRate,
    Funding,
    FundingAgreement,
    FundingSource,
    Partner,
    Project,
    RegionalInitiative,
    ReportingObligation,
    Transaction,
)
from tests.kit.places import D, office, region
from tests.kit.types import Ctx, RecordType, api, pages


def make_project(ctx: Ctx) -> Project:
    return services.project_create(
        actor=ctx.admin,
        code=f"9TST{ctx.n():05d}",
        title="Broadband maps for West Africa",
        status=Project.Status.IMPLEMENTATION,
        planned_start=D(2023, 1, 1),
        planned_end=D(2025, 12, 31),
        lead_office=office(),
        region=region(),
    )


def project(ctx: Ctx) -> Project:
    """The project the records of one test are attached to."""
    return ctx.once("project", lambda: make_project(ctx))


def source() -> FundingSource:
    return FundingSource.objects.get_or_create(
        code="partners", defaults={"name": "Funding from partners", "kind": "partner"}
    )[0]


def make_funding(ctx: Ctx) -> Funding:
    return services.funding_create(
        actor=ctx.admin,
        project=project(ctx),
        source=source(),
        amount=Decimal("250000"),
        currency="CHF",
        signed_on=D(2023, 2, 1),
    )


def make_budget(ctx: Ctx) -> Budget:
    return services.budget_create(
        actor=ctx.admin,
        project=project(ctx),
        year=2023 + ctx.n() % 3,
        amount=Decimal("80000"),
        currency="CHF",
    )


def make_transaction(ctx: Ctx) -> Transaction:
    return services.transaction_create(
        actor=ctx.admin,
        project=project(ctx),
        kind="disbursement",
        date=D(2023, 6, 1),
        amount=Decimal("12000"),
        currency="CHF",
        description=f"First instalment {ctx.n()}",
    )


def make_obligation(ctx: Ctx) -> ReportingObligation:
    return services.obligation_create(
        actor=ctx.admin, project=project(ctx), due_on=D(2024, 3, 31), title=f"Annual report {ctx.n()}"
    )


def make_partner(ctx: Ctx) -> Partner:
    return services.partner_create(actor=ctx.admin, name=f"Donor agency {ctx.n()}", organisation_type="10")


def make_rate(ctx: Ctx) -> ExchangeRate:
    return services.exchange_rate_create(
        actor=ctx.admin, currency="EUR", valid_from=D(2020, 1, ctx.n()), rate_to_chf=Decimal("0.95")
    )


def make_source(ctx: Ctx) -> FundingSource:
    return services.funding_source_create(
        actor=ctx.admin, code=f"trust-fund-{ctx.n()}", name="Trust fund", kind="other"
    )


def make_initiative(ctx: Ctx) -> RegionalInitiative:
    return services.regional_initiative_create(
        actor=ctx.admin, cycle=2022, region=region(), code=f"AFR{ctx.n()}", title="Digital transformation"
    )


def make_agreement(ctx: Ctx) -> FundingAgreement:
    return services.agreement_create(
        actor=ctx.admin,
        partner=ctx.once("partner", lambda: make_partner(ctx)),
        reference=f"AGR-2023-{ctx.n():03d}",
        title="Broadband mapping contribution",
        signed_on=D(2023, 1, 15),
        amount=Decimal("500000"),
        currency="CHF",
        reporting_obligations="Annual financial report by 31 March.",
        reporting_frequency="annual",
        next_report_due=D(2024, 3, 31),
        projects=[project(ctx)],
    )


def shared(kind: str, **declared: Any) -> RecordType:
    """An entry of a shared list: added on the list page, edited (with its History) and deleted on its own."""
    return RecordType(
        list_page=f"/portfolio/{kind}/",
        create_page=lambda ctx: f"/portfolio/{kind}/",
        edit_page=lambda r: f"/portfolio/{kind}/{r.pk}/edit/",
        history_page=lambda r: f"/portfolio/{kind}/{r.pk}/edit/",
        delete_page=lambda r: f"/portfolio/{kind}/{r.pk}/delete/",
        **api(f"/api/portfolio/{kind}/"),
        writer=("admin",),
        refused=(("viewer",),),
        **declared,
    )


def child(kind: str, api: str, model: type[Any], make: Any, **declared: Any) -> RecordType:
    """A record attached to a project: its pages are the project's, its API creates it under the project."""
    return RecordType(
        name=model._meta.model_name.replace("reportingobligation", "reporting-obligation"),
        model=model,
        make=make,
        detail_page=lambda r: f"/portfolio/projects/{r.project.code}/",
        history=False,
        create_page=lambda ctx: f"/portfolio/projects/{project(ctx).code}/{kind}/new/",
        edit_page=lambda r: f"/portfolio/projects/{r.project.code}/{kind}/{r.pk}/edit/",
        delete_page=lambda r: f"/portfolio/projects/{r.project.code}/{kind}/{r.pk}/delete/",
        api_list=f"/api/portfolio/{api}/",
        api_detail=lambda r: f"/api/portfolio/{api}/{r.pk}",
        api_create=lambda ctx: f"/api/portfolio/projects/{project(ctx).code}/{api}/",
        **declared,
    )


RECORDS = [
    RecordType(
        name="project",
        model=Project,
        make=make_project,
        shown=lambda r: r.code,
        edit=("title", "Broadband maps for the Sahel"),
        **pages("/portfolio/projects/", key=lambda r: r.code),
        form=lambda ctx: {
            "code": "9RAF24100",
            "title": "Spectrum management",
            "status": "pipeline",
            "planned_start": "2024-01-01",
            "planned_end": "2025-12-31",
            "lead_office": office().pk,
            "region": region().pk,
            "manager_location": "hq",
            "currency": "CHF",
        },
        invalid={"planned_end": "2022-01-01"},  # before the start
        **api("/api/portfolio/projects/", key=lambda r: r.code),
        api_id=("code", lambda r: r.code),
        api_payload=lambda ctx: {
            "code": "9RAF24100",
            "title": "Spectrum management",
            "planned_start": "2024-01-01",
            "planned_end": "2025-12-31",
            "lead_office": "dakar",
            "region": "AFR",
        },
        filters={"region": "AFR", "office": "dakar", "status": "implementation"},
    ),
    child(
        "funding",
        "fundings",
        Funding,
        make_funding,
        shown=lambda r: r.project.code,
        edit=("amount", "300000.00"),
        list_page="/portfolio/funding/?year=2023",
        form=lambda ctx: {
            "source": source().pk,
            "amount": "1000",
            "currency": "CHF",
            "signed_on": "2023-03-01",
        },
        invalid={"amount": "lots"},
        api_payload=lambda ctx: {"source": source().code, "amount": "1000", "signed_on": "2023-03-01"},
        api_methods=("GET", "PATCH", "DELETE"),
        filters={"year": "2023", "region": "AFR", "source": "partners", "project": lambda r: r.project.code},
    ),
    child(
        "budget",
        "budgets",
        Budget,
        make_budget,
        shown=lambda r: str(r.year),
        edit=("amount", "90000.00"),
        form=lambda ctx: {"year": 2026, "amount": "1000", "currency": "CHF"},
        invalid={"year": "soon"},
        api_payload=lambda ctx: {"year": 2026, "amount": "1000"},
        api_methods=("PATCH", "DELETE"),
        filters={"project": lambda r: r.project.code, "year": lambda r: r.year},
    ),
    child(
        "transaction",
        "transactions",
        Transaction,
        make_transaction,
        shown=lambda r: r.description,
        edit=("description", "Second instalment"),
        form=lambda ctx: {"kind": "expenditure", "date": "2023-07-01", "amount": "500", "currency": "CHF"},
        invalid={"date": "2023-13-01"},
        api_payload=lambda ctx: {"kind": "expenditure", "date": "2023-07-01", "amount": "500"},
        api_methods=("PATCH", "DELETE"),
        filters={"project": lambda r: r.project.code, "kind": "disbursement", "year": "2023"},
    ),
    child(
        "report",
        "reporting-obligations",
        ReportingObligation,
        make_obligation,
        shown=lambda r: r.title,
        edit=("title", "Final report"),
        form=lambda ctx: {"title": "Mid-term report", "due_on": "2024-06-30"},
        invalid={"due_on": "June"},
        api_payload=lambda ctx: {"title": "Mid-term report", "due_on": "2024-06-30"},
        api_methods=("PATCH", "DELETE"),
        filters={"project": lambda r: r.project.code, "overdue": "true"},
    ),
    shared(
        "partners",
        name="partner",
        model=Partner,
        make=make_partner,
        shown=lambda r: r.name,
        edit=("name", "Development bank"),
        form=lambda ctx: {"name": "Foundation", "organisation_type": "60"},
        invalid={"name": ""},
        api_payload=lambda ctx: {"name": "Foundation", "organisation_type": "60"},
        filters={"q": "Donor"},
    ),
    RecordType(
        name="funding-agreement",
        model=FundingAgreement,
        make=make_agreement,
        shown=lambda r: r.reference,
        edit=("title", "Spectrum monitoring contribution"),
        **pages("/portfolio/agreements/"),
        form=lambda ctx: {
            "partner": ctx.once("partner", lambda: make_partner(ctx)).pk,
            "reference": "AGR-2024-900",
            "title": "School connectivity contribution",
            "status": "signed",
            "signed_on": "2024-02-01",
            "amount": "120000",
            "currency": "CHF",
            "reporting_frequency": "final",
            "projects": project(ctx).code,  # typed: the projects' codes
        },
        invalid={"signed_on": "February"},
        **api("/api/portfolio/agreements/"),
        api_payload=lambda ctx: {
            "partner": ctx.once("partner", lambda: make_partner(ctx)).pk,
            "reference": "AGR-2024-900",
            "title": "School connectivity contribution",
            "signed_on": "2024-02-01",
            "amount": "120000",
            "projects": [project(ctx).code],
        },
        filters={"status": "signed", "region": "AFR", "q": "AGR"},
    ),
    shared(
        "exchange-rates",
        name="exchange-rate",
        model=ExchangeRate,
        make=make_rate,
        shown=lambda r: r.currency,
        edit=("rate_to_chf", "0.97"),
        form=lambda ctx: {"currency": "USD", "valid_from": "2024-01-01", "rate_to_chf": "0.88"},
        invalid={"rate_to_chf": "cheap"},
        api_payload=lambda ctx: {"currency": "USD", "valid_from": "2024-01-01", "rate_to_chf": "0.88"},
        filters={"currency": "EUR"},
    ),
    RecordType(
        name="funding-source",
        model=FundingSource,
        make=make_source,
        shown=lambda r: r.name,
        edit=("name", "Multi-donor trust fund"),
        **api("/api/portfolio/funding-sources/", key=lambda r: r.code),
        api_id=("code", lambda r: r.code),
        api_payload=lambda ctx: {"code": "un-agencies", "name": "UN agencies", "kind": "partner"},
        writer=("admin",),
        refused=(("viewer",), ("editor",)),
    ),
    RecordType(
        name="regional-initiative",
        model=RegionalInitiative,
        make=make_initiative,
        shown=lambda r: r.title,
        edit=("title", "Digital inclusion"),
        **api("/api/portfolio/regional-initiatives/"),
        api_payload=lambda ctx: {"cycle": 2022, "region": "AFR", "code": "AFR9", "title": "Cybersecurity"},
        writer=("editor", "AFR"),
        refused=(("viewer",), ("editor", "ASP")),
        filters={"cycle": "2022", "region": "AFR"},
    ),
]
