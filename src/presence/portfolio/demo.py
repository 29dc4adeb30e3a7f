"""Demo portfolio: 87 projects on-going in 2023 whose Table 1 matches the Council report, plus 2022 and 2024.

The published Table 1 (CWG-FHR 2024) is reproduced from records: the per-region totals of each
funding column below are the published cells, in CHF. The published row totals are larger than the
sum of the published columns for AFR, AMS, ASP and MUL: the difference is funding from other ITU
funds, which the published table counts in the total but shows in no column. Here it is a funding
source of its own ("Other ITU funds"), so the generated Table 1 shows it as a further column while
every published cell still matches. EUR's row total (and the total row's partner and RI cells) differ
from the sum of the shown values by 0.1 only because each cell is rounded from exact amounts: the
amounts below carry the cents that make that rounding come out as published.

Everything is generated from a fixed seed; loading twice changes nothing (the second run finds the
demo projects and stops). No file outside the package is read.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TextIO

from django.db import transaction

from presence.org.models import Country, Office, Priority, Region
from presence.portfolio.models import (
    Budget,
    ExchangeRate,
    Funding,
    FundingAgreement,
    FundingSource,
    Partner,
    Project,
    ProjectCountry,
    RegionalInitiative,
    ReportingObligation,
    Transaction,
)

# The records `presence demo --scale N` copies N-1 times over (presence.core.scale), by model label.
SCALED = (
    "portfolio.Project",
    "portfolio.ProjectCountry",
    "portfolio.Funding",
    "portfolio.Budget",
    "portfolio.Transaction",
    "portfolio.ReportingObligation",
)
SEED = 20231231
YEAR = 2023
CENT = Decimal("0.01")

SOURCES = [
    ("partners", "Funding from partners", FundingSource.Kind.PARTNER, 1),
    ("ict-df", "ICT Development Fund (ICT-DF)", FundingSource.Kind.ICTDF, 2),
    ("ri-fund", "ITU funds for Regional Initiatives", FundingSource.Kind.RI, 3),
    ("other-itu-funds", "Other ITU funds", FundingSource.Kind.OTHER, 4),
]
# The sources' names in the other official languages.
SOURCE_NAMES = {
    "partners": {
        "fr": "Financement des partenaires",
        "es": "Financiación de los asociados",
        "ar": "التمويل المقدم من الشركاء",
        "ru": "Финансирование от партнеров",
        "zh-hans": "合作伙伴供资",
    },
    "ict-df": {
        "fr": "Fonds pour le développement des TIC (ICT-DF)",
        "es": "Fondo para el Desarrollo de las TIC (ICT-DF)",
        "ar": "صندوق تنمية تكنولوجيا المعلومات والاتصالات (ICT-DF)",
        "ru": "Фонд развития ИКТ (ICT-DF)",
        "zh-hans": "信息通信技术发展基金 (ICT-DF)",
    },
    "ri-fund": {
        "fr": "Fonds de l'UIT pour les initiatives régionales",
        "es": "Fondos de la UIT para las iniciativas regionales",
        "ar": "أموال الاتحاد للمبادرات الإقليمية",
        "ru": "Средства МСЭ для региональных инициатив",
        "zh-hans": "国际电联区域举措资金",
    },
    "other-itu-funds": {
        "fr": "Autres fonds de l'UIT",
        "es": "Otros fondos de la UIT",
        "ar": "أموال أخرى للاتحاد",
        "ru": "Прочие средства МСЭ",
        "zh-hans": "国际电联其他资金",
    },
}

# Region: (projects on-going in 2023, CHF per source code). Partner, ICT-DF and RI amounts are the
# published cells; "other-itu-funds" is the published row total less the published columns.
TARGETS_2023: dict[str, tuple[int, dict[str, Decimal]]] = {
    "AFR": (
        13,
        {
            "partners": Decimal("11732440.00"),
            "ict-df": Decimal("938700.00"),
            "ri-fund": Decimal("670000.00"),
            "other-itu-funds": Decimal("571960.00"),
        },
    ),
    "AMS": (
        15,
        {
            "partners": Decimal("40112600.00"),
            "ict-df": Decimal("158600.00"),
            "ri-fund": Decimal("667500.00"),
            "other-itu-funds": Decimal("69700.00"),
        },
    ),
    "ARB": (
        7,
        {"partners": Decimal("4311100.00"), "ict-df": Decimal("662200.00"), "ri-fund": Decimal("88000.00")},
    ),
    "ASP": (
        14,
        {
            "partners": Decimal("6948800.00"),
            "ict-df": Decimal("345400.00"),
            "ri-fund": Decimal("440000.00"),
            "other-itu-funds": Decimal("175000.00"),
        },
    ),
    "CIS": (3, {"partners": Decimal("253700.00"), "ri-fund": Decimal("443800.00")}),
    "EUR": (2, {"partners": Decimal("3642540.00"), "ri-fund": Decimal("47540.00")}),
    "MUL": (
        33,
        {
            "partners": Decimal("27794100.00"),
            "ict-df": Decimal("4394600.00"),
            "ri-fund": Decimal("1551840.00"),
            "other-itu-funds": Decimal("382260.00"),
        },
    ),
}
OTHER_YEARS = {2022: 2, 2024: 3}  # projects per region that run only in that year's neighbourhood
# Projects per region starting in these years (after 2024, so 2022-2024 figures are unchanged), with
# yearly figures (expenditure, financial reports) up to RECENT_FIGURES_THROUGH.
RECENT_YEARS = {2025: 2, 2026: 2}
RECENT_FIGURES_THROUGH = 2025

PREFIX = {
    "AFR": "9RAF",
    "AMS": "9RLA",
    "ARB": "9RAB",
    "ASP": "9RAS",
    "CIS": "9RCI",
    "EUR": "9REU",
    "MUL": "9GLO",
}
OFFICES = {
    "AFR": ["addis-ababa", "dakar", "harare", "yaounde"],
    "AMS": ["brasilia", "bridgetown", "santiago", "tegucigalpa"],
    "ARB": ["cairo"],
    "ASP": ["bangkok", "jakarta", "new-delhi"],
    "CIS": ["moscow"],
    "EUR": ["geneva"],
    "MUL": ["geneva"],
}
THEMES = [
    ("Smart Villages and digital inclusion", "P2"),
    ("School connectivity (Giga)", "P1"),
    ("National CIRT establishment and cyber drills", "P5"),
    ("Digital transformation centres for basic digital skills", "P2"),
    ("Spectrum management capacity building", "P3"),
    ("Broadband infrastructure mapping", "P1"),
    ("Emergency telecommunications and early warning", "P5"),
    ("Digital skills for women and girls", "P5"),
    ("E-waste policy and circular economy", "P5"),
    ("ICT regulatory harmonization", "P3"),
    ("Rural connectivity pilots with community networks", "P1"),
    ("Digital government services", "P2"),
    ("Child online protection", "P5"),
    ("Innovation ecosystems and digital entrepreneurship", "P2"),
    ("Accessible ICTs for persons with disabilities", "P5"),
    ("Partnerships for resource mobilization", "P4"),
    ("Postal and financial inclusion through ICTs", "P2"),
    ("Universal service fund reform", "P3"),
]
AREAS = {
    "AFR": ["West Africa", "East Africa", "Southern Africa", "Central Africa", "the Sahel"],
    "AMS": ["the Caribbean", "Central America", "the Andean countries", "South America"],
    "ARB": ["the Arab region", "the Gulf", "North Africa"],
    "ASP": ["Pacific Island countries", "South Asia", "South-East Asia", "least developed countries of Asia"],
    "CIS": ["the CIS region", "Central Asia"],
    "EUR": ["the Western Balkans", "Eastern Europe"],
    "MUL": ["LDCs, LLDCs and SIDS", "all regions", "developing countries"],
}
PARTNERS = [
    ("European Union", "40", "XI-IATI-EC_INTPA", ""),
    ("Swedish International Development Cooperation Agency (Sida)", "10", "SE-0", "SE"),
    ("Australian Department of Foreign Affairs and Trade (DFAT)", "10", "AU-5", "AU"),
    ("Deutsche Gesellschaft für Internationale Zusammenarbeit (GIZ)", "10", "", "DE"),
    ("Enabel, Belgian development agency", "10", "", "BE"),
    ("Ministry of Internal Affairs and Communications, Japan", "10", "", "JP"),
    ("Ministry of Science and ICT, Republic of Korea", "10", "", "KR"),
    ("Communications, Space and Technology Commission, Saudi Arabia", "10", "", "SA"),
    ("Inter-American Development Bank", "40", "XI-IATI-IADB", ""),
    ("Ministry of Communications, Brazil", "10", "", "BR"),
    ("United Kingdom Foreign, Commonwealth and Development Office", "10", "GB-GOV-1", "GB"),
    ("Smart Africa Alliance", "23", "", "RW"),
    ("UNICEF", "40", "XM-DAC-41122", ""),
    ("Microsoft Corporation", "70", "", "US"),
]
PARTNERS_BY_REGION = {
    "AFR": [0, 1, 3, 4, 11, 12],
    "AMS": [8, 9, 0, 13],
    "ARB": [7, 0, 3],
    "ASP": [2, 5, 6, 10],
    "CIS": [0, 6],
    "EUR": [0, 1],
    "MUL": [0, 1, 2, 5, 6, 10, 12, 13],
}
INITIATIVES = {
    "AFR": [
        "Digital transformation for a digital economy",
        "Emerging technologies and innovation",
        "Trust and security in the use of ICTs",
    ],
    "AMS": [
        "Emergency telecommunications",
        "Deployment of modern infrastructure",
        "Inclusive digital transformation",
    ],
    "ARB": ["Digital economy and smart cities", "Cybersecurity and confidence building"],
    "ASP": [
        "Special consideration for LDCs, SIDS and LLDCs",
        "Harnessing ICTs for digital transformation",
        "Enabling policy and regulatory environment",
    ],
    "CIS": ["Development of ICT infrastructure", "Cybersecurity and child online protection"],
    "EUR": ["Digital infrastructure", "Digital inclusion and skills"],
}
RATES = {
    "USD": [
        (2018, "0.9784"),
        (2019, "0.9937"),
        (2020, "0.9390"),
        (2021, "0.9142"),
        (2022, "0.9550"),
        (2023, "0.8985"),
        (2024, "0.8805"),
        (2025, "0.8620"),
        (2026, "0.7985"),
    ],
    "EUR": [
        (2018, "1.1549"),
        (2019, "1.1124"),
        (2020, "1.0703"),
        (2021, "1.0811"),
        (2022, "1.0047"),
        (2023, "0.9718"),
        (2024, "0.9526"),
        (2025, "0.9410"),
        (2026, "0.9315"),
    ],
}
MANAGERS = [
    "A. Diallo",
    "M. Okafor",
    "C. Ramírez",
    "L. Santos",
    "H. Al-Amin",
    "S. Nasser",
    "P. Wongsakul",
    "R. Sharma",
    "N. Ivanova",
    "J. Keller",
    "F. Mensah",
    "T. Nguyen",
    "E. Moreau",
    "K. Tanaka",
]


@dataclass
class Plan:
    region: str
    index: int
    start: dt.date
    end: dt.date
    status: str
    fundings: list[tuple[str, Decimal]] = field(default_factory=list)  # (source code, CHF)


def _split(rng: random.Random, total: Decimal, parts: int) -> list[Decimal]:
    """Split an amount in cents into `parts` positive shares that add up exactly."""
    weights = [rng.uniform(0.4, 1.6) for _ in range(parts)]
    scale = sum(weights)
    shares = [
        (total * Decimal(w / scale)).quantize(Decimal("100"), rounding=ROUND_HALF_UP) for w in weights[:-1]
    ]
    shares.append(total - sum(shares, Decimal(0)))
    return shares


def _plans_2023(rng: random.Random, region: str, count: int, targets: dict[str, Decimal]) -> list[Plan]:
    plans = []
    for index in range(count):
        start = dt.date(rng.choice([2019, 2020, 2021, 2022, 2022, 2023]), rng.randint(1, 9), 1)
        end_year = max(start.year + rng.randint(2, 4), 2023)
        end = dt.date(end_year, rng.randint(1, 12), 28)
        if end.year == 2023:
            status = Project.Status.CLOSED
        elif end.year == 2024:
            status = Project.Status.FINALISATION if rng.random() < 0.5 else Project.Status.CLOSED
        else:
            status = Project.Status.IMPLEMENTATION
        plans.append(Plan(region, index, start, end, status))
    for code, target in targets.items():
        if code == "partners":
            chosen = (
                list(range(count)) if count <= 3 else rng.sample(range(count), max(1, round(count * 0.75)))
            )
        else:
            share = {"ict-df": 0.3, "ri-fund": 0.35, "other-itu-funds": 0.2}[code]
            chosen = rng.sample(range(count), max(1, round(count * share)))
        for index, amount in zip(sorted(chosen), _split(rng, target, len(chosen)), strict=True):
            plans[index].fundings.append((code, amount))
    # A project with no contribution would be a shell; give it a share of the region's partner money.
    donors = [plan for plan in plans if any(code == "partners" for code, _a in plan.fundings)]
    for plan in plans:
        if not plan.fundings:
            donor = max(donors, key=lambda p: sum(a for c, a in p.fundings if c == "partners"))
            amount = next(a for c, a in donor.fundings if c == "partners")
            half = (amount / 2).quantize(CENT)
            donor.fundings = [(c, a - half if c == "partners" else a) for c, a in donor.fundings]
            plan.fundings.append(("partners", half))
    return plans


def _plans_other(rng: random.Random, region: str, year: int, count: int) -> list[Plan]:
    plans = []
    for index in range(count):
        if year < YEAR:
            start = dt.date(rng.choice([2019, 2020, 2021]), rng.randint(1, 12), 1)
            end = dt.date(2022, rng.randint(1, 12), 28)
            status = Project.Status.CLOSED
        else:
            start = dt.date(2024, rng.randint(1, 10), 1)
            end = dt.date(2024 + rng.randint(2, 3), rng.randint(1, 12), 28)
            status = Project.Status.IMPLEMENTATION
        amount = Decimal(rng.randrange(150, 2500)) * 1000
        plan = Plan(region, 100 + year % 100 * 10 + index, start, end, status, [("partners", amount)])
        if rng.random() < 0.4:
            plan.fundings.append(("ri-fund", Decimal(rng.randrange(20, 200)) * 1000))
        plans.append(plan)
    return plans


def _reference(stdout: TextIO | None) -> None:
    for code, name, kind, order in SOURCES:
        FundingSource.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_translations": SOURCE_NAMES.get(code, {}),
                "kind": kind,
                "sort_order": order,
            },
        )
    countries = {c.iso2: c for c in Country.objects.all()}
    for name, organisation_type, identifier, iso2 in PARTNERS:
        Partner.objects.get_or_create(
            name=name,
            defaults={
                "organisation_type": organisation_type,
                "iati_identifier": identifier,
                "country": countries.get(iso2),
            },
        )
    for currency, entries in RATES.items():
        for year, rate in entries:
            ExchangeRate.objects.get_or_create(
                currency=currency, valid_from=dt.date(year, 1, 1), defaults={"rate_to_chf": Decimal(rate)}
            )
    regions = {r.code: r for r in Region.objects.all()}
    for code, titles in INITIATIVES.items():
        for number, title in enumerate(titles, start=1):
            RegionalInitiative.objects.get_or_create(
                cycle=2022, region=regions[code], code=f"{code}{number}", defaults={"title": title}
            )


def _foreign(rng: random.Random, chf: Decimal, signed_on: dt.date, region: str) -> tuple[Decimal, str]:
    """Express part of a partner contribution in the partner's currency (whole hundreds)."""
    currency = "EUR" if region in ("EUR", "AFR", "CIS") and rng.random() < 0.6 else "USD"
    rate = next(Decimal(r) for y, r in reversed(RATES[currency]) if y <= signed_on.year)
    amount = (chf / rate).quantize(Decimal("100"), rounding=ROUND_HALF_UP)
    return amount, currency


@dataclass
class Batch:
    """What the demo creates, gathered for bulk inserts; `through` is the last complete year of figures."""

    through: int
    regions: dict[str, Region]
    offices: dict[str, Office]
    priorities: dict[str, Priority]
    sources: dict[str, FundingSource]
    partners: list[Partner]
    initiatives: dict[str, list[RegionalInitiative]]
    countries_by_region: dict[str, list[Country]]
    used_codes: set[str]
    used_titles: set[str]
    countries_rows: list[ProjectCountry] = field(default_factory=list)
    fundings: list[Funding] = field(default_factory=list)
    budgets: list[Budget] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    obligations: list[ReportingObligation] = field(default_factory=list)

    @classmethod
    def start(cls, through: int) -> Batch:
        initiatives: dict[str, list[RegionalInitiative]] = {}
        for initiative in RegionalInitiative.objects.filter(cycle=2022).select_related("region"):
            initiatives.setdefault(initiative.region.code, []).append(initiative)
        countries_by_region: dict[str, list[Country]] = {}
        for country in Country.objects.select_related("region").order_by("iso2"):
            countries_by_region.setdefault(country.region.code, []).append(country)
        return cls(
            through=through,
            regions={r.code: r for r in Region.objects.all()},
            offices={o.code: o for o in Office.objects.all()},
            priorities={p.code: p for p in Priority.objects.filter(cycle=2022)},
            sources={s.code: s for s in FundingSource.objects.all()},
            partners=[Partner.objects.get(name=name) for name, *_rest in PARTNERS],
            initiatives=initiatives,
            countries_by_region=countries_by_region,
            used_codes=set(Project.objects.filter(is_demo=True).values_list("code", flat=True)),
            used_titles=set(Project.objects.filter(is_demo=True).values_list("title", flat=True)),
        )

    def save(self) -> None:
        ProjectCountry.objects.bulk_create(self.countries_rows)
        Funding.objects.bulk_create(self.fundings)
        Budget.objects.bulk_create(self.budgets)
        Transaction.objects.bulk_create(self.transactions)
        ReportingObligation.objects.bulk_create(self.obligations)


def _create(rng: random.Random, plan: Plan, batch: Batch) -> Project:
    """One demo project with its countries, contributions, budgets, transactions and reports."""
    number = 10000 + rng.randint(1, 999) * 10 + plan.index % 10
    code = f"{PREFIX[plan.region]}{plan.start.year % 100:02d}{number % 1000:03d}"
    while code in batch.used_codes:
        number += 1
        code = f"{PREFIX[plan.region]}{plan.start.year % 100:02d}{number % 1000:03d}"
    if rng.random() < 0.3:
        code = f"{code}-{rng.randint(1, 6):02d}"
    batch.used_codes.add(code)
    theme, priority = rng.choice(THEMES)
    title = f"{theme} in {rng.choice(AREAS[plan.region])}"
    while title in batch.used_titles:
        theme, priority = rng.choice(THEMES)
        title = f"{theme} in {rng.choice(AREAS[plan.region])}"
    batch.used_titles.add(title)
    office = batch.offices[rng.choice(OFFICES[plan.region])]
    actual_start = plan.start + dt.timedelta(days=rng.randint(0, 60))
    closed = plan.status == Project.Status.CLOSED
    project = Project.objects.create(
        code=code,
        title=title,
        description=f"{theme} for {rng.choice(AREAS[plan.region])}: assessments, training, pilots "
        "and policy advice delivered with national administrations and partners (demo data).",
        status=plan.status,
        planned_start=plan.start,
        planned_end=plan.end,
        actual_start=actual_start,
        actual_end=plan.end if closed else None,
        lead_office=office,
        region=batch.regions[plan.region],
        kap_priority=batch.priorities.get(priority),
        regional_initiative=rng.choice(batch.initiatives[plan.region])
        if plan.region in batch.initiatives and any(c == "ri-fund" for c, _a in plan.fundings)
        else None,
        manager_name=rng.choice(MANAGERS),
        manager_location=Project.ManagerLocation.FIELD if rng.random() < 0.45 else Project.ManagerLocation.HQ,
        currency="CHF",
        is_demo=True,
    )
    pool = batch.countries_by_region.get(plan.region) or [
        c for code_, cs in batch.countries_by_region.items() if code_ != "EUR" for c in cs
    ]
    picked = rng.sample(pool, min(len(pool), rng.randint(1, 4)))
    shares = [Decimal(100 // len(picked))] * len(picked)
    shares[0] += Decimal(100) - sum(shares)
    batch.countries_rows += [
        ProjectCountry(project=project, country=c, percentage=s) for c, s in zip(picked, shares, strict=True)
    ]

    total = Decimal(0)
    for source_code, chf in plan.fundings:
        total += chf
        signed_on = max(dt.date(2018, 1, 15), plan.start - dt.timedelta(days=rng.randint(10, 120)))
        partner = (
            rng.choice([batch.partners[i] for i in PARTNERS_BY_REGION[plan.region]])
            if source_code == "partners"
            else None
        )
        pieces = [chf]
        if source_code == "partners" and chf > 200000 and rng.random() < 0.7:
            # A contribution in the partner's currency, topped up in CHF so the total stays exact.
            amount, currency = _foreign(rng, chf * Decimal("0.6"), signed_on, plan.region)
            rate = next(Decimal(r) for y, r in reversed(RATES[currency]) if y <= signed_on.year)
            batch.fundings.append(
                Funding(
                    project=project,
                    source=batch.sources[source_code],
                    partner=partner,
                    amount=amount,
                    currency=currency,
                    signed_on=signed_on,
                )
            )
            pieces = [chf - amount * rate]
        for piece in pieces:
            batch.fundings.append(
                Funding(
                    project=project,
                    source=batch.sources[source_code],
                    partner=partner,
                    amount=piece.quantize(CENT),
                    currency="CHF",
                    signed_on=signed_on,
                )
            )
        if source_code == "partners" and partner is not None:
            for year in range(actual_start.year, min(plan.end.year, batch.through) + 1):
                due = dt.date(year + 1, 3, 31)
                roll = rng.random()
                if roll < 0.75:
                    submitted: dt.date | None = due - dt.timedelta(days=rng.randint(0, 20))
                elif roll < 0.9:
                    submitted = due + dt.timedelta(days=rng.randint(5, 75))
                else:
                    submitted = None
                batch.obligations.append(
                    ReportingObligation(
                        project=project,
                        partner=partner,
                        due_on=due,
                        submitted_on=submitted,
                        title=f"Annual financial report {year}",
                    )
                )
    years = list(range(actual_start.year, plan.end.year + 1))
    per_year = (total / len(years)).quantize(CENT)
    delivery = Decimal(str(round(rng.uniform(0.55, 0.97), 2)))
    for year in years:
        batch.budgets.append(Budget(project=project, year=year, amount=per_year, currency="CHF"))
        if year <= batch.through:
            spent = (per_year * delivery).quantize(CENT)
            batch.transactions.append(
                Transaction(
                    project=project,
                    kind=Transaction.Kind.COMMITMENT,
                    date=dt.date(year, 2, 15),
                    amount=per_year,
                    currency="CHF",
                    description=f"Work plan {year}",
                )
            )
            batch.transactions.append(
                Transaction(
                    project=project,
                    kind=Transaction.Kind.EXPENDITURE,
                    date=dt.date(year, 12, 15),
                    amount=spent,
                    currency="CHF",
                    description=f"Expenditure {year}",
                )
            )
    return project


def _plans_recent(rng: random.Random, region: str, year: int, count: int) -> list[Plan]:
    """Projects starting in `year` (after 2024), so recent years' dashboards are not empty."""
    plans = []
    for index in range(count):
        start = dt.date(year, rng.randint(1, 9), 1)
        end = dt.date(year + rng.randint(2, 3), rng.randint(1, 12), 28)
        amount = Decimal(rng.randrange(150, 2500)) * 1000
        plan = Plan(
            region,
            200 + year % 100 * 10 + index,
            start,
            end,
            Project.Status.IMPLEMENTATION,
            [("partners", amount)],
        )
        if rng.random() < 0.5:
            plan.fundings.append(("ict-df", Decimal(rng.randrange(20, 300)) * 1000))
        if rng.random() < 0.4:
            plan.fundings.append(("ri-fund", Decimal(rng.randrange(20, 200)) * 1000))
        plans.append(plan)
    return plans


def _load_recent(stdout: TextIO | None) -> None:
    """Projects starting in 2025 and 2026: none is on-going in 2022-2024, so Table 1 for 2023 is untouched.

    Loaded on their own (own seed and own check), so a database holding the earlier demo gets them too.
    """
    if Project.objects.filter(is_demo=True, planned_start__year__gte=min(RECENT_YEARS)).exists():
        return
    rng = random.Random(SEED + 1)
    batch = Batch.start(through=RECENT_FIGURES_THROUGH)
    plans = [
        plan
        for region in TARGETS_2023
        for year, per_region in RECENT_YEARS.items()
        for plan in _plans_recent(rng, region, year, per_region)
    ]
    for plan in plans:
        _create(rng, plan, batch)
    batch.save()
    if stdout is not None:
        stdout.write(
            f"Portfolio demo data: {len(plans)} projects starting in {', '.join(map(str, RECENT_YEARS))}.\n"
        )


# Funding agreements: (partner index in PARTNERS, region, reference, title, currency, frequency, obligations).
# Each links the partner's demo projects in the region signed in its latest year of contributions (up to
# RECENT_FIGURES_THROUGH); its amount is what those contributions total (in CHF at the signature date's
# rate, then in the agreement's currency, to the thousand).
AGREEMENTS = [
    (
        0,
        "AFR",
        "EU-ITU/AFR/{year}/01",
        "Digital transformation in Africa: contribution agreement",
        "EUR",
        FundingAgreement.Frequency.ANNUAL,
        "Annual narrative and financial report by 31 March; expenditure verification in the final year; "
        "visibility of the EU contribution in all deliverables.",
    ),
    (
        1,
        "EUR",
        "SIDA-ITU/EUR/{year}/02",
        "Digital inclusion and skills in Europe",
        "EUR",
        FundingAgreement.Frequency.ANNUAL,
        "Annual financial report by 31 March; results report against the agreed indicators.",
    ),
    (
        2,
        "ASP",
        "DFAT-ITU/ASP/{year}/01",
        "Pacific digital connectivity partnership",
        "USD",
        FundingAgreement.Frequency.SEMIANNUAL,
        "Progress and financial reports every six months (31 January and 31 July); final report within "
        "six months of completion.",
    ),
    (
        6,
        "ASP",
        "MSIT-ITU/ASP/{year}/03",
        "ICT capacity building in Asia and the Pacific",
        "USD",
        FundingAgreement.Frequency.ANNUAL,
        "Annual financial statement certified by ITU's Finance Department.",
    ),
    (
        8,
        "AMS",
        "IDB-ITU/AMS/{year}/01",
        "Broadband infrastructure for the Americas",
        "USD",
        FundingAgreement.Frequency.QUARTERLY,
        "Quarterly disbursement requests with expenditure statements; annual audit.",
    ),
    (
        7,
        "ARB",
        "CST-ITU/ARB/{year}/01",
        "Digital economy and smart cities in the Arab States",
        "USD",
        FundingAgreement.Frequency.FINAL,
        "Final narrative and financial report within three months of completion.",
    ),
]


def _load_agreements(stdout: TextIO | None) -> None:
    """A few funding agreements over the demo contributions, so the partner pages show them; loaded on
    their own, so a database holding the earlier demo gets them too."""
    from presence.portfolio.selectors import funding_total_chf

    prefixes = [reference.split("{")[0] for _i, _r, reference, *_rest in AGREEMENTS]
    if FundingAgreement.objects.filter(reference__regex=rf"^({'|'.join(prefixes)})").exists():
        return
    rates = {currency: dict(entries) for currency, entries in RATES.items()}
    made = 0
    for index, region, reference, title, currency, frequency, obligations in AGREEMENTS:
        partner = Partner.objects.get(name=PARTNERS[index][0])
        fundings = Funding.objects.filter(
            partner=partner,
            project__region__code=region,
            project__is_demo=True,
            signed_on__year__lte=RECENT_FIGURES_THROUGH,
        ).order_by("-signed_on", "pk")
        last = fundings.first()
        if last is None:
            continue
        year = last.signed_on.year
        signed = fundings.filter(signed_on__year=year).order_by("signed_on", "pk")
        first = signed[0]
        projects = list(Project.objects.filter(pk__in=signed.values("project")).order_by("code")[:5])
        signed = signed.filter(project__in=projects)
        chf = funding_total_chf(signed)
        rate = Decimal(rates[currency][year])
        closed = all(project.status == Project.Status.CLOSED for project in projects)
        agreement = FundingAgreement.objects.create(
            partner=partner,
            reference=reference.format(year=year),
            title=title,
            status=FundingAgreement.Status.CLOSED if closed else FundingAgreement.Status.SIGNED,
            signed_on=first.signed_on,
            amount=(chf / rate / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 1000,
            currency=currency,
            reporting_obligations=obligations,
            reporting_frequency=frequency,
            next_report_due=None if closed else dt.date(RECENT_FIGURES_THROUGH + 1, 3, 31),
        )
        agreement.projects.set(projects)
        made += 1
    if stdout is not None:
        stdout.write(f"Portfolio demo data: {made} funding agreements.\n")


@transaction.atomic
def load(*, stdout: TextIO | None = None) -> None:
    _reference(stdout)
    if Project.objects.filter(is_demo=True, planned_start__year__lte=2024).exists():
        if stdout is not None:
            stdout.write("Portfolio demo data already loaded.\n")
        _load_recent(stdout)
        _load_agreements(stdout)
        return
    rng = random.Random(SEED)
    plans: list[Plan] = []
    for region, (count, targets) in TARGETS_2023.items():
        plans += _plans_2023(rng, region, count, targets)
        for year, per_region in OTHER_YEARS.items():
            plans += _plans_other(rng, region, year, per_region)
    batch = Batch.start(through=2024)
    for plan in plans:
        _create(rng, plan, batch)
    batch.save()
    if stdout is not None:
        stdout.write(f"Portfolio demo data: {len(plans)} projects, {len(batch.fundings)} contributions.\n")
    _load_recent(stdout)
    _load_agreements(stdout)
