"""Reads of posts and recruitments: a post's state on a date replayed from its actions, the staffing
table, the report's measures and the recruitment pipeline. The dashboard and resilience call these."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from presence.core.filtering import ListFilter
from presence.org import personal
from presence.org.access import Action, restrict
from presence.org.models import Office, Region
from presence.staffing.filters import HQ, PostFilter, RecruitmentFilter
from presence.staffing.models import GRADE_ORDER, Post, PostAction, Recruitment, Sector

# --- A post's state on a date ---------------------------------------------------------------------


@dataclass(frozen=True)
class PostState:
    """What a post was on a date: its grade, its office, and whether it still existed."""

    post_id: int
    grade: str
    office_id: int
    abolished: bool

    @property
    def exists(self) -> bool:
        return not self.abolished


def replay(
    post: Post, actions: Sequence[PostAction], on: dt.date, *, initial_only: bool = False
) -> PostState | None:
    """The post's state on `on` from its actions (sorted by date); None before its creation.

    Without a creation action the post is taken to have existed from the start, with the grade
    and office its first change started from (or its current ones when it never changed).
    `initial_only` gives that starting grade and office, before any action applied.
    """
    ordered = sorted(actions, key=lambda a: (a.effective_on, a.pk or 0))
    creation = next((a for a in ordered if a.kind == PostAction.Kind.CREATION), None)
    if creation is not None and on < creation.effective_on and not initial_only:
        return None
    first_grade = next(
        (a for a in ordered if a.kind in (PostAction.Kind.UPGRADE, PostAction.Kind.DOWNGRADE)), None
    )
    first_move = next((a for a in ordered if a.kind == PostAction.Kind.RELOCATION), None)
    grade = creation.to_grade if creation else (first_grade.from_grade if first_grade else post.grade)
    office_id = (
        creation.to_office_id
        if creation and creation.to_office_id
        else (first_move.from_office_id if first_move and first_move.from_office_id else post.office_id)
    )
    abolished = False
    if initial_only:
        return PostState(post_id=post.pk, grade=grade, office_id=office_id or post.office_id, abolished=False)
    for action in ordered:
        if action.effective_on > on:
            break
        if action.kind in (PostAction.Kind.UPGRADE, PostAction.Kind.DOWNGRADE):
            grade = action.to_grade
        elif action.kind == PostAction.Kind.RELOCATION and action.to_office_id:
            office_id = action.to_office_id
        elif action.kind == PostAction.Kind.ABOLITION:
            abolished = True
    return PostState(post_id=post.pk, grade=grade, office_id=office_id or post.office_id, abolished=abolished)


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


@dataclass
class StaffingRow:
    """One office and grade: filled and vacant posts per sector on the date."""

    office: Office
    grade: str
    filled: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Sector.values, 0))
    vacant: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Sector.values, 0))

    @property
    def total_filled(self) -> int:
        return sum(self.filled.values())

    @property
    def total_vacant(self) -> int:
        return sum(self.vacant.values())

    @property
    def cells(self) -> list[tuple[str, int, int]]:
        return [(sector, self.filled[sector], self.vacant[sector]) for sector in Sector.values]


def _existing_posts(
    *, user: Any, on: dt.date, region: str = "", office: str = ""
) -> list[tuple[Post, PostState, Office]]:
    """Posts that existed on the date, with their state, filtered by the office they were in then."""
    posts = _posts_with_actions(restrict(Post.objects.all(), user, Action.VIEW))
    offices = _offices()
    result = []
    for post in posts:
        state = replay(post, list(post.actions.all()), on)
        if state is None or not state.exists:
            continue
        post_office = offices[state.office_id]
        if office and post_office.code != office:
            continue
        region_code = post_office.region.code if post_office.region else HQ
        if region and region_code != region:
            continue
        result.append((post, state, post_office))
    return result


def staffing_table(
    *, user: Any, on: dt.date | None = None, region: str = "", office: str = ""
) -> list[StaffingRow]:
    """Posts per office and grade on a date, filled vs vacant per sector (frozen posts count as vacant)."""
    day = _today(on)
    rows: dict[tuple[int, str], StaffingRow] = {}
    for post, state, post_office in _existing_posts(user=user, on=day, region=region, office=office):
        row = rows.setdefault(
            (post_office.pk, state.grade), StaffingRow(office=post_office, grade=state.grade)
        )
        if post.is_filled_on(day):
            row.filled[post.sector] += 1
        else:
            row.vacant[post.sector] += 1
    return sorted(rows.values(), key=lambda r: (office_sort_key(r.office), GRADE_ORDER[r.grade]))


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


def staff_counts_by_office_on(*, dates: Iterable[dt.date]) -> dict[dt.date, dict[int, int]]:
    """For each date: office id -> posts filled on that date (all offices).

    Two queries whatever the number of dates, so callers comparing counts made on different
    dates (crisis-communications coverage) read the posts once.
    """
    wanted = sorted(set(dates))
    counts: dict[dt.date, dict[int, int]] = {on: defaultdict(int) for on in wanted}
    if not wanted:
        return {}
    for post in _posts_with_actions(Post.objects.filter(status=Post.Status.FILLED)):
        actions = list(post.actions.all())
        for on in wanted:
            if not post.is_filled_on(on):
                continue
            state = replay(post, actions, on)
            if state is not None and state.exists:
                counts[on][state.office_id] += 1
    return {on: dict(by_office) for on, by_office in counts.items()}


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
    summary = StaffingSummary(on=day)
    for post, _state, post_office in _existing_posts(
        user=user, on=day, region=region_code, office=office_code
    ):
        summary.total += 1
        if post.is_filled_on(day):
            summary.filled += 1
        elif post.status == Post.Status.FROZEN:
            summary.frozen += 1
        else:
            summary.vacant += 1
        if post_office.region_id is None:
            summary.hq_posts += 1
        else:
            summary.field_posts += 1
        summary.by_sector[post.sector] = summary.by_sector.get(post.sector, 0) + 1
        summary.by_category[post.category] = summary.by_category.get(post.category, 0) + 1
        summary.by_funding[post.funding] = summary.by_funding.get(post.funding, 0) + 1
    return summary


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
    """
    offices = _offices()
    actions = list(
        restrict(PostAction.objects.select_related("post"), user, Action.VIEW).filter(
            effective_on__gte=start, effective_on__lte=end
        )
    )
    all_actions: dict[int, list[PostAction]] = defaultdict(list)
    for action in PostAction.objects.filter(post__in={a.post_id for a in actions}):
        all_actions[action.post_id].append(action)
    rows = {code: MeasureRow(region=code) for code in [*Region.objects.values_list("code", flat=True), HQ]}

    def region_of(office_id: int | None) -> str:
        office = offices.get(office_id) if office_id else None
        return office.region.code if office is not None and office.region is not None else HQ

    for action in actions:
        is_field = False
        if action.kind == PostAction.Kind.UPGRADE and (action.from_grade, action.to_grade) == ("G6", "P2"):
            state = replay(action.post, all_actions[action.post_id], action.effective_on)
            rows[region_of(state.office_id if state else action.post.office_id)].g6_to_p2_upgrades += 1
        elif action.kind == PostAction.Kind.CREATION:
            target = action.to_office_id or action.post.office_id
            is_field = offices[target].region_id is not None
            if action.to_grade == "P5":
                rows[region_of(target)].new_p5_posts += 1
            if is_field:
                rows[region_of(target)].new_field_posts += 1
        elif action.kind == PostAction.Kind.RELOCATION and action.to_office_id:
            target = action.to_office_id
            is_field = offices[target].region_id is not None
            from_hq = action.from_office_id is not None and offices[action.from_office_id].region_id is None
            if is_field and from_hq:
                rows[region_of(target)].relocations_to_field += 1
        if is_field and action.post.sector == Sector.TSB:
            rows[region_of(action.to_office_id or action.post.office_id)].tsb_field_deployments += 1
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
    fill_days: list[int] = field(default_factory=list)

    @property
    def in_progress(self) -> int:
        return sum(self.by_status[s] for s in ("open", "closed", "selected"))

    @property
    def average_time_to_fill(self) -> float | None:
        return round(sum(self.fill_days) / len(self.fill_days), 1) if self.fill_days else None

    @property
    def statuses(self) -> list[int]:
        return [self.by_status[s] for s in Recruitment.Status.values]


@dataclass
class Pipeline:
    rows: list[PipelineRow]
    total: PipelineRow | None


def recruitment_pipeline(*, user: Any, filters: ListFilter | None = None, **values: Any) -> Pipeline:
    """Recruitments per office by status and the average time-to-fill (days from opening to selection)."""
    rows: dict[int, PipelineRow] = {}
    total: PipelineRow | None = None
    for recruitment in recruitment_list(user=user, filters=filters, **values):
        post_office = recruitment.post.office
        row = rows.setdefault(post_office.pk, PipelineRow(office=post_office))
        if total is None:
            total = PipelineRow(office=post_office)
        for target in (row, total):
            target.by_status[recruitment.status] += 1
            if recruitment.time_to_fill is not None:
                target.fill_days.append(recruitment.time_to_fill)
    return Pipeline(rows=sorted(rows.values(), key=lambda r: office_sort_key(r.office)), total=total)
