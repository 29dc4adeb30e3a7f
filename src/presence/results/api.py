"""API for the framework, activities, indicators, reporting periods and quarterly reviews with their workflow.

Same rules as the pages: selectors restrict reads, services check writes; ETag on reads, If-Match on writes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from presence.core.api import expected_version, set_etag
from presence.org.access import Action, restrict
from presence.org.models import Country, Office, Priority, Region
from presence.results import selectors, services
from presence.results.models import (
    Activity,
    Framework,
    Indicator,
    IndicatorValue,
    Outcome,
    Output,
    QuarterlyReview,
    ReportingPeriod,
    StrategicGoal,
)

router = Router(tags=["results"])


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


class ActivityOut(Schema):
    id: int
    year: int
    code: str
    title: str
    description: str
    level: str
    region: str | None
    responsible_office: str
    countries: list[str]
    outputs: list[str]
    planned_budget: Decimal
    status: str
    version: int

    @staticmethod
    def resolve_region(obj: Activity) -> str | None:
        return obj.region.code if obj.region else None

    @staticmethod
    def resolve_responsible_office(obj: Activity) -> str:
        return obj.responsible_office.code

    @staticmethod
    def resolve_countries(obj: Activity) -> list[str]:
        return [c.iso2 for c in obj.countries.all()]

    @staticmethod
    def resolve_outputs(obj: Activity) -> list[str]:
        return [o.code for o in obj.outputs.all()]


class ActivityIn(Schema):
    year: int
    code: str
    title: str
    description: str = ""
    level: Activity.Level = Activity.Level.REGIONAL
    region: str | None = None
    responsible_office: str
    countries: list[str] = []
    outputs: list[int] = []
    planned_budget: Decimal = Decimal(0)
    status: Activity.Status = Activity.Status.PLANNED


class ActivityPatch(Schema):
    title: str | None = None
    description: str | None = None
    level: Activity.Level | None = None
    region: str | None = None
    responsible_office: str | None = None
    countries: list[str] | None = None
    outputs: list[int] | None = None
    planned_budget: Decimal | None = None
    status: Activity.Status | None = None


class ValueOut(Schema):
    year: int
    quarter: int
    region: str | None
    gender: str
    target: Decimal | None
    actual: Decimal | None
    note: str

    @staticmethod
    def resolve_region(obj: IndicatorValue) -> str | None:
        return obj.breakdown_region.code if obj.breakdown_region else None


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    measure: str
    unit: str
    direction: str
    baseline_year: int | None
    baseline_value: Decimal | None
    accumulates: bool
    by_region: bool
    by_gender: bool
    measures: str
    values: list[ValueOut]
    version: int

    @staticmethod
    def resolve_measures(obj: Indicator) -> str:
        return str(obj.measured_record)

    @staticmethod
    def resolve_values(obj: Indicator) -> list[IndicatorValue]:
        return list(obj.values.all())


class ValueIn(Schema):
    year: int
    quarter: int = 0
    region: str | None = None
    gender: IndicatorValue.Gender = IndicatorValue.Gender.ALL
    target: Decimal | None = None
    actual: Decimal | None = None
    note: str = ""


class ReviewOut(Schema):
    id: int
    period: str
    activity: str | None
    project: str | None
    region: str | None
    status: str
    rating: str
    progress: str
    risks: str
    next_steps: str
    submitted_by: str | None
    submitted_at: dt.datetime | None
    decided_by: str | None
    decided_at: dt.datetime | None
    return_comment: str
    version: int

    @staticmethod
    def resolve_period(obj: QuarterlyReview) -> str:
        return str(obj.period)

    @staticmethod
    def resolve_activity(obj: QuarterlyReview) -> str | None:
        return obj.activity.code if obj.activity else None

    @staticmethod
    def resolve_project(obj: QuarterlyReview) -> str | None:
        return obj.project.code if obj.project else None

    @staticmethod
    def resolve_region(obj: QuarterlyReview) -> str | None:
        return obj.region.code if obj.region else None

    @staticmethod
    def resolve_submitted_by(obj: QuarterlyReview) -> str | None:
        return obj.submitted_by.username if obj.submitted_by else None

    @staticmethod
    def resolve_decided_by(obj: QuarterlyReview) -> str | None:
        return obj.decided_by.username if obj.decided_by else None


class ReviewIn(Schema):
    period: int
    activity: int | None = None
    project: int | None = None
    rating: QuarterlyReview.Rating | None = None
    progress: str = ""
    risks: str = ""
    next_steps: str = ""
    actuals: dict[int, Decimal | str | None] = {}


class ReviewPatch(Schema):
    rating: QuarterlyReview.Rating | None = None
    progress: str | None = None
    risks: str | None = None
    next_steps: str | None = None
    actuals: dict[int, Decimal | str | None] = {}


class StepIn(Schema):
    comment: str = ""


def _by_code(model: Any, field: str, value: str | None, name: str, errors: dict[str, str]) -> Any:
    if not value:
        return None
    record = model.objects.filter(**{field: value}).first()
    if record is None:
        errors[name] = f"Unknown {name.replace('_', ' ')} {value!r}."
    return record


def _activity_references(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if "region" in data:
        data["region"] = _by_code(Region, "code", data["region"], "region", errors)
    if "responsible_office" in data:
        data["responsible_office"] = _by_code(
            Office, "code", data["responsible_office"], "responsible_office", errors
        )
    if data.get("countries") is not None:
        found = list(Country.objects.filter(iso2__in=data["countries"]))
        missing = sorted(set(data["countries"]) - {c.iso2 for c in found})
        if missing:
            errors["countries"] = f"Unknown country codes: {', '.join(missing)}."
        data["countries"] = found
    if data.get("outputs") is not None:
        outputs = list(Output.objects.filter(pk__in=data["outputs"]).select_related("outcome__framework"))
        missing_ids = sorted(set(data["outputs"]) - {o.pk for o in outputs})
        if missing_ids:
            errors["outputs"] = f"Unknown output ids: {', '.join(map(str, missing_ids))}."
        data["outputs"] = outputs
    if errors:
        raise ValidationError(errors)
    return data


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
def get_framework(request: HttpRequest, year: int, region: str = "") -> Any:
    """The framework covering `year`, with progress rolled up from indicators (optionally for one region)."""
    framework = selectors.framework_for_year(year)
    if framework is None:
        raise Framework.DoesNotExist(f"No results framework covers {year}.")
    region_record = get_object_or_404(Region, code=region) if region else None
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
def list_periods(request: HttpRequest, year: int | None = None) -> Any:
    periods = ReportingPeriod.objects.all()
    return periods.filter(year=year) if year else periods


@router.get("/activities/", response=list[ActivityOut])
@paginate(LimitOffsetPagination)
def list_activities(
    request: HttpRequest,
    year: int | None = None,
    region: str = "",
    office: str = "",
    level: str = "",
    status: str = "",
    q: str = "",
) -> Any:
    return selectors.activity_list(
        user=request.user, year=year, region=region, office=office, level=level, status=status, q=q
    )


@router.get("/activities/{pk}", response=ActivityOut)
def get_activity(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    activity = selectors.activity_get(user=request.user, pk=pk)
    set_etag(response, activity)
    return activity


@router.post("/activities/", response={201: ActivityOut})
def create_activity(request: HttpRequest, response: HttpResponse, payload: ActivityIn) -> Any:
    activity = services.activity_create(actor=request.user, **_activity_references(payload.dict()))
    set_etag(response, activity)
    return 201, activity


@router.patch("/activities/{pk}", response=ActivityOut)
def update_activity(request: HttpRequest, response: HttpResponse, pk: int, payload: ActivityPatch) -> Any:
    activity = selectors.activity_get(user=request.user, pk=pk)
    version = expected_version(request, activity)
    data = _activity_references(payload.dict(exclude_unset=True))
    activity = services.activity_update(
        actor=request.user, activity=activity, expected_version=version, **data
    )
    set_etag(response, activity)
    return activity


@router.delete("/activities/{pk}", response={204: None})
def delete_activity(request: HttpRequest, pk: int) -> Any:
    activity = selectors.activity_get(user=request.user, pk=pk)
    services.activity_delete(
        actor=request.user, activity=activity, expected_version=expected_version(request, activity)
    )
    return 204, None


@router.get("/indicators/", response=list[IndicatorOut])
@paginate(LimitOffsetPagination)
def list_indicators(request: HttpRequest, activity: int | None = None) -> Any:
    indicators = selectors.indicator_list(user=request.user)
    return indicators.filter(activity_id=activity) if activity else indicators


@router.get("/indicators/{pk}", response=IndicatorOut)
def get_indicator(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    indicator = selectors.indicator_get(user=request.user, pk=pk)
    set_etag(response, indicator)
    return indicator


@router.put("/indicators/{pk}/values", response=ValueOut)
def set_indicator_value(request: HttpRequest, pk: int, payload: ValueIn) -> Any:
    """Set a target, actual or note for a year (quarter 0) or a quarter; closed quarters refuse editors."""
    indicator = selectors.indicator_get(user=request.user, pk=pk)
    data = payload.dict()
    errors: dict[str, str] = {}
    region = _by_code(Region, "code", data.pop("region"), "region", errors)
    if errors:
        raise ValidationError(errors)
    values = {k: data.pop(k) for k in ("target", "actual", "note")}
    return services.indicator_value_set(
        actor=request.user, indicator=indicator, breakdown_region=region, **data, **values
    )


@router.get("/reviews/", response=list[ReviewOut])
@paginate(LimitOffsetPagination)
def list_reviews(
    request: HttpRequest,
    year: int | None = None,
    quarter: int | None = None,
    region: str = "",
    office: str = "",
    status: str = "",
    overdue: bool = False,
    kind: str = "",
) -> Any:
    """Reviews with the review list page's filters (`overdue`: not approved after the deadline)."""
    if status and status not in QuarterlyReview.Status.values:
        raise ValidationError({"status": _("Unknown status %(value)s.") % {"value": status}})
    if kind and kind not in selectors.REVIEW_KINDS:
        raise ValidationError({"kind": _("Choose activity or project.")})
    return selectors.review_list(
        user=request.user,
        year=year,
        quarter=quarter,
        region=region,
        office=office,
        status=status,
        overdue=overdue,
        kind=kind,
    )


@router.get("/reviews/{pk}", response=ReviewOut)
def get_review(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    review = selectors.review_get(user=request.user, pk=pk)
    set_etag(response, review)
    return review


@router.post("/reviews/", response={201: ReviewOut})
def create_review(request: HttpRequest, response: HttpResponse, payload: ReviewIn) -> Any:
    data = payload.dict()
    period = get_object_or_404(ReportingPeriod, pk=data.pop("period"))
    activity_id, project_id = data.pop("activity"), data.pop("project")
    activity = selectors.activity_get(user=request.user, pk=activity_id) if activity_id else None
    project = None
    if project_id:
        from presence.portfolio.models import Project

        project = get_object_or_404(restrict(Project.objects.all(), request.user, Action.VIEW), pk=project_id)
    data["rating"] = data["rating"] or ""
    review = services.review_create(
        actor=request.user, period=period, activity=activity, project=project, **data
    )
    set_etag(response, review)
    return 201, review


@router.patch("/reviews/{pk}", response=ReviewOut)
def update_review(request: HttpRequest, response: HttpResponse, pk: int, payload: ReviewPatch) -> Any:
    review = selectors.review_get(user=request.user, pk=pk)
    version = expected_version(request, review)
    data = payload.dict(exclude_unset=True)
    actuals = data.pop("actuals", {})
    review = services.review_update(
        actor=request.user, review=review, expected_version=version, actuals=actuals, **data
    )
    set_etag(response, review)
    return review


def _step(request: HttpRequest, response: HttpResponse, pk: int, step: str, comment: str) -> QuarterlyReview:
    review = selectors.review_get(user=request.user, pk=pk)
    version = expected_version(request, review)
    if step == "submit":
        review = services.review_submit(actor=request.user, review=review, expected_version=version)
    elif step == "approve":
        review = services.review_approve(actor=request.user, review=review, expected_version=version)
    elif step == "return":
        review = services.review_return(
            actor=request.user, review=review, expected_version=version, comment=comment
        )
    else:
        review = services.review_reopen(
            actor=request.user, review=review, expected_version=version, reason=comment
        )
    set_etag(response, review)
    return review


@router.post("/reviews/{pk}/submit", response=ReviewOut)
def submit_review(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    return _step(request, response, pk, "submit", "")


@router.post("/reviews/{pk}/approve", response=ReviewOut)
def approve_review(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    return _step(request, response, pk, "approve", "")


@router.post("/reviews/{pk}/return", response=ReviewOut)
def return_review(request: HttpRequest, response: HttpResponse, pk: int, payload: StepIn) -> Any:
    """Return a submitted review to its submitter; `comment` is required."""
    return _step(request, response, pk, "return", payload.comment)


@router.post("/reviews/{pk}/reopen", response=ReviewOut)
def reopen_review(request: HttpRequest, response: HttpResponse, pk: int, payload: StepIn) -> Any:
    """Reopen an approved review (administrators); `comment` is the reason kept in the audit trail."""
    return _step(request, response, pk, "reopen", payload.comment)


# --- Project contributions to outputs ---------------------------------------------------------------


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
    from presence.portfolio.models import Project

    return get_object_or_404(restrict(Project.objects.all(), request.user, Action.VIEW), code=code)


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


# --- Framework elements, reporting periods and indicator definitions (write) --------------------------


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
    start_year: int
    end_year: int
    priority_cycle: int


class FrameworkPatch(Schema):
    code: str | None = None
    name: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    priority_cycle: int | None = None


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
    year: int
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
        record = get_object_or_404(model, pk=pk)
        set_etag(response, record)
        return record

    def create_view(request: HttpRequest, response: HttpResponse, payload: Any) -> Any:
        data = _framework_refs(payload.dict())
        record = services.framework_element_create(actor=request.user, model=model, **data)
        set_etag(response, record)
        return 201, record

    def update_view(request: HttpRequest, response: HttpResponse, pk: int, payload: Any) -> Any:
        record = get_object_or_404(model, pk=pk)
        version = expected_version(request, record)
        data = _framework_refs(payload.dict(exclude_unset=True), cycle_of(record) if cycle_of else None)
        record = services.framework_element_update(
            actor=request.user, instance=record, expected_version=version, **data
        )
        set_etag(response, record)
        return record

    def delete_view(request: HttpRequest, pk: int) -> Any:
        record = get_object_or_404(model, pk=pk)
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


class IndicatorIn(Schema):
    code: str
    name: str
    measure: Indicator.Measure = Indicator.Measure.NUMBER
    unit: str = ""
    direction: Indicator.Direction = Indicator.Direction.INCREASE
    baseline_year: int | None = None
    baseline_value: Decimal | None = None
    accumulates: bool = True
    by_region: bool = False
    by_gender: bool = False
    outcome: int | None = None
    output: int | None = None
    activity: int | None = None
    project: str | None = None


class IndicatorPatch(Schema):
    code: str | None = None
    name: str | None = None
    measure: Indicator.Measure | None = None
    unit: str | None = None
    direction: Indicator.Direction | None = None
    baseline_year: int | None = None
    baseline_value: Decimal | None = None
    accumulates: bool | None = None
    by_region: bool | None = None
    by_gender: bool | None = None


def _indicator_refs(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    for name, model in (("outcome", Outcome), ("output", Output)):
        if data.get(name) is not None:
            data[name] = model.objects.filter(pk=data[name]).first()
            if data[name] is None:
                errors[name] = f"Unknown {name} id."
    if data.get("activity") is not None:
        data["activity"] = selectors.activity_list(user=request.user).filter(pk=data["activity"]).first()
        if data["activity"] is None:
            errors["activity"] = "Unknown activity id."
    if data.get("project") is not None:
        from presence.portfolio.models import Project

        code = data["project"]
        data["project"] = restrict(Project.objects.all(), request.user, Action.VIEW).filter(code=code).first()
        if data["project"] is None:
            errors["project"] = f"Unknown project {code!r}."
    if errors:
        raise ValidationError(errors)
    return data


@router.post("/indicators/", response={201: IndicatorOut})
def create_indicator(request: HttpRequest, response: HttpResponse, payload: IndicatorIn) -> Any:
    """Define an indicator on one outcome, output (administrators), activity or project (its editors)."""
    data = _indicator_refs(request, payload.dict())
    data = {k: v for k, v in data.items() if k not in ("outcome", "output", "activity", "project") or v}
    indicator = services.indicator_create(actor=request.user, **data)
    set_etag(response, indicator)
    return 201, indicator


@router.patch("/indicators/{pk}", response=IndicatorOut)
def update_indicator(request: HttpRequest, response: HttpResponse, pk: int, payload: IndicatorPatch) -> Any:
    indicator = selectors.indicator_get(user=request.user, pk=pk)
    version = expected_version(request, indicator)
    indicator = services.indicator_update(
        actor=request.user, indicator=indicator, expected_version=version, **payload.dict(exclude_unset=True)
    )
    set_etag(response, indicator)
    return indicator


@router.delete("/indicators/{pk}", response={204: None})
def delete_indicator(request: HttpRequest, pk: int) -> Any:
    indicator = selectors.indicator_get(user=request.user, pk=pk)
    services.indicator_delete(
        actor=request.user, indicator=indicator, expected_version=expected_version(request, indicator)
    )
    return 204, None
