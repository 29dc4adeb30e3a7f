# ruff: noqa: E501, RUF001 - the demo text keeps the source report's paragraphs on one line each (and its typography)
"""The 2024 report on regional presence to the Council Working Group on financial and human resources,
rebuilt from records: the source report's structure and words, with every figure the system holds
written as a live field. Version 1 (English) is approved, so its figures are frozen; version 2 is a
later draft with the dashboard section brought up to date; the French version 1 is a draft with its own
text (being translated) and the same figures, written in French number formats. Two HQ users write and approve it (nobody
approves their own). Running it twice changes nothing (the document is keyed by its number).

The document number is a placeholder ("CWG-FHR-20/xx"); the source text does not give it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from presence.council import services
from presence.council.models import CouncilDocument, DocumentVersion
from presence.org.demo import DEMO_PASSWORD
from presence.org.models import Office, Role, RoleAssignment

SCALED: tuple[str, ...] = ()  # one Council document, not copied by `presence demo --scale`
NUMBER = "CWG-FHR-20/xx"
USERS = [
    ("hq.editor", "Nadia", "Writer", Role.EDITOR),
    ("hq.approver", "Omar", "Approver", Role.APPROVER),
]

PURPOSE = (
    "This document reports on the measures undertaken by the secretariat in the effort to strengthen ITU’s "
    "regional presence, in alignment with ITU Strategic Plan as well as the Kigali Action Plan."
)
ACTION = "The Council Working Group on financial and human resources is invited to note this report."
REFERENCES = """Resolution 25 (Rev. Bucharest, 2022) of the Plenipotentiary Conference | https://www.itu.int/en/council/Documents/basic-texts/RES-025-E.pdf
Council Documents C24/79, C24/98 and C24/25 | https://www.itu.int/md/S24-CL-C/en
Documents TDAG-24/7(Rev.1) and TDAG-24/12 | https://www.itu.int/md/D22-TDAG31-C/en"""

FORUM_PERIOD = "from=2023-01-01 to=2024-06-30"
MEASURE_PERIOD = "from=2023-01-01 to=2024-12-31"

BODY = f"""The International Telecommunication Union (ITU) has been actively working to enhance its regional presence, aiming to strengthen the delivery of support through projects and other operational plan activities to Member States in a timely, effective, and impactful manner. The regional offices play a crucial role in this context, serving as the frontline for ITU’s engagement with local stakeholders and governments. Here are some key examples of the positive impact resulting with measures taken to strengthen regional presence in 2023 and 2024 (Document TDAG-24/2 provides detailed information):

# Membership engagement and implementation of projects and operational plans

- Regional development forums: In 2023 and early 2024, ITU conducted {{{{forums {FORUM_PERIOD} words=yes}}}} regional Development Forums which attracted over {{{{forum_participants {FORUM_PERIOD} floor=100}}}} stakeholders globally. These forums focus on implementing regional projects aligned with global ICT development goals, such as the Kigali Action Plan which supports digital development in alignment with the UN 2030 Agenda.

- Field office coordination: ITU’s Regional and Area Offices have been coordinating the implementation of operational plans within their respective regions, based on the ITU-D priority topics adopted at WTDC-22 and regional initiatives.

- Stakeholder engagement: Through its regional offices, ITU actively engages with various stakeholders, including governments, private sector entities, and non-governmental organizations ({{{{stakeholders {FORUM_PERIOD}}}}} engagements recorded in the period). Such engagement also serves as a platform to discuss voluntary contributions and partnerships.

- On-going projects: During 2023, BDT implemented {{{{projects_ongoing year=2023 words=yes}}}} projects globally, valued at CHF {{{{projects_value year=2023}}}} million. Table 1 presents the overall distribution of this portfolio by region and the overview of (1) the funds mobilized to support the implementation of these projects, (2) the seed funding allocated by ITU from either the ICT Development Fund (ICT-DF), or other ITU Funds to support the implementation of WTDC-17 and WTDC-22 Regional Initiatives (RIs)[^Document TDAG-24/7(Rev.1) on ITU-D Projects.].

[[table1 year=2023]]

[[chart key=funding year=2023]]

- ITU-D Operational Plan[^Document TDAG-24/12 on ITU-D Operational Plan 2024.] is aligned with the structure of the strategic plan for the Union for 2024-2027. Currently, a total of {{{{activities year=2024 words=yes}}}} ({{{{activities year=2024}}}}) activities are being deployed globally and across regions.

[[forums {FORUM_PERIOD}]]

# Implementation of discussions at Council-24 on Strengthening Regional Presence

Council 2024 discussed Documents C24/79 and C24/98, containing a series of proposals to be undertaken with a view of strengthening ITU’s Regional Presence.

* Strengthening Human Resources at Area and Regional Offices: the secretariat has undertaken measures including the upgrading of {{{{posts_upgraded_g6_p2 {MEASURE_PERIOD}}}}} general service posts to P2 level and the creation of “project implementation support lead” posts. As a pilot, {{{{tsb_field_staff {MEASURE_PERIOD} words=yes}}}} staff funded by TSB have been deployed to the Africa, Arab States and Asia Pacific regional offices.

* Budget allocation – Projects and Operational Plans: the allocation of the operational plan budget was established following a straight-line method, treating all regions the same (see Document TDAG-24/12).

# Ongoing review of ITU’s Regional Presence

* The recent BDT structural realignment includes the creation of {{{{p5_posts_created {MEASURE_PERIOD} words=yes}}}} P5 posts (Projects Implementation Support Leads), within the Field Operations Coordination Department, to support project managers in regional offices.

* The new organization structure also includes the upgrade of G6 posts to P2 in regional offices. Further, {{{{tsb_field_staff {MEASURE_PERIOD} words=yes}}}} staff funded by TSB have been deployed to the Africa, Arab States and Asia Pacific regional offices.

[[staffing_measures {MEASURE_PERIOD}]]

# The Regional Presence dashboard

The Regional Presence Dashboard is currently under review and should be ready before the Council Working Group on financial and human resources in October.

# Implementation of a risk-based business continuity & crisis management response for ITU global operations, at Headquarters and its field offices

- The first ICT infrastructure audits and equipment installations of the new standardized technology were done in the New Delhi Area Office, and in 2024 in the Regional Offices in Ethiopia and Egypt. The remaining regional and area offices are to be attended to in 2025 (this plan is estimated to contain about {{{{installations_remaining_workdays round=5}}}} staff workdays to complete).

[[installations]]

[[resilience_status]]

- Lastly, ITU has an Interagency Cooperation Agreement with the International Organization for Migration (IOM) to deploy a Crisis Communications System, known as SCAAN. Currently, approximately {{{{crisis_comms_registered round=10}}}} ITU staff are registered users of SCAAN who use the application globally.

[[coverage]]

The Council Working Group on financial and human resources is invited to note this report.
"""

DASHBOARD_BEFORE = (
    "The Regional Presence Dashboard is currently under review and should be ready before the Council "
    "Working Group on financial and human resources in October."
)
DASHBOARD_AFTER = (
    "The Regional Presence Dashboard is in service: every figure of this document is computed from its "
    "records and links to them. It showed {{projects_ongoing year=2024}} projects on-going in 2024."
)

DASHBOARD_CHART = "[[chart key=trend year=2024]]"

# The French version has its own text and status (a draft, being translated); the figures are the same.
TITLE_FR = "Rapport sur la mise en œuvre des mesures visant à renforcer la présence régionale de l’UIT"
PURPOSE_FR = (
    "Le présent document rend compte des mesures prises par le secrétariat pour renforcer la présence "
    "régionale de l’UIT, conformément au Plan stratégique de l’UIT et au Plan d’action de Kigali."
)
ACTION_FR = "Le Groupe de travail du Conseil sur les ressources financières et humaines est invité à prendre note du présent rapport."
BODY_FR = f"""# Engagement des membres et mise en œuvre des projets et des plans opérationnels

- Forums régionaux de développement : en 2023 et au début de 2024, l’UIT a organisé {{{{forums {FORUM_PERIOD}}}}} forums régionaux de développement, qui ont réuni plus de {{{{forum_participants {FORUM_PERIOD} floor=100}}}} parties prenantes.

- Projets en cours : en 2023, le BDT a mis en œuvre {{{{projects_ongoing year=2023}}}} projets, d’une valeur de {{{{projects_value year=2023}}}} millions de CHF. Le Tableau 1 présente la répartition de ce portefeuille par région.

[[table1 year=2023]]
"""


def _user(username: str, first: str, last: str, role: str, office: Office) -> Any:
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    RoleAssignment.objects.get_or_create(user=user, role=role, region=None, office=office)
    RoleAssignment.objects.get_or_create(user=user, role=Role.VIEWER, region=None, office=None)
    return user


@transaction.atomic
def load(*, stdout: Any = None) -> None:
    hq = services.headquarters()
    if hq is None or CouncilDocument.objects.filter(number=NUMBER).exists():
        return
    editor, approver = (_user(u, f, last, r, hq) for u, f, last, r in USERS)
    document = services.document_create(
        actor=editor,
        governing_body="Council Working Group on financial and human resources",
        session="Twentieth meeting, Geneva, 2024",
        number=NUMBER,
        title="Report on the implementation of measures to strengthen ITU’s regional presence",
        year_from=2023,
        year_to=2024,
        languages="en,fr",
        office=hq,
    )
    first = services.version_create(
        actor=editor,
        document=document,
        language="en",
        date=dt.date(2024, 9, 2),
        purpose=PURPOSE,
        action_required=ACTION,
        references=REFERENCES,
        body=BODY,
        note="As sent to the working group.",
    )
    first = services.version_submit(actor=editor, version=first, expected_version=first.version)
    services.version_approve(actor=approver, version=first, expected_version=first.version)
    draft = services.version_create(actor=editor, document=document, language="en")
    services.version_update(
        actor=editor,
        version=draft,
        expected_version=draft.version,
        date=dt.date(2024, 10, 1),
        body=draft.body.replace(DASHBOARD_BEFORE, f"{DASHBOARD_AFTER}\n\n{DASHBOARD_CHART}"),
        note="Revision: the dashboard section, now that it is in service.",
    )
    services.version_create(
        actor=editor,
        document=document,
        language="fr",
        date=dt.date(2024, 9, 2),
        title=TITLE_FR,
        purpose=PURPOSE_FR,
        action_required=ACTION_FR,
        body=BODY_FR,
        note="Traduction en cours.",
    )
    if stdout is not None:
        count = DocumentVersion.objects.filter(document=document).count()
        stdout.write(
            f"  council: {document.number}, {count} versions (en: v1 approved, v2 draft; fr: v1 draft)\n"
        )
