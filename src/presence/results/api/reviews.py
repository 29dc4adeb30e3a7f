"""API: quarterly reviews and their workflow steps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Schema
from ninja.pagination import paginate

from presence.core.api import LimitOffsetPagination, expected_version, set_etag
from presence.core.filtering import ListFilter, filtered
from presence.core.selectors import KeyedPages, get_or_404
from presence.org.access import Action, restrict
from presence.org.personal import api_person
from presence.portfolio.models import Project
from presence.results import selectors, services
from presence.results.api._common import router
from presence.results.filters import ReviewFilter
from presence.results.models import (
    QuarterlyReview,
    ReportingPeriod,
)


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
    def resolve_submitted_by(obj: QuarterlyReview, context: dict[str, Any]) -> str | None:
        return api_person(context, obj, "submitted_by")

    @staticmethod
    def resolve_decided_by(obj: QuarterlyReview, context: dict[str, Any]) -> str | None:
        return api_person(context, obj, "decided_by")


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


@router.get("/reviews/", response=list[ReviewOut])
@paginate(LimitOffsetPagination)
@filtered(ReviewFilter)
def list_reviews(request: HttpRequest, filters: ListFilter) -> Any:
    """Reviews with the review list page's filters (`overdue`: not approved after the deadline)."""
    return KeyedPages(selectors.review_list(user=request.user, filters=filters))


@router.get("/reviews/{pk}", response=ReviewOut)
def get_review(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    review = get_or_404(selectors.review_get, user=request.user, pk=pk)
    set_etag(response, review)
    return review


@router.post("/reviews/", response={201: ReviewOut})
def create_review(request: HttpRequest, response: HttpResponse, payload: ReviewIn) -> Any:
    data = payload.dict()
    period = get_or_404(ReportingPeriod, pk=data.pop("period"))
    activity_id, project_id = data.pop("activity"), data.pop("project")
    activity = get_or_404(selectors.activity_get, user=request.user, pk=activity_id) if activity_id else None
    project = None
    if project_id:
        project = get_or_404(restrict(Project.objects.all(), request.user, Action.VIEW), pk=project_id)
    data["rating"] = data["rating"] or ""
    review = services.review_create(
        actor=request.user, period=period, activity=activity, project=project, **data
    )
    set_etag(response, review)
    return 201, review


@router.patch("/reviews/{pk}", response=ReviewOut)
def update_review(request: HttpRequest, response: HttpResponse, pk: int, payload: ReviewPatch) -> Any:
    review = get_or_404(selectors.review_get, user=request.user, pk=pk)
    version = expected_version(request, review)
    data = payload.dict(exclude_unset=True)
    actuals = data.pop("actuals", {})
    review = services.review_update(
        actor=request.user, review=review, expected_version=version, actuals=actuals, **data
    )
    set_etag(response, review)
    return review


def _step(request: HttpRequest, response: HttpResponse, pk: int, step: str, comment: str) -> QuarterlyReview:
    review = get_or_404(selectors.review_get, user=request.user, pk=pk)
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
