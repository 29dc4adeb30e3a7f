"""Reads of quarterly reviews: review tasks and reminders, the review list and the quarter overview."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from presence.core.filtering import ListFilter
from presence.core.reminders import Reminder
from presence.org.access import Action, restrict
from presence.org.models import Region, Role, RoleAssignment
from presence.portfolio.models import Project
from presence.results.filters import ReviewFilter
from presence.results.models import (
    Activity,
    QuarterlyReview,
    ReportingPeriod,
)

# Reviews of a quarter can be written from this many days before the quarter ends.
REVIEW_OPENS_DAYS_BEFORE_END = 14


PROJECT_REVIEWED_STATUSES = ("implementation", "finalisation", "suspended", "closed")


@dataclass
class ReviewTask:
    user: Any
    kind: str  # "write", "overdue", "approve", "returned"
    period: ReportingPeriod
    activity: Activity | None
    project: Any
    review: QuarterlyReview | None

    @property
    def subject(self) -> Any:
        return self.activity if self.activity is not None else self.project

    @property
    def due(self) -> dt.date:
        return self.period.submission_deadline

    @property
    def url(self) -> str:
        if self.review is not None:
            return self.review.get_absolute_url()
        kind, pk = (
            ("activity", self.activity.pk) if self.activity is not None else ("project", self.project.pk)
        )
        return reverse("results:review-create", args=[self.period.pk, kind, pk])

    @property
    def label(self) -> str:
        return {
            "write": _("review to write"),
            "overdue": _("review overdue"),
            "approve": _("review to approve"),
            "returned": _("review returned to you"),
        }[self.kind]


def open_periods(today: dt.date) -> list[ReportingPeriod]:
    """Quarters whose reviews can be written: from two weeks before the quarter ends."""
    return list(
        ReportingPeriod.objects.filter(ends_on__lte=today + dt.timedelta(days=REVIEW_OPENS_DAYS_BEFORE_END))
    )


def _projects_for(periods: Sequence[ReportingPeriod]) -> list[tuple[ReportingPeriod, Any]]:
    """(quarter, project) pairs: projects under way during each quarter are reviewed for it."""
    if not periods:
        return []
    first = min(p.starts_on for p in periods)
    last = max(p.ends_on for p in periods)
    projects = list(
        Project.objects.filter(status__in=PROJECT_REVIEWED_STATUSES, planned_start__lte=last)
        .filter(Q(actual_end__gte=first) | Q(actual_end__isnull=True, planned_end__gte=first))
        .select_related("region", "lead_office")
    )
    return [
        (p, project)
        for p in periods
        for project in projects
        if project.start <= p.ends_on and project.end >= p.starts_on
    ]


class _People:
    """Who edits and who approves where, from one read of the role assignments."""

    def __init__(self) -> None:
        self.by_role: dict[str, list[RoleAssignment]] = defaultdict(list)
        for assignment in RoleAssignment.objects.filter(
            role__in=[Role.EDITOR, Role.APPROVER, Role.ADMIN], user__is_active=True
        ).select_related("user", "office"):
            self.by_role[assignment.role].append(assignment)

    @staticmethod
    def _covers(
        a: RoleAssignment, region_id: int | None, office_id: int | None, office_region_id: int | None
    ) -> bool:
        if a.region_id is not None:
            return a.region_id in (region_id, office_region_id)
        if a.office_id is not None:
            return a.office_id == office_id
        return False

    def _find(
        self, roles: Sequence[str], region_id: int | None, office_id: int | None, office_region_id: int | None
    ) -> list[Any]:
        """Users with one of `roles` on the record's region or office; else those holding it everywhere."""
        for scoped in (True, False):
            users = {
                a.user: None
                for role in roles
                for a in self.by_role[role]
                if (
                    self._covers(a, region_id, office_id, office_region_id)
                    if scoped
                    else a.region_id is None and a.office_id is None
                )
            }
            if users:
                return list(users)
        return []

    def editors(
        self, region_id: int | None, office_id: int | None, office_region_id: int | None
    ) -> list[Any]:
        return self._find([Role.EDITOR], region_id, office_id, office_region_id) or self._find(
            [Role.ADMIN], region_id, office_id, office_region_id
        )

    def approvers(
        self, region_id: int | None, office_id: int | None, office_region_id: int | None
    ) -> list[Any]:
        return self._find([Role.APPROVER], region_id, office_id, office_region_id) or self._find(
            [Role.ADMIN], region_id, office_id, office_region_id
        )


def review_tasks(*, today: dt.date, user: Any = None) -> list[ReviewTask]:
    """What each person must do about quarterly reviews today (all people, or one `user`).

    Editors of a record's region or office write its review (global editors, then administrators,
    when the record has none); approvers of its scope (else administrators) decide on submitted
    ones, never their own; a returned review goes back to its submitter.
    """
    periods = open_periods(today)
    if not periods:
        return []
    years = {p.year for p in periods}
    by_year: dict[int, list[Activity]] = defaultdict(list)
    for planned in (
        Activity.objects.filter(year__in=years)
        .exclude(status=Activity.Status.CANCELLED)
        .select_related("responsible_office")
    ):
        by_year[planned.year].append(planned)
    subjects: list[tuple[ReportingPeriod, Activity | None, Any]] = [
        (p, a, None) for p in periods for a in by_year[p.year]
    ]
    subjects += [(p, None, project) for p, project in _projects_for(periods)]
    reviews = {
        (r.period_id, r.activity_id, r.project_id): r
        for r in QuarterlyReview.objects.filter(period__in=periods).select_related("submitted_by")
    }
    people = _People()
    tasks: list[ReviewTask] = []
    for period, activity, project in subjects:
        review = reviews.get((period.pk, activity.pk if activity else None, project.pk if project else None))
        office = activity.responsible_office if activity is not None else project.lead_office
        region_id = activity.region_id if activity is not None else project.region_id
        place = (region_id, office.pk, office.region_id)
        status = review.status if review is not None else None
        if status == QuarterlyReview.Status.APPROVED:
            continue
        if status == QuarterlyReview.Status.SUBMITTED:
            submitter = review.submitted_by_id if review is not None else None
            for person in people.approvers(*place):
                if person.pk != submitter:
                    tasks.append(ReviewTask(person, "approve", period, activity, project, review))
            continue
        if (
            status == QuarterlyReview.Status.RETURNED
            and review is not None
            and review.submitted_by is not None
        ):
            tasks.append(ReviewTask(review.submitted_by, "returned", period, activity, project, review))
            continue
        kind = "overdue" if period.is_closed(today) else "write"
        for person in people.editors(*place):
            tasks.append(ReviewTask(person, kind, period, activity, project, review))
    if user is not None:
        tasks = [t for t in tasks if t.user.pk == user.pk]
    return tasks


def review_reminders(*, today: dt.date) -> list[Reminder]:
    return [
        Reminder(
            user=task.user,
            kind=task.label,
            subject=f"{task.period} · {task.subject.code} {task.subject.title}",
            due=task.due,
            url=task.url,
        )
        for task in review_tasks(today=today)
    ]


def review_list(
    *, user: Any, filters: ListFilter | None = None, today: dt.date | None = None, **values: Any
) -> QuerySet[QuarterlyReview]:
    """Reviews the user may see narrowed by `filters.ReviewFilter` (a bound one, or its values); one
    query whatever the filters (related rows joined). `today` (by default the local date) decides which
    are overdue."""
    reviews = restrict(
        QuarterlyReview.objects.select_related(
            "period", "activity", "project", "region", "office", "submitted_by", "decided_by"
        ),
        user,
        Action.VIEW,
    )
    if filters is None and values:
        filters = ReviewFilter(values, queryset=reviews)
    if isinstance(filters, ReviewFilter) and today is not None:
        filters.today = today
    return ReviewFilter.apply(reviews, filters)


def review_quarter(*, user: Any, year: int, today: dt.date) -> tuple[int, ReportingPeriod | None]:
    """The latest quarter of `year` holding a review the user may see, else the quarter of `today`.

    For a year without reviews, today's quarter when `today` is in that year, else its fourth quarter
    (a past year) or its first (a future year). Returns the quarter and its reporting period, if any.
    """
    visible = restrict(QuarterlyReview.objects.all(), user, Action.VIEW)
    period = (
        ReportingPeriod.objects.filter(year=year, reviews__in=visible.values("pk"))
        .order_by("-quarter")
        .first()
    )
    if period is not None:
        return period.quarter, period
    quarter = (today.month - 1) // 3 + 1 if today.year == year else (4 if today.year > year else 1)
    return quarter, ReportingPeriod.objects.filter(year=year, quarter=quarter).first()


def review_get(*, user: Any, pk: int) -> QuarterlyReview:
    return review_list(user=user).get(pk=pk)


@dataclass
class RegionQuarter:
    region: Region | None
    expected: int = 0
    draft: int = 0
    submitted: int = 0
    approved: int = 0
    returned: int = 0
    missing: int = 0
    overdue: int = 0
    ratings: Counter[str] = field(default_factory=Counter)

    @property
    def rating_list(self) -> list[tuple[str, int]]:
        return [(str(label), self.ratings.get(value, 0)) for value, label in QuarterlyReview.Rating.choices]


def quarter_overview(*, user: Any, period: ReportingPeriod, today: dt.date) -> list[RegionQuarter]:
    """Per region: reviews expected, in each state, overdue (not submitted after the deadline), ratings."""
    activities = restrict(Activity.objects.filter(year=period.year), user, Action.VIEW).exclude(
        status=Activity.Status.CANCELLED
    )
    expected: Counter[int | None] = Counter(activities.values_list("region_id", flat=True))
    projects = _projects_for([period])
    for _p, project in projects:
        expected[project.region_id] += 1
    reviews = restrict(QuarterlyReview.objects.filter(period=period), user, Action.VIEW)
    rows: dict[int | None, RegionQuarter] = {
        region.pk: RegionQuarter(region) for region in Region.objects.all()
    }
    rows[None] = RegionQuarter(None)
    seen: Counter[int | None] = Counter()
    for region_id, status, rating in reviews.values_list("region_id", "status", "rating"):
        row = rows[region_id]
        setattr(row, status, getattr(row, status) + 1)
        seen[region_id] += 1
        if rating and status in (QuarterlyReview.Status.SUBMITTED, QuarterlyReview.Status.APPROVED):
            row.ratings[rating] += 1
    closed = period.is_closed(today)
    for key, row in rows.items():
        row.expected = max(expected[key], seen[key])
        row.missing = row.expected - seen[key]
        if closed:
            row.overdue = row.missing + row.draft + row.returned
    return [row for row in rows.values() if row.expected]
