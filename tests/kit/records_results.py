"""Results' record types: the framework's elements (frameworks, goals, outcomes, outputs), operational-plan
activities and indicators (here, indicators of an activity).

Quarterly reviews follow their workflow: tests/results/test_workflow.py.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from presence.org.models import Priority
from presence.results import services
from presence.results.models import (
    Activity,
    Framework,
    Indicator,
    Outcome,
    Output,
    ReportingPeriod,
    StrategicGoal,
)
from tests.kit.places import office, region
from tests.kit.types import Ctx, RecordType, api


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


def make_framework(ctx: Ctx) -> Framework:
    year = 2020 + 4 * ctx.n()
    return services.framework_element_create(
        actor=ctx.admin,
        model=Framework,
        code=f"SP{year}",
        name=f"Strategic Plan {year}",
        start_year=year,
        end_year=year + 3,
        priority_cycle=2022,
    )


def framework(ctx: Ctx) -> Framework:
    return ctx.once("framework", lambda: make_framework(ctx))


def priority() -> Priority:
    return Priority.objects.get(cycle=2022, code="P1")


def make_goal(ctx: Ctx) -> StrategicGoal:
    return services.framework_element_create(
        actor=ctx.admin,
        model=StrategicGoal,
        framework=framework(ctx),
        code=f"G{ctx.n()}",
        name="Connectivity",
    )


def make_outcome(ctx: Ctx) -> Outcome:
    return services.framework_element_create(
        actor=ctx.admin,
        model=Outcome,
        framework=framework(ctx),
        priority=priority(),
        code=f"1.{ctx.n()}",
        title="Networks",
    )


def outcome(ctx: Ctx) -> Outcome:
    return ctx.once("outcome", lambda: make_outcome(ctx))


def make_output(ctx: Ctx) -> Output:
    return services.framework_element_create(
        actor=ctx.admin, model=Output, outcome=outcome(ctx), code=f"1.1.{ctx.n()}", title="Broadband maps"
    )


def make_quarter(ctx: Ctx) -> ReportingPeriod:
    year = 2030 + ctx.n()
    start, end, deadline = ReportingPeriod.default_dates(year, 1)
    return services.framework_element_create(
        actor=ctx.admin,
        model=ReportingPeriod,
        year=year,
        quarter=1,
        starts_on=start,
        ends_on=end,
        submission_deadline=deadline,
    )


def element(kind: str, **declared: Any) -> RecordType:
    """A framework element: written by administrators on its edit page (with its History) and the API."""
    defaults: dict[str, Any] = dict(
        edit_page=lambda r: f"/results/edit/{kind}/{r.pk}/",
        history_page=lambda r: f"/results/edit/{kind}/{r.pk}/",
        delete_page=lambda r: f"/results/edit/{kind}/{r.pk}/delete/",
        **api(f"/api/results/{kind}/"),
        writer=("admin",),
        refused=(("viewer",), ("editor",)),
    )
    return RecordType(**{**defaults, **declared})


RECORDS = [
    element(
        "frameworks",
        name="framework",
        model=Framework,
        make=make_framework,
        shown=lambda r: r.name,
        edit=("name", "Strategic Plan, revised"),
        detail_page=lambda r: f"/results/frameworks/{r.pk}/",
        create_page=lambda ctx: "/results/edit/frameworks/new/",
        form=lambda ctx: {
            "code": "SP2060",
            "name": "Strategic Plan 2060",
            "start_year": 2060,
            "end_year": 2063,
            "priority_cycle": 2022,
        },
        invalid={"end_year": 2000},
        api_payload=lambda ctx: {
            "code": "SP2060",
            "name": "Strategic Plan 2060",
            "start_year": 2060,
            "end_year": 2063,
            "priority_cycle": 2022,
        },
    ),
    element(
        "quarters",
        name="reporting-period",
        model=ReportingPeriod,
        make=make_quarter,
        shown=lambda r: str(r.year),
        edit=("submission_deadline", "2031-05-15"),
        list_page="/results/periods/",
        edit_page=lambda r: f"/results/edit/periods/{r.pk}/",
        history_page=lambda r: f"/results/edit/periods/{r.pk}/",
        delete_page=lambda r: f"/results/edit/periods/{r.pk}/delete/",
        create_page=lambda ctx: "/results/edit/periods/new/",
        form=lambda ctx: {
            "year": 2040,
            "quarter": 2,
            "starts_on": "2040-04-01",
            "ends_on": "2040-06-30",
            "submission_deadline": "2040-07-31",
        },
        invalid={"quarter": 5},
        api_payload=lambda ctx: {
            "year": 2040,
            "quarter": 2,
            "starts_on": "2040-04-01",
            "ends_on": "2040-06-30",
            "submission_deadline": "2040-07-31",
        },
    ),
    element(
        "goals",
        name="strategic-goal",
        model=StrategicGoal,
        make=make_goal,
        shown=lambda r: r.name,
        edit=("name", "Universal connectivity"),
        create_page=lambda ctx: f"/results/edit/goals/new/?framework={framework(ctx).pk}",
        form=lambda ctx: {"code": "G9", "name": "Sustainable digital transformation"},
        invalid={"code": ""},
        api_payload=lambda ctx: {"framework": framework(ctx).pk, "code": "G9", "name": "Transformation"},
    ),
    element(
        "outcomes",
        name="outcome",
        model=Outcome,
        make=make_outcome,
        shown=lambda r: r.title,
        edit=("title", "Resilient networks"),
        create_page=lambda ctx: f"/results/edit/outcomes/new/?framework={framework(ctx).pk}",
        form=lambda ctx: {"priority": priority().pk, "code": "9.1", "title": "Skills"},
        invalid={"title": ""},
        api_payload=lambda ctx: {
            "framework": framework(ctx).pk,
            "priority": "P1",
            "code": "9.1",
            "title": "Skills",
        },
    ),
    element(
        "outputs",
        name="output",
        model=Output,
        make=make_output,
        shown=lambda r: r.title,
        edit=("title", "Coverage maps"),
        create_page=lambda ctx: f"/results/edit/outputs/new/?outcome={outcome(ctx).pk}",
        form=lambda ctx: {"code": "1.1.90", "title": "Maps", "kind": "product"},
        invalid={"title": ""},
        api_payload=lambda ctx: {"outcome": outcome(ctx).pk, "code": "1.1.90", "title": "Maps"},
    ),
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
        **api("/api/results/indicators/"),
        api_payload=lambda ctx: {"code": "I900", "name": "Regulators trained", "activity": activity(ctx).pk},
        filters={
            "region": "AFR",
            "office": "dakar",
            "progress": "unmeasured",
            "activity": lambda r: r.activity_id,
        },
    ),
]
