"""API: the framework tree, reporting periods, framework elements (CRUD) and a project's outputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Schema

from presence.core.api import expected_version, set_etag
from presence.core.selectors import get_or_404
from presence.core.years import Year
from presence.org.access import Action, restrict
from presence.org.models import Priority, Region
from presence.portfolio.models import Project
from presence.results import selectors, services
from presence.results.api._common import router
from presence.results.models import (
    Framework,
    Outcome,
    Output,
    ReportingPeriod,
    StrategicGoal,
)


class NodeOut(Schema):
    code: str
    title: str
    kind: str
    progress: Decimal | None
    indicator_count: int
    activity_count: int
    project_count: int
    children: list[NodeOut]


NodeOut.model_rebuild()


class FrameworkOut(Schema):
    code: str
    name: str
    start_year: int
    end_year: int
    year: int
    region: str | None
    goals: list[NodeOut]


class PeriodOut(Schema):
    id: int
    year: int
    quarter: int
    starts_on: dt.date
    ends_on: dt.date
    submission_deadline: dt.date
    closed: bool

    @staticmethod
    def resolve_closed(obj: ReportingPeriod) -> bool:
        return obj.is_closed(timezone.localdate())


def _node(node: selectors.Node) -> dict[str, Any]:
    return {
        "code": node.code,
        "title": node.title,
        "kind": node.kind,
        "progress": node.progress.quantize(Decimal("0.0001")) if node.progress is not None else None,
        "indicator_count": node.indicator_count,
        "activity_count": node.activity_count,
        "project_count": node.project_count,
        "children": [_node(child) for child in node.children],
    }


@router.get("/framework", response=FrameworkOut)
def get_framework(request: HttpRequest, year: Year, region: str = "") -> Any:
    """The framework covering `year`, with progress rolled up from indicators (optionally for one region)."""
    framework = selectors.framework_for_year(year)
    if framework is None:
        raise Framework.DoesNotExist(f"No results framework covers {year}.")
    region_record = get_or_404(Region, code=region) if region else None
    tree = selectors.framework_tree(user=request.user, framework=framework, year=year, region=region_record)
    return {
        "code": framework.code,
        "name": framework.name,
        "start_year": framework.start_year,
        "end_year": framework.end_year,
        "year": year,
        "region": region or None,
        "goals": [_node(goal) for goal in tree],
    }


@router.get("/periods/", response=list[PeriodOut])
def list_periods(request: HttpRequest, year: Year | None = None) -> Any:
    periods = ReportingPeriod.objects.all()
    return periods.filter(year=year) if year else periods


class ProjectOutputOut(Schema):
    id: int
    code: str
    title: str
    outcome: str
    framework: str

    @staticmethod
    def resolve_outcome(obj: Output) -> str:
        return obj.outcome.code

    @staticmethod
    def resolve_framework(obj: Output) -> str:
        return obj.outcome.framework.code


class ProjectOutputsIn(Schema):
    outputs: list[int]


def _visible_project(request: HttpRequest, code: str) -> Any:
    return get_or_404(restrict(Project.objects.all(), request.user, Action.VIEW), code=code)


def _project_outputs(project: Any) -> list[Output]:
    return list(Output.objects.filter(project_links__project=project).select_related("outcome__framework"))


@router.get("/projects/{code}/outputs", response=list[ProjectOutputOut])
def get_project_outputs(request: HttpRequest, code: str) -> Any:
    """The outputs a project contributes to: its indicators count in their progress."""
    return _project_outputs(_visible_project(request, code))


@router.put("/projects/{code}/outputs", response=list[ProjectOutputOut])
def set_project_outputs(request: HttpRequest, code: str, payload: ProjectOutputsIn) -> Any:
    """Replace the list of outputs a project contributes to (editors of the project's scope)."""
    project = _visible_project(request, code)
    outputs = list(Output.objects.filter(pk__in=payload.outputs))
    missing = sorted(set(payload.outputs) - {o.pk for o in outputs})
    if missing:
        raise ValidationError({"outputs": f"Unknown output ids: {', '.join(map(str, missing))}."})
    services.project_outputs_set(actor=request.user, project=project, outputs=outputs)
    return _project_outputs(project)


class FrameworkIO(Schema):
    id: int
    code: str
    name: str
    start_year: int
    end_year: int
    priority_cycle: int
    version: int


class FrameworkIn(Schema):
    code: str
    name: str
    start_year: Year
    end_year: Year
    priority_cycle: Year


class FrameworkPatch(Schema):
    code: str | None = None
    name: str | None = None
    start_year: Year | None = None
    end_year: Year | None = None
    priority_cycle: Year | None = None


class GoalOut(Schema):
    id: int
    framework: int
    code: str
    name: str
    sort_order: int
    priorities: list[str]
    version: int

    @staticmethod
    def resolve_framework(obj: StrategicGoal) -> int:
        return obj.framework_id

    @staticmethod
    def resolve_priorities(obj: StrategicGoal) -> list[str]:
        return [p.code for p in obj.priorities.all()]


class GoalIn(Schema):
    framework: int
    code: str
    name: str
    sort_order: int = 0
    priorities: list[str] = []


class GoalPatch(Schema):
    code: str | None = None
    name: str | None = None
    sort_order: int | None = None
    priorities: list[str] | None = None


class OutcomeOut(Schema):
    id: int
    framework: int
    priority: str
    code: str
    title: str
    sort_order: int
    version: int

    @staticmethod
    def resolve_framework(obj: Outcome) -> int:
        return obj.framework_id

    @staticmethod
    def resolve_priority(obj: Outcome) -> str:
        return obj.priority.code


class OutcomeIn(Schema):
    framework: int
    priority: str
    code: str
    title: str
    sort_order: int = 0


class OutcomePatch(Schema):
    priority: str | None = None
    code: str | None = None
    title: str | None = None
    sort_order: int | None = None


class OutputOut(Schema):
    id: int
    outcome: int
    code: str
    title: str
    kind: str
    sort_order: int
    version: int

    @staticmethod
    def resolve_outcome(obj: Output) -> int:
        return obj.outcome_id


class OutputIn(Schema):
    outcome: int
    code: str
    title: str
    kind: Output.Kind = Output.Kind.PRODUCT
    sort_order: int = 0


class OutputPatch(Schema):
    outcome: int | None = None
    code: str | None = None
    title: str | None = None
    kind: Output.Kind | None = None
    sort_order: int | None = None


class PeriodIn(Schema):
    year: Year
    quarter: int
    starts_on: dt.date
    ends_on: dt.date
    submission_deadline: dt.date


class PeriodPatch(Schema):
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    submission_deadline: dt.date | None = None


class PeriodFull(PeriodOut):
    version: int


def _framework_refs(data: dict[str, Any], framework_priority_cycle: int | None = None) -> dict[str, Any]:
    """Ids and codes in a framework payload to records; an unknown one is a field error."""
    errors: dict[str, str] = {}
    if data.get("framework") is not None:
        data["framework"] = Framework.objects.filter(pk=data["framework"]).first()
        if data["framework"] is None:
            errors["framework"] = "Unknown framework id."
    cycle: Any = data["framework"].priority_cycle if data.get("framework") else framework_priority_cycle
    if data.get("priority") is not None:
        code = data["priority"]
        data["priority"] = Priority.objects.filter(code=code, cycle=cycle).first()
        if data["priority"] is None:
            errors["priority"] = f"Unknown priority {code!r} in WTDC cycle {cycle}."
    if data.get("priorities") is not None:
        codes = data["priorities"]
        data["priorities"] = list(Priority.objects.filter(code__in=codes, cycle=cycle))
        missing = sorted(set(codes) - {p.code for p in data["priorities"]})
        if missing:
            errors["priorities"] = f"Unknown priorities in WTDC cycle {cycle}: {', '.join(missing)}."
    if data.get("outcome") is not None:
        data["outcome"] = Outcome.objects.filter(pk=data["outcome"]).first()
        if data["outcome"] is None:
            errors["outcome"] = "Unknown outcome id."
    if errors:
        raise ValidationError(errors)
    return data


def _element_routes(
    path: str, model: Any, out: Any, create_in: Any, patch_in: Any, cycle_of: Any = None
) -> None:
    """GET list/one, POST, PATCH and DELETE (If-Match) for one kind of framework element."""

    def list_view(request: HttpRequest) -> Any:
        return model.objects.all()

    def get_view(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
        record = get_or_404(model, pk=pk)
        set_etag(response, record)
        return record

    def create_view(request: HttpRequest, response: HttpResponse, payload: Any) -> Any:
        data = _framework_refs(payload.dict())
        record = services.framework_element_create(actor=request.user, model=model, **data)
        set_etag(response, record)
        return 201, record

    def update_view(request: HttpRequest, response: HttpResponse, pk: int, payload: Any) -> Any:
        record = get_or_404(model, pk=pk)
        version = expected_version(request, record)
        data = _framework_refs(payload.dict(exclude_unset=True), cycle_of(record) if cycle_of else None)
        record = services.framework_element_update(
            actor=request.user, instance=record, expected_version=version, **data
        )
        set_etag(response, record)
        return record

    def delete_view(request: HttpRequest, pk: int) -> Any:
        record = get_or_404(model, pk=pk)
        services.framework_element_delete(
            actor=request.user, instance=record, expected_version=expected_version(request, record)
        )
        return 204, None

    create_view.__annotations__["payload"] = create_in
    update_view.__annotations__["payload"] = patch_in
    name = path.strip("/").replace("-", "_")
    for view, verb in (
        (list_view, "list"),
        (get_view, "get"),
        (create_view, "create"),
        (update_view, "update"),
        (delete_view, "delete"),
    ):
        view.__name__ = f"{verb}_{name}"
    router.get(f"/{path}/", response=list[out])(list_view)
    router.get(f"/{path}/{{pk}}", response=out)(get_view)
    router.post(f"/{path}/", response={201: out})(create_view)
    router.patch(f"/{path}/{{pk}}", response=out)(update_view)
    router.delete(f"/{path}/{{pk}}", response={204: None})(delete_view)


_element_routes("frameworks", Framework, FrameworkIO, FrameworkIn, FrameworkPatch)


_element_routes(
    "goals", StrategicGoal, GoalOut, GoalIn, GoalPatch, cycle_of=lambda r: r.framework.priority_cycle
)


_element_routes(
    "outcomes", Outcome, OutcomeOut, OutcomeIn, OutcomePatch, cycle_of=lambda r: r.framework.priority_cycle
)


_element_routes("outputs", Output, OutputOut, OutputIn, OutputPatch)


_element_routes("quarters", ReportingPeriod, PeriodFull, PeriodIn, PeriodPatch)
