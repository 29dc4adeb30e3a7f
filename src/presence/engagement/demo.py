"""Demo events (the six regional development forums of 2023-2024 and workshops), stakeholder
engagements and opportunities in every stage. Running it twice changes nothing (records are keyed
by title or organization and date). Figures other than the forums' combined size are invented."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from presence.engagement import services
from presence.engagement.models import Event, Opportunity, StakeholderEngagement, StakeholderType
from presence.org.models import Country, Office, Priority, Region
from presence.portfolio.models import Partner

SEED = 20240902
# Region, organizing office, host country, city, start date, participants: over 1 500 in all, as reported.
FORUMS = [
    ("AFR", "addis-ababa", "ET", "Addis Ababa", dt.date(2023, 9, 25), 330),
    ("AMS", "brasilia", "BR", "Brasília", dt.date(2023, 10, 17), 240),
    ("ARB", "cairo", "EG", "Cairo", dt.date(2023, 11, 13), 260),
    ("ASP", "bangkok", "TH", "Bangkok", dt.date(2023, 12, 4), 310),
    ("CIS", "moscow", "RU", "Moscow", dt.date(2024, 2, 20), 190),
    ("EUR", "geneva", "CH", "Geneva", dt.date(2024, 3, 12), 230),
]
WORKSHOP_TOPICS = [
    ("workshop", "Spectrum management workshop"),
    ("workshop", "Quality of service regulation workshop"),
    ("training", "Cybersecurity incident response training (CIRT)"),
    ("training", "Digital skills for women entrepreneurs"),
    ("workshop", "Emergency telecommunications planning workshop"),
    ("seminar", "Seminar on affordable broadband and universal service funds"),
    ("training", "Child online protection training"),
    ("workshop", "Smart villages and e-agriculture workshop"),
]
ORGANIZATIONS = [
    ("Ministry of ICT", "government"),
    ("National Regulatory Authority", "regulator"),
    ("Mobile Network Operator", "private_sector"),
    ("National University", "academia"),
    ("Digital Rights Association", "civil_society"),
    ("UN Resident Coordinator Office", "international_organization"),
    ("Development Bank", "donor"),
]
TOPICS = [
    "National broadband plan",
    "Universal service fund reform",
    "Regional initiative implementation",
    "Project proposal on digital schools",
    "Cybersecurity strategy",
    "UN country team digital workstream",
]
OPPORTUNITIES = [
    # title, partner, office, amount, currency, stage, probability
    ("Digital schools connectivity", "European Union", "addis-ababa", "2400000", "EUR", "negotiation", 75),
    (
        "Rural broadband pilot",
        "Swedish International Development Cooperation Agency (Sida)",
        "dakar",
        "850000",
        "USD",
        "proposal",
        50,
    ),
    (
        "Cyber resilience for regulators",
        "Deutsche Gesellschaft für Internationale Zusammenarbeit (GIZ)",
        "harare",
        "600000",
        "EUR",
        "concept_note",
        25,
    ),
    (
        "Caribbean emergency telecoms",
        "Inter-American Development Bank",
        "bridgetown",
        "1200000",
        "USD",
        "identified",
        10,
    ),
    (
        "Digital government platforms",
        "Communications, Space and Technology Commission, Saudi Arabia",
        "cairo",
        "1500000",
        "USD",
        "signed",
        100,
    ),
    (
        "Pacific islands connectivity",
        "Australian Department of Foreign Affairs and Trade (DFAT)",
        "bangkok",
        "2000000",
        "USD",
        "negotiation",
        60,
    ),
    (
        "Smart villages South Asia",
        "Ministry of Science and ICT, Republic of Korea",
        "new-delhi",
        "900000",
        "USD",
        "proposal",
        40,
    ),
    ("Digital skills for CIS youth", "European Union", "moscow", "500000", "EUR", "lost", 0),
    (
        "AI for health in the Americas",
        "Microsoft Corporation",
        "santiago",
        "300000",
        "USD",
        "concept_note",
        20,
    ),
    ("Child online protection in West Africa", "UNICEF", "dakar", "450000", "USD", "signed", 100),
    (
        "Spectrum monitoring upgrade",
        "Ministry of Communications, Brazil",
        "brasilia",
        "700000",
        "USD",
        "identified",
        15,
    ),
    ("Western Balkans digital inclusion", "European Union", "geneva", "1100000", "EUR", "proposal", 45),
]


def _split(rng: random.Random, total: int, known_share: float, parts: int) -> list[int]:
    """`parts` counts adding up to about `known_share` of `total` (the rest stays unknown)."""
    known = int(total * known_share)
    weights = [rng.random() + 0.2 for _ in range(parts)]
    scale = sum(weights)
    counts = [int(known * w / scale) for w in weights]
    return counts


def _rng(key: str) -> random.Random:
    """A generator per record, so a record's invented values never depend on which others exist."""
    return random.Random(f"{SEED}:{key}")


def _event(actor: Any, **data: Any) -> bool:
    if Event.objects.filter(title=data["title"], start_date=data["start_date"]).exists():
        return False
    rng = _rng(data["title"])
    total = data["participants_total"]
    for name, count in zip(
        (f"participants_{v}" for v in StakeholderType.values), _split(rng, total, 0.9, 6), strict=True
    ):
        data[name] = count
    women = int(total * rng.uniform(0.3, 0.45))
    data["participants_women"] = women
    data["participants_men"] = int((total - women) * 0.95)
    services.event_create(actor=actor, **data)
    return True


@transaction.atomic
def load(*, stdout: TextIO | None = None) -> None:
    actor = get_user_model().objects.filter(username="admin").first()
    offices = {o.code: o for o in Office.objects.select_related("region")}
    regions = {r.code: r for r in Region.objects.all()}
    countries = {c.iso2: c for c in Country.objects.all()}
    priorities = list(
        Priority.objects.filter(kind=Priority.Kind.PRIORITY).order_by("-cycle", "sort_order")[:5]
    )
    created = 0
    for region, office_code, country, city, start, total in FORUMS:
        created += _event(
            actor,
            kind=Event.Kind.FORUM,
            title=f"Regional Development Forum for {regions[region].name}",
            start_date=start,
            end_date=start + dt.timedelta(days=1),
            region=regions[region],
            office=offices[office_code],
            host_country=countries.get(country),
            city=city,
            kap_priority=priorities[3] if len(priorities) > 3 else None,
            participants_total=total,
        )
    field_offices = [o for o in offices.values() if o.region_id is not None]
    for year in (2023, 2024):
        for kind, topic in WORKSHOP_TOPICS:
            rng = _rng(f"{year}:{topic}")
            office = rng.choice(field_offices)
            start = dt.date(year, rng.randint(1, 12), rng.randint(1, 26))
            if office.region is None:
                continue
            created += _event(
                actor,
                kind=kind,
                title=f"{topic} ({office.city})",
                start_date=start,
                end_date=start + dt.timedelta(days=rng.randint(0, 3)),
                region=office.region,
                office=office,
                host_country=office.country,
                city=office.city,
                kap_priority=rng.choice(priorities) if priorities else None,
                participants_total=rng.randint(20, 90),
            )
    today = dt.date(2024, 10, 1)
    for index in range(30):
        rng = _rng(f"engagement:{index}")
        office = rng.choice(field_offices)
        organization, kind = rng.choice(ORGANIZATIONS)
        date = today - dt.timedelta(days=rng.randint(5, 400))
        name = f"{organization}, {office.country.name}"
        if StakeholderEngagement.objects.filter(organization=name, date=date).exists():
            continue
        follow_up = date + dt.timedelta(days=rng.choice([14, 30, 60, 90])) if index % 3 else None
        services.engagement_create(
            actor=actor,
            organization=name,
            organization_type=kind,
            country=office.country,
            kind=rng.choice(StakeholderEngagement.Kind.values),
            date=date,
            office=office,
            topic=rng.choice(TOPICS),
            outcome="Agreed next steps and contact points.",
            follow_up_on=follow_up,
            follow_up_done=bool(follow_up and follow_up < today and index % 2),
        )
        created += 1
    for title, partner_name, office_code, amount, currency, stage, probability in OPPORTUNITIES:
        if Opportunity.objects.filter(title=title).exists():
            continue
        partner, _new = Partner.objects.get_or_create(name=partner_name, defaults={"organisation_type": "10"})
        office = offices[office_code]
        rng = _rng(title)
        expected = dt.date(2024, 6, 1) + dt.timedelta(days=rng.randint(0, 500))
        services.opportunity_create(
            actor=actor,
            title=title,
            partner=partner,
            office=office,
            region=office.region or regions["EUR"],
            amount=Decimal(amount),
            currency=currency,
            stage=stage,
            probability=probability,
            expected_signature_on=expected,
            signed_on=dt.date(2024, 5, 15) if stage == Opportunity.Stage.SIGNED else None,
            kap_priority=priorities[3] if len(priorities) > 3 else None,
        )
        created += 1
    if stdout is not None and created:
        stdout.write(f"  engagement: {created} records")
