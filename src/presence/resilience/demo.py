"""Demo records: templates, assessments in every state per office, findings, plans, installations, counts.

Idempotent: each record is looked up by its natural key first. Fixed random seed. Dates are set
relative to the day the demo is loaded so that due, overdue and expiring items always show.
The installation plan's remaining estimate totals the report's 195 staff workdays and the
crisis-comms counts total 750 registered staff (CWG-FHR 2024 report, section 5).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from presence.org.models import Office
from presence.resilience import services
from presence.resilience.models import (
    Assessment,
    AssessmentKind,
    AssessmentTemplate,
    CrisisCommsRegistration,
    Finding,
    Installation,
    PlanningDocument,
    RequirementResult,
)

# code, category, weight, requirement text
# The records `presence demo --scale N` copies N-1 times over (presence.core.scale), by model label.
SCALED = (
    "resilience.Assessment",
    "resilience.RequirementResult",
    "resilience.Finding",
    "resilience.RemediationAction",
    "resilience.PlanningDocument",
    "resilience.Installation",
    "resilience.CrisisCommsRegistration",
)
TEMPLATES: dict[str, tuple[str, str, list[tuple[str, str, str, str]]]] = {
    AssessmentKind.SRM: (
        "Physical security and SRM compliance",
        "Compliance of the premises with the security risk management measures approved for the location.",
        [
            (
                "SRM-01",
                "Perimeter",
                "3",
                "Access to the premises is controlled at a single staffed or badge-controlled entry.",
            ),
            (
                "SRM-02",
                "Perimeter",
                "2",
                "Doors and windows on accessible floors are reinforced and lockable.",
            ),
            (
                "SRM-03",
                "Monitoring",
                "3",
                "Intrusion detection and CCTV cover entries and are monitored 24/7 from HQ.",
            ),
            ("SRM-04", "Monitoring", "1", "Visitor log is kept and reviewed monthly."),
            (
                "SRM-05",
                "Safety",
                "2",
                "Fire detection, extinguishers and evacuation routes are in place and tested yearly.",
            ),
            ("SRM-06", "Safety", "2", "A safe room or shelter-in-place area is identified and equipped."),
            (
                "SRM-07",
                "Communications",
                "2",
                "Emergency communications (radio or satellite phone) are available and tested.",
            ),
            ("SRM-08", "Governance", "1", "The office's security focal point is appointed and trained."),
        ],
    ),
    AssessmentKind.BCP: (
        "Business continuity plan review",
        "Review of the business continuity plan against its risk assessment and business impact analysis.",
        [
            (
                "BCP-01",
                "Analysis",
                "3",
                "A business impact analysis lists critical functions with recovery time objectives.",
            ),
            ("BCP-02", "Analysis", "2", "The plan is based on a current risk assessment of the location."),
            (
                "BCP-03",
                "Arrangements",
                "3",
                "Alternate work arrangements (remote work, alternate site) are defined.",
            ),
            (
                "BCP-04",
                "Arrangements",
                "2",
                "Critical records and systems can be reached from outside the office.",
            ),
            ("BCP-05", "Exercise", "2", "The plan was exercised in the last 12 months and lessons recorded."),
            ("BCP-06", "Governance", "1", "Plan owner and deputies are named and know their roles."),
        ],
    ),
    AssessmentKind.CMP: (
        "Crisis management plan review",
        "Review of the crisis management arrangements of the Organizational Resilience Management System.",
        [
            (
                "CMP-01",
                "Team",
                "3",
                "A crisis management team with alternates is named and contactable 24/7.",
            ),
            ("CMP-02", "Procedures", "2", "Activation criteria and escalation to HQ are written and known."),
            (
                "CMP-03",
                "Communication",
                "2",
                "Staff can be reached through the crisis communications system.",
            ),
            (
                "CMP-04",
                "Support",
                "1",
                "Arrangements for support to staff, survivors and families are documented.",
            ),
            (
                "CMP-05",
                "Medical",
                "2",
                "Medical emergency response contacts and evacuation options are current.",
            ),
            ("CMP-06", "Exercise", "2", "A crisis simulation was held in the last 24 months."),
        ],
    ),
    AssessmentKind.ICT: (
        "ICT infrastructure audit",
        "Audit of the office network, equipment and disaster recovery against the HQ baseline.",
        [
            (
                "ICT-01",
                "Network",
                "3",
                "Office network is segmented and managed through the HQ configuration baseline.",
            ),
            ("ICT-02", "Network", "2", "Internet connectivity has a second, independent link."),
            ("ICT-03", "Equipment", "2", "Equipment is inventoried, supported and within its lifecycle."),
            ("ICT-04", "Power", "2", "Critical equipment is on UPS with tested runtime."),
            (
                "ICT-05",
                "Recovery",
                "3",
                "An ICT disaster recovery plan exists and backups are restored in tests.",
            ),
            ("ICT-06", "Physical", "1", "Network and server equipment is in a locked, ventilated room."),
        ],
    ),
    AssessmentKind.CYBER: (
        "Cybersecurity audit",
        "Audit of the office's cybersecurity controls against the information security standards.",
        [
            ("CYB-01", "Identity", "3", "Multi-factor authentication is enforced for every account."),
            (
                "CYB-02",
                "Endpoints",
                "3",
                "Endpoints run managed protection and receive patches within 30 days.",
            ),
            (
                "CYB-03",
                "Network",
                "2",
                "Wireless networks are separated for guests and use enterprise authentication.",
            ),
            (
                "CYB-04",
                "Awareness",
                "1",
                "Staff completed security awareness training in the last 12 months.",
            ),
            (
                "CYB-05",
                "Logging",
                "2",
                "Security events from office devices reach the central monitoring service.",
            ),
            (
                "CYB-06",
                "Data",
                "2",
                "Removable media and local file shares follow the data classification rules.",
            ),
        ],
    ),
}

FINDING_TITLES = {
    "SRM": "Gap against approved SRM measure",
    "BCP": "Continuity arrangement incomplete",
    "CMP": "Crisis arrangement not current",
    "ICT": "Infrastructure weakness",
    "CYB": "Cybersecurity control missing",
}

# Installations: completed at HQ and in the first three offices (report: New Delhi Dec 2023, then Addis
# Ababa and Cairo); three more under way; the rest planned. Open estimates total 195 staff workdays.
COMPLETED = {"geneva": 20, "new-delhi": 22, "addis-ababa": 24, "cairo": 23}
UNDER_WAY = {"dakar": ("24", "6"), "bangkok": ("24", "6"), "brasilia": ("24", "6")}  # estimate, spent so far
PLANNED = {
    "harare": 20,
    "yaounde": 20,
    "bridgetown": 21,
    "santiago": 20,
    "tegucigalpa": 20,
    "jakarta": 20,
    "moscow": 20,
}
# Crisis-comms registrations on the latest count (total 750, report section 5) and the staff in the
# office (entered as the fallback; equal to the staffing demo's filled posts). No office registers
# more than its staff; Harare, Moscow and Yaounde stay under the 80 % threshold so the flag shows.
REGISTRATIONS = {
    "geneva": (670, 704),
    "addis-ababa": (9, 9),
    "dakar": (5, 5),
    "harare": (3, 5),
    "yaounde": (2, 3),
    "brasilia": (8, 9),
    "bridgetown": (5, 5),
    "santiago": (5, 5),
    "tegucigalpa": (4, 5),
    "cairo": (11, 12),
    "bangkok": (11, 12),
    "jakarta": (4, 5),
    "new-delhi": (6, 6),
    "moscow": (7, 9),
}


def _month(today: dt.date, months: int, day: int = 1) -> dt.date:
    total = today.year * 12 + today.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, day)


def _templates(actor: Any) -> dict[str, AssessmentTemplate]:
    result = {}
    for kind, (name, description, requirements) in TEMPLATES.items():
        template = AssessmentTemplate.objects.filter(kind=kind, edition=1).first()
        if template is None:
            template = services.template_create(
                actor=actor, kind=kind, name=name, edition=1, description=description, is_current=True
            )
            for order, (code, category, weight, text) in enumerate(requirements, start=1):
                services.requirement_create(
                    actor=actor,
                    template=template,
                    code=code,
                    category=category,
                    weight=Decimal(weight),
                    text=text,
                    sort_order=order,
                )
        result[kind] = template
    return result


def _assess(
    *,
    actor: Any,
    owner: Any,
    office: Office,
    template: AssessmentTemplate,
    start: dt.date,
    state: str,
    rng: random.Random,
    quality: float,
    today: dt.date,
) -> None:
    if Assessment.objects.filter(office=office, template=template, planned_start=start).exists():
        return
    assessment = services.assessment_create(
        actor=actor,
        office=office,
        template=template,
        planned_start=start,
        planned_end=start + dt.timedelta(days=4),
        assessors="ORMS Unit Coordinator; ICT Security team",
    )
    if state == Assessment.Status.PLANNED:
        return
    assessment = services.assessment_transition(
        actor=actor, assessment=assessment, to=Assessment.Status.IN_PROGRESS, expected_version=None, on=start
    )
    requirements = list(template.requirements.all())
    if state == Assessment.Status.IN_PROGRESS:
        requirements = requirements[: len(requirements) // 2]
    results: list[tuple[Any, str, str]] = []
    findings: list[tuple[dict[str, Any], dt.date | None]] = []
    for requirement in requirements:
        roll = rng.random()
        if roll < 0.06:
            result = RequirementResult.Result.NOT_APPLICABLE
        elif roll < quality:
            result = RequirementResult.Result.COMPLIANT
        elif roll < quality + (1 - quality) / 2:
            result = RequirementResult.Result.PARTIAL
        else:
            result = RequirementResult.Result.NON_COMPLIANT
        observation = {
            RequirementResult.Result.COMPLIANT: "Verified on site.",
            RequirementResult.Result.PARTIAL: "In place but incomplete; see finding.",
            RequirementResult.Result.NON_COMPLIANT: "Not in place at the time of the visit.",
            RequirementResult.Result.NOT_APPLICABLE: "Does not apply to these premises.",
        }[result]
        results.append((requirement, result, observation))
        if result in (RequirementResult.Result.PARTIAL, RequirementResult.Result.NON_COMPLIANT):
            likelihood = rng.randint(1, 5)
            impact = (
                rng.randint(2, 5) if result == RequirementResult.Result.NON_COMPLIANT else rng.randint(1, 4)
            )
            finding_data: dict[str, Any] = {
                "requirement": requirement,
                "title": f"{FINDING_TITLES[requirement.code[:3]]}: {requirement.code} at {office.city}",
                "details": f"{requirement.text} Observed: {observation}",
                "likelihood": likelihood,
                "impact": impact,
                "treatment": rng.choice(
                    [Finding.Treatment.CONTROL] * 4 + [Finding.Treatment.ACCEPT, Finding.Treatment.TRANSFER]
                ),
                "due_on": today + dt.timedelta(days=rng.randint(-90, 150)),
            }
            action_due = (
                today + dt.timedelta(days=rng.randint(-60, 120))
                if finding_data["treatment"] != Finding.Treatment.ACCEPT
                else None
            )
            findings.append((finding_data, action_due))
    # Results in bulk (the slow part of the demo when recorded one by one), then findings and actions.
    services.results_record_many(actor=actor, assessment=assessment, results=results)
    for data, action_due in findings:
        finding = services.finding_create(actor=actor, assessment=assessment, owner=owner, **data)
        if action_due is not None:
            services.action_create(
                actor=actor,
                finding=finding,
                description=f"Bring {data['requirement'].code} into compliance at {office.city}.",
                owner=owner,
                due_on=action_due,
            )
    if state in Assessment.LOCKED:
        assessment = services.assessment_transition(
            actor=actor,
            assessment=assessment,
            to=Assessment.Status.COMPLETED,
            expected_version=None,
            on=start + dt.timedelta(days=4),
        )
    if state == Assessment.Status.ARCHIVED:
        services.assessment_transition(
            actor=actor, assessment=assessment, to=Assessment.Status.ARCHIVED, expected_version=None
        )


@transaction.atomic
def load(*, stdout: TextIO | None = None) -> None:
    users = get_user_model().objects
    actor = users.filter(username="admin").first() or users.filter(is_superuser=True).first()
    if actor is None:
        return
    owner = users.filter(username="security").first() or actor
    rng = random.Random(2024)  # fixed seed: the same demo every time
    today = timezone.localdate()
    templates = _templates(actor)
    offices = list(Office.objects.select_related("region").order_by("code"))
    cyber_done = {"addis-ababa"}
    ict_done = {"new-delhi", "addis-ababa", "cairo", "geneva"}
    for n, office in enumerate(offices):
        quality = 0.55 + (n % 5) * 0.08
        # Security assessment missions of 2016-17 (archived), reviewed in 2022-23 (completed).
        _assess(
            actor=actor,
            owner=owner,
            office=office,
            template=templates[AssessmentKind.SRM],
            start=dt.date(2017, 3 + n % 9, 6),
            state=Assessment.Status.ARCHIVED,
            rng=rng,
            quality=quality - 0.15,
            today=today,
        )
        _assess(
            actor=actor,
            owner=owner,
            office=office,
            template=templates[AssessmentKind.SRM],
            start=dt.date(2022, 2 + n % 10, 7),
            state=Assessment.Status.COMPLETED,
            rng=rng,
            quality=quality,
            today=today,
        )
        bc_state = Assessment.Status.COMPLETED if n % 4 else Assessment.Status.IN_PROGRESS
        _assess(
            actor=actor,
            owner=owner,
            office=office,
            template=templates[AssessmentKind.BCP],
            start=dt.date(2022, 3 + n % 9, 14),
            state=bc_state,
            rng=rng,
            quality=quality,
            today=today,
        )
        _assess(
            actor=actor,
            owner=owner,
            office=office,
            template=templates[AssessmentKind.CMP],
            start=dt.date(2022, 3 + n % 9, 15),
            state=Assessment.Status.COMPLETED,
            rng=rng,
            quality=quality,
            today=today,
        )
        ict_state = (
            Assessment.Status.COMPLETED
            if office.code in ict_done
            else (Assessment.Status.IN_PROGRESS if office.code in UNDER_WAY else Assessment.Status.PLANNED)
        )
        ict_start = (
            dt.date(2023, 12, 4)
            if office.code == "new-delhi"
            else (
                dt.date(2024, 2 + n % 6, 5)
                if ict_state == Assessment.Status.COMPLETED
                else _month(today, 1 + n % 8, 5)
            )
        )
        if ict_state == Assessment.Status.IN_PROGRESS:
            ict_start = _month(today, -1, 3)
        _assess(
            actor=actor,
            owner=owner,
            office=office,
            template=templates[AssessmentKind.ICT],
            start=ict_start,
            state=ict_state,
            rng=rng,
            quality=quality,
            today=today,
        )
        cyber_state = Assessment.Status.COMPLETED if office.code in cyber_done else Assessment.Status.PLANNED
        cyber_start = dt.date(2024, 9, 2) if office.code in cyber_done else _month(today, 2 + n % 10, 8)
        _assess(
            actor=actor,
            owner=owner,
            office=office,
            template=templates[AssessmentKind.CYBER],
            start=cyber_start,
            state=cyber_state,
            rng=rng,
            quality=quality,
            today=today,
        )
        _plans(actor=actor, office=office, n=n, today=today)
        _installation(actor=actor, office=office, n=n, today=today)
        _registration(actor=actor, office=office, today=today)
    if stdout is not None:
        stdout.write(
            f"  resilience: {Assessment.objects.count()} assessments, {Finding.objects.count()} findings, "
            f"{Installation.objects.count()} installations, {CrisisCommsRegistration.objects.count()} counts"
        )


# Who looks after an office's current plans (reminded before the review); elsewhere nobody is named,
# so the global security focal points are reminded.
PLAN_OWNERS = {"dakar": "dakar.editor"}
PLAN_OWNERS_BY_REGION = {"AFR": "afr.editor", "ASP": "asp.editor"}


def _plan_owner(office: Office) -> Any:
    username = PLAN_OWNERS.get(office.code) or PLAN_OWNERS_BY_REGION.get(
        office.region.code if office.region else ""
    )
    return get_user_model().objects.filter(username=username).first() if username else None


def _plans(*, actor: Any, office: Office, n: int, today: dt.date) -> None:
    owner = _plan_owner(office)
    for k, kind in enumerate(PlanningDocument.Kind.values):
        if PlanningDocument.objects.filter(office=office, kind=kind).exists():
            continue
        if kind == PlanningDocument.Kind.ICT_DR and n % 5 == 4:
            continue  # a few offices still lack their ICT disaster recovery plan
        approved = dt.date(2022, 1 + (n + k) % 12, 10)
        services.plan_create(
            actor=actor,
            office=office,
            kind=kind,
            edition="1.0",
            approved_on=approved,
            next_review_on=approved + dt.timedelta(days=730),
        )
        # The current version: review dates spread from overdue to well ahead.
        reviewed = today - dt.timedelta(days=300 + 20 * n + 7 * k)
        services.plan_create(
            actor=actor,
            office=office,
            kind=kind,
            edition="2.0",
            approved_on=reviewed,
            next_review_on=reviewed + dt.timedelta(days=365 + 30 * ((n + k) % 4)),
            owner=owner,
        )


def _installation(*, actor: Any, office: Office, n: int, today: dt.date) -> None:
    if Installation.objects.filter(office=office).exists():
        return
    if office.code in COMPLETED:
        start = dt.date(2023, 12, 4) if office.code == "new-delhi" else dt.date(2024, 3 + 2 * n % 6, 4)
        services.installation_create(
            actor=actor,
            office=office,
            status=Installation.Status.COMPLETED,
            planned_start=start,
            planned_end=start + dt.timedelta(days=25),
            actual_start=start,
            actual_end=start + dt.timedelta(days=27),
            estimated_workdays=Decimal(COMPLETED[office.code]),
            actual_workdays=Decimal(COMPLETED[office.code] + 2),
        )
    elif office.code in UNDER_WAY:
        estimate, spent = UNDER_WAY[office.code]
        start = _month(today, -1, 10)
        services.installation_create(
            actor=actor,
            office=office,
            status=Installation.Status.IN_PROGRESS,
            planned_start=start,
            planned_end=_month(today, 1, 20),
            actual_start=start,
            estimated_workdays=Decimal(estimate),
            actual_workdays=Decimal(spent),
        )
    elif office.code in PLANNED:
        start = _month(today, 2 + n % 9, 1)
        services.installation_create(
            actor=actor,
            office=office,
            status=Installation.Status.PLANNED,
            planned_start=start,
            planned_end=start + dt.timedelta(days=40),
            estimated_workdays=Decimal(PLANNED[office.code]),
        )


def _registration(*, actor: Any, office: Office, today: dt.date) -> None:
    registered, staff = REGISTRATIONS.get(office.code, (0, 0))
    if not staff or CrisisCommsRegistration.objects.filter(office=office).exists():
        return
    services.registration_create(
        actor=actor,
        office=office,
        counted_on=_month(today, -4, 1),
        registered=registered - max(registered // 10, 1),
        staff_in_office=staff,
    )
    services.registration_create(
        actor=actor,
        office=office,
        counted_on=_month(today, -1, 1),
        registered=registered,
        staff_in_office=staff,
    )
