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
from django.utils import timezone

from presence.engagement import services
from presence.engagement.models import Event, Opportunity, StakeholderEngagement, StakeholderType
from presence.org.models import Country, Office, Priority, Region
from presence.portfolio.models import Partner

# The records `presence demo --scale N` copies N-1 times over (presence.core.scale), by model label.
SCALED = (
    "engagement.Event",
    "engagement.StakeholderEngagement",
    "engagement.Opportunity",
)
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
def load(*, stdout: TextIO | None = None, today: dt.date | None = None) -> None:
    """Load the demo; `today` (default: the current date) places the recent engagements and coming events."""
    day = today or timezone.localdate()
    actor = get_user_model().objects.filter(username="admin").first()
    offices = {o.code: o for o in Office.objects.select_related("region", "country")}
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
    created += _later_events(actor, offices, regions, priorities, day)
    created += _recent_engagements(offices, day)
    created += _later_opportunities(actor, offices, regions, priorities)
    if stdout is not None and created:
        stdout.write(f"  engagement: {created} records")


# --- 2025 onward -------------------------------------------------------------------------------------
# Seeded per record under their own keys, so the 2023-2024 records above stay exactly as they were.
# What must look current (follow-ups due now, events coming up) is placed relative to `today`.

# Kind, title, month: the WTDC-25 regional preparatory meetings of 2025 and the 2026 launch of the new
# cycle's regional initiatives, per region (organized by the regional office).
REGIONAL_MEETINGS = [
    (
        2025,
        "Regional preparatory meeting for WTDC-25",
        {"AFR": 3, "AMS": 4, "ARB": 2, "ASP": 5, "CIS": 3, "EUR": 6},
    ),
    (
        2026,
        "Launch of the WTDC-25 regional initiatives",
        {"AFR": 3, "AMS": 4, "ARB": 5, "ASP": 6, "CIS": 4, "EUR": 5},
    ),
]
# Europe's regional unit sits at headquarters.
REGIONAL_OFFICE = {
    "AFR": "addis-ababa",
    "AMS": "brasilia",
    "ARB": "cairo",
    "ASP": "bangkok",
    "CIS": "moscow",
    "EUR": "geneva",
}
UPCOMING = [
    # title, office, days from today, kind
    ("Regional regulators' roundtable on satellite connectivity", "bangkok", 9, "meeting"),
    ("Cyber drill for the Americas", "santiago", 16, "training"),
    ("Digital public infrastructure workshop", "dakar", 23, "workshop"),
]
RECENT_TOPICS = [
    "WTDC-25 regional initiative work plan",
    "National broadband plan review",
    "Project proposal on school connectivity",
    "Cybersecurity strategy and national CIRT",
    "Universal service fund reform",
    "UN country team digital workstream",
    "Spectrum roadmap for IMT",
    "Digital skills programme for youth",
]
EDITORS = {"dakar": "dakar.editor", "AFR": "afr.editor", "ASP": "asp.editor"}
LATER_OPPORTUNITIES = [
    # title, partner, office, amount, currency, stage, probability, expected signature
    (
        "School connectivity in the Sahel (Giga)",
        "European Union",
        "dakar",
        "3200000",
        "EUR",
        "negotiation",
        70,
        dt.date(2027, 2, 15),
    ),
    (
        "Emergency telecommunications in the Pacific",
        "Australian Department of Foreign Affairs and Trade (DFAT)",
        "bangkok",
        "1800000",
        "USD",
        "proposal",
        50,
        dt.date(2027, 5, 1),
    ),
    (
        "Regulatory capacity for the WTDC-25 initiatives",
        "Ministry of Science and ICT, Republic of Korea",
        "geneva",
        "1000000",
        "USD",
        "concept_note",
        30,
        dt.date(2027, 9, 30),
    ),
    (
        "Digital skills for Central American youth",
        "Inter-American Development Bank",
        "tegucigalpa",
        "650000",
        "USD",
        "identified",
        15,
        dt.date(2027, 11, 30),
    ),
    (
        "Cyber resilience of Arab regulators",
        "Communications, Space and Technology Commission, Saudi Arabia",
        "cairo",
        "900000",
        "USD",
        "negotiation",
        80,
        dt.date(2026, 12, 15),
    ),
    (
        "Smart islands in the Caribbean",
        "European Union",
        "bridgetown",
        "1400000",
        "EUR",
        "proposal",
        45,
        dt.date(2027, 3, 31),
    ),
    (
        "Spectrum monitoring for Southern Africa",
        "Deutsche Gesellschaft für Internationale Zusammenarbeit (GIZ)",
        "harare",
        "750000",
        "EUR",
        "concept_note",
        25,
        dt.date(2027, 6, 30),
    ),
    (
        "Women in digital entrepreneurship, South Asia",
        "Microsoft Corporation",
        "new-delhi",
        "400000",
        "USD",
        "signed",
        100,
        dt.date(2026, 6, 30),
    ),
    (
        "Rural connectivity in Central Africa",
        "Swedish International Development Cooperation Agency (Sida)",
        "yaounde",
        "1100000",
        "USD",
        "lost",
        0,
        dt.date(2026, 9, 30),
    ),
]


def _later_events(
    actor: Any,
    offices: dict[str, Office],
    regions: dict[str, Region],
    priorities: list[Priority],
    today: dt.date,
) -> int:
    """Workshops, trainings and regional meetings of 2025 and 2026 up to now, and three coming up."""
    created = 0
    # Where events are organized: each field office in its region, and Europe's unit at headquarters.
    places = sorted(
        ((o, o.region) for o in offices.values() if o.region is not None), key=lambda place: place[0].code
    )
    places.append((offices["geneva"], regions["EUR"]))
    for year in (2025, 2026):
        # Each workshop and training held twice a year, in two places; a year under way only up to now.
        for kind, topic in WORKSHOP_TOPICS:
            for run in (1, 2):
                rng = _rng(f"{year}:{topic}:{run}")
                office, region = rng.choice(places)
                start = dt.date(year, rng.randint(1, 11), rng.randint(1, 26))
                if start > today - dt.timedelta(days=7):
                    continue
                created += _event(
                    actor,
                    kind=kind,
                    title=f"{topic} ({office.city})",
                    start_date=start,
                    end_date=start + dt.timedelta(days=rng.randint(0, 3)),
                    region=region,
                    office=office,
                    host_country=office.country,
                    city=office.city,
                    kap_priority=rng.choice(priorities) if priorities else None,
                    participants_total=rng.randint(20, 90),
                )
    for year, title, months in REGIONAL_MEETINGS:
        for region_code, month in months.items():
            rng = _rng(f"{year}:{title}:{region_code}")
            office = offices[REGIONAL_OFFICE[region_code]]
            start = dt.date(year, month, rng.randint(3, 24))
            if start > today:
                continue
            created += _event(
                actor,
                kind=Event.Kind.MEETING,
                title=f"{title} ({regions[region_code].name})",
                start_date=start,
                end_date=start + dt.timedelta(days=2),
                region=regions[region_code],
                office=office,
                host_country=office.country,
                city=office.city,
                kap_priority=priorities[3] if len(priorities) > 3 else None,
                participants_total=rng.randint(90, 220),
            )
    for title, office_code, days, kind in UPCOMING:
        office = offices[office_code]
        if Event.objects.filter(title=title).exists() or office.region is None:
            continue
        start = today + dt.timedelta(days=days)
        # Not held yet: no participants counted.
        created += _event(
            actor,
            kind=kind,
            title=title,
            start_date=start,
            end_date=start + dt.timedelta(days=1),
            region=office.region,
            office=office,
            host_country=office.country,
            city=office.city,
            kap_priority=priorities[0] if priorities else None,
            participants_total=0,
        )
    return created


def _recent_engagements(offices: dict[str, Office], today: dt.date) -> int:
    """Engagements of the last four months, recorded by the office's editors: follow-ups done, due this
    week, coming up and overdue."""
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["admin", *EDITORS.values()])
    }
    field_offices = sorted((o for o in offices.values() if o.region is not None), key=lambda o: o.code)
    created = 0
    for index in range(24):
        rng = _rng(f"recent-engagement:{index}")
        office = field_offices[index % len(field_offices)]
        organization, kind = rng.choice(ORGANIZATIONS)
        name = f"{organization}, {office.country.name}"
        topic = RECENT_TOPICS[index % len(RECENT_TOPICS)]
        if StakeholderEngagement.objects.filter(
            organization=name, topic=topic, office=office, date__gte=dt.date(2025, 1, 1)
        ).exists():
            continue
        date = today - dt.timedelta(days=rng.randint(3, 120))
        follow_up = date + dt.timedelta(days=rng.choice([7, 14, 30, 45, 60])) if index % 4 else None
        region_code = office.region.code if office.region else ""
        actor = users.get(EDITORS.get(office.code) or EDITORS.get(region_code, "admin")) or users.get("admin")
        services.engagement_create(
            actor=actor,
            organization=name,
            organization_type=kind,
            country=office.country,
            kind=rng.choice(StakeholderEngagement.Kind.values),
            date=date,
            office=office,
            topic=topic,
            outcome="Agreed next steps and contact points.",
            follow_up_on=follow_up,
            follow_up_done=bool(follow_up and follow_up < today and rng.random() < 0.5),
        )
        created += 1
    return created


def _later_opportunities(
    actor: Any, offices: dict[str, Office], regions: dict[str, Region], priorities: list[Priority]
) -> int:
    created = 0
    for (
        title,
        partner_name,
        office_code,
        amount,
        currency,
        stage,
        probability,
        expected,
    ) in LATER_OPPORTUNITIES:
        if Opportunity.objects.filter(title=title).exists():
            continue
        partner, _new = Partner.objects.get_or_create(name=partner_name, defaults={"organisation_type": "10"})
        office = offices[office_code]
        rng = _rng(title)
        services.opportunity_create(
            actor=actor,
            title=title,
            partner=partner,
            office=office,
            region=office.region or regions["MUL"],
            amount=Decimal(amount),
            currency=currency,
            stage=stage,
            probability=probability,
            expected_signature_on=expected,
            signed_on=expected - dt.timedelta(days=rng.randint(0, 20))
            if stage == Opportunity.Stage.SIGNED
            else None,
            kap_priority=rng.choice(priorities) if priorities else None,
        )
        created += 1
    return created
