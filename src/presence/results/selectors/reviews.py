"""Reads of quarterly reviews: review tasks and reminders, the review list and the quarter overview."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from presence.core.derived import count_over
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

    Reads every open quarter's records and reviews: the reminders (`review_reminders`, everyone's tasks
    at once) use it, and the tests compare `review_inbox` with it; the pages (review inbox, home page)
    use `review_inbox`, which reads one person's tasks only.
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


def latest_ratings(reviews: QuerySet[QuarterlyReview]) -> Counter[str]:
    """How many of the activities reviewed in `reviews` have each rating in their latest review among
    them (the one of the latest year and quarter: an activity has at most one review a quarter),
    "" for a latest review without a rating. One query of a row per year, quarter and rating.

    Each activity's latest review is found by grouping its reviews: the maximum of year, quarter and
    rating written as one number (year * 100 + quarter * 10 + the rating's rank) is its latest
    review's, and the rating is read back from it. No review is compared with the others of its
    activity (an anti-join over every review of the year, or a sort of them by activity and quarter).
    """
    ranks = {rating: rank for rank, rating in enumerate(QuarterlyReview.Rating.values, start=1)}
    rating = Case(
        *(When(rating=value, then=Value(rank)) for value, rank in ranks.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    latest = (
        reviews.filter(activity__isnull=False)
        .order_by()
        .values("activity")
        .annotate(latest=Max(F("period__year") * 100 + F("period__quarter") * 10 + rating))
        .values("latest")
    )
    names = {rank: value for value, rank in ranks.items()}
    counts: Counter[str] = Counter()
    for (number,), n in count_over(latest):
        counts[names.get(number % 10, "")] += n
    return counts


def review_quarter(*, user: Any, year: int, today: dt.date) -> tuple[int, ReportingPeriod | None]:
    """The latest quarter of `year` holding a review the user may see, else the quarter of `today`.

    For a year without reviews, today's quarter when `today` is in that year, else its fourth quarter
    (a past year) or its first (a future year). Returns the quarter and its reporting period, if any.
    """
    visible = restrict(QuarterlyReview.objects.all(), user, Action.VIEW)
    # The year's four periods, each probed for one visible review (an index lookup by period), rather
    # than every review of the year joined to its period.
    period = (
        ReportingPeriod.objects.filter(year=year)
        .filter(Exists(visible.filter(period=OuterRef("pk"))))
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


# The review inbox: one person's tasks, counted and listed in the database ----------------------------

INBOX_LIMIT = 50  # tasks listed per group; the counts are complete
PANEL_LIMIT = 10  # tasks listed per group on the home page

_TRUE = Q(pk__isnull=False)
_FALSE = Q(pk__in=[])


@dataclass
class Inbox:
    """One person's review tasks (`review_tasks(user=...)`): per kind, how many, and the first
    `INBOX_LIMIT` in `review_tasks`' order (activities then projects, quarter by quarter)."""

    counts: dict[str, int]
    groups: dict[str, list[ReviewTask]]


class _Responsible:
    """Which records a person writes or approves the reviews of, as conditions on the record's place:
    `_People`'s rule (holders of the role on the record's region or office, else holders everywhere,
    else administrators likewise) turned into SQL from one read of the role assignments."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.assignments = list(
            RoleAssignment.objects.filter(
                role__in=[Role.EDITOR, Role.APPROVER, Role.ADMIN], user__is_active=True
            ).values_list("role", "user_id", "region_id", "office_id")
        )

    @staticmethod
    def _covered(prefix: str, office: str, regions: set[int], offices: set[int]) -> Q:
        """The records whose region, office's region or office is among `regions` or `offices`."""
        condition = _FALSE
        if regions:
            condition |= Q(**{f"{prefix}region__in": regions}) | Q(
                **{f"{prefix}{office}__region__in": regions}
            )
        if offices:
            condition |= Q(**{f"{prefix}{office}__in": offices})
        return condition

    def _find(self, role: str, prefix: str, office: str) -> tuple[Q, Q]:
        """(the records `_People._find([role])` names this person for, those it names anyone for)."""
        held = [(user, region, office_id) for r, user, region, office_id in self.assignments if r == role]
        scoped = [(user, region, office_id) for user, region, office_id in held if region or office_id]
        # An assignment to a region covers it (its office aside), else one to an office that office.
        anyone = self._covered(
            prefix, office, {r for _u, r, _o in scoped if r}, {o for _u, r, o in scoped if not r}
        )
        mine = [(region, office_id) for user, region, office_id in scoped if user == self.user.pk]
        everywhere = [user for user, region, office_id in held if not region and not office_id]
        me = self._covered(prefix, office, {r for r, _o in mine if r}, {o for r, o in mine if not r})
        if self.user.pk in everywhere:
            me |= ~anyone
        return me, (_TRUE if everywhere else anyone)

    def condition(self, role: str, prefix: str = "", office: str = "responsible_office") -> Q:
        """The records this person is among the `role`s of (editors or approvers, else administrators)."""
        mine, named = self._find(role, prefix, office)
        admin_mine, _named = self._find(Role.ADMIN, prefix, office)
        if named is _TRUE:
            return mine
        return mine | (~named & admin_mine)


def _reviewed_projects(periods: Sequence[ReportingPeriod], prefix: str = "") -> Q:
    """`_projects_for`'s first selection of the projects reviewed in some of `periods`."""
    first = min(p.starts_on for p in periods)
    last = max(p.ends_on for p in periods)
    return Q(**{f"{prefix}status__in": PROJECT_REVIEWED_STATUSES, f"{prefix}planned_start__lte": last}) & (
        Q(**{f"{prefix}actual_end__gte": first})
        | Q(**{f"{prefix}actual_end__isnull": True, f"{prefix}planned_end__gte": first})
    )


def _blocking(prefix: str = "") -> Q:
    """The reviews that leave their record nothing to write: approved or submitted, or returned to
    the person who submitted them (`review_tasks`: a returned review goes back to its submitter)."""
    status = f"{prefix}status"
    return Q(**{f"{status}__in": [QuarterlyReview.Status.APPROVED, QuarterlyReview.Status.SUBMITTED]}) | Q(
        **{status: QuarterlyReview.Status.RETURNED, f"{prefix}submitted_by__isnull": False}
    )


def _blocked(period: ReportingPeriod) -> QuerySet[QuarterlyReview]:
    return QuarterlyReview.objects.filter(_blocking(), period=period)


def review_inbox(*, user: Any, today: dt.date, limit: int = INBOX_LIMIT) -> Inbox:
    """`user`'s review tasks as `review_tasks(today=today, user=user)` finds them, without reading
    anyone else's: counted in the database and listed up to `limit` per kind. The queries and rows
    do not grow with the records (the quarters open for review aside)."""
    kinds = ("overdue", "write", "returned", "approve")
    periods = open_periods(today)
    if not periods:
        return Inbox(counts=dict.fromkeys(kinds, 0), groups={kind: [] for kind in kinds})
    responsible = _Responsible(user)
    writes = responsible.condition(Role.EDITOR)
    writes_project = responsible.condition(Role.EDITOR, office="lead_office")
    # The reviews to write: the (record, quarter) pairs this person writes for, less those with a
    # review that needs nothing from them. A record has at most one review a quarter, so each kind and
    # quarter is counted as its records less its blocking reviews (grouped counts, read once), and the
    # records to list are read only from the quarters with some, in order, up to `limit` (anti-joins
    # that stop at `limit` rows).
    activities = Activity.objects.filter(writes, year__in={p.year for p in periods}).exclude(
        status=Activity.Status.CANCELLED
    )
    projects = Project.objects.filter(writes_project & _reviewed_projects(periods)).alias(
        under_way_from=Coalesce("actual_start", "planned_start"),
        under_way_to=Coalesce("actual_end", "planned_end"),
    )
    per_year = dict(activities.order_by().values("year").annotate(n=Count("*")).values_list("year", "n"))
    under_way = projects.order_by().aggregate(
        **{
            f"p{period.pk}": Count(
                "pk", filter=Q(under_way_from__lte=period.ends_on, under_way_to__gte=period.starts_on)
            )
            for period in periods
        }
    )
    reviewed_activities = dict(
        activities.filter(
            _blocking("reviews__"), reviews__period__in=periods, reviews__period__year=F("year")
        )
        .order_by()
        .values("reviews__period")
        .annotate(n=Count("*"))
        .values_list("reviews__period", "n")
    )
    reviewed_projects = dict(
        projects.filter(
            _blocking("quarterly_reviews__"),
            quarterly_reviews__period__in=periods,
            quarterly_reviews__period__ends_on__gte=F("under_way_from"),
            quarterly_reviews__period__starts_on__lte=F("under_way_to"),
        )
        .order_by()
        .values("quarterly_reviews__period")
        .annotate(n=Count("*"))
        .values_list("quarterly_reviews__period", "n")
    )
    # Each kind's (subject kind, quarter) parts in the list's order, activities then projects, quarter
    # by quarter, with their number of reviews to write.
    to_write: dict[str, list[tuple[int, int, ReportingPeriod]]] = {"overdue": [], "write": []}
    for subject in (0, 1):
        for period in periods:
            kind = "overdue" if period.is_closed(today) else "write"
            if subject == 0:
                n = per_year.get(period.year, 0) - reviewed_activities.get(period.pk, 0)
            else:
                n = under_way[f"p{period.pk}"] - reviewed_projects.get(period.pk, 0)
            to_write[kind].append((subject, n, period))

    def to_list(subject: int, period: ReportingPeriod, wanted: int) -> list[int]:
        """The first `wanted` records by code without a blocking review for `period`."""
        records: QuerySet[Any]
        if subject == 0:
            records = activities.filter(year=period.year).exclude(
                Exists(_blocked(period).filter(activity=OuterRef("pk")))
            )
        else:
            records = projects.filter(
                under_way_from__lte=period.ends_on, under_way_to__gte=period.starts_on
            ).exclude(Exists(_blocked(period).filter(project=OuterRef("pk"))))
        return list(records.order_by("code", "pk").values_list("pk", flat=True)[:wanted])

    reviews = QuarterlyReview.objects.filter(period__in=periods).alias(
        project_start=Coalesce("project__actual_start", "project__planned_start"),
        project_end=Coalesce("project__actual_end", "project__planned_end"),
    )
    reviews = reviews.filter(
        (
            Q(activity__isnull=False, activity__year=F("period__year"))
            & ~Q(activity__status=Activity.Status.CANCELLED)
        )
        | (
            Q(project__isnull=False)
            & _reviewed_projects(periods, "project__")
            & Q(
                project_start__lte=F("period__ends_on"),
                project_end__gte=F("period__starts_on"),
            )
        )
    )
    approves = (Q(activity__isnull=False) & responsible.condition(Role.APPROVER, "activity__")) | (
        Q(project__isnull=False) & responsible.condition(Role.APPROVER, "project__", "lead_office")
    )
    decided = {
        "returned": reviews.filter(status=QuarterlyReview.Status.RETURNED, submitted_by=user),
        "approve": reviews.filter(approves, status=QuarterlyReview.Status.SUBMITTED).exclude(
            submitted_by=user
        ),
    }
    counts: dict[str, int] = {}
    keys: dict[str, list[tuple[int, int, int]]] = {}  # (subject kind, subject pk, period pk)
    for kind, parts in to_write.items():
        counts[kind] = sum(n for _subject, n, _period in parts)
        keys[kind] = []
        for subject, n, period in parts:
            wanted = limit - len(keys[kind])
            if wanted <= 0:
                break
            if n:
                keys[kind] += [(subject, pk, period.pk) for pk in to_list(subject, period, wanted)]
    ordered: dict[str, list[QuarterlyReview]] = {}
    for kind, queryset in decided.items():
        counts[kind] = queryset.count()
        ordered[kind] = list(
            queryset.select_related("submitted_by", "activity__responsible_office", "project__lead_office")
            .annotate(key_subject=Case(When(activity__isnull=False, then=Value(0)), default=Value(1)))
            .order_by("key_subject", "period__year", "period__quarter", "activity__code", "project__code")[
                :limit
            ]
        )
    # The records and reviews of the listed tasks: a few queries, at most `limit` rows per kind.
    listed_keys = [key for kind in ("overdue", "write") for key in keys[kind]]
    listed_activities = Activity.objects.select_related("responsible_office").in_bulk(
        [pk for subject, pk, _p in listed_keys if subject == 0]
    )
    listed_projects = Project.objects.select_related("lead_office").in_bulk(
        [pk for subject, pk, _p in listed_keys if subject == 1]
    )
    drafts: dict[tuple[int, int | None, int | None], QuarterlyReview] = {}
    if listed_keys:
        # Per quarter and kind of record, its listed records: a condition for each (a few), not one
        # for each task (building and compiling a hundred of them cost more than the query).
        listed: dict[tuple[int, str], list[int]] = defaultdict(list)
        for subject, pk, period_pk in listed_keys:
            listed[(period_pk, "activity_id" if subject == 0 else "project_id")].append(pk)
        pairs = Q(pk__in=[])
        for (period_pk, column), pks in listed.items():
            pairs |= Q(period_id=period_pk, **{f"{column}__in": pks})
        drafts = {
            (r.period_id, r.activity_id, r.project_id): r
            for r in QuarterlyReview.objects.filter(pairs).select_related("submitted_by")
        }
    by_pk = {period.pk: period for period in periods}
    groups: dict[str, list[ReviewTask]] = {}
    for kind in ("overdue", "write"):
        groups[kind] = []
        for subject, pk, period_pk in keys[kind]:
            activity = listed_activities.get(pk) if subject == 0 else None
            project = listed_projects.get(pk) if subject == 1 else None
            review = drafts.get(
                (period_pk, activity.pk if activity else None, project.pk if project else None)
            )
            groups[kind].append(ReviewTask(user, kind, by_pk[period_pk], activity, project, review))
    for kind, listed_reviews in ordered.items():
        groups[kind] = [
            ReviewTask(user, kind, by_pk[r.period_id], r.activity, r.project, r) for r in listed_reviews
        ]
    return Inbox(counts=counts, groups={kind: groups[kind] for kind in kinds})
