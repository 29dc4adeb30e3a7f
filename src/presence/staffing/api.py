"""API for posts, post actions, recruitments, the staffing table, measures and the pipeline.

Incumbent and candidate names are null unless the caller may see personal data on that record.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.pagination import paginate

from presence.core.api import (
    LimitOffsetPagination,
    expected_version,
    record_routes,
    set_etag,
)
from presence.core.filtering import ListFilter, filtered
from presence.core.selectors import get_or_404
from presence.org.models import Office
from presence.staffing import selectors, services
from presence.staffing.filters import PostFilter, RecruitmentFilter, StaffingTableFilter
from presence.staffing.models import Category, Funding, Grade, Post, PostAction, Recruitment, Sector

router = Router(tags=["staffing"])


class PostOut(Schema):
    id: int
    number: str
    title: str
    office: str
    region: str | None
    unit: str
    category: str
    grade: str
    sector: str
    funding: str
    status: str
    incumbent: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    notes: str
    version: int

    @staticmethod
    def resolve_office(obj: Post) -> str:
        return obj.office.code

    @staticmethod
    def resolve_region(obj: Post) -> str | None:
        return obj.office.region.code if obj.office.region else None

    @staticmethod
    def resolve_incumbent(obj: Post, context: dict[str, Any]) -> str | None:
        return selectors.incumbent_for(context["request"].user, obj)


class PostIn(Schema):
    number: str
    title: str
    office: str
    unit: str = ""
    category: Category | None = None
    grade: Grade
    sector: Sector = Sector.BDT
    funding: Funding = Funding.REGULAR
    status: Post.Status = Post.Status.VACANT
    incumbent: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    notes: str = ""
    created_on: dt.date | None = None


class PostPatch(Schema):
    number: str | None = None
    title: str | None = None
    unit: str | None = None
    sector: Sector | None = None
    funding: Funding | None = None
    status: Post.Status | None = None
    incumbent: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    notes: str | None = None


class PostActionOut(Schema):
    id: int
    post: int
    kind: str
    effective_on: dt.date
    from_grade: str
    to_grade: str
    from_office: str | None
    to_office: str | None
    reference: str
    notes: str
    version: int

    @staticmethod
    def resolve_post(obj: PostAction) -> int:
        return obj.post_id

    @staticmethod
    def resolve_from_office(obj: PostAction) -> str | None:
        return obj.from_office.code if obj.from_office else None

    @staticmethod
    def resolve_to_office(obj: PostAction) -> str | None:
        return obj.to_office.code if obj.to_office else None


class PostActionIn(Schema):
    kind: PostAction.Kind
    effective_on: dt.date
    from_grade: Grade | None = None
    to_grade: Grade | None = None
    from_office: str | None = None
    to_office: str | None = None
    reference: str = ""
    notes: str = ""


class PostStateOut(Schema):
    post: int
    on: dt.date
    existed: bool
    grade: str | None
    office: str | None
    abolished: bool


class RecruitmentOut(Schema):
    id: int
    vacancy_number: str
    post: int
    post_number: str
    office: str
    status: str
    opened_on: dt.date
    closed_on: dt.date | None
    selected_on: dt.date | None
    on_board_on: dt.date | None
    time_to_fill: int | None
    selected_candidate: str | None
    notes: str
    version: int

    @staticmethod
    def resolve_post(obj: Recruitment) -> int:
        return obj.post_id

    @staticmethod
    def resolve_post_number(obj: Recruitment) -> str:
        return obj.post.number

    @staticmethod
    def resolve_office(obj: Recruitment) -> str:
        return obj.post.office.code

    @staticmethod
    def resolve_selected_candidate(obj: Recruitment, context: dict[str, Any]) -> str | None:
        return selectors.candidate_for(context["request"].user, obj)


class RecruitmentIn(Schema):
    vacancy_number: str
    post: int
    status: Recruitment.Status = Recruitment.Status.OPEN
    opened_on: dt.date
    closed_on: dt.date | None = None
    selected_on: dt.date | None = None
    on_board_on: dt.date | None = None
    selected_candidate: str = ""
    notes: str = ""


class RecruitmentPatch(Schema):
    vacancy_number: str | None = None
    status: Recruitment.Status | None = None
    opened_on: dt.date | None = None
    closed_on: dt.date | None = None
    selected_on: dt.date | None = None
    on_board_on: dt.date | None = None
    selected_candidate: str | None = None
    notes: str | None = None


class StaffingRowOut(Schema):
    office: str
    region: str | None
    grade: str
    filled: dict[str, int]
    vacant: dict[str, int]
    total_filled: int
    total_vacant: int


class MeasureOut(Schema):
    region: str
    g6_to_p2_upgrades: int
    new_p5_posts: int
    relocations_to_field: int
    tsb_field_deployments: int
    new_field_posts: int


class PipelineRowOut(Schema):
    office: str
    by_status: dict[str, int]
    in_progress: int
    average_time_to_fill: float | None


def _office(code: str | None, field: str) -> Office | None:
    if not code:
        return None
    office = Office.objects.filter(code=code).first()
    if office is None:
        raise ValidationError({field: f"Unknown office code {code!r}."})
    return office


# --- Posts ----------------------------------------------------------------------------------------


@router.get("/posts/", response=list[PostOut])
@paginate(LimitOffsetPagination)
@filtered(PostFilter)
def list_posts(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.post_list(user=request.user, filters=filters)


record_routes(
    router,
    "/posts",
    noun="post",
    module=__name__,
    out=PostOut,
    get=selectors.post_get,
    patch=PostPatch,
    update=services.post_update,
    delete=services.post_delete,
)


@router.post("/posts/", response={201: PostOut})
def create_post(request: HttpRequest, response: HttpResponse, payload: PostIn) -> Any:
    data = payload.dict()
    data["office"] = _office(data["office"], "office")
    created_on = data.pop("created_on")
    if data.get("category") is None:
        data.pop("category")
    post = services.post_create(actor=request.user, created_on=created_on, **data)
    set_etag(response, post)
    return 201, post


@router.get("/posts/{pk}/actions", response=list[PostActionOut])
def list_post_actions(request: HttpRequest, pk: int) -> Any:
    post = get_or_404(selectors.post_get, user=request.user, pk=pk)
    return selectors.post_actions(user=request.user, post=post)


@router.post("/posts/{pk}/actions", response={201: PostActionOut})
def create_post_action(request: HttpRequest, pk: int, payload: PostActionIn) -> Any:
    """Record a dated action; send the post's ETag in If-Match, since the post itself may change."""
    post = get_or_404(selectors.post_get, user=request.user, pk=pk)
    version = expected_version(request, post)
    data = {k: v for k, v in payload.dict().items() if v not in (None, "")}
    for name in ("from_office", "to_office"):
        if name in data:
            data[name] = _office(data[name], name)
    action = services.post_action_create(actor=request.user, post=post, expected_version=version, **data)
    return 201, action


@router.get("/posts/{pk}/actions/{action_pk}", response=PostActionOut)
def get_post_action(request: HttpRequest, response: HttpResponse, pk: int, action_pk: int) -> Any:
    post = get_or_404(selectors.post_get, user=request.user, pk=pk)
    action = get_or_404(selectors.post_actions(user=request.user, post=post), pk=action_pk)
    set_etag(response, action)
    return action


@router.delete("/posts/{pk}/actions/{action_pk}", response={204: None})
def delete_post_action(request: HttpRequest, pk: int, action_pk: int) -> Any:
    """Delete an action recorded in error (If-Match: the action's ETag); the post follows its history."""
    post = get_or_404(selectors.post_get, user=request.user, pk=pk)
    action = get_or_404(selectors.post_actions(user=request.user, post=post), pk=action_pk)
    services.post_action_delete(
        actor=request.user, action=action, expected_version=expected_version(request, action)
    )
    return 204, None


@router.get("/posts/{pk}/state", response=PostStateOut)
def get_post_state(request: HttpRequest, pk: int, on: dt.date) -> Any:
    """The post's grade and office on a date, replayed from its actions."""
    post = get_or_404(selectors.post_get, user=request.user, pk=pk)
    state = selectors.post_state_on(post, on)
    office = (
        Office.objects.filter(pk=state.office_id).values_list("code", flat=True).first() if state else None
    )
    return {
        "post": post.pk,
        "on": on,
        "existed": state is not None and state.exists,
        "grade": state.grade if state else None,
        "office": office,
        "abolished": bool(state and state.abolished),
    }


# --- Recruitments ---------------------------------------------------------------------------------


@router.get("/recruitments/", response=list[RecruitmentOut])
@paginate(LimitOffsetPagination)
@filtered(RecruitmentFilter)
def list_recruitments(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.recruitment_list(user=request.user, filters=filters)


record_routes(
    router,
    "/recruitments",
    noun="recruitment",
    module=__name__,
    out=RecruitmentOut,
    get=selectors.recruitment_get,
    patch=RecruitmentPatch,
    update=services.recruitment_update,
    delete=services.recruitment_delete,
)


@router.post("/recruitments/", response={201: RecruitmentOut})
def create_recruitment(request: HttpRequest, response: HttpResponse, payload: RecruitmentIn) -> Any:
    data = payload.dict()
    post = selectors.post_list(user=request.user).filter(pk=data["post"]).first()
    if post is None:
        raise ValidationError({"post": f"Unknown post {data['post']}."})
    data["post"] = post
    recruitment = services.recruitment_create(actor=request.user, **data)
    set_etag(response, recruitment)
    return 201, recruitment


# --- Figures --------------------------------------------------------------------------------------


class TableRows:
    """The staffing table's rows, read a page of offices at a time (the API's `limit` and `offset`
    count offices; each office comes with every grade)."""

    def __init__(self, user: Any, values: dict[str, Any]) -> None:
        self.where = {"user": user, **values}
        self.offices = selectors.staffing_offices(**self.where)

    def __len__(self) -> int:
        return self.offices.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        page = list(self.offices[index])
        return [
            {
                "office": row.office.code,
                "region": row.office.region.code if row.office.region else None,
                "grade": row.grade,
                "filled": row.filled,
                "vacant": row.vacant,
                "total_filled": row.total_filled,
                "total_vacant": row.total_vacant,
            }
            for row in selectors.staffing_table(**self.where, offices=page)
        ]


@router.get("/table", response=list[StaffingRowOut])
@paginate(LimitOffsetPagination)
@filtered(StaffingTableFilter)
def get_staffing_table(request: HttpRequest, filters: StaffingTableFilter) -> Any:
    """The staffing table a page of offices at a time (`limit` offices from `offset`, in the table's
    order), each with every grade; `count` is the number of offices in the whole table."""
    return TableRows(request.user, filters.table_values())


@router.get("/measures", response=list[MeasureOut])
def get_measures(request: HttpRequest, start: dt.date, end: dt.date) -> Any:
    """Post actions in the period per region ("HQ" for headquarters; region "" is the total)."""
    return [vars(row) for row in selectors.measures(user=request.user, start=start, end=end)]


@router.get("/pipeline", response=list[PipelineRowOut])
def get_pipeline(
    request: HttpRequest,
    region: str = "",
    office: str = "",
    opened_from: dt.date | None = None,
    opened_to: dt.date | None = None,
) -> Any:
    pipeline = selectors.recruitment_pipeline(
        user=request.user, region=region, office=office, opened_from=opened_from, opened_to=opened_to
    )
    return [
        {
            "office": row.office.code,
            "by_status": row.by_status,
            "in_progress": row.in_progress,
            "average_time_to_fill": row.average_time_to_fill,
        }
        for row in pipeline.rows
    ]
