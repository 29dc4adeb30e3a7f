"""API: the shared lists: exchange rates, partners, funding sources, regional initiatives and funding
agreements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema
from ninja.pagination import paginate

from presence.core.api import LimitOffsetPagination, record_routes, set_etag
from presence.core.filtering import ListFilter, filtered
from presence.portfolio import selectors, services
from presence.portfolio.api._common import _resolve, router
from presence.portfolio.filters import (
    AgreementFilter,
    ExchangeRateFilter,
    PartnerFilter,
    RegionalInitiativeFilter,
)
from presence.portfolio.models import (
    FundingAgreement,
    FundingSource,
    Partner,
    Project,
    RegionalInitiative,
)


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
    names: dict[str, str]
    kind: str
    sort_order: int
    version: int


class SourceIn(Schema):
    code: str
    name: str
    name_translations: dict[str, str] = {}
    kind: FundingSource.Kind
    sort_order: int = 0


class SourcePatch(Schema):
    code: str | None = None
    name: str | None = None
    name_translations: dict[str, str] | None = None
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


# Shared lists -----------------------------------------------------------------------------------------


@router.get("/exchange-rates/", response=list[RateOut])
@paginate(LimitOffsetPagination)
@filtered(ExchangeRateFilter)
def list_rates(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.exchange_rate_list(user=request.user, filters=filters)


record_routes(
    router,
    "/exchange-rates",
    noun="rate",
    module=__name__,
    out=RateOut,
    records=selectors.exchange_rate_list,
    new=RateIn,
    create=services.exchange_rate_create,
    patch=RatePatch,
    update=services.exchange_rate_update,
    delete=services.exchange_rate_delete,
    docs={
        "update": "Change a rate (If-Match); refused (422) when recorded amounts would lose their rate.",
        "delete": "Delete a rate (If-Match); refused (409) when recorded amounts would lose their rate.",
    },
)


@router.get("/partners/", response=list[PartnerOut])
@paginate(LimitOffsetPagination)
@filtered(PartnerFilter)
def list_partners(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.partner_list(user=request.user, filters=filters)


record_routes(
    router,
    "/partners",
    noun="partner",
    module=__name__,
    out=PartnerOut,
    records=selectors.partner_list,
    new=PartnerIn,
    create=services.partner_create,
    patch=PartnerPatch,
    update=services.partner_update,
    delete=services.partner_delete,
    resolve=_resolve,
    docs={
        "delete": (
            "Delete a partner (administrators; If-Match); refused (409) while contributions or reports "
            "name it."
        ),
    },
)


@router.get("/funding-sources/", response=list[SourceOut])
def list_sources(request: HttpRequest) -> Any:
    return selectors.funding_source_list(user=request.user)


record_routes(
    router,
    "/funding-sources",
    noun="source",
    module=__name__,
    out=SourceOut,
    key="code",
    records=selectors.funding_source_list,
    new=SourceIn,
    create=services.funding_source_create,
    patch=SourcePatch,
    update=services.funding_source_update,
    delete=services.funding_source_delete,
    docs={
        "update": "Change a funding source (administrators; If-Match).",
        "delete": (
            "Delete a funding source (administrators; If-Match); refused (409) while contributions use it."
        ),
    },
)


@router.get("/regional-initiatives/", response=list[InitiativeOut])
@filtered(RegionalInitiativeFilter)
def list_initiatives(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.regional_initiative_list(user=request.user, filters=filters)


record_routes(
    router,
    "/regional-initiatives",
    noun="initiative",
    module=__name__,
    out=InitiativeOut,
    records=selectors.regional_initiative_list,
    new=InitiativeIn,
    create=services.regional_initiative_create,
    patch=InitiativePatch,
    update=services.regional_initiative_update,
    delete=services.regional_initiative_delete,
    resolve=_resolve,
    docs={
        "update": "Change a regional initiative (editors of its region; If-Match).",
        "delete": "Delete a regional initiative (If-Match); refused (409) while projects belong to it.",
    },
)


# Funding agreements -------------------------------------------------------------------------------------


class AgreementOut(Schema):
    id: int
    partner: int
    reference: str
    title: str
    status: str
    signed_on: dt.date | None
    amount: Decimal
    currency: str
    reporting_obligations: str
    reporting_frequency: str
    next_report_due: dt.date | None
    projects: list[str]
    version: int

    @staticmethod
    def resolve_partner(obj: FundingAgreement) -> int:
        return obj.partner_id

    @staticmethod
    def resolve_projects(obj: FundingAgreement, context: dict[str, Any]) -> list[str]:
        """The codes of the linked projects the caller may view."""
        linked = getattr(obj, "visible_projects", None)  # prefetched by the list
        if linked is None:
            user = getattr((context or {}).get("request"), "user", None)
            linked = selectors.agreement_projects(user=user, agreement=obj)
        return [project.code for project in linked]


class AgreementIn(Schema):
    partner: int
    reference: str
    title: str
    status: FundingAgreement.Status = FundingAgreement.Status.SIGNED
    signed_on: dt.date | None = None
    amount: Decimal
    currency: str = "CHF"
    reporting_obligations: str = ""
    reporting_frequency: str = Field("", description="annual, semiannual, quarterly, final or empty")
    next_report_due: dt.date | None = None
    projects: list[str] = []


class AgreementPatch(Schema):
    partner: int | None = None
    reference: str | None = None
    title: str | None = None
    status: FundingAgreement.Status | None = None
    signed_on: dt.date | None = None
    amount: Decimal | None = None
    currency: str | None = None
    reporting_obligations: str | None = None
    reporting_frequency: str | None = Field(None, description="annual, semiannual, quarterly, final or empty")
    next_report_due: dt.date | None = None
    projects: list[str] | None = None


def _resolve_agreement(data: dict[str, Any]) -> dict[str, Any]:
    """The partner's id and the projects' codes to records; an unknown one is a field error."""
    errors: dict[str, str] = {}
    if "projects" in data:
        codes = data.pop("projects")
        if codes is not None:
            found = list(Project.objects.filter(code__in=codes))
            missing = sorted(set(codes) - {project.code for project in found})
            if missing:
                errors["projects"] = f"Unknown project codes: {', '.join(missing)}."
            data["projects"] = found
    for name in ("reporting_obligations", "reporting_frequency", "title", "reference", "currency"):
        if name in data and data[name] is None:
            del data[name]
    try:
        _resolve(data)
    except ValidationError as error:
        errors.update({name: " ".join(messages) for name, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return data


@router.get("/agreements/", response=list[AgreementOut])
@paginate(LimitOffsetPagination)
@filtered(AgreementFilter)
def list_agreements(request: HttpRequest, filters: ListFilter) -> Any:
    """Funding agreements (everybody reads them); `projects` lists the linked projects the caller may view."""
    return selectors.agreement_list(user=request.user, filters=filters)


@router.post("/agreements/", response={201: AgreementOut})
def create_agreement(request: HttpRequest, response: HttpResponse, payload: AgreementIn) -> Any:
    """Record a funding agreement; linking a project the caller may not change is refused (403)."""
    record = services.agreement_create(actor=request.user, **_resolve_agreement(payload.dict()))
    set_etag(response, record)
    return 201, selectors.agreement_get(user=request.user, pk=record.pk)


record_routes(
    router,
    "/agreements",
    noun="agreement",
    module=__name__,
    out=AgreementOut,
    get=selectors.agreement_get,
    patch=AgreementPatch,
    update=services.agreement_update,
    delete=services.agreement_delete,
    resolve=_resolve_agreement,
    docs={
        "update": "Change an agreement (If-Match): for whoever may change every project it links.",
        "delete": "Delete an agreement (If-Match): for whoever may change every project it links.",
    },
)
