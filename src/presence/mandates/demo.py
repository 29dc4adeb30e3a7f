"""Demo requests: what the governing bodies asked about regional presence, as recalled in the 2024
report to the Council Working Group on financial and human resources, each with its evidence measure
where the system holds the records."""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from presence.core.services import tracked_create
from presence.mandates.models import Evidence, Mandate

# Requests sit in no office, so `presence demo --scale N` copies none.
SCALED: tuple[str, ...] = ()

C24_79 = "https://www.itu.int/md/S24-CL-C-0079/en"
C24_98 = "https://www.itu.int/md/S24-CL-C-0098/en"
# The proposals put forward at Council-24's first plenary meeting (Documents C24/79 and C24/98).
COUNCIL_24: dict[str, Any] = {
    "body": Mandate.Body.COUNCIL,
    "session": "C24",
    "year": 2024,
    "reference": "C24/79, C24/98",
    "url": C24_79,
    "kind": Mandate.Kind.PROPOSAL,
}

REQUESTS: list[dict[str, Any]] = [
    {
        "body": Mandate.Body.COUNCIL,
        "session": "C16",
        "year": 2016,
        "reference": "Council 2016",
        "kind": Mandate.Kind.REQUEST,
        "text": "Undertake physical Security Audit Missions (SAMs) at ITU field offices to ensure ITU's duty "
        "of care, through compliance with the UN country security risk mitigation measures (SRM).",
        "owner_unit": "ORMS Unit",
        "owner": "security",
        "status": Mandate.Status.IN_PROGRESS,
        "evidence": Evidence.SRM_ASSESSMENT,
        "assessment": Mandate.Assessment.ON_TRACK,
        "comment": "The 2016-17 SAM compliance reports were reviewed and updated during the 2022 visits.",
        "published": True,
    },
    {
        "body": Mandate.Body.COUNCIL,
        "session": "C17",
        "year": 2017,
        "reference": "Council 2017",
        "kind": Mandate.Kind.DECISION,
        "text": "Approve the Organizational Resilience Management System (ORMS) project: a risk-based "
        "business continuity and crisis management response for ITU global operations.",
        "owner_unit": "ORMS Unit",
        "owner": "security",
        "status": Mandate.Status.IMPLEMENTED,
        "assessment": Mandate.Assessment.DONE,
        "comment": "ORMS established in compliance with UN policies and procedures.",
        "published": True,
    },
    {
        "body": Mandate.Body.COUNCIL,
        "session": "C22",
        "year": 2022,
        "reference": "Council 2022",
        "kind": Mandate.Kind.REQUEST,
        "text": "Visit all regional, area and liaison offices to ensure that business continuity (BC) and "
        "crisis management (CM) plans are prepared.",
        "owner_unit": "ORMS Unit",
        "owner": "security",
        "status": Mandate.Status.IN_PROGRESS,
        "evidence": Evidence.BC_CM_PLANS,
        "assessment": Mandate.Assessment.AT_RISK,
        "comment": "Plans exist for every office; several are due for review.",
        "published": True,
    },
    {
        "body": Mandate.Body.COUNCIL,
        "session": "C23",
        "year": 2023,
        "reference": "Council 2023",
        "kind": Mandate.Kind.REQUEST,
        "text": "Implement ICT infrastructure and cybersecurity audits at each field office, to determine "
        "risks and recommend mitigation measures giving the same protection as at headquarters.",
        "owner_unit": "ORMS Unit with the Information Services Department",
        "owner": "security",
        "due_on": dt.date(2025, 12, 31),
        "status": Mandate.Status.IN_PROGRESS,
        "evidence": Evidence.ICT_CYBER_AUDIT,
        "assessment": Mandate.Assessment.ON_TRACK,
        "comment": "Three more offices planned in 2024, the remaining regional and area offices in 2025 "
        "(about 195 staff workdays).",
        "published": True,
    },
    {
        **COUNCIL_24,
        "text": "Improve recruitment processes and tools in the regional and area offices.",
        "owner_unit": "Human Resources Management Department",
        "status": Mandate.Status.IN_PROGRESS,
        "evidence": Evidence.RECRUITMENTS_IN_TIME,
        "evidence_year": 2024,
        "assessment": Mandate.Assessment.AT_RISK,
        "comment": "Details to follow in the report of the transformation initiative.",
        "published": True,
    },
    {
        **COUNCIL_24,
        "url": C24_98,
        "text": "Strengthen project management expertise in the regional offices.",
        "owner_unit": "BDT Field Operations Coordination Department",
        "status": Mandate.Status.IN_PROGRESS,
        "assessment": Mandate.Assessment.ON_TRACK,
        "comment": "Three P5 Projects Implementation Support Lead posts created; project managers located "
        "in the field.",
        "published": True,
    },
    {
        **COUNCIL_24,
        "text": "Align the activities of the regional and area offices explicitly with the goals and "
        "priorities of the ITU Strategic Plan and the WTDC Action Plan, its framework and KPIs.",
        "owner_unit": "BDT Field Operations Coordination Department",
        "status": Mandate.Status.IN_PROGRESS,
        "evidence": Evidence.ACTIVITIES_ALIGNED,
        "evidence_year": 2024,
        "assessment": Mandate.Assessment.ON_TRACK,
        "published": True,
    },
    {
        **COUNCIL_24,
        "text": "Report financial information on projects in a timely manner.",
        "owner_unit": "BDT Projects, Partnerships and Digital Skills Department",
        "status": Mandate.Status.IN_PROGRESS,
        "evidence": Evidence.REPORTS_ON_TIME,
        "evidence_year": 2024,
        "assessment": Mandate.Assessment.AT_RISK,
        "published": True,
    },
    {
        **COUNCIL_24,
        "text": "Prepare guidelines for wider cooperation between ITU and countries, to strengthen "
        "cooperation and attract voluntary contributions for project planning and implementation.",
        "owner_unit": "BDT Projects, Partnerships and Digital Skills Department",
        "status": Mandate.Status.OPEN,
        "comment": "Draft guidelines under internal review; not yet published.",
        "published": False,
    },
]


@transaction.atomic
def load(*, stdout: TextIO | None = None) -> None:
    """Create the demo requests once (running it again changes nothing)."""
    if Mandate.objects.exists():
        return
    users = {user.username: user for user in get_user_model().objects.filter(username__in={"security"})}
    for request in REQUESTS:
        data = dict(request)
        data["owner"] = users.get(data.get("owner", ""))
        tracked_create(model=Mandate, actor=None, data=data)
    if stdout is not None:
        stdout.write(f"  {len(REQUESTS)} governing-body requests")
