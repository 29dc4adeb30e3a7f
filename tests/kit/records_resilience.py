"""Resilience's record types with their own pages: planning documents, installations, crisis-comms counts.

Assessments, findings and remediation actions follow their workflow: tests/resilience/.
"""

from __future__ import annotations

from decimal import Decimal

from presence.resilience import services
from presence.resilience.models import CrisisCommsRegistration, Installation, PlanningDocument
from tests.kit.places import D, office
from tests.kit.types import Ctx, RecordType, api, pages


def make_plan(ctx: Ctx) -> PlanningDocument:
    return services.plan_create(
        actor=ctx.admin,
        office=office(),
        kind="bcp",
        edition=f"2.{ctx.n()}",
        approved_on=D(2024, 1, 10),
        next_review_on=D(2025, 1, 10),
    )


def make_installation(ctx: Ctx) -> Installation:
    return services.installation_create(
        actor=ctx.admin,
        office=office(),
        title=f"Satellite terminal {ctx.n()}",
        status="planned",
        planned_start=D(2025, 3, 1),
        planned_end=D(2025, 4, 10),
        estimated_workdays=Decimal("20"),
    )


def make_registration(ctx: Ctx) -> CrisisCommsRegistration:
    return services.registration_create(
        actor=ctx.admin, office=office(), counted_on=D(2024, 5, 1), registered=9, staff_in_office=12
    )


RECORDS = [
    RecordType(
        name="planning-document",
        model=PlanningDocument,
        make=make_plan,
        shown=lambda r: r.edition,
        edit=("edition", "3.0"),
        **pages("/resilience/plans/"),
        form=lambda ctx: {
            "office": office().pk,
            "kind": "bcp",
            "edition": "1.0",
            "approved_on": "2024-02-01",
            "next_review_on": "2025-02-01",
        },
        invalid={"approved_on": "2024-02-31"},
        **api("/api/resilience/plans/"),
        api_methods=("GET", "DELETE"),
        api_payload=lambda ctx: {
            "office": "dakar",
            "kind": "bcp",
            "edition": "1.0",
            "approved_on": "2024-02-01",
            "next_review_on": "2025-02-01",
        },
        filters={"region": "AFR", "office": "dakar"},
    ),
    RecordType(
        name="installation",
        model=Installation,
        make=make_installation,
        shown=lambda r: r.title,
        edit=("title", "Emergency radio"),
        **pages("/resilience/installations/"),
        form=lambda ctx: {
            "office": office().pk,
            "title": "Generator",
            "status": "planned",
            "planned_start": "2025-05-01",
            "planned_end": "2025-05-20",
            "estimated_workdays": "10",
        },
        invalid={"estimated_workdays": "ten"},
        api_list="/api/resilience/installations/",
        api_detail=lambda r: f"/api/resilience/installations/{r.pk}",
        api_edit=("notes", "Delivered"),
        filters={"region": "AFR", "office": "dakar", "status": "planned"},
    ),
    RecordType(
        name="crisis-comms-registration",
        model=CrisisCommsRegistration,
        make=make_registration,
        shown=lambda r: r.office.name,
        edit=("registered", 11),
        **pages("/resilience/coverage/"),
        form=lambda ctx: {"office": office().pk, "counted_on": "2024-06-01", "registered": 10},
        invalid={"registered": -1},
        **api("/api/resilience/registrations/"),
        api_methods=("GET", "DELETE"),
        api_payload=lambda ctx: {"office": "dakar", "counted_on": "2024-06-01", "registered": 10},
        filters={"region": "AFR"},
    ),
]
