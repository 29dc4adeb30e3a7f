"""Reads of the results framework, plan, indicators and reviews: progress roll-ups, inboxes, overviews.

Progress is never stored: it is computed here from indicator values each time it is shown.
Each function reads with a fixed number of queries, whatever the number of activities.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.core.reminders import Reminder
from presence.org.access import Action, restrict
from presence.org.models import Country, Priority, Region, Role, RoleAssignment
from presence.results.models import (
    Activity,
    Framework,
    Indicator,
    IndicatorValue,
    Outcome,
    Output,
    ProjectOutput,
    QuarterlyReview,
    ReportingPeriod,
    StrategicGoal,
)

# Reviews of a quarter can be written from this many days before the quarter ends.
REVIEW_OPENS_DAYS_BEFORE_END = 14
PROJECT_REVIEWED_STATUSES = ("implementation", "finalisation", "suspended", "closed")


# --- Indicator figures and progress ---------------------------------------------------------------


@dataclass
class Figures:
    """An indicator's target, actual and progress for one year (and region, when broken down)."""

    target: Decimal | None
    actual: Decimal | None
    progress: Decimal | None  # 0..1, None when it cannot be computed
    note: str = ""


def _mean(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    return sum(present, Decimal(0)) / len(present)


def progress_of(
    indicator: Indicator, target: Decimal | None, actual: Decimal | None, baseline: Decimal | None = None
) -> Decimal | None:
    """Share of the way from baseline to target, 0..1: (actual - baseline) / (target - baseline).

    Works for "lower is better" too (both differences are negative). Over-achievement counts as 1
    so it cannot hide shortfalls elsewhere in a roll-up; going backwards counts as 0.
    """
    if not indicator.is_quantitative or target is None or actual is None:
        return None
    if baseline is None:
        baseline = indicator.baseline_value or Decimal(0)
    if target == baseline:
        if indicator.direction == Indicator.Direction.DECREASE:
            return Decimal(1) if actual <= target else Decimal(0)
        return Decimal(1) if actual >= target else Decimal(0)
    ratio = (actual - baseline) / (target - baseline)
    return min(Decimal(1), max(Decimal(0), ratio))


def figures_for(
    indicator: Indicator,
    values: Sequence[IndicatorValue],
    year: int,
    *,
    region_id: int | None = None,
    up_to_quarter: int = 4,
) -> Figures:
    """Year figures from the values (already fetched): the annual row wins, else the quarters combine.

    Quarterly actuals add up when the indicator accumulates, else the latest quarter counts.
    Targets likewise. `region_id` reads the region breakdown rows instead of the totals.
    """
    rows = [
        v
        for v in values
        if v.year == year
        and not v.gender
        and v.breakdown_region_id == region_id
        and v.quarter <= up_to_quarter
    ]
    annual = next((v for v in rows if v.quarter == 0), None)
    quarters = sorted((v for v in rows if v.quarter > 0), key=lambda v: v.quarter)

    def combine(name: str) -> Decimal | None:
        if annual is not None and getattr(annual, name) is not None and up_to_quarter == 4:
            value: Decimal = getattr(annual, name)
            return value
        present: list[Decimal] = [getattr(v, name) for v in quarters if getattr(v, name) is not None]
        if not present:
            return getattr(annual, name) if annual is not None else None
        return sum(present, Decimal(0)) if indicator.accumulates else present[-1]

    target, actual = combine("target"), combine("actual")
    notes = [v.note for v in [*quarters, *([annual] if annual else [])] if v.note]
    # A region's share is measured from zero: the baseline is a total, not a per-region figure.
    baseline = Decimal(0) if region_id is not None else None
    progress = progress_of(indicator, target, actual, baseline)
    return Figures(target, actual, progress, notes[-1] if notes else "")


# --- Framework tree with progress rolled up ------------------------------------------------------


@dataclass
class Node:
    code: str
    title: str
    progress: Decimal | None = None
    indicator_count: int = 0
    activity_count: int = 0
    children: list[Node] = field(default_factory=list)
    record: Any = None
    kind: str = ""
    project_count: int = 0


def _distinct_projects(nodes: Iterable[Node], projects_of_output: dict[int, set[int]]) -> int:
    """Projects contributing under these nodes, each counted once however many outputs it serves."""
    found: set[int] = set()
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if node.kind == "output":
            found |= projects_of_output[node.record.pk]
        stack.extend(node.children)
    return len(found)


def framework_for_year(year: int) -> Framework | None:
    return Framework.objects.filter(start_year__lte=year, end_year__gte=year).order_by("-start_year").first()


def framework_tree(*, user: Any, framework: Framework, year: int, region: Region | None = None) -> list[Node]:
    """Goals -> priorities -> outcomes -> outputs, each with progress rolled up from indicators.

    An output's progress is the mean of its own indicators, the indicators of the year's activities
    delivering it and the indicators of the projects contributing to it that are on-going in the year
    (`portfolio.selectors.ongoing_in_year`); an outcome's is the mean of its own indicators and its
    outputs; a priority's the mean of its outcomes; a goal's the mean of its priorities. Items without
    a computable progress are left out of the mean (equal weights). With a region, framework-level
    indicators use their region breakdown and only that region's activities and projects count.
    """
    from presence.portfolio.models import Project
    from presence.portfolio.selectors import ongoing_in_year

    region_id = region.pk if region is not None else None
    values_qs = IndicatorValue.objects.filter(year=year)
    indicators = list(
        restrict(Indicator.objects.all(), user, Action.VIEW)
        .filter(
            Q(outcome__framework=framework)
            | Q(output__outcome__framework=framework)
            | Q(activity__year=year, activity__outputs__outcome__framework=framework)
            | Q(project__output_links__output__outcome__framework=framework)
        )
        .distinct()
        .prefetch_related(Prefetch("values", queryset=values_qs))
    )
    projects = ongoing_in_year(restrict(Project.objects.all(), user, Action.VIEW), year)
    if region_id is not None:
        projects = projects.filter(region_id=region_id)
    project_ids = set(projects.values_list("pk", flat=True))
    outputs_of_project: dict[int, list[int]] = defaultdict(list)
    projects_of_output: dict[int, set[int]] = defaultdict(set)
    for project_id, output_id in ProjectOutput.objects.filter(
        project_id__in=project_ids, output__outcome__framework=framework
    ).values_list("project_id", "output_id"):
        outputs_of_project[project_id].append(output_id)
        projects_of_output[output_id].add(project_id)
    activities = restrict(Activity.objects.filter(year=year), user, Action.VIEW).exclude(
        status=Activity.Status.CANCELLED
    )
    if region_id is not None:
        activities = activities.filter(region_id=region_id)
    activity_ids = set(activities.values_list("pk", flat=True))
    links = Activity.outputs.through.objects.filter(
        activity_id__in=activity_ids, output__outcome__framework=framework
    ).values_list("activity_id", "output_id")
    outputs_of_activity: dict[int, list[int]] = defaultdict(list)
    activities_of_output: dict[int, set[int]] = defaultdict(set)
    for activity_id, output_id in links:
        outputs_of_activity[activity_id].append(output_id)
        activities_of_output[output_id].add(activity_id)

    own: dict[tuple[str, int], list[Decimal | None]] = defaultdict(list)
    counts: Counter[tuple[str, int]] = Counter()
    for indicator in indicators:
        values = list(indicator.values.all())
        if indicator.activity_id:
            if indicator.activity_id not in activity_ids:
                continue
            progress = figures_for(indicator, values, year).progress
            for output_id in outputs_of_activity.get(indicator.activity_id, []):
                own[("output", output_id)].append(progress)
                counts[("output", output_id)] += 1
            continue
        if indicator.project_id:
            if indicator.project_id not in project_ids:
                continue
            progress = figures_for(indicator, values, year).progress
            for output_id in outputs_of_project.get(indicator.project_id, []):
                own[("output", output_id)].append(progress)
                counts[("output", output_id)] += 1
            continue
        if region_id is not None and not indicator.by_region:
            continue
        progress = figures_for(indicator, values, year, region_id=region_id).progress
        key = (
            ("outcome", indicator.outcome_id)
            if indicator.outcome_id
            else ("output", indicator.output_id or 0)
        )
        own[key].append(progress)
        counts[key] += 1

    outputs_by_outcome: dict[int, list[Node]] = defaultdict(list)
    for output in Output.objects.filter(outcome__framework=framework):
        key = ("output", output.pk)
        outputs_by_outcome[output.outcome_id].append(
            Node(
                output.code,
                output.title,
                _mean(own[key]),
                counts[key],
                len(activities_of_output[output.pk]),
                record=output,
                kind="output",
                project_count=len(projects_of_output[output.pk]),
            )
        )
    outcomes_by_priority: dict[int, list[Node]] = defaultdict(list)
    for outcome in Outcome.objects.filter(framework=framework):
        key = ("outcome", outcome.pk)
        children = outputs_by_outcome[outcome.pk]
        outcomes_by_priority[outcome.priority_id].append(
            Node(
                outcome.code,
                outcome.title,
                _mean([*own[key], *(c.progress for c in children)]),
                counts[key] + sum(c.indicator_count for c in children),
                sum(c.activity_count for c in children),
                children,
                outcome,
                "outcome",
                len({p for c in children for p in projects_of_output[c.record.pk]}),
            )
        )
    priority_nodes: dict[int, Node] = {}
    for priority in Priority.objects.filter(cycle=framework.priority_cycle):
        children = outcomes_by_priority[priority.pk]
        priority_nodes[priority.pk] = Node(
            priority.code,
            priority.name,
            _mean(c.progress for c in children),
            sum(c.indicator_count for c in children),
            sum(c.activity_count for c in children),
            children,
            priority,
            priority.kind,
            _distinct_projects(children, projects_of_output),
        )
    goals = []
    for goal in StrategicGoal.objects.filter(framework=framework).prefetch_related("priorities"):
        children = [priority_nodes[p.pk] for p in goal.priorities.all() if p.pk in priority_nodes]
        goals.append(
            Node(
                goal.code,
                goal.name,
                _mean(c.progress for c in children),
                sum(c.indicator_count for c in children),
                sum(c.activity_count for c in children),
                children,
                goal,
                "goal",
                _distinct_projects(children, projects_of_output),
            )
        )
    linked = {p.pk for goal in goals for p in goal.record.priorities.all()}
    unlinked = [node for pk, node in priority_nodes.items() if pk not in linked and node.children]
    if unlinked:
        goals.append(
            Node(
                "-",
                _("Priorities and enablers not linked to a goal"),
                _mean(c.progress for c in unlinked),
                children=unlinked,
                kind="goal",
            )
        )
    return goals


# --- Activities ---------------------------------------------------------------------------------


def activity_list(
    *,
    user: Any,
    year: int | None = None,
    region: str = "",
    office: str = "",
    level: str = "",
    status: str = "",
    output: Output | None = None,
    priority: Priority | None = None,
    q: str = "",
) -> QuerySet[Activity]:
    """Activities the user may see, filtered; `region="global"` selects activities without a region."""
    activities = (
        restrict(Activity.objects.select_related("region", "responsible_office"), user, Action.VIEW)
        .prefetch_related("outputs", "countries")
        .annotate(indicator_count=Count("indicators", distinct=True))
    )
    if year:
        activities = activities.filter(year=year)
    if region == "global":
        activities = activities.filter(region__isnull=True)
    elif region:
        activities = activities.filter(region__code=region)
    if office:
        activities = activities.filter(responsible_office__code=office)
    if level:
        activities = activities.filter(level=level)
    if status:
        activities = activities.filter(status=status)
    if output is not None:
        activities = activities.filter(outputs=output)
    if priority is not None:
        activities = activities.filter(outputs__outcome__priority=priority)
    if q:
        activities = activities.filter(
            Q(code__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q)
        )
    return activities.distinct()


def activity_get(*, user: Any, pk: int) -> Activity:
    return (
        restrict(Activity.objects.select_related("region", "responsible_office"), user, Action.VIEW)
        .prefetch_related("countries", "outputs__outcome__priority")
        .get(pk=pk)
    )


def activity_years() -> list[int]:
    return list(Activity.objects.order_by("-year").values_list("year", flat=True).distinct())


# --- Indicators ----------------------------------------------------------------------------------


def indicator_list(
    *, user: Any, activity: Activity | None = None, project: Any = None
) -> QuerySet[Indicator]:
    indicators = restrict(
        Indicator.objects.select_related("outcome", "output", "activity", "project", "region"),
        user,
        Action.VIEW,
    ).prefetch_related("values")
    if activity is not None:
        indicators = indicators.filter(activity=activity)
    if project is not None:
        indicators = indicators.filter(project=project)
    return indicators


def indicator_get(*, user: Any, pk: int) -> Indicator:
    return (
        restrict(
            Indicator.objects.select_related("outcome", "output", "activity", "project"), user, Action.VIEW
        )
        .prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.select_related("breakdown_region"))
        )
        .get(pk=pk)
    )


@dataclass
class PeriodRow:
    label: str
    year: int
    quarter: int
    target: Decimal | None
    actual: Decimal | None
    note: str = ""


def indicator_series(indicator: Indicator) -> list[PeriodRow]:
    """Target and actual per period (totals only), years with their quarters, for the chart and table."""
    values = [v for v in indicator.values.all() if v.is_total]
    rows = []
    for year in sorted({v.year for v in values}):
        year_values = [v for v in values if v.year == year]
        for v in sorted(year_values, key=lambda v: v.quarter):
            if v.quarter:
                rows.append(PeriodRow(f"{year} Q{v.quarter}", year, v.quarter, v.target, v.actual, v.note))
        figures = figures_for(indicator, year_values, year)
        rows.append(PeriodRow(str(year), year, 0, figures.target, figures.actual, figures.note))
    return rows


# --- Reviews: tasks, inbox, reminders, overview --------------------------------------------------


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
    try:
        from presence.portfolio.models import Project
    except ImportError:  # pragma: no cover - portfolio is always installed with results
        return []
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


REVIEW_KINDS = ("activity", "project")


def review_list(
    *,
    user: Any,
    year: int | None = None,
    quarter: int | None = None,
    region: str = "",
    office: str = "",
    status: str = "",
    overdue: bool = False,
    kind: str = "",
    today: dt.date | None = None,
) -> QuerySet[QuarterlyReview]:
    """Reviews the user may see, filtered; one query whatever the filters (related rows joined).

    `region="global"` selects reviews of activities without a region; `office` is the reviewed
    record's office (an activity's responsible office, a project's lead office); `overdue` keeps the
    reviews not approved once their quarter's submission deadline has passed (`today` by default the
    local date); `kind` is "activity" or "project".
    """
    reviews = restrict(
        QuarterlyReview.objects.select_related(
            "period", "activity", "project", "region", "office", "submitted_by", "decided_by"
        ),
        user,
        Action.VIEW,
    )
    if year:
        reviews = reviews.filter(period__year=year)
    if quarter:
        reviews = reviews.filter(period__quarter=quarter)
    if region == "global":
        reviews = reviews.filter(region__isnull=True)
    elif region:
        reviews = reviews.filter(region__code=region)
    if office:
        reviews = reviews.filter(office__code=office)
    if status:
        reviews = reviews.filter(status=status)
    if overdue:
        day = today or timezone.localdate()
        reviews = reviews.filter(period__submission_deadline__lt=day).exclude(
            status=QuarterlyReview.Status.APPROVED
        )
    if kind == "activity":
        reviews = reviews.filter(activity__isnull=False)
    elif kind == "project":
        reviews = reviews.filter(project__isnull=False)
    return reviews


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


# --- Budget allocation comparison ----------------------------------------------------------------


@dataclass
class AllocationRow:
    region: Region
    actual: Decimal
    shares: dict[str, Decimal]  # method -> amount
    weights: dict[str, Decimal]  # method -> the region's count on which the method is based


ALLOCATION_METHODS: list[tuple[str, str, str]] = [
    (
        "straight_line",
        "Straight line",
        "Every geographic region receives the same share (the method in use).",
    ),
    (
        "member_states",
        "By Member States",
        "In proportion to the number of countries (Member States) in the region.",
    ),
    (
        "special_needs",
        "By LDC/LLDC/SIDS",
        "In proportion to the countries that are LDC, LLDC or SIDS (each country counted once).",
    ),
    (
        "portfolio",
        "By portfolio size",
        "In proportion to the number of projects under way in the region (portfolio) during the year.",
    ),
]


def split(total: Decimal, weights: dict[int, Decimal]) -> dict[int, Decimal]:
    """Share `total` in proportion to `weights` in centimes; largest remainder, so shares add up exactly."""
    weight_sum = sum(weights.values(), Decimal(0))
    if weight_sum == 0 or total == 0:
        return dict.fromkeys(weights, Decimal("0.00"))
    cents = int((total * 100).to_integral_value(ROUND_HALF_UP))
    raw = {key: Decimal(cents) * w / weight_sum for key, w in weights.items()}
    floors = {key: int(value) for key, value in raw.items()}
    left = cents - sum(floors.values())
    for key in sorted(raw, key=lambda k: (raw[k] - floors[k], -k), reverse=True)[:left]:
        floors[key] += 1
    return {key: Decimal(value) / 100 for key, value in floors.items()}


def _portfolio_counts(year: int) -> dict[int, int]:
    try:
        from presence.portfolio.models import Project
    except ImportError:  # pragma: no cover
        return {}
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    projects = (
        Project.objects.filter(planned_start__lte=end)
        .filter(Q(actual_end__gte=start) | Q(actual_end__isnull=True, planned_end__gte=start))
        .exclude(status__in=["pipeline", "cancelled"])
    )
    return dict(projects.values_list("region_id").annotate(n=Count("id")).values_list("region_id", "n"))


def budget_allocation(*, user: Any, year: int, total: Decimal | None = None) -> dict[str, Any]:
    """A year's regional operational-plan budget split per geographic region under each method.

    The amount split is `total` if given, else the planned budgets of the year's regional and
    country activities. Global activities are shown apart: no method allocates them to regions.
    """
    activities = restrict(Activity.objects.filter(year=year), user, Action.VIEW).exclude(
        status=Activity.Status.CANCELLED
    )
    actual_by_region = dict(
        activities.filter(region__isnull=False)
        .values_list("region_id")
        .annotate(s=Sum("planned_budget"))
        .values_list("region_id", "s")
    )
    global_total = activities.filter(region__isnull=True).aggregate(s=Sum("planned_budget"))["s"] or Decimal(
        0
    )
    regions = list(Region.objects.filter(is_geographic=True))
    region_ids = [r.pk for r in regions]
    country_counts = dict(
        Country.objects.filter(region_id__in=region_ids)
        .values_list("region_id")
        .annotate(n=Count("id"))
        .values_list("region_id", "n")
    )
    special_counts = dict(
        Country.objects.filter(region_id__in=region_ids)
        .filter(Q(is_ldc=True) | Q(is_lldc=True) | Q(is_sids=True))
        .values_list("region_id")
        .annotate(n=Count("id"))
        .values_list("region_id", "n")
    )
    portfolio = _portfolio_counts(year)
    weights = {
        "straight_line": {pk: Decimal(1) for pk in region_ids},
        "member_states": {pk: Decimal(country_counts.get(pk, 0)) for pk in region_ids},
        "special_needs": {pk: Decimal(special_counts.get(pk, 0)) for pk in region_ids},
        "portfolio": {pk: Decimal(portfolio.get(pk, 0)) for pk in region_ids},
    }
    actual_regional = sum((actual_by_region.get(pk, Decimal(0)) for pk in region_ids), Decimal(0))
    amount = total if total is not None else actual_regional
    shares = {method: split(amount, w) for method, w in weights.items()}
    rows = [
        AllocationRow(
            region=r,
            actual=actual_by_region.get(r.pk, Decimal(0)),
            shares={m: shares[m][r.pk] for m in weights},
            weights={m: weights[m][r.pk] for m in weights},
        )
        for r in regions
    ]
    other_regions = sum((v for k, v in actual_by_region.items() if k not in region_ids), Decimal(0))
    return {
        "year": year,
        "amount": amount,
        "rows": rows,
        "actual_regional": actual_regional,
        "global_total": global_total,
        "other_regions": other_regions,
        "totals": {m: sum(s.values(), Decimal(0)) for m, s in shares.items()},
        "methods": [(key, _(label), _(doc)) for key, label, doc in ALLOCATION_METHODS],
        "weight_totals": {m: sum(w.values(), Decimal(0)) for m, w in weights.items()},
    }
