"""API for events, stakeholder engagements, opportunities, the weighted pipeline and conversion
of a signed opportunity into a portfolio project."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from presence.core.api import LimitOffsetPagination, expected_version, record_routes
from presence.core.filtering import ListFilter, filtered
from presence.core.selectors import get_or_404
from presence.engagement import selectors, services
from presence.engagement.filters import EngagementFilter, EventFilter, OpportunityFilter
from presence.engagement.models import Event, Opportunity, StakeholderEngagement
from presence.org.models import Country, Office, Priority, Region
from presence.portfolio.models import FundingSource, Partner, Project

router = Router(tags=["engagement"])


def _resolve(data: dict[str, Any]) -> dict[str, Any]:
    """Codes in the payload to records; an unknown code is a field error naming it."""
    lookups: dict[str, tuple[type[Any], str]] = {
        "region": (Region, "code"),
        "office": (Office, "code"),
        "host_country": (Country, "iso2"),
        "country": (Country, "iso2"),
        "kap_priority": (Priority, "code"),
        "partner": (Partner, "name"),
        "source": (FundingSource, "code"),
    }
    errors: dict[str, str] = {}
    for name, (model, key) in lookups.items():
        value = data.get(name)
        if not value:
            if name in data and value is not None:
                data[name] = None
            continue
        queryset = model.objects.filter(**{key: value})
        if model is Priority:
            queryset = queryset.order_by("-cycle")
        found = queryset.first()
        if found is None:
            errors[name] = f"Unknown {name.replace('_', ' ')} {value!r}."
        data[name] = found
    if errors:
        raise ValidationError(errors)
    return data


# Events -------------------------------------------------------------------------------------------


class EventOut(Schema):
    id: int
    kind: str
    title: str
    start_date: dt.date
    end_date: dt.date
    region: str
    office: str | None
    host_country: str | None
    city: str
    kap_priority: str | None
    participants_total: int
    participants_government: int
    participants_regulator: int
    participants_private_sector: int
    participants_academia: int
    participants_civil_society: int
    participants_international_organization: int
    participants_type_unknown: int
    participants_women: int
    participants_men: int
    participants_gender_unknown: int
    notes: str
    version: int

    @staticmethod
    def resolve_region(obj: Event) -> str:
        return obj.region.code

    @staticmethod
    def resolve_office(obj: Event) -> str | None:
        return obj.office.code if obj.office else None

    @staticmethod
    def resolve_host_country(obj: Event) -> str | None:
        return obj.host_country.iso2 if obj.host_country else None

    @staticmethod
    def resolve_kap_priority(obj: Event) -> str | None:
        return obj.kap_priority.code if obj.kap_priority else None


class EventIn(Schema):
    kind: Event.Kind
    title: str
    start_date: dt.date
    end_date: dt.date
    region: str | None = None
    office: str | None = None
    host_country: str | None = None
    city: str = ""
    kap_priority: str | None = None
    participants_total: int = 0
    participants_government: int = 0
    participants_regulator: int = 0
    participants_private_sector: int = 0
    participants_academia: int = 0
    participants_civil_society: int = 0
    participants_international_organization: int = 0
    participants_women: int = 0
    participants_men: int = 0
    notes: str = ""


class EventPatch(Schema):
    kind: Event.Kind | None = None
    title: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    region: str | None = None
    office: str | None = None
    host_country: str | None = None
    city: str | None = None
    kap_priority: str | None = None
    participants_total: int | None = None
    participants_government: int | None = None
    participants_regulator: int | None = None
    participants_private_sector: int | None = None
    participants_academia: int | None = None
    participants_civil_society: int | None = None
    participants_international_organization: int | None = None
    participants_women: int | None = None
    participants_men: int | None = None
    notes: str | None = None


class ParticipationOut(Schema):
    region: str
    events: int
    participants: int
    by_type: dict[str, int]
    type_unknown: int
    women: int
    men: int
    gender_unknown: int


@router.get("/events/", response=list[EventOut])
@paginate(LimitOffsetPagination)
@filtered(EventFilter)
def list_events(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.event_list(user=request.user, filters=filters)


@router.get("/events/participation", response=list[ParticipationOut])
def get_participation(
    request: HttpRequest, start: dt.date, end: dt.date, kind: str = "", region: str = ""
) -> Any:
    """Events that began in the period and their participants per region; region "" is the total."""
    return [
        {**vars(row), "type_unknown": row.type_unknown, "gender_unknown": row.gender_unknown}
        for row in selectors.participation_summary(
            user=request.user, start=start, end=end, kind=kind, region=region
        )
    ]


record_routes(
    router,
    "/events",
    noun="event",
    module=__name__,
    out=EventOut,
    get=selectors.event_get,
    new=EventIn,
    create=services.event_create,
    patch=EventPatch,
    update=services.event_update,
    delete=services.event_delete,
    resolve=_resolve,
)


# Stakeholder engagements --------------------------------------------------------------------------


class EngagementOut(Schema):
    id: int
    organization: str
    organization_type: str
    country: str | None
    kind: str
    date: dt.date
    office: str
    topic: str
    outcome: str
    follow_up_on: dt.date | None
    follow_up_done: bool
    overdue: bool
    version: int

    @staticmethod
    def resolve_country(obj: StakeholderEngagement) -> str | None:
        return obj.country.iso2 if obj.country else None

    @staticmethod
    def resolve_office(obj: StakeholderEngagement) -> str:
        return obj.office.code

    @staticmethod
    def resolve_overdue(obj: StakeholderEngagement) -> bool:
        return obj.is_overdue()


class EngagementIn(Schema):
    organization: str
    organization_type: StakeholderEngagement.OrganizationType
    country: str | None = None
    kind: StakeholderEngagement.Kind
    date: dt.date
    office: str
    topic: str
    outcome: str = ""
    follow_up_on: dt.date | None = None
    follow_up_done: bool = False


class EngagementPatch(Schema):
    organization: str | None = None
    organization_type: StakeholderEngagement.OrganizationType | None = None
    country: str | None = None
    kind: StakeholderEngagement.Kind | None = None
    date: dt.date | None = None
    office: str | None = None
    topic: str | None = None
    outcome: str | None = None
    follow_up_on: dt.date | None = None
    follow_up_done: bool | None = None


@router.get("/engagements/", response=list[EngagementOut])
@paginate(LimitOffsetPagination)
@filtered(EngagementFilter)
def list_engagements(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.engagement_list(user=request.user, filters=filters)


record_routes(
    router,
    "/engagements",
    noun="engagement",
    module=__name__,
    out=EngagementOut,
    get=selectors.engagement_get,
    new=EngagementIn,
    create=services.engagement_create,
    patch=EngagementPatch,
    update=services.engagement_update,
    delete=services.engagement_delete,
    resolve=_resolve,
)


# Opportunities ------------------------------------------------------------------------------------


class OpportunityOut(Schema):
    id: int
    title: str
    partner: str
    office: str
    region: str
    kap_priority: str | None
    amount: Decimal
    currency: str
    stage: str
    probability: int
    weighted_amount: Decimal
    expected_signature_on: dt.date | None
    signed_on: dt.date | None
    project: str | None
    notes: str
    version: int

    @staticmethod
    def resolve_partner(obj: Opportunity) -> str:
        return obj.partner.name

    @staticmethod
    def resolve_office(obj: Opportunity) -> str:
        return obj.office.code

    @staticmethod
    def resolve_region(obj: Opportunity) -> str:
        return obj.region.code

    @staticmethod
    def resolve_kap_priority(obj: Opportunity) -> str | None:
        return obj.kap_priority.code if obj.kap_priority else None

    @staticmethod
    def resolve_project(obj: Opportunity) -> str | None:
        return obj.project.code if obj.project else None


class OpportunityIn(Schema):
    title: str
    partner: str
    office: str
    region: str | None = None
    kap_priority: str | None = None
    amount: Decimal
    currency: str = "CHF"
    stage: Opportunity.Stage = Opportunity.Stage.IDENTIFIED
    probability: int = 10
    expected_signature_on: dt.date | None = None
    signed_on: dt.date | None = None
    notes: str = ""


class OpportunityPatch(Schema):
    title: str | None = None
    partner: str | None = None
    office: str | None = None
    region: str | None = None
    kap_priority: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    stage: Opportunity.Stage | None = None
    probability: int | None = None
    expected_signature_on: dt.date | None = None
    signed_on: dt.date | None = None
    notes: str | None = None


class ConvertIn(Schema):
    code: str
    planned_start: dt.date
    planned_end: dt.date
    title: str = ""
    source: str | None = None
    status: Project.Status = Project.Status.IMPLEMENTATION


class ConvertOut(Schema):
    project: str
    opportunity: int


class PipelineOut(Schema):
    region: str
    open_count: int
    open_chf: Decimal
    weighted_chf: Decimal
    signed_count: int
    signed_chf: Decimal
    lost_count: int
    by_stage: dict[str, int]
    without_rate: list[int]


@router.get("/opportunities/", response=list[OpportunityOut])
@paginate(LimitOffsetPagination)
@filtered(OpportunityFilter)
def list_opportunities(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.opportunity_list(user=request.user, filters=filters)


@router.get("/opportunities/pipeline", response=list[PipelineOut])
def get_pipeline(request: HttpRequest, region: str = "", office: str = "") -> Any:
    """Per region: open value and value weighted by probability in CHF; region "" is the total."""
    without_rate: dict[str, list[int]] = {"": []}
    for pk, code in (
        selectors.opportunities_without_rate(user=request.user, region=region, office=office)
        .order_by("pk")
        .values_list("pk", "region__code")
    ):
        without_rate.setdefault(code, []).append(pk)
        without_rate[""].append(pk)
    return [
        {
            **{k: v for k, v in vars(row).items() if k != "unconverted"},
            "without_rate": without_rate.get(row.region, []),
        }
        for row in selectors.opportunity_pipeline(user=request.user, region=region, office=office)
    ]


record_routes(
    router,
    "/opportunities",
    noun="opportunity",
    module=__name__,
    out=OpportunityOut,
    get=selectors.opportunity_get,
    new=OpportunityIn,
    create=services.opportunity_create,
    patch=OpportunityPatch,
    update=services.opportunity_update,
    delete=services.opportunity_delete,
    resolve=_resolve,
)


@router.post("/opportunities/{pk}/convert", response={201: ConvertOut})
def convert_opportunity(request: HttpRequest, pk: int, payload: ConvertIn) -> Any:
    """Create the project and its funding from a signed opportunity (If-Match: the opportunity's ETag)."""
    opportunity = get_or_404(selectors.opportunity_get, user=request.user, pk=pk)
    version = expected_version(request, opportunity)
    data = _resolve(payload.dict())
    project = services.opportunity_convert(
        actor=request.user, opportunity=opportunity, expected_version=version, **data
    )
    return 201, {"project": project.code, "opportunity": opportunity.pk}
