"""Reads of posts and recruitments: a post's state on a date (replayed from its actions; counted from
the stored periods), the staffing table, the report's measures and the recruitment pipeline. The
dashboard and resilience call these."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from presence.core.filtering import ListFilter
from presence.org import personal
from presence.org.access import Action, restrict
from presence.org.models import Office, Region
from presence.staffing.filters import HQ, PostFilter, RecruitmentFilter
from presence.staffing.models import GRADE_ORDER, Category, Post, PostAction, PostPeriod, Recruitment, Sector
from presence.staffing.models import Funding as PostFunding
from presence.staffing.periods import PostState as PostState
from presence.staffing.periods import replay as replay

# --- A post's state on a date ---------------------------------------------------------------------


def post_state_on(post: Post, on: dt.date) -> PostState | None:
    """One post's state on a date (one query for its actions)."""
    return replay(post, list(post.actions.all()), on)


def post_states_on(posts: Iterable[Post], on: dt.date) -> dict[int, PostState]:
    """The state on `on` of each post that existed then, with one query for all their actions.

    Posts whose `actions` are already prefetched cost no query at all.
    """
    post_list = list(posts)
    prefetched = all(
        hasattr(p, "_prefetched_objects_cache") and "actions" in p._prefetched_objects_cache
        for p in post_list
    )
    if prefetched:
        by_post: dict[int, list[PostAction]] = {p.pk: list(p.actions.all()) for p in post_list}
    else:
        by_post = defaultdict(list)
        for action in PostAction.objects.filter(post__in=[p.pk for p in post_list]):
            by_post[action.post_id].append(action)
    states: dict[int, PostState] = {}
    for post in post_list:
        state = replay(post, by_post.get(post.pk, []), on)
        if state is not None:
            states[post.pk] = state
    return states


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def _posts_with_actions(queryset: QuerySet[Post]) -> QuerySet[Post]:
    return queryset.prefetch_related(
        Prefetch("actions", queryset=PostAction.objects.order_by("effective_on", "id"))
    )


def _offices() -> dict[int, Office]:
    return {o.pk: o for o in Office.objects.select_related("region")}


# --- Lists ----------------------------------------------------------------------------------------


def post_list(*, user: Any, filters: ListFilter | None = None, **values: Any) -> QuerySet[Post]:
    """Posts within the user's reach narrowed by `filters.PostFilter`."""
    posts = restrict(Post.objects.select_related("office__region"), user, Action.VIEW)
    return PostFilter.apply(posts, filters or values)


def recruitable_posts(*, user: Any) -> QuerySet[Post]:
    """The posts a user may open a recruitment on: not abolished, and where they may add a recruitment
    (a recruitment sits where its post does, under the same policy); a form finds one by its number."""
    posts = post_list(user=user).exclude(status=Post.Status.ABOLISHED)
    return restrict(posts, user, Action.ADD)


def post_counts_by(posts: QuerySet[Post], by: str) -> dict[tuple[str | None, str], int]:
    """(the posts' office's `by`, e.g. "region__code" or "code"; status) -> how many of the `posts`.

    Counted per office and status over the posts alone (an index-only scan, no join to fan out or
    sort), then added up per place from the offices: a few thousand rows whatever the posts."""
    by_office = posts.order_by().values_list("office_id", "status").annotate(n=Count("*"))
    places = dict(Office.objects.order_by().values_list("pk", by))  # every office: no list of ids to send
    counts: dict[tuple[str | None, str], int] = defaultdict(int)
    for office_id, status, n in by_office:
        counts[(places[office_id], status)] += n
    return dict(counts)


def post_get(*, user: Any, pk: int) -> Post:
    return post_list(user=user).get(pk=pk)


def incumbent_for(user: Any, post: Post) -> str | None:
    """The incumbent's name for those who may see personal data on this post, else None."""
    return personal.shown_person(user, post, "incumbent")


def candidate_for(user: Any, recruitment: Recruitment) -> str | None:
    return personal.shown_person(user, recruitment, "selected_candidate")


def post_actions(*, user: Any, post: Post) -> QuerySet[PostAction]:
    return restrict(PostAction.objects.filter(post=post), user, Action.VIEW).select_related(
        "from_office", "to_office"
    )


def history_for(*, user: Any, record: Post | Recruitment, limit: int = 50) -> list[Any]:
    """The record's audit trail, with names hidden from those who may not see them."""
    return personal.history_for(user=user, record=record, limit=limit)


def recruitment_list(*, user: Any, filters: ListFilter | None = None, **values: Any) -> QuerySet[Recruitment]:
    """Recruitments within the user's reach narrowed by `filters.RecruitmentFilter`."""
    recruitments = restrict(Recruitment.objects.select_related("post__office__region"), user, Action.VIEW)
    return RecruitmentFilter.apply(recruitments, filters or values)


def recruitment_get(*, user: Any, pk: int) -> Recruitment:
    return recruitment_list(user=user).get(pk=pk)


# --- Staffing table and summary -------------------------------------------------------------------


# The sectors in their order, read once: `Sector.values` builds its list anew on every call, which
# counts when a staffing table at scale has thousands of rows.
SECTORS: tuple[str, ...] = tuple(Sector.values)


@dataclass
class StaffingRow:
    """One office and grade: filled and vacant posts per sector on the date."""

    office: Office
    grade: str
    filled: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTORS, 0))
    vacant: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTORS, 0))

    @property
    def total_filled(self) -> int:
        return sum(self.filled.values())

    @property
    def total_vacant(self) -> int:
        return sum(self.vacant.values())

    @property
    def cells(self) -> list[tuple[str, int, int]]:
        return [(sector, self.filled[sector], self.vacant[sector]) for sector in SECTORS]


def _periods_on(on: dt.date) -> QuerySet[PostPeriod]:
    """The stored period of each post that existed on `on` (its office, grade and occupancy that day;
    `periods.rebuild_periods` keeps them equal to what `replay` gives)."""
    return PostPeriod.objects.filter(
        Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on))
    ).order_by()


def _in_office_then(
    periods: QuerySet[PostPeriod], *, region: str = "", office: str = ""
) -> QuerySet[PostPeriod]:
    """Periods whose office (the post's office on the day) is in the region (HQ: headquarters) and office."""
    if office:
        periods = periods.filter(office__in=Office.objects.filter(code=office).values("pk"))
    if region == HQ:
        periods = periods.filter(office__in=Office.objects.filter(region__isnull=True).values("pk"))
    elif region:
        periods = periods.filter(office__in=Office.objects.filter(region__code=region).values("pk"))
    return periods


def _existing_posts(*, user: Any, on: dt.date, region: str = "", office: str = "") -> QuerySet[PostPeriod]:
    """The periods on the date of the posts within the user's reach, filtered by the office each post
    was in then (one row per post that existed then; callers aggregate in SQL)."""
    posts = restrict(Post.objects.all(), user, Action.VIEW)
    periods = _periods_on(on)
    if posts.query.has_filters():  # a reader who sees every post needs no condition on them
        periods = periods.filter(post__in=posts.values("pk"))
    return _in_office_then(periods, region=region, office=office)


def staffing_table(
    *,
    user: Any,
    on: dt.date | None = None,
    region: str = "",
    office: str = "",
    offices: Iterable[Office] | None = None,
) -> list[StaffingRow]:
    """Posts per office and grade on a date, filled vs vacant per sector (frozen posts count as vacant).

    With `offices` (a page of `staffing_offices`), only their rows: what is read stays one page's worth
    however many offices and posts there are."""
    day = _today(on)
    periods = _existing_posts(user=user, on=day, region=region, office=office)
    if offices is None:
        by_pk = _offices()
    else:
        by_pk = {o.pk: o for o in offices}
        periods = periods.filter(office__in=list(by_pk))
    rows: dict[tuple[int, str], StaffingRow] = {}
    groups = periods.values("office", "grade", "sector", "filled").annotate(n=Count("pk"))
    for group in groups:
        post_office = by_pk[group["office"]]
        row = rows.setdefault(
            (post_office.pk, group["grade"]), StaffingRow(office=post_office, grade=group["grade"])
        )
        (row.filled if group["filled"] else row.vacant)[group["sector"]] += group["n"]
    # Offices that sort alike (copies of the demo share their city) keep one order: by their code.
    return sorted(
        rows.values(), key=lambda r: (office_sort_key(r.office), r.office.code, GRADE_ORDER[r.grade])
    )


def staffing_offices(
    *, user: Any, on: dt.date | None = None, region: str = "", office: str = ""
) -> QuerySet[Office]:
    """The offices with a post within the user's reach on the date, in the staffing table's order
    (`office_sort_key`, then the code), for the table to be shown a page of offices at a time."""
    posts = _existing_posts(user=user, on=_today(on), region=region, office=office)
    return (
        Office.objects.filter(pk__in=posts.values("office"))
        .select_related("region")
        .order_by(
            F("region__sort_order").asc(nulls_first=True),
            Case(When(kind=Office.Kind.REGIONAL, then=Value(0)), default=Value(1)),
            "city",
            "code",
        )
    )


def staffing_totals(
    *, user: Any, on: dt.date | None = None, region: str = "", office: str = ""
) -> dict[str, int]:
    """Posts filled and vacant on the date in all the table's offices (frozen posts count as vacant)."""
    posts = _existing_posts(user=user, on=_today(on), region=region, office=office)
    totals = posts.aggregate(
        posts_filled=Count("pk", filter=Q(filled=True)), posts_vacant=Count("pk", filter=Q(filled=False))
    )
    return {"filled": totals["posts_filled"] or 0, "vacant": totals["posts_vacant"] or 0}


def office_sort_key(office: Office) -> tuple[int, bool, str]:
    """Headquarters first, then regions in their order, each regional office before its area offices."""
    return (
        office.region.sort_order if office.region else -1,
        office.kind != Office.Kind.REGIONAL,
        office.city,
    )


def staff_count_by_office(*, on: dt.date) -> dict[int, int]:
    """Office id -> posts filled on the date, in the office the post was in then (all offices)."""
    return staff_counts_by_office_on(dates=[on])[on]


def staff_counts_by_office_on(
    *, dates: Iterable[dt.date], offices: Iterable[int] | None = None
) -> dict[dt.date, dict[int, int]]:
    """For each date: office id -> posts filled on that date (all offices, or those of `offices`).

    One query whatever the number of dates, one row per date and office: the posts' stored periods on
    each date are counted in the database, each post in the office it was in on that date.
    """
    wanted = sorted(set(dates))
    if not wanted:
        return {}
    office_ids = None if offices is None else list(offices)
    per_date = []
    for on in wanted:
        periods = _periods_on(on).filter(filled=True)
        if office_ids is not None:
            periods = periods.filter(office__in=office_ids)
        per_date.append(
            periods.annotate(day=Value(on, output_field=DateField()))
            .values("day", "office")
            .annotate(n=Count("*"))
            .values_list("day", "office", "n")
        )
    counts: dict[dt.date, dict[int, int]] = {on: {} for on in wanted}
    grouped = per_date[0].union(*per_date[1:], all=True) if len(per_date) > 1 else per_date[0]
    for day, office_id, n in grouped:
        counts[_as_date(day)][office_id] = n
    return counts


def _as_date(value: dt.date | str) -> dt.date:
    """A date column read back from a UNION (SQLite gives its text)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


@dataclass
class StaffingSummary:
    on: dt.date
    total: int = 0
    filled: int = 0
    vacant: int = 0
    frozen: int = 0
    field_posts: int = 0  # in regional, area and liaison offices
    hq_posts: int = 0
    by_sector: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    by_funding: dict[str, int] = field(default_factory=dict)

    @property
    def vacancy_rate(self) -> float | None:
        return round(100 * (self.total - self.filled) / self.total, 1) if self.total else None


def staffing_summary(
    *,
    user: Any,
    region: Region | str | None = None,
    office: Office | str | None = None,
    on: dt.date | None = None,
) -> StaffingSummary:
    """Totals of the posts that existed on the date (today by default) within the user's reach."""
    day = _today(on)
    region_code = region.code if isinstance(region, Region) else (region or "")
    office_code = office.code if isinstance(office, Office) else (office or "")
    posts = _existing_posts(user=user, on=day, region=region_code, office=office_code)
    headquarters = Office.objects.filter(region__isnull=True).values("pk")
    filled = Q(filled=True)
    choices = {"sector": Sector.values, "category": Category.values, "funding": PostFunding.values}
    figures = posts.aggregate(
        total=Count("pk"),
        filled_posts=Count("pk", filter=filled),
        frozen=Count("pk", filter=~filled & Q(frozen=True)),
        hq_posts=Count("pk", filter=Q(office__in=headquarters)),
        **{
            f"{name}:{value}": Count("pk", filter=Q(**{name: value}))
            for name, values in choices.items()
            for value in values
        },
    )
    return StaffingSummary(
        on=day,
        total=figures["total"],
        filled=figures["filled_posts"],
        frozen=figures["frozen"],
        vacant=figures["total"] - figures["filled_posts"] - figures["frozen"],
        hq_posts=figures["hq_posts"],
        field_posts=figures["total"] - figures["hq_posts"],
        **{
            f"by_{name}": {v: figures[f"{name}:{v}"] for v in values if figures[f"{name}:{v}"]}
            for name, values in choices.items()
        },
    )


# --- The report's measures ------------------------------------------------------------------------


@dataclass
class MeasureRow:
    """Post actions in a period for one region (or HQ), as the report to Council counts them."""

    region: str
    g6_to_p2_upgrades: int = 0
    new_p5_posts: int = 0
    relocations_to_field: int = 0
    tsb_field_deployments: int = 0
    new_field_posts: int = 0


def measures(*, user: Any, start: dt.date, end: dt.date) -> list[MeasureRow]:
    """Per region (and HQ), the post actions effective between `start` and `end` inclusive.

    - G6 -> P2 upgrades: upgrade actions from G6 to P2, in the region of the post's office then;
    - new P5 posts: creation actions at grade P5, in the region of the office created in;
    - relocations to the field: relocations from headquarters to a regional/area office;
    - TSB field deployments: TSB posts created in, or relocated to, a field office.
    The last row, region "", is the total.

    The actions are counted in the database, one row per kind of action, grade, offices and sector:
    what is read does not grow with the actions. The post's office on an upgrade's date is that of its
    stored period on the date (`periods`, equal to replaying its actions), else its current office.
    """
    offices = _offices()
    office_then = Subquery(
        PostPeriod.objects.filter(post=OuterRef("post"), valid_from__lte=OuterRef("effective_on"))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=OuterRef("effective_on")))
        .order_by("-valid_from")
        .values("office")[:1]
    )
    upgrades = Q(kind=PostAction.Kind.UPGRADE, from_grade="G6", to_grade="P2")
    counted = (
        restrict(PostAction.objects.all(), user, Action.VIEW)
        .filter(effective_on__gte=start, effective_on__lte=end)
        .filter(
            upgrades
            | Q(kind=PostAction.Kind.CREATION)
            | Q(kind=PostAction.Kind.RELOCATION, to_office__isnull=False)
        )
        .order_by()
        .annotate(
            target=Coalesce("to_office", "post__office", output_field=IntegerField()),
            then=Case(
                When(upgrades, then=Coalesce(office_then, "post__office", output_field=IntegerField())),
                default=Value(None),
                output_field=IntegerField(),
            ),
        )
        .values_list("kind", "to_grade", "target", "from_office", "post__sector", "then")
        .annotate(n=Count("pk"))
    )
    rows = {code: MeasureRow(region=code) for code in [*Region.objects.values_list("code", flat=True), HQ]}

    def region_of(office_id: int) -> str:
        region = offices[office_id].region
        return region.code if region is not None else HQ

    for kind, to_grade, target, from_office, sector, then, n in counted:
        is_field = False
        if kind == PostAction.Kind.UPGRADE:
            rows[region_of(then)].g6_to_p2_upgrades += n
        elif kind == PostAction.Kind.CREATION:
            is_field = offices[target].region_id is not None
            if to_grade == "P5":
                rows[region_of(target)].new_p5_posts += n
            if is_field:
                rows[region_of(target)].new_field_posts += n
        else:  # a relocation to an office
            is_field = offices[target].region_id is not None
            from_hq = from_office is not None and offices[from_office].region_id is None
            if is_field and from_hq:
                rows[region_of(target)].relocations_to_field += n
        if is_field and sector == Sector.TSB:
            rows[region_of(target)].tsb_field_deployments += n
    result = list(rows.values())
    total = MeasureRow(region="")
    for row in result:
        total.g6_to_p2_upgrades += row.g6_to_p2_upgrades
        total.new_p5_posts += row.new_p5_posts
        total.relocations_to_field += row.relocations_to_field
        total.tsb_field_deployments += row.tsb_field_deployments
        total.new_field_posts += row.new_field_posts
    return [*result, total]


# --- Recruitment pipeline -------------------------------------------------------------------------


@dataclass
class PipelineRow:
    """Recruitments of one office by status, with the average time-to-fill of those selected."""

    office: Office
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Recruitment.Status.values, 0))
    fill_days: int = 0  # days from opening to selection, summed over the recruitments with a selection
    selections: int = 0  # how many recruitments have a selection date

    @property
    def in_progress(self) -> int:
        return sum(self.by_status[s] for s in ("open", "closed", "selected"))

    @property
    def average_time_to_fill(self) -> float | None:
        return round(self.fill_days / self.selections, 1) if self.selections else None

    @property
    def statuses(self) -> list[int]:
        return [self.by_status[s] for s in Recruitment.Status.values]


@dataclass
class Pipeline:
    rows: list[PipelineRow]
    total: PipelineRow | None


def recruitment_pipeline(*, user: Any, filters: ListFilter | None = None, **values: Any) -> Pipeline:
    """Recruitments per office by status and the average time-to-fill (days from opening to selection).

    Counted and summed in the database, one row per office and status: what is read does not grow with
    the recruitments."""
    time_to_fill = ExpressionWrapper(F("selected_on") - F("opened_on"), output_field=DurationField())
    groups = (
        recruitment_list(user=user, filters=filters, **values)
        .order_by()
        .values("post__office", "status")
        .annotate(
            n=Count("pk"),
            selections=Count("pk", filter=Q(selected_on__isnull=False)),
            fill=Sum(time_to_fill, filter=Q(selected_on__isnull=False)),
        )
    )
    rows: dict[int, PipelineRow] = {}
    total: PipelineRow | None = None
    fetched = list(groups)
    offices = Office.objects.select_related("region").in_bulk({group["post__office"] for group in fetched})
    for group in fetched:
        post_office = offices[group["post__office"]]
        row = rows.setdefault(post_office.pk, PipelineRow(office=post_office))
        if total is None:
            total = PipelineRow(office=post_office)
        for target in (row, total):
            target.by_status[group["status"]] += group["n"]
            target.selections += group["selections"]
            target.fill_days += _days(group["fill"])
    return Pipeline(rows=sorted(rows.values(), key=lambda r: office_sort_key(r.office)), total=total)


def _days(span: dt.timedelta | int | None) -> int:
    """Whole days of a sum of date differences (a timedelta; None when nothing was summed)."""
    if span is None:
        return 0
    return span.days if isinstance(span, dt.timedelta) else int(span)
