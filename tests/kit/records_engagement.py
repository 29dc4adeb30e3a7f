"""Engagement's record types: events, stakeholder engagements, opportunities."""

from __future__ import annotations

from decimal import Decimal

from presence.engagement import services
from presence.engagement.models import Event, Opportunity, StakeholderEngagement
from presence.portfolio.models import Partner
from tests.kit.places import D, office
from tests.kit.types import Ctx, RecordType, api, pages


def make_event(ctx: Ctx) -> Event:
    return services.event_create(
        actor=ctx.admin,
        office=office(),
        kind="workshop",
        title=f"Spectrum workshop {ctx.n()}",
        start_date=D(2024, 3, 4),
        end_date=D(2024, 3, 6),
        participants_total=40,
    )


def make_engagement(ctx: Ctx) -> StakeholderEngagement:
    return services.engagement_create(
        actor=ctx.admin,
        organization=f"ARTP {ctx.n()}",
        organization_type="regulator",
        kind="meeting",
        date=D(2024, 1, 10),
        office=office(),
        topic="Numbering plan",
    )


def partner() -> Partner:
    return Partner.objects.get_or_create(name="Example Donor Agency", defaults={"organisation_type": "10"})[0]


def make_opportunity(ctx: Ctx) -> Opportunity:
    return services.opportunity_create(
        actor=ctx.admin,
        title=f"Broadband for schools {ctx.n()}",
        partner=partner(),
        office=office(),
        amount=Decimal("100000"),
        currency="CHF",
        stage="proposal",
        probability=50,
    )


RECORDS = [
    RecordType(
        name="event",
        model=Event,
        make=make_event,
        shown=lambda r: r.title,
        edit=("title", "Spectrum forum"),
        **pages("/engagement/events/"),
        form=lambda ctx: {
            "kind": "forum",
            "title": "Regional forum",
            "start_date": "2024-05-02",
            "end_date": "2024-05-03",
            "region": office().region_id,
            "office": office().pk,
            "participants_total": 25,
        },
        invalid={"participants_total": 5, "participants_academia": 6},
        **api("/api/engagement/events/"),
        api_payload=lambda ctx: {
            "kind": "forum",
            "title": "Regional forum",
            "start_date": "2024-05-02",
            "end_date": "2024-05-03",
            "office": "dakar",
            "participants_total": 25,
        },
        filters={"region": "AFR", "office": "dakar", "kind": "workshop"},
    ),
    RecordType(
        name="stakeholder-engagement",
        model=StakeholderEngagement,
        make=make_engagement,
        shown=lambda r: r.organization,
        edit=("topic", "Spectrum pricing"),
        **pages("/engagement/stakeholders/"),
        form=lambda ctx: {
            "organization": "Sonatel",
            "organization_type": "private_sector",
            "kind": "meeting",
            "date": "2024-02-01",
            "office": office().pk,
            "topic": "Rural coverage",
        },
        invalid={"date": "not a date"},
        **api("/api/engagement/engagements/"),
        api_payload=lambda ctx: {
            "organization": "Sonatel",
            "organization_type": "private_sector",
            "kind": "meeting",
            "date": "2024-02-01",
            "office": "dakar",
            "topic": "Rural coverage",
        },
        filters={"region": "AFR", "office": "dakar"},
    ),
    RecordType(
        name="opportunity",
        model=Opportunity,
        make=make_opportunity,
        shown=lambda r: r.title,
        edit=("title", "Broadband for rural schools"),
        **pages("/engagement/opportunities/"),
        form=lambda ctx: {
            "title": "Smart villages",
            "partner": partner().pk,
            "office": office().pk,
            "region": office().region_id,
            "amount": "50000",
            "currency": "CHF",
            "stage": "identified",
            "probability": 10,
        },
        invalid={"amount": "much"},
        **api("/api/engagement/opportunities/"),
        api_payload=lambda ctx: {
            "title": "Smart villages",
            "partner": partner().name,
            "office": "dakar",
            "amount": "50000",
        },
        filters={"region": "AFR", "stage": "proposal"},
    ),
]
