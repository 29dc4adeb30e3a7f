"""Results' record types: operational-plan activities and indicators (here, indicators of an activity).

Quarterly reviews follow their workflow: tests/results/test_workflow.py.
"""

from __future__ import annotations

from decimal import Decimal

from presence.results import services
from presence.results.models import Activity, Indicator
from tests.kit.places import office, region
from tests.kit.types import Ctx, RecordType


def make_activity(ctx: Ctx) -> Activity:
    return services.activity_create(
        actor=ctx.admin,
        year=2024,
        code=f"A{ctx.n():03d}",
        title="Spectrum management training",
        level="regional",
        region=region(),
        responsible_office=office(),
        planned_budget=Decimal("1000"),
    )


def activity(ctx: Ctx) -> Activity:
    """The activity the indicators of one test measure."""
    return ctx.once("activity", lambda: make_activity(ctx))


def make_indicator(ctx: Ctx) -> Indicator:
    return services.indicator_create(
        actor=ctx.admin, activity=activity(ctx), code=f"I{ctx.n()}", name="People trained", unit="people"
    )


RECORDS = [
    RecordType(
        name="activity",
        model=Activity,
        make=make_activity,
        shown=lambda r: r.title,
        edit=("title", "Spectrum monitoring training"),
        list_page="/results/activities/?year=2024",
        detail_page=lambda r: f"/results/activities/{r.pk}/",
        create_page=lambda ctx: "/results/activities/new/",
        edit_page=lambda r: f"/results/activities/{r.pk}/edit/",
        form=lambda ctx: {
            "year": 2024,
            "code": "A900",
            "title": "Cybersecurity drill",
            "level": "regional",
            "region": region().pk,
            "responsible_office": office().pk,
            "planned_budget": "5000",
            "status": "planned",
        },
        invalid={"planned_budget": "a lot"},
        api_list="/api/results/activities/?year=2024",
        api_detail=lambda r: f"/api/results/activities/{r.pk}",
        api_create=lambda ctx: "/api/results/activities/",
        api_payload=lambda ctx: {
            "year": 2024,
            "code": "A900",
            "title": "Cybersecurity drill",
            "region": "AFR",
            "responsible_office": "dakar",
        },
        filters={"year": "2024", "region": "AFR", "office": "dakar"},
    ),
    RecordType(
        name="indicator",
        model=Indicator,
        make=make_indicator,
        shown=lambda r: r.name,
        edit=("name", "Officials trained"),
        list_page="/results/indicators/",
        detail_page=lambda r: f"/results/indicators/{r.pk}/",
        create_page=lambda ctx: f"/results/indicators/new/?activity={activity(ctx).pk}",
        edit_page=lambda r: f"/results/indicators/{r.pk}/edit/",
        delete_page=lambda r: f"/results/indicators/{r.pk}/delete/",
        form=lambda ctx: {"code": "I900", "name": "Regulators trained", "measure": "number"},
        invalid={"baseline_value": "some"},
        api_list="/api/results/indicators/",
        api_detail=lambda r: f"/api/results/indicators/{r.pk}",
        api_create=lambda ctx: "/api/results/indicators/",
        api_payload=lambda ctx: {"code": "I900", "name": "Regulators trained", "activity": activity(ctx).pk},
        filters={"region": "AFR"},
    ),
]
