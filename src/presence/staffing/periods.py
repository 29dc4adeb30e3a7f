"""A post's state on a date: replayed from its actions (`replay`), and stored as dated periods.

`replay` is the definition: a post's grade, office and existence on any date follow from its dated
actions. Counting posts per office on a date by replaying every post costs time in proportion to
all the posts ever recorded, so the state is also stored: `PostPeriod` rows, one per stretch of days
over which the post's office, grade and occupancy stayed the same, each computed by `replay`. They
are derived data, written by one function, `rebuild_periods`, which every service that writes a post
or a post action calls in its transaction (so a refused write leaves them as they were); the demo
copies of `presence demo --scale N` copy them with the posts, and a migration computed them for the
posts recorded before they existed. `tests/staffing/test_periods.py` checks them against `replay`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from presence.staffing.models import Post, PostAction, PostPeriod

# The first day of a post that existed from the start (it has no creation action).
BEGINNING = dt.date.min
BATCH = 1000
_DAY = dt.timedelta(days=1)
# Plain values, which the migration's historical models hold too.
_CREATION = PostAction.Kind.CREATION.value
_GRADE_CHANGES = (PostAction.Kind.UPGRADE.value, PostAction.Kind.DOWNGRADE.value)
_RELOCATION = PostAction.Kind.RELOCATION.value
_ABOLITION = PostAction.Kind.ABOLITION.value
_FILLED = Post.Status.FILLED.value
_FROZEN = Post.Status.FROZEN.value


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


def replay(post: Any, actions: Sequence[Any], on: dt.date, *, initial_only: bool = False) -> PostState | None:
    """The post's state on `on` from its actions (sorted by date); None before its creation.

    Without a creation action the post is taken to have existed from the start, with the grade
    and office its first change started from (or its current ones when it never changed).
    `initial_only` gives that starting grade and office, before any action applied.
    """
    ordered = sorted(actions, key=lambda a: (a.effective_on, a.pk or 0))
    creation = next((a for a in ordered if a.kind == _CREATION), None)
    if creation is not None and on < creation.effective_on and not initial_only:
        return None
    first_grade = next((a for a in ordered if a.kind in _GRADE_CHANGES), None)
    first_move = next((a for a in ordered if a.kind == _RELOCATION), None)
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
        if action.kind in _GRADE_CHANGES:
            grade = action.to_grade
        elif action.kind == _RELOCATION and action.to_office_id:
            office_id = action.to_office_id
        elif action.kind == _ABOLITION:
            abolished = True
    return PostState(post_id=post.pk, grade=grade, office_id=office_id or post.office_id, abolished=abolished)


def filled_on(post: Any, on: dt.date) -> bool:
    """`Post.is_filled_on`, for any object with the post's fields (the migration's historical posts)."""
    return (
        post.status == _FILLED
        and (post.start_date is None or post.start_date <= on)
        and (post.end_date is None or post.end_date >= on)
    )


@dataclass(frozen=True)
class Period:
    """What a `PostPeriod` row holds: the post's state from `valid_from` until before `valid_to`."""

    valid_from: dt.date
    valid_to: dt.date | None
    office_id: int
    grade: str
    filled: bool


def periods_of(post: Any, actions: Sequence[Any]) -> list[Period]:
    """The post's periods: its state changes only on an action's date, on the day its incumbent took
    it up and on the day after the incumbent leaves, so each stretch between those days holds the state
    `replay` gives on its first day. Adjacent stretches with the same state are one period; stretches
    before its creation or from its abolition have none."""
    days = {action.effective_on for action in actions}
    if post.start_date is not None:
        days.add(post.start_date)
    if post.end_date is not None and post.end_date < dt.date.max:
        days.add(post.end_date + _DAY)
    starts = [BEGINNING, *sorted(day for day in days if day > BEGINNING)]
    periods: list[Period] = []
    for start, end in zip(starts, [*starts[1:], None], strict=True):
        state = replay(post, actions, start)
        if state is None or state.abolished:
            continue
        period = Period(start, end, state.office_id, state.grade, filled_on(post, start))
        last = periods[-1] if periods else None
        if (
            last is not None
            and last.valid_to == start
            and (last.office_id, last.grade, last.filled) == (period.office_id, period.grade, period.filled)
        ):
            periods[-1] = Period(last.valid_from, end, last.office_id, last.grade, last.filled)
        else:
            periods.append(period)
    return periods


def _batches(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for index in range(0, len(ids), size):
        yield ids[index : index + size]


def rebuild_periods(
    post_ids: Iterable[int],
    *,
    post_model: Any = Post,
    action_model: Any = PostAction,
    period_model: Any = PostPeriod,
    batch_size: int = BATCH,
) -> int:
    """Replace the stored periods of these posts by those their current values and actions give
    (a post that no longer exists keeps none); answers the number of periods written.

    The one writer of `PostPeriod`: a few queries per `batch_size` posts, whatever their number. The
    models are parameters so the migration that fills the table can pass its historical ones.
    """
    ids = sorted(set(post_ids))
    written = 0
    for batch in _batches(ids, batch_size):
        posts = post_model.objects.filter(pk__in=batch).only(
            "pk", "office_id", "grade", "status", "start_date", "end_date", "sector", "category", "funding"
        )
        actions: dict[int, list[Any]] = defaultdict(list)
        for action in action_model.objects.filter(post_id__in=batch).only(
            "pk",
            "post_id",
            "kind",
            "effective_on",
            "from_grade",
            "to_grade",
            "from_office_id",
            "to_office_id",
        ):
            actions[action.post_id].append(action)
        rows = [
            period_model(
                post_id=post.pk,
                valid_from=period.valid_from,
                valid_to=period.valid_to,
                office_id=period.office_id,
                grade=period.grade,
                filled=period.filled,
                sector=post.sector,
                category=post.category,
                funding=post.funding,
                frozen=post.status == _FROZEN,
            )
            for post in posts
            for period in periods_of(post, actions[post.pk])
        ]
        period_model.objects.filter(post_id__in=batch).delete()
        period_model.objects.bulk_create(rows, batch_size=batch_size)
        written += len(rows)
    return written


def rebuild_all_periods(**models: Any) -> int:
    """The periods of every post, rebuilt (the migration that created the table)."""
    post_model = models.get("post_model", Post)
    return rebuild_periods(post_model.objects.values_list("pk", flat=True), **models)
