"""Demo posts for every office, with the report's measures as dated post actions, and recruitments.

Headquarters holds its whole establishment (several hundred posts in BDT, TSB, BR and the General
Secretariat, bulk-created), so that counts made against it (crisis-communications coverage) are
realistic. Names are invented. Running it twice changes nothing (posts are keyed by their number).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from presence.org.models import Office
from presence.staffing import services
from presence.staffing.models import Post, Recruitment, category_of

# The records `presence demo --scale N` copies N-1 times over (presence.core.scale), by model label.
# A post's stored periods are copied with it: each copy's post, actions and periods are a replica of
# the original's, in the copy's offices, so the copied periods are those `rebuild_periods` would write.
SCALED = (
    "staffing.Post",
    "staffing.PostAction",
    "staffing.PostPeriod",
    "staffing.Recruitment",
)
SEED = 20240901
FIRST = [
    "Amina",
    "Kwame",
    "Li",
    "Sofia",
    "Omar",
    "Elena",
    "Rahul",
    "Fatou",
    "Carlos",
    "Nadia",
    "Ivan",
    "Grace",
    "Tariq",
    "Mei",
    "Joao",
    "Aisha",
    "Pierre",
    "Olga",
    "Samuel",
    "Leila",
    "Daniel",
    "Priya",
    "Yusuf",
    "Marta",
]
LAST = [
    "Mensah",
    "Diallo",
    "Chen",
    "Silva",
    "Haddad",
    "Petrova",
    "Sharma",
    "Ndiaye",
    "Rojas",
    "Karim",
    "Smirnov",
    "Okafor",
    "Nasser",
    "Wong",
    "Pereira",
    "Bello",
    "Martin",
    "Ivanova",
    "Tesfaye",
    "Farah",
]

# (grade, title, sector, funding): the core establishment of a regional and of an area office.
REGIONAL = [
    ("D1", "Regional Director", "BDT", "regular"),
    ("P4", "Senior Programme Officer", "BDT", "regular"),
    ("P4", "Programme Officer, Digital Transformation", "BDT", "regular"),
    ("P3", "Programme Officer, Infrastructure", "BDT", "regular"),
    ("NO-B", "National Programme Officer", "BDT", "regular"),
    ("G6", "Administrative Assistant", "BDT", "regular"),  # upgraded to P2 in 2024 (see below)
    ("G5", "Finance Assistant", "BDT", "regular"),
    ("G5", "Programme Assistant", "BDT", "regular"),
    ("G4", "Office Assistant", "GS", "regular"),
    ("P3", "Project Officer", "BDT", "project"),
]
AREA = [
    ("P5", "Head of Area Office", "BDT", "regular"),
    ("P3", "Programme Officer", "BDT", "regular"),
    ("NO-A", "National Programme Officer", "BDT", "regular"),
    ("G6", "Programme Assistant", "BDT", "regular"),
    ("G4", "Administrative Assistant", "GS", "regular"),
]
HQ = [
    ("D2", "Deputy to the Director, BDT", "BDT", "regular"),
    ("D1", "Chief, Field Operations Coordination Department", "BDT", "regular"),
    *[("P4", "Field Operations Coordinator", "BDT", "regular")] * 4,
    *[("P3", "Programme Officer, Field Operations", "BDT", "regular")] * 6,
    *[("P2", "Associate Programme Officer", "BDT", "regular")] * 4,
    *[("G5", "Programme Assistant", "BDT", "regular")] * 6,
    ("P4", "Partnerships Officer", "BDT", "extra_budgetary"),
    ("P3", "Resource Mobilization Officer", "BDT", "extra_budgetary"),
]
# The rest of headquarters, unit by unit: (sector, unit, what its professionals are called, posts).
# Sizes are invented but of the right order: ITU has several hundred staff in Geneva.
HQ_UNITS = [
    ("BDT", "Office of the Director, BDT", "Programme Officer", 16),
    ("BDT", "Projects, Partnerships and Digital Skills Department", "Programme Officer", 48),
    ("BDT", "Digital Networks and Environment Department", "Programme Officer", 40),
    ("BDT", "Digital Knowledge Society Department", "Programme Officer", 36),
    ("TSB", "Office of the Director, TSB", "Programme Officer", 14),
    ("TSB", "Study Groups Department, TSB", "Study Group Counsellor", 52),
    ("TSB", "Standardization Policy Department", "Policy Officer", 30),
    ("BR", "Space Services Department", "Radiocommunication Engineer", 64),
    ("BR", "Terrestrial Services Department", "Radiocommunication Engineer", 56),
    ("BR", "Informatics, Administration and Publications Department", "Information Systems Officer", 38),
    ("BR", "Study Groups Department, BR", "Study Group Counsellor", 18),
    ("GS", "Office of the Secretary-General", "Programme Officer", 30),
    ("GS", "Strategic Planning and Membership Department", "Planning Officer", 28),
    ("GS", "Human Resources Management Department", "Human Resources Officer", 40),
    ("GS", "Financial Resources Management Department", "Finance Officer", 48),
    ("GS", "Information Services Department", "ICT Officer", 70),
    ("GS", "Conferences and Publications Department", "Conference Officer", 86),
    ("GS", "Legal Affairs Unit", "Legal Officer", 8),
    ("GS", "Security and Safety Unit", "Security Officer", 14),
]
# Share of each grade below the head of a unit (a typical UN secretariat profile).
GRADE_PROFILE = [
    ("P5", 0.05),
    ("P4", 0.15),
    ("P3", 0.20),
    ("P2", 0.10),
    ("G7", 0.03),
    ("G6", 0.13),
    ("G5", 0.17),
    ("G4", 0.12),
    ("G3", 0.05),
]
EXTRA_BUDGETARY_SHARE = {"BDT": 0.15, "TSB": 0.08, "BR": 0.12, "GS": 0.03}
HQ_FILLED_SHARE = 0.93
ESTABLISHED = dt.date(2015, 1, 1)
REORGANIZATION = dt.date(2024, 1, 1)
DEMO_TODAY = dt.date(2024, 9, 30)  # incumbents took up their posts by then
# The report's measures.
P5_LEADS = 3
PROJECT_MANAGERS = [
    ("addis-ababa", dt.date(2024, 3, 1)),
    ("bangkok", dt.date(2024, 4, 1)),
    ("brasilia", dt.date(2024, 5, 1)),
    ("cairo", dt.date(2024, 6, 1)),
]
TSB_DEPLOYMENTS = [
    ("addis-ababa", "P3"),
    ("dakar", "P3"),
    ("cairo", "P3"),
    ("bangkok", "P4"),
    ("new-delhi", "P3"),
]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _rng(key: str) -> random.Random:
    """A generator per record, so a record's invented values never depend on which others exist."""
    return random.Random(f"{SEED}:{key}")


def _post(
    actor: Any,
    number: str,
    office: Office,
    grade: str,
    title: str,
    sector: str,
    funding: str,
    *,
    created_on: dt.date,
    unit: str = "",
    filled_share: float = 0.85,
) -> Post | None:
    """Create the post unless it exists; None when it already did (nothing else is then done)."""
    if Post.objects.filter(number=number).exists():
        return None
    rng = _rng(number)
    filled = rng.random() < filled_share
    latest = max(30, min(900, (DEMO_TODAY - created_on).days))
    start = created_on + dt.timedelta(days=rng.randint(min(30, latest), latest))
    return services.post_create(
        actor=actor,
        number=number,
        title=title,
        office=office,
        unit=unit,
        category=category_of(grade),
        grade=grade,
        sector=sector,
        funding=funding,
        status=Post.Status.FILLED if filled else Post.Status.VACANT,
        incumbent=_name(rng) if filled else "",
        start_date=start if filled else None,
        created_on=created_on,
    )


def _unit_grades(size: int) -> list[str]:
    """The grades of a unit of `size` posts: its head, then the profile by largest remainder."""
    head = "D1" if size >= 25 else "P5"
    rest = size - 1
    exact = [(grade, share * rest) for grade, share in GRADE_PROFILE]
    counts = {grade: int(value) for grade, value in exact}
    by_remainder = sorted(exact, key=lambda item: item[1] - int(item[1]), reverse=True)
    for grade, _value in by_remainder[: rest - sum(counts.values())]:
        counts[grade] += 1
    return [head, *[grade for grade, _share in GRADE_PROFILE for _n in range(counts[grade])]]


def _title(grade: str, noun: str, unit: str) -> str:
    return {
        "D1": f"Chief, {unit}",
        "P5": "Head of Division",
        "P4": f"Senior {noun}",
        "P3": noun,
        "P2": f"Associate {noun}",
        "G7": "Senior Administrative Assistant",
        "G6": "Administrative Assistant",
        "G5": "Programme Assistant",
        "G4": "Clerk",
        "G3": "Office Assistant",
    }[grade]


def hq_establishment(geneva: Office) -> list[dict[str, Any]]:
    """The headquarters units' posts as rows for `post_bulk_create` (invented, seeded per post)."""
    rows = []
    numbers: dict[str, int] = {}
    for sector, unit, noun, size in HQ_UNITS:
        for grade in _unit_grades(size):
            numbers[sector] = numbers.get(sector, 0) + 1
            number = f"GEN-{sector}-{numbers[sector]:04d}"
            rng = _rng(number)
            filled = rng.random() < HQ_FILLED_SHARE
            extra = rng.random() < EXTRA_BUDGETARY_SHARE[sector]
            rows.append(
                {
                    "number": number,
                    "title": _title(grade, noun, unit),
                    "office": geneva,
                    "unit": unit,
                    "grade": grade,
                    "category": category_of(grade),
                    "sector": sector,
                    "funding": "extra_budgetary" if extra else "regular",
                    "status": Post.Status.FILLED if filled else Post.Status.VACANT,
                    "incumbent": _name(rng) if filled else "",
                    "start_date": ESTABLISHED
                    + dt.timedelta(days=rng.randint(30, (DEMO_TODAY - ESTABLISHED).days))
                    if filled
                    else None,
                }
            )
    return rows


def _recruit(actor: Any, post: Post, number: str, opened_on: dt.date, status: str) -> None:
    rng = _rng(number)
    dates: dict[str, Any] = {"opened_on": opened_on}
    if status in ("closed", "selected", "on_board"):
        dates["closed_on"] = opened_on + dt.timedelta(days=rng.choice([30, 45, 60]))
    if status in ("selected", "on_board"):
        dates["selected_on"] = dates["closed_on"] + dt.timedelta(days=rng.randint(40, 160))
    if status == "on_board":
        dates["on_board_on"] = dates["selected_on"] + dt.timedelta(days=rng.randint(30, 90))
    candidate = _name(rng) if status in ("selected", "on_board") else ""
    services.recruitment_create(
        actor=actor, vacancy_number=number, post=post, status=status, selected_candidate=candidate, **dates
    )


@transaction.atomic
def load(*, stdout: TextIO | None = None) -> None:
    actor = get_user_model().objects.filter(username="admin").first()
    offices = {office.code: office for office in Office.objects.select_related("region")}
    created = 0
    for code, office in sorted(offices.items()):
        if office.kind == Office.Kind.HEADQUARTERS:
            template = HQ
        elif office.kind == Office.Kind.REGIONAL:
            template = REGIONAL
        else:
            template = AREA
        prefix = code[:3].upper()
        for index, (grade, title, sector, funding) in enumerate(template, start=1):
            post = _post(
                actor,
                f"{prefix}-{index:03d}",
                office,
                grade,
                title,
                sector,
                funding,
                created_on=ESTABLISHED,
                unit="Field Operations Coordination Department"
                if office.kind == Office.Kind.HEADQUARTERS
                else "",
            )
            if post is None:
                continue
            created += 1
            if grade == "G6" and office.kind == Office.Kind.REGIONAL:
                # Upgrade of G6 posts to P2 in the regional offices (UN country team coordination).
                services.post_action_create(
                    actor=actor,
                    post=post,
                    kind="upgrade",
                    effective_on=REORGANIZATION,
                    to_grade="P2",
                    reference="BDT reorganization 2024",
                )
                post.refresh_from_db()
                if post.status == Post.Status.FILLED:
                    services.post_update(
                        actor=actor,
                        post=post,
                        expected_version=post.version,
                        title="Programme Officer, UN Country Team Coordination",
                    )
            if post.status == Post.Status.VACANT:
                rng = _rng(f"VA-{prefix}-{index:03d}")
                opened = dt.date(2024, rng.randint(1, 9), rng.randint(1, 28))
                _recruit(
                    actor,
                    post,
                    f"VA-{prefix}-{index:03d}",
                    opened,
                    rng.choice(["open", "closed", "selected"]),
                )
    geneva = offices["geneva"]
    for index in range(1, P5_LEADS + 1):
        post = _post(
            actor,
            f"GEN-P5-{index}",
            geneva,
            "P5",
            "Projects Implementation Support Lead",
            "BDT",
            "regular",
            created_on=REORGANIZATION,
            unit="Field Operations Coordination Department",
            filled_share=0.67,
        )
        if post is not None:
            created += 1
            if post.status == Post.Status.VACANT:
                _recruit(actor, post, f"VA-GEN-P5-{index}", dt.date(2024, 2, 15), "selected")
    for index, (code, moved_on) in enumerate(PROJECT_MANAGERS, start=1):
        # Project managers recruited at headquarters and located in the field.
        post = _post(
            actor,
            f"GEN-PM-{index}",
            geneva,
            "P4",
            "Project Manager",
            "BDT",
            "project",
            created_on=dt.date(2023, 6, 1),
            filled_share=1.0,
        )
        if post is not None:
            created += 1
            services.post_action_create(
                actor=actor,
                post=post,
                kind="relocation",
                effective_on=moved_on,
                to_office=offices[code],
                reference="Project managers in the field",
            )
    for index, (code, grade) in enumerate(TSB_DEPLOYMENTS, start=1):
        post = _post(
            actor,
            f"TSB-F-{index}",
            offices[code],
            grade,
            "Standardization Programme Officer",
            "TSB",
            "regular",
            created_on=dt.date(2024, 2, 1),
            filled_share=1.0,
        )
        created += post is not None
    # The rest of headquarters, in a few bulk queries; vacant posts get a recruitment each.
    establishment = hq_establishment(geneva)
    existing = set(
        Post.objects.filter(number__in=[row["number"] for row in establishment]).values_list(
            "number", flat=True
        )
    )
    new_posts = services.post_bulk_create(
        actor=actor,
        rows=[row for row in establishment if row["number"] not in existing],
        created_on=ESTABLISHED,
        reason="Demo data: headquarters establishment",
    )
    created += len(new_posts)
    for post in new_posts:
        if post.status == Post.Status.VACANT:
            rng = _rng(f"VA-{post.number}")
            opened = dt.date(2024, rng.randint(1, 9), rng.randint(1, 28))
            _recruit(actor, post, f"VA-{post.number}", opened, rng.choice(["open", "closed", "selected"]))
    # Completed recruitments of the current incumbents, so time-to-fill has a history.
    filled = Post.objects.filter(status=Post.Status.FILLED, start_date__isnull=False).order_by("number")[:25]
    for index, post in enumerate(filled, start=1):
        number = f"VA-DONE-{index:03d}"
        if Recruitment.objects.filter(vacancy_number=number).exists() or post.start_date is None:
            continue
        rng = _rng(number)
        selected = post.start_date - dt.timedelta(days=rng.randint(30, 90))
        closed = selected - dt.timedelta(days=rng.randint(40, 160))
        services.recruitment_create(
            actor=actor,
            vacancy_number=number,
            post=post,
            status="on_board",
            opened_on=closed - dt.timedelta(days=rng.choice([30, 45, 60])),
            closed_on=closed,
            selected_on=selected,
            on_board_on=post.start_date,
            selected_candidate=post.incumbent,
        )
    if stdout is not None and created:
        stdout.write(f"  staffing: {created} posts")
