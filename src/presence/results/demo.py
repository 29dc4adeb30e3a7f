"""Demo results data: SP 2024-2027 framework, the 2024 plan (124 activities), 2023 plan, indicators, reviews.

Idempotent: each part is created only when missing. Fixed random seed, so every run gives the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from presence.core.models import AuditEntry
from presence.core.services import diff, snapshot, to_json_value, tracked_create
from presence.org.models import Country, Office, Priority, Region
from presence.portfolio.models import Project
from presence.portfolio.selectors import ongoing_in_year
from presence.results.models import (
    Activity,
    Framework,
    Indicator,
    IndicatorValue,
    Outcome,
    Output,
    ProjectOutput,
    QuarterlyReview,
    ReportingPeriod,
    StrategicGoal,
)
from presence.results.selectors import _projects_for

# The records `presence demo --scale N` copies N-1 times over (presence.core.scale), by model label.
SCALED = (
    "results.ProjectOutput",
    "results.Activity",
    "results.Indicator",
    "results.IndicatorValue",
    "results.QuarterlyReview",
)
SEED = 2024
# Activities per region in the 2024 plan (124 in all, as the report says) and in 2023.
PLAN_2024 = {"": 34, "AFR": 22, "AMS": 18, "ARB": 14, "ASP": 18, "CIS": 9, "EUR": 9}
PLAN_2023 = {"": 30, "AFR": 20, "AMS": 16, "ARB": 13, "ASP": 16, "CIS": 9, "EUR": 8}

# priority code -> [(outcome title, [(output title, kind)])]
OUTCOMES: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {
    "P1": [
        (
            "Improved broadband infrastructure and affordable access",
            [
                ("Broadband mapping and infrastructure gap analyses", "product"),
                ("Technical assistance on network planning and rural connectivity", "service"),
                ("Guidelines on infrastructure sharing and open access", "product"),
            ],
        ),
        (
            "Resilient networks and emergency telecommunications",
            [
                ("National emergency telecommunication plans", "service"),
                ("Early-warning and disaster connectivity toolkits", "product"),
            ],
        ),
    ],
    "P2": [
        (
            "Digital transformation strategies adopted and implemented",
            [
                ("Digital transformation strategy support", "service"),
                ("Smart villages and islands deployments", "service"),
                ("Digital government and e-services assessments", "product"),
            ],
        ),
        (
            "Strengthened digital skills",
            [
                ("Digital skills assessments and training programmes", "service"),
                ("ITU Academy courses for regulators and operators", "product"),
            ],
        ),
    ],
    "P3": [
        (
            "Enabling policy and regulatory environment",
            [
                ("Regulatory assessments and ICT regulatory tracker reviews", "product"),
                ("Spectrum management capacity building", "service"),
                ("Collaborative regulation dialogues", "service"),
            ],
        ),
        (
            "Reliable ICT statistics for evidence-based policy",
            [
                ("ICT household survey support", "service"),
                ("Statistics training and indicator harmonization", "service"),
            ],
        ),
    ],
    "P4": [
        (
            "Resources mobilized and partnerships established",
            [
                ("Project proposals developed with partners", "product"),
                ("Regional development forums and partner roundtables", "service"),
            ],
        ),
    ],
    "P5": [
        (
            "Trust and security in the use of ICTs",
            [
                ("National CIRT establishment and cyber drills", "service"),
                ("Child online protection programmes", "service"),
            ],
        ),
        (
            "Inclusive ICT for all",
            [
                ("ICT accessibility policies for persons with disabilities", "product"),
                ("Women and girls in ICT initiatives", "service"),
                ("E-waste and green ICT policies", "product"),
            ],
        ),
    ],
}

TOPICS = {
    "Broadband mapping": "Broadband mapping of underserved areas",
    "Technical assistance on network": "Rural connectivity and network planning support",
    "Guidelines on infrastructure": "Infrastructure sharing policy workshop",
    "National emergency": "National emergency telecommunication plan",
    "Early-warning": "Early-warning connectivity exercise",
    "Digital transformation strategy": "Digital transformation strategy assistance",
    "Smart villages": "Smart villages pilot",
    "Digital government": "Digital government readiness assessment",
    "Digital skills": "Digital skills training programme",
    "ITU Academy": "ITU Academy course for regulators",
    "Regulatory assessments": "ICT regulatory review",
    "Spectrum management": "Spectrum management training",
    "Collaborative regulation": "Regional regulators' dialogue",
    "ICT household": "ICT household survey support",
    "Statistics training": "ICT statistics workshop",
    "Project proposals": "Project proposal development with partners",
    "Regional development forums": "Regional development forum",
    "National CIRT": "Cyber drill and CIRT assistance",
    "Child online": "Child online protection programme",
    "ICT accessibility": "ICT accessibility policy assistance",
    "Women and girls": "Girls in ICT mentoring initiative",
    "E-waste": "E-waste policy and regulation support",
}

GOALS_2024 = [
    ("1", "Universal connectivity", ["P1", "P3", "P4"]),
    ("2", "Sustainable digital transformation", ["P2", "P3", "P5"]),
]
GOALS_2023 = [
    ("1", "Growth", ["P1", "P4"]),
    ("2", "Inclusiveness", ["P2", "P5"]),
    ("3", "Sustainability", ["P5"]),
    ("4", "Innovation", ["P2"]),
    ("5", "Partnership", ["P3", "P4"]),
]


def _topic(output: Output) -> str:
    for start, topic in TOPICS.items():
        if output.title.startswith(start):
            return topic
    return output.title


def _framework(
    code: str, name: str, start: int, end: int, goals: list[tuple[str, str, list[str]]]
) -> Framework:
    existing = Framework.objects.filter(code=code).first()
    if existing is not None:
        return existing
    framework = tracked_create(
        model=Framework,
        actor=None,
        data={"code": code, "name": name, "start_year": start, "end_year": end, "priority_cycle": 2022},
    )
    priorities = {p.code: p for p in Priority.objects.filter(cycle=2022)}
    for order, (goal_code, goal_name, codes) in enumerate(goals, start=1):
        tracked_create(
            model=StrategicGoal,
            actor=None,
            data={
                "framework": framework,
                "code": goal_code,
                "name": goal_name,
                "sort_order": order,
                "priorities": [priorities[c] for c in codes if c in priorities],
            },
        )
    for priority_code, outcomes in OUTCOMES.items():
        priority = priorities.get(priority_code)
        if priority is None:
            continue
        for o_index, (outcome_title, outputs) in enumerate(outcomes, start=1):
            outcome = tracked_create(
                model=Outcome,
                actor=None,
                data={
                    "framework": framework,
                    "priority": priority,
                    "code": f"{priority_code[1:]}.{o_index}",
                    "title": outcome_title,
                    "sort_order": o_index,
                },
            )
            for p_index, (output_title, kind) in enumerate(outputs, start=1):
                tracked_create(
                    model=Output,
                    actor=None,
                    data={
                        "outcome": outcome,
                        "code": f"{outcome.code}.{p_index}",
                        "title": output_title,
                        "kind": kind,
                        "sort_order": p_index,
                    },
                )
    return framework


def _activities(rng: random.Random, framework: Framework, year: int, plan: dict[str, int]) -> list[Activity]:
    if Activity.objects.filter(year=year).exists():
        return list(Activity.objects.filter(year=year))
    outputs = list(Output.objects.filter(outcome__framework=framework).select_related("outcome"))
    regions = {r.code: r for r in Region.objects.all()}
    geneva = Office.objects.get(code="geneva")
    created = []
    for region_code, count in plan.items():
        region = regions.get(region_code) if region_code else None
        # Europe's regional unit sits at headquarters, so its activities are run from Geneva.
        offices = (list(Office.objects.filter(region=region)) if region else []) or [geneva]
        countries = list(Country.objects.filter(region=region)) if region else []
        for number in range(1, count + 1):
            output = outputs[(number * 7 + len(region_code)) % len(outputs)]
            extra = [o for o in rng.sample(outputs, 2) if o != output][:1] if rng.random() < 0.3 else []
            office = offices[number % len(offices)]
            level = (
                Activity.Level.GLOBAL
                if region is None
                else (Activity.Level.COUNTRY if rng.random() < 0.4 and countries else Activity.Level.REGIONAL)
            )
            chosen = (
                rng.sample(countries, min(len(countries), rng.randint(1, 3))) if level == "country" else []
            )
            place = (
                ", ".join(c.name for c in chosen) if chosen else (region.name if region else "all regions")
            )
            status = (
                rng.choice(["ongoing", "ongoing", "completed", "planned"]) if year >= 2024 else "completed"
            )
            code = f"OP{year % 100}-{region_code or 'GLB'}-{number:02d}"
            created.append(
                tracked_create(
                    model=Activity,
                    actor=None,
                    data={
                        "year": year,
                        "code": code,
                        "title": f"{_topic(output)} ({place})",
                        "description": f"{output.title} for {place} ({output.outcome.title}).",
                        "level": level,
                        "region": region,
                        "responsible_office": office,
                        "countries": chosen,
                        "outputs": [output, *extra],
                        "planned_budget": Decimal(rng.randrange(20, 160) * 1000),
                        "status": status,
                    },
                )
            )
    return created


def _q(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def _value(indicator: Indicator, year: int, quarter: int, **values: Any) -> None:
    values = {k: _q(v) if v is not None else None for k, v in values.items()}
    IndicatorValue.objects.get_or_create(
        indicator=indicator, year=year, quarter=quarter, breakdown_region=None, gender="", defaults=values
    )


def _indicators(
    rng: random.Random, framework: Framework, activities: list[Activity], quarters_done: int
) -> None:
    if Indicator.objects.filter(output__outcome__framework=framework).exists():
        return
    regions = list(Region.objects.filter(is_geographic=True))
    for outcome in Outcome.objects.filter(framework=framework):
        indicator = tracked_create(
            model=Indicator,
            actor=None,
            data={
                "code": f"KPI-{outcome.code}",
                "name": f"Countries reporting progress: {outcome.title.lower()}",
                "measure": "number",
                "unit": "countries",
                "baseline_year": framework.start_year - 1,
                "baseline_value": Decimal(rng.randrange(10, 40)),
                "accumulates": False,
                "by_region": True,
                "outcome": outcome,
            },
        )
        base = indicator.baseline_value or Decimal(0)
        target = base + rng.randrange(10, 30)
        _value(
            indicator,
            framework.start_year,
            0,
            target=target,
            actual=base + (target - base) * Decimal(rng.randrange(40, 110)) / 100,
        )
        for region in regions:
            regional_target = Decimal(rng.randrange(3, 12))
            IndicatorValue.objects.get_or_create(
                indicator=indicator,
                year=framework.start_year,
                quarter=0,
                breakdown_region=region,
                gender="",
                defaults={
                    "target": regional_target,
                    "actual": _q(regional_target * rng.randrange(30, 120) / 100),
                },
            )
    for output in Output.objects.filter(outcome__framework=framework):
        indicator = tracked_create(
            model=Indicator,
            actor=None,
            data={
                "code": f"KPI-{output.code}",
                "name": f"Beneficiaries of: {output.title.lower()}",
                "measure": "number",
                "unit": "people",
                "baseline_year": framework.start_year - 1,
                "baseline_value": Decimal(0),
                "accumulates": True,
                "by_gender": True,
                "output": output,
            },
        )
        target = Decimal(rng.randrange(2, 20) * 100)
        _value(indicator, framework.start_year, 0, target=target)
        for quarter in range(1, quarters_done + 1):
            _value(indicator, framework.start_year, quarter, actual=target * rng.randrange(10, 35) / 100)
    for activity in activities[::2]:
        percentage = rng.random() < 0.3
        indicator = tracked_create(
            model=Indicator,
            actor=None,
            data={
                "code": f"{activity.code}-K1",
                "name": "Share of participants satisfied" if percentage else "Participants trained",
                "measure": "percentage" if percentage else "number",
                "unit": "%" if percentage else "people",
                "baseline_year": activity.year - 1,
                "baseline_value": Decimal(50 if percentage else 0),
                "accumulates": not percentage,
                "activity": activity,
                "region": activity.region,
                "office": activity.responsible_office,
            },
        )
        target = Decimal(85) if percentage else Decimal(rng.randrange(4, 30) * 10)
        _value(indicator, activity.year, 0, target=target)
        for quarter in range(1, quarters_done + 1):
            actual = Decimal(rng.randrange(60, 95)) if percentage else target * rng.randrange(10, 35) / 100
            _value(indicator, activity.year, quarter, actual=actual)


def _reviews(rng: random.Random, periods: list[ReportingPeriod], activities: list[Activity]) -> None:
    if QuarterlyReview.objects.filter(period__in=periods).exists():
        return
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["admin", "afr.editor", "afr.approver", "asp.editor", "dakar.editor"]
        )
    }
    subjects: list[tuple[ReportingPeriod, Activity | None, Any]] = [
        (p, a, None) for p in periods for a in activities if a.status != Activity.Status.CANCELLED
    ]
    subjects += [(p, None, project) for p, project in _projects_for(periods)]
    narratives = {
        "on_track": "On schedule; the quarter's deliverables completed with national counterparts.",
        "at_risk": "Procurement delays and pending nominations may push the workshop to next quarter.",
        "off_track": "Activity postponed after the counterpart requested a change of scope.",
        "completed": "All deliverables completed and the final report shared with the administration.",
        "not_started": "Preparatory consultations only; implementation starts next quarter.",
    }
    now = timezone.now()
    reviews = []
    last = max(p.quarter for p in periods)
    for period, activity, project in subjects:
        region = activity.region if activity is not None else project.region
        office = activity.responsible_office if activity is not None else project.lead_office
        code = region.code if region is not None else ""
        if office.code == "dakar":
            submitter = users.get("dakar.editor")
        else:
            submitter = {"AFR": users.get("afr.editor"), "ASP": users.get("asp.editor")}.get(code)
        approver = users.get("afr.approver") if code == "AFR" else users.get("admin")
        status: str = QuarterlyReview.Status.APPROVED
        if period.quarter == last and code in ("AFR", "ASP"):
            states = ["approved", "submitted", "returned", "draft", "missing"]
            status = rng.choices(states, [5, 2, 1, 1, 1])[0]
        if status == "missing":
            continue
        rating = rng.choices(
            ["on_track", "at_risk", "off_track", "completed", "not_started"], [6, 2, 1, 2, 1]
        )[0]
        decided = status in ("approved", "returned")
        reviews.append(
            QuarterlyReview(
                period=period,
                activity=activity,
                project=project,
                region=region,
                office=office,
                status=status,
                rating=rating,
                progress=narratives[rating],
                risks="" if rating == "on_track" else narratives["at_risk"],
                next_steps="Prepare the next quarter's deliverables with the national focal points.",
                submitted_by=submitter if status != "draft" else None,
                submitted_at=now - dt.timedelta(days=30) if status != "draft" else None,
                decided_by=approver if decided else None,
                decided_at=now - dt.timedelta(days=20) if decided else None,
                return_comment="Please add the number of participants and attach the workshop report."
                if status == "returned"
                else "",
                created_by=submitter,
                updated_by=submitter,
            )
        )
    QuarterlyReview.objects.bulk_create(reviews, batch_size=500)


def _project_contributions(framework: Framework, year: int) -> int:
    """Link each demo project on-going in `year` to an output of its KAP priority, with one KPI.

    The output is the first of the priority's outputs in turn (so the links spread over them); the
    KPI has a target and an actual for the year, so project progress shows in the framework tree.
    Own seed and own check, so loading it into an existing demo database leaves the rest unchanged.
    """
    if ProjectOutput.objects.filter(output__outcome__framework=framework).exists():
        return 0
    rng = random.Random(SEED + year)
    outputs_by_priority: dict[int, list[Output]] = {}
    for output in Output.objects.filter(outcome__framework=framework).select_related("outcome"):
        outputs_by_priority.setdefault(output.outcome.priority_id, []).append(output)
    projects = ongoing_in_year(
        Project.objects.filter(is_demo=True, kap_priority__isnull=False).select_related(
            "region", "lead_office"
        ),
        year,
    ).order_by("code")
    linked = 0
    for index, project in enumerate(projects):
        outputs = outputs_by_priority.get(project.kap_priority_id or 0)
        if not outputs:
            continue
        output = outputs[index % len(outputs)]
        tracked_create(model=ProjectOutput, actor=None, data={"project": project, "output": output})
        indicator = tracked_create(
            model=Indicator,
            actor=None,
            data={
                "code": f"{project.code}-K1",
                "name": f"People reached: {output.title.lower()}",
                "measure": "number",
                "unit": "people",
                "baseline_year": year - 1,
                "baseline_value": Decimal(0),
                "accumulates": True,
                "project": project,
                "region": project.region,
                "office": project.lead_office,
            },
        )
        target = Decimal(rng.randrange(5, 40) * 50)
        _value(indicator, year, 0, target=target, actual=target * rng.randrange(35, 115) / 100)
        linked += 1
    return linked


@transaction.atomic
def load(*, stdout: TextIO | None = None, today: dt.date | None = None) -> None:
    """Load the demo; `today` (default: the current date) decides which quarters have results and reviews."""
    rng = random.Random(SEED)
    framework_2024 = _framework(
        "SP2024-2027", "ITU Strategic Plan 2024-2027 and Kigali Action Plan", 2024, 2027, GOALS_2024
    )
    framework_2023 = _framework(
        "SP2020-2023", "ITU Strategic Plan 2020-2023 (2023 operational plan)", 2023, 2023, GOALS_2023
    )
    activities_2024 = _activities(rng, framework_2024, 2024, PLAN_2024)
    activities_2023 = _activities(rng, framework_2023, 2023, PLAN_2023)
    periods = []
    for quarter in range(1, 5):
        start, end, deadline = ReportingPeriod.default_dates(2024, quarter)
        period = ReportingPeriod.objects.filter(year=2024, quarter=quarter).first() or tracked_create(
            model=ReportingPeriod,
            actor=None,
            data={
                "year": 2024,
                "quarter": quarter,
                "starts_on": start,
                "ends_on": end,
                "submission_deadline": deadline,
            },
        )
        periods.append(period)
    _indicators(rng, framework_2024, activities_2024, 4)
    _indicators(rng, framework_2023, activities_2023, 4)
    _reviews(rng, periods, activities_2024)
    linked = _project_contributions(framework_2024, 2024)
    later = load_later_years(today=today or timezone.localdate())
    if stdout is not None:
        stdout.write(
            f"Results: {Activity.objects.filter(year=2024).count()} activities in 2024, "
            f"{Activity.objects.filter(year=2023).count()} in 2023, "
            f"{QuarterlyReview.objects.filter(period__year=2024).count()} reviews for 2024, "
            f"{linked} projects newly linked to 2024 outputs; "
            + ", ".join(f"{n} activities in {year}" for year, n in later.items())
            + "."
        )


# --- Later years (2025 onward) ------------------------------------------------------------------
# Each year has its own seeds (per year, per record), so the 2023 and 2024 data above stay exactly as
# they were and a year's figures never depend on which other years exist. What depends on "now" (which
# quarters have results and reviews, which reviews are still pending) is computed from `today`.

# Activities per region in the 2025 and 2026 operational plans.
LATER_PLANS = {
    2025: {"": 33, "AFR": 22, "AMS": 17, "ARB": 14, "ASP": 18, "CIS": 9, "EUR": 8},
    2026: {"": 35, "AFR": 23, "AMS": 18, "ARB": 15, "ASP": 19, "CIS": 9, "EUR": 9},
}
# States of the reviews of the latest quarter open for reviews ("missing": none written yet).
LATEST_QUARTER_STATES = (["approved", "submitted", "returned", "draft", "missing"], [5, 2, 1, 1, 1])
# Where the demo has no regional editor, administrators write the reviews and cannot approve their own.
LATEST_QUARTER_STATES_ADMIN = (["approved", "draft", "missing"], [7, 1, 1])
# The quarter before it: a few stragglers.
PREVIOUS_QUARTER_STATES = (["approved", "returned", "submitted", "missing"], [46, 1, 1, 1])
RATINGS = (["on_track", "at_risk", "off_track", "completed", "not_started"], [6, 2, 1, 2, 1])


def _seeded(*key: object) -> random.Random:
    return random.Random(":".join(str(k) for k in (SEED, *key)))


def _bulk_create(records: list[Any], many: dict[str, list[list[Any]]] | None = None) -> list[Any]:
    """Validate and insert `records` in a few queries, with their many-to-many links and audit entries.

    Foreign keys hold loaded instances, so they are not validated again (that would query per row).
    `many` maps a many-to-many field name to each record's values, in the records' order.
    """
    if not records:
        return []
    model = type(records[0])
    foreign = [f.name for f in model._meta.concrete_fields if f.is_relation]
    for record in records:
        record.full_clean(exclude=foreign, validate_unique=False, validate_constraints=False)
    created = model.objects.bulk_create(records, batch_size=500)
    links: dict[str, list[list[Any]]] = many or {}
    for name, values in links.items():
        field = model._meta.get_field(name)
        through = getattr(model, name).through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        through.objects.bulk_create(
            [
                through(**{f"{source}_id": record.pk, f"{target}_id": item.pk})
                for record, items in zip(created, values, strict=True)
                for item in items
            ],
            batch_size=500,
        )
    content_type = ContentType.objects.get_for_model(model)
    plain = [f.name for f in model._meta.concrete_fields]
    entries = []
    for index, record in enumerate(created):
        after = snapshot(record, plain)
        after.update({name: to_json_value(values[index]) for name, values in links.items()})
        entries.append(
            AuditEntry(
                actor=None,
                action=AuditEntry.Action.CREATE,
                content_type=content_type,
                object_id=str(record.pk),
                object_repr=str(record)[:300],
                changes=diff({}, {k: v for k, v in after.items() if v not in (None, "", [])}),
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    return created


def _quarters_done(year: int, today: dt.date) -> int:
    """Quarters of `year` already over on `today` (0 to 4)."""
    return sum(1 for quarter in range(1, 5) if ReportingPeriod.default_dates(year, quarter)[1] < today)


def _quarter_actual(rng: random.Random, target: Decimal, pace: Decimal) -> Decimal:
    """A quarter's result towards a target that adds up over the year, at the indicator's `pace`.

    With paces of 0.8 to 1.6 times the even quarter, about three in four indicators reach their target
    by the end of a year and about one in three by the end of its third quarter.
    """
    return target / 4 * pace * Decimal(rng.randrange(85, 115)) / 100


def _later_status(rng: random.Random, year: int, today: dt.date) -> str:
    if year < today.year:
        return rng.choices(["completed", "ongoing", "cancelled"], [88, 8, 4])[0]
    if year > today.year:
        return "planned"
    elapsed = (today - dt.date(year, 1, 1)).days / 365
    weights = [45 * elapsed, 45, 2 + 20 * (1 - elapsed), 3]
    return rng.choices(["completed", "ongoing", "planned", "cancelled"], weights)[0]


def _later_activities(framework: Framework, year: int, today: dt.date) -> list[Activity]:
    """The year's plan, spread over the regions and the framework's outputs like the 2024 one."""
    existing = list(Activity.objects.filter(year=year).select_related("responsible_office"))
    if existing:
        return existing
    outputs = list(Output.objects.filter(outcome__framework=framework).select_related("outcome"))
    regions = {r.code: r for r in Region.objects.all()}
    offices = list(Office.objects.filter(closed_on__isnull=True).order_by("code"))
    countries = list(Country.objects.order_by("iso2"))
    geneva = next(o for o in offices if o.code == "geneva")
    activities: list[Activity] = []
    outputs_of: list[list[Any]] = []
    countries_of: list[list[Any]] = []
    for region_code, count in LATER_PLANS[year].items():
        region = regions.get(region_code) if region_code else None
        region_offices = [o for o in offices if region and o.region_id == region.pk] or [geneva]
        region_countries = [c for c in countries if region and c.region_id == region.pk]
        for number in range(1, count + 1):
            code = f"OP{year % 100}-{region_code or 'GLB'}-{number:02d}"
            rng = _seeded(code)
            output = outputs[(number * 7 + len(region_code) + year) % len(outputs)]
            extra = [o for o in rng.sample(outputs, 2) if o != output][:1] if rng.random() < 0.3 else []
            level = (
                Activity.Level.GLOBAL
                if region is None
                else (
                    Activity.Level.COUNTRY
                    if region_countries and rng.random() < 0.4
                    else Activity.Level.REGIONAL
                )
            )
            chosen = (
                rng.sample(region_countries, min(len(region_countries), rng.randint(1, 3)))
                if level == Activity.Level.COUNTRY
                else []
            )
            place = ", ".join(c.name for c in chosen) or (region.name if region else "all regions")
            activities.append(
                Activity(
                    year=year,
                    code=code,
                    title=f"{_topic(output)} ({place})",
                    description=f"{output.title} for {place} ({output.outcome.title}).",
                    level=level,
                    region=region,
                    responsible_office=region_offices[number % len(region_offices)],
                    planned_budget=Decimal(rng.randrange(20, 160) * 1000),
                    status=_later_status(rng, year, today),
                )
            )
            outputs_of.append([output, *extra])
            countries_of.append(chosen)
    created: list[Activity] = _bulk_create(activities, {"outputs": outputs_of, "countries": countries_of})
    return created


def _later_periods(year: int) -> list[ReportingPeriod]:
    periods = []
    for quarter in range(1, 5):
        start, end, deadline = ReportingPeriod.default_dates(year, quarter)
        period = ReportingPeriod.objects.filter(year=year, quarter=quarter).first() or tracked_create(
            model=ReportingPeriod,
            actor=None,
            data={
                "year": year,
                "quarter": quarter,
                "starts_on": start,
                "ends_on": end,
                "submission_deadline": deadline,
            },
        )
        periods.append(period)
    return periods


def _later_indicator_values(
    framework: Framework, activities: list[Activity], year: int, today: dt.date
) -> None:
    """The framework KPIs' targets and results for the year, and KPIs of every other activity.

    Outcome KPIs (latest reading counts) get the year's target and the latest result, by region too;
    output and activity KPIs (results add up) get the year's target and an actual per quarter done,
    so in a year under way more of them are still below target than in a finished one.
    """
    if IndicatorValue.objects.filter(year=year, indicator__outcome__framework=framework).exists():
        return
    done = _quarters_done(year, today)
    regions = list(Region.objects.filter(is_geographic=True))
    values: list[IndicatorValue] = []

    def value(indicator: Indicator, quarter: int = 0, **data: Any) -> IndicatorValue:
        return IndicatorValue(
            indicator=indicator,
            year=year,
            quarter=quarter,
            gender="",
            **{k: _q(v) if v is not None else None for k, v in data.items()},
        )

    for indicator in Indicator.objects.filter(outcome__framework=framework).order_by("code"):
        rng = _seeded(indicator.code, year)
        base = indicator.baseline_value or Decimal(0)
        target = base + rng.randrange(10, 30) + 5 * (year - framework.start_year)
        reached = Decimal(rng.randrange(60, 115)) / 100
        values.append(
            value(indicator, target=target, actual=base + (target - base) * reached if done else None)
        )
        for region in regions:
            regional_target = Decimal(rng.randrange(3, 12))
            row = value(
                indicator,
                target=regional_target,
                actual=regional_target * rng.randrange(30, 120) / 100 if done else None,
            )
            row.breakdown_region = region
            values.append(row)
    for indicator in Indicator.objects.filter(output__outcome__framework=framework).order_by("code"):
        rng = _seeded(indicator.code, year)
        target = Decimal(rng.randrange(2, 20) * 100)
        pace = Decimal(rng.randrange(80, 160)) / 100
        values.append(value(indicator, target=target))
        values += [
            value(indicator, quarter, actual=_quarter_actual(rng, target, pace))
            for quarter in range(1, done + 1)
        ]
    kpis = []
    for activity in activities[::2]:
        percentage = _seeded(activity.code, "kpi").random() < 0.3
        kpis.append(
            Indicator(
                code=f"{activity.code}-K1",
                name="Share of participants satisfied" if percentage else "Participants trained",
                measure="percentage" if percentage else "number",
                unit="%" if percentage else "people",
                baseline_year=year - 1,
                baseline_value=Decimal(50 if percentage else 0),
                accumulates=not percentage,
                activity=activity,
                region=activity.region,
                office=activity.responsible_office,
            )
        )
    for indicator in _bulk_create(kpis):
        rng = _seeded(indicator.code, year)
        percentage = indicator.measure == Indicator.Measure.PERCENTAGE
        target = Decimal(85) if percentage else Decimal(rng.randrange(4, 30) * 10)
        pace = Decimal(rng.randrange(80, 160)) / 100
        values.append(value(indicator, target=target))
        for quarter in range(1, done + 1):
            actual = Decimal(rng.randrange(60, 95)) if percentage else _quarter_actual(rng, target, pace)
            values.append(value(indicator, quarter, actual=actual))
    for row in values:
        row.full_clean(
            exclude=["indicator", "breakdown_region"], validate_unique=False, validate_constraints=False
        )
    IndicatorValue.objects.bulk_create(values, batch_size=500)


def _later_project_contributions(framework: Framework, year: int, today: dt.date) -> int:
    """Projects on-going in the year: unlinked ones contribute to an output of their KAP priority, and
    every linked project's KPI gets the year's target and result (so far, for a year in progress)."""
    if IndicatorValue.objects.filter(year=year, indicator__project__isnull=False).exists():
        return 0
    outputs_by_priority: dict[int, list[Output]] = {}
    for output in Output.objects.filter(outcome__framework=framework).select_related("outcome"):
        outputs_by_priority.setdefault(output.outcome.priority_id, []).append(output)
    projects = list(
        ongoing_in_year(
            Project.objects.filter(is_demo=True, kap_priority__isnull=False).select_related(
                "region", "lead_office"
            ),
            year,
        ).order_by("code")
    )
    linked = set(
        ProjectOutput.objects.filter(project__in=projects, output__outcome__framework=framework).values_list(
            "project_id", flat=True
        )
    )
    new_links, new_kpis = [], []
    for index, project in enumerate(projects):
        outputs = outputs_by_priority.get(project.kap_priority_id or 0)
        if project.pk in linked or not outputs:
            continue
        new_links.append(ProjectOutput(project=project, output=outputs[index % len(outputs)]))
        new_kpis.append(
            Indicator(
                code=f"{project.code}-K1",
                name=f"People reached: {outputs[index % len(outputs)].title.lower()}",
                measure="number",
                unit="people",
                baseline_year=year - 1,
                baseline_value=Decimal(0),
                accumulates=True,
                project=project,
                region=project.region,
                office=project.lead_office,
            )
        )
    _bulk_create(new_links)
    _bulk_create(new_kpis)
    share = Decimal(_quarters_done(year, today)) / 4
    values = []
    for indicator in Indicator.objects.filter(project__in=projects).order_by("code"):
        rng = _seeded(indicator.code, year)
        target = Decimal(rng.randrange(5, 40) * 50)
        actual = target * Decimal(rng.randrange(80, 160)) / 100 * share
        values.append(
            IndicatorValue(
                indicator=indicator, year=year, quarter=0, gender="", target=target, actual=_q(actual)
            )
        )
    IndicatorValue.objects.bulk_create(values, batch_size=500)
    return len(new_links)


def _at(day: dt.date, now: dt.datetime) -> dt.datetime:
    """Ten o'clock UTC on `day`, or just before `now` if that is later."""
    moment = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
    return min(moment, now - dt.timedelta(hours=2))


def _later_reviews(periods: list[ReportingPeriod], activities: list[Activity], today: dt.date) -> None:
    """Reviews of every quarter open by `today`: the latest open quarter's in every state (some not
    written yet), a few stragglers in the one before, all earlier ones approved."""
    open_periods = [p for p in periods if p.ends_on <= today + dt.timedelta(days=14)]
    if not open_periods or QuarterlyReview.objects.filter(period__in=open_periods).exists():
        return
    every_open = sorted(
        ReportingPeriod.objects.filter(ends_on__lte=today + dt.timedelta(days=14)),
        key=lambda p: (p.year, p.quarter),
    )
    latest = every_open[-1]
    previous = every_open[-2] if len(every_open) > 1 else None
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["admin", "afr.editor", "afr.approver", "asp.editor", "dakar.editor"]
        )
    }
    subjects: list[tuple[ReportingPeriod, Activity | None, Any]] = [
        (p, a, None) for p in open_periods for a in activities if a.status != Activity.Status.CANCELLED
    ]
    subjects += [(p, None, project) for p, project in _projects_for(open_periods)]
    narratives = {
        "on_track": "On schedule; the quarter's deliverables completed with national counterparts.",
        "at_risk": "Procurement delays and pending nominations may push the workshop to next quarter.",
        "off_track": "Activity postponed after the counterpart requested a change of scope.",
        "completed": "All deliverables completed and the final report shared with the administration.",
        "not_started": "Preparatory consultations only; implementation starts next quarter.",
    }
    now = timezone.now()
    reviews = []
    for period, activity, project in subjects:
        subject = activity if activity is not None else project
        rng = _seeded(period, subject.code, "review")
        region = subject.region
        office = activity.responsible_office if activity is not None else project.lead_office
        code = region.code if region is not None else ""
        submitter = users.get("dakar.editor") if office.code == "dakar" else None
        submitter = submitter or {"AFR": users.get("afr.editor"), "ASP": users.get("asp.editor")}.get(
            code, users.get("admin")
        )
        approver = users.get("afr.approver") if code == "AFR" else users.get("admin")
        status = "approved"
        own_editor = submitter != users.get("admin")
        if period.pk == latest.pk:
            status = rng.choices(*(LATEST_QUARTER_STATES if own_editor else LATEST_QUARTER_STATES_ADMIN))[0]
        elif previous is not None and period.pk == previous.pk:
            status = rng.choices(*PREVIOUS_QUARTER_STATES)[0]
            if not own_editor and status in ("submitted", "returned"):
                status = "approved"
        if status == "missing":
            continue
        rating = rng.choices(*RATINGS)[0]
        if (
            activity is not None
            and activity.status == Activity.Status.COMPLETED
            and (period.quarter == 4 or period.year < today.year)
        ):
            rating = "completed"
        elif activity is not None and activity.status == Activity.Status.PLANNED:
            rating = "not_started"
        submitted = _at(period.ends_on + dt.timedelta(days=rng.randint(5, 28)), now)
        decided = _at(submitted.date() + dt.timedelta(days=rng.randint(2, 12)), now)
        written = status != "draft"
        decision = status in ("approved", "returned")
        reviews.append(
            QuarterlyReview(
                period=period,
                activity=activity,
                project=project,
                region=region,
                office=office,
                status=status,
                rating=rating,
                progress=narratives[rating],
                risks="" if rating in ("on_track", "completed") else narratives["at_risk"],
                next_steps="Prepare the next quarter's deliverables with the national focal points.",
                submitted_by=submitter if written else None,
                submitted_at=submitted if written else None,
                decided_by=approver if decision else None,
                decided_at=decided if decision else None,
                return_comment="Please add the number of participants and attach the workshop report."
                if status == "returned"
                else "",
                created_by=submitter,
                updated_by=submitter,
            )
        )
    QuarterlyReview.objects.bulk_create(reviews, batch_size=500)


def load_later_years(*, today: dt.date) -> dict[int, int]:
    """The 2025 and 2026 plans with their indicators, reporting quarters and reviews; activities per year."""
    framework = Framework.objects.get(code="SP2024-2027")
    # The whole reporting calendar first: which quarter is the latest open one decides review states.
    periods = {year: _later_periods(year) for year in LATER_PLANS}
    counts = {}
    for year in LATER_PLANS:
        activities = _later_activities(framework, year, today)
        _later_indicator_values(framework, activities, year, today)
        _later_project_contributions(framework, year, today)
        _later_reviews(periods[year], activities, today)
        counts[year] = len(activities)
    return counts
