"""The review inbox counts and lists one person's tasks in the database: the same tasks as
`review_tasks` finds for everyone and keeps for that person, in the same order, at most
`INBOX_LIMIT` listed per kind."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from presence.org.models import Role, RoleAssignment
from presence.portfolio.models import Project
from presence.results.models import Activity, QuarterlyReview, ReportingPeriod
from presence.results.selectors import PANEL_LIMIT, PROJECT_REVIEWED_STATUSES, review_inbox, review_tasks

KINDS = ("overdue", "write", "returned", "approve")
DAYS = (dt.date(2026, 11, 28), dt.date(2025, 7, 10), dt.date(2024, 4, 15))


def _key(task: Any) -> tuple[Any, ...]:
    return (task.kind, task.period.pk, getattr(task.activity, "pk", None), getattr(task.project, "pk", None))


def _same_as_everyones_tasks(users: list[Any], today: dt.date, limit: int) -> None:
    everyones = review_tasks(today=today)
    for user in users:
        _same_tasks(user, [task for task in everyones if task.user.pk == user.pk], today, limit)


def _same_tasks(user: Any, expected: list[Any], today: dt.date, limit: int) -> None:
    inbox = review_inbox(user=user, today=today, limit=limit)
    for kind in KINDS:
        tasks = [task for task in expected if task.kind == kind]
        assert inbox.counts[kind] == len(tasks), (user.username, today, kind)
        listed = [_key(t) for t in inbox.groups[kind]]
        assert listed == [_key(t) for t in tasks[:limit]], (user.username, kind)
        assert [t.url for t in inbox.groups[kind]] == [t.url for t in tasks[:limit]]


@pytest.mark.parametrize("today", [*DAYS, None], ids=[*(d.isoformat() for d in DAYS), "today"])
def test_every_demo_persons_inbox_is_their_share_of_the_review_tasks(demo: None, today: Any) -> None:
    day = today or timezone.localdate()
    users = list(get_user_model().objects.order_by("username"))
    assert len(users) > 5
    _same_as_everyones_tasks(users, day, limit=7)


def test_the_inbox_follows_the_fallbacks_to_people_holding_the_role_everywhere_and_administrators(
    demo: None,
) -> None:
    """Without scoped editors or approvers the global ones, then administrators, get the tasks."""
    RoleAssignment.objects.filter(role__in=[Role.EDITOR, Role.APPROVER]).exclude(
        region__isnull=True, office__isnull=True
    ).delete()
    day = DAYS[0]
    _same_as_everyones_tasks(list(get_user_model().objects.order_by("username")), day, limit=5)
    RoleAssignment.objects.filter(role__in=[Role.EDITOR, Role.APPROVER]).delete()
    _same_as_everyones_tasks(list(get_user_model().objects.order_by("username")), day, limit=5)


def test_the_inbox_page_shows_the_counts_and_a_bounded_list(demo: None, client: Any) -> None:
    user = get_user_model().objects.get(username="dakar.editor")
    client.force_login(user)
    response = client.get("/results/reviews/")
    assert response.status_code == 200
    inbox = response.context["counts"], response.context["groups"]
    for kind in KINDS:
        assert len(inbox[1][kind]) == min(inbox[0][kind], response.context["limit"])


@pytest.mark.parametrize("username", ["dakar.editor", "afr.approver", "admin"])
def test_the_home_panel_counts_every_task_and_lists_the_first_ones(
    demo: None, client: Any, username: str
) -> None:
    user = get_user_model().objects.get(username=username)
    everyones = [task for task in review_tasks(today=timezone.localdate()) if task.user.pk == user.pk]
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    panels = [p for p in response.context["panels"] if p.get("template") == "results/home_panel.html"]
    if not everyones:
        assert panels == []
        return
    (panel,) = panels
    to_write = [task for task in everyones if task.kind in ("overdue", "write")]
    assert panel["to_write_count"] == len(to_write)
    assert panel["overdue"] == sum(1 for task in everyones if task.kind == "overdue")
    assert panel["to_approve_count"] == sum(1 for task in everyones if task.kind == "approve")
    assert panel["returned_count"] == sum(1 for task in everyones if task.kind == "returned")
    assert len(panel["to_write"]) == min(len(to_write), PANEL_LIMIT)
    assert {_key(task) for task in panel["to_write"]} <= {_key(task) for task in to_write}
    assert f"{len(to_write)} to write" in response.content.decode()


@pytest.mark.parametrize("limit", [1, 10_000])
def test_the_inbox_lists_across_quarters_up_to_its_limit(demo: None, limit: int) -> None:
    """One task listed (from the first quarter with some), and every task (from every quarter)."""
    users = list(get_user_model().objects.order_by("username"))
    _same_as_everyones_tasks(users, DAYS[0], limit=limit)


def test_reviews_that_are_no_task_leave_the_counts_as_they_are(demo: None) -> None:
    """Reviews of a cancelled activity, of an activity in another year's quarter and of a project in a
    quarter it is not under way in are no task and block none: the counts are records less the
    reviews that block a task, never less these."""
    day = DAYS[0]
    periods = list(ReportingPeriod.objects.filter(ends_on__lte=day).order_by("year", "quarter"))
    cancelled = Activity.objects.filter(year=periods[-1].year).exclude(status=Activity.Status.CANCELLED)[0]
    Activity.objects.filter(pk=cancelled.pk).update(status=Activity.Status.CANCELLED)
    other_year = Activity.objects.filter(year=periods[-1].year).exclude(pk=cancelled.pk)[0]
    first = next(p for p in periods if p.year != other_year.year)
    reviewed = list(Project.objects.filter(status__in=PROJECT_REVIEWED_STATUSES).order_by("pk"))
    later = next((p, q) for p in reviewed for q in periods if p.start > q.ends_on)  # not started yet
    ended = next((p, q) for p in reviewed for q in periods if p.end < q.starts_on)
    records = [(periods[-1], cancelled), (first, other_year), (later[1], later[0]), (ended[1], ended[0])]
    for period, record in records:
        kind = "activity" if isinstance(record, Activity) else "project"
        QuarterlyReview.objects.filter(period=period, **{kind: record}).delete()
        QuarterlyReview.objects.create(
            period=period, status=QuarterlyReview.Status.APPROVED, region=record.region, **{kind: record}
        )
    _same_as_everyones_tasks(list(get_user_model().objects.order_by("username")), day, limit=5)
