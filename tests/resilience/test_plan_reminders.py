"""Planning documents have an optional owner, reminded 60 days before the next review (else the global
security role); the owner is shown only to roles that may see people's names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from presence.core.reminders import collect
from presence.resilience import selectors, services

D = dt.date
TODAY = D(2025, 3, 1)


@pytest.fixture
def people(reference: None, make_user: Callable[..., Any]) -> dict[str, Any]:
    return {
        "owner": make_user("plan-owner", ("editor", "office:dakar")),
        "security": make_user("hq-security", ("security",)),
        "afr_security": make_user("afr-security", ("security", "AFR")),
        "delegate": make_user("delegate", ("member_state", "AFR")),
    }


def make_plan(actor: Any, office: Any, *, review: dt.date, owner: Any = None, **extra: Any) -> Any:
    data = {"kind": "bcp", "edition": "2.0", "approved_on": D(2024, 1, 10), **extra}
    return services.plan_create(actor=actor, office=office, next_review_on=review, owner=owner, **data)


def test_the_owner_is_reminded_from_sixty_days_before_the_review(people, office):
    plan = make_plan(
        people["security"], office("dakar"), review=TODAY + dt.timedelta(days=60), owner=people["owner"]
    )
    (reminder,) = selectors.plan_reminders(today=TODAY)
    assert (reminder.user, reminder.kind, reminder.due) == (
        people["owner"],
        "plan review due",
        plan.next_review_on,
    )
    assert reminder.subject == f"{plan.office.name}: Business continuity plan 2.0"
    assert reminder.url == plan.get_absolute_url()
    assert selectors.plan_reminders(today=TODAY - dt.timedelta(days=1)) == []  # 61 days before: not yet


def test_a_plan_without_owner_reminds_the_global_security_role_only(people, office):
    make_plan(people["security"], office("cairo"), review=TODAY - dt.timedelta(days=3))
    reminders = selectors.plan_reminders(today=TODAY)
    assert [(r.user, r.kind) for r in reminders] == [(people["security"], "plan review overdue")]


def test_only_the_current_version_of_a_plan_is_reminded(people, office):
    dakar = office("dakar")
    make_plan(
        people["security"], dakar, review=TODAY + dt.timedelta(days=10), owner=people["owner"], edition="1.0"
    )
    make_plan(
        people["security"],
        dakar,
        review=TODAY + dt.timedelta(days=400),
        owner=people["owner"],
        edition="2.0",
        approved_on=D(2025, 1, 5),
    )
    assert selectors.plan_reminders(today=TODAY) == []


def test_plan_reminders_reach_presence_remind(people, office):
    make_plan(
        people["security"], office("dakar"), review=TODAY + dt.timedelta(days=30), owner=people["owner"]
    )
    assert any(r.kind == "plan review due" and r.user == people["owner"] for r in collect(TODAY))


def test_the_owner_is_set_through_the_form_and_the_api_and_hidden_from_member_states(people, office, login):
    client = login(people["security"])
    response = client.post(
        reverse("resilience:plan-create"),
        {
            "office": office("dakar").pk,
            "kind": "cmp",
            "edition": "1.0",
            "approved_on": "2024-02-01",
            "next_review_on": "2025-02-01",
            "owner": people["owner"].pk,
        },
    )
    assert response.status_code == 302, response.content
    plan = selectors.plan_list(user=people["security"]).get(kind="cmp")
    assert plan.owner == people["owner"]
    assert "plan-owner" in client.get(plan.get_absolute_url()).content.decode()
    assert client.get(f"/api/resilience/plans/{plan.pk}").json()["owner"] == "plan-owner"

    created = client.post(
        "/api/resilience/plans/",
        data={
            "office": "dakar",
            "kind": "ict_dr",
            "edition": "1.0",
            "approved_on": "2024-02-01",
            "next_review_on": "2025-02-01",
            "owner": "nobody-by-that-name",
        },
        content_type="application/json",
    )
    assert created.status_code == 422
    assert "owner" in created.json()["errors"]

    delegate = login(people["delegate"])
    assert "plan-owner" not in delegate.get(plan.get_absolute_url()).content.decode()
    assert "plan-owner" not in delegate.get(reverse("resilience:plan-list")).content.decode()
    assert "plan-owner" not in delegate.get(reverse("resilience:plan-list") + "?format=csv").content.decode()
    assert delegate.get(f"/api/resilience/plans/{plan.pk}").json()["owner"] is None
