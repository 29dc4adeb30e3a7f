"""Demo data (124 activities in 2024, reviews in every state) and `presence remind --dry-run` on it."""

from __future__ import annotations

import io

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import models

from presence.core import reminders
from presence.core.models import AuditEntry
from presence.org import demo as org_demo
from presence.results import demo
from presence.results.models import Activity, Indicator, QuarterlyReview


@pytest.fixture
def demo_data(reference: None) -> None:
    org_demo.load()
    demo.load(stdout=io.StringIO())


@pytest.fixture
def only_results_reminders(monkeypatch: pytest.MonkeyPatch) -> None:
    """Collect reminders from this app alone, so other apps' work in progress cannot break these tests."""
    config = django_apps.get_app_config("results")
    monkeypatch.setattr(reminders.apps, "get_app_configs", lambda: [config])


def test_demo_has_the_2024_plan_of_124_activities_and_a_2023_plan(demo_data: None) -> None:
    assert Activity.objects.filter(year=2024).count() == 124
    assert Activity.objects.filter(year=2023).exists()
    regions = set(Activity.objects.filter(year=2024).values_list("region__code", flat=True))
    assert {"AFR", "AMS", "ARB", "ASP", "CIS", "EUR", None} <= regions
    assert not Activity.objects.filter(year=2024, outputs__isnull=True).exists()
    assert Indicator.objects.filter(activity__year=2024).exists()


def test_demo_reviews_are_in_every_state(demo_data: None) -> None:
    states = set(QuarterlyReview.objects.filter(period__year=2024).values_list("status", flat=True))
    assert states == {"draft", "submitted", "approved", "returned"}


def test_loading_the_demo_twice_changes_nothing(demo_data: None) -> None:
    counts = (
        Activity.objects.count(),
        Indicator.objects.count(),
        QuarterlyReview.objects.count(),
        AuditEntry.objects.count(),
    )
    demo.load(stdout=io.StringIO())
    assert counts == (
        Activity.objects.count(),
        Indicator.objects.count(),
        QuarterlyReview.objects.count(),
        AuditEntry.objects.count(),
    )


def test_remind_dry_run_lists_who_would_be_told_what(demo_data: None, only_results_reminders: None) -> None:
    out = io.StringIO()
    call_command("remind", "--dry-run", "--date", "2025-01-20", stdout=out)
    text = out.getvalue()
    blocks = _blocks(text)
    assert "afr.approver" in blocks
    assert "review to approve" in blocks["afr.approver"]
    assert "asp.editor" in blocks
    assert any(kind in blocks["asp.editor"] for kind in ("review to write", "review returned to you"))
    assert "dakar.editor" in blocks or "afr.editor" in blocks
    assert "would be sent" in text
    assert not mail.outbox
    # Before the Q4 deadline (2025-01-30) nothing is overdue; after it, unsubmitted ones are.
    assert "OVERDUE" not in text
    late = io.StringIO()
    call_command("remind", "--dry-run", "--date", "2025-02-15", stdout=late)
    assert "review overdue" in late.getvalue()
    assert "OVERDUE" in late.getvalue()


def test_remind_sends_one_email_per_person(demo_data: None, only_results_reminders: None) -> None:
    call_command("remind", "--date", "2025-02-15", stdout=io.StringIO())
    recipients = {message.to[0] for message in mail.outbox}
    assert "afr.approver@example.org" in recipients
    assert len(recipients) == len(mail.outbox)


def _blocks(text: str) -> dict[str, str]:
    """The dry-run output per person: 'user <email>: n item(s)' then indented lines."""
    blocks: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines():
        if line and not line.startswith(" ") and " <" in line:
            current = blocks.setdefault(line.split(" <", 1)[0], [])
        elif line.startswith("  - "):
            current.append(line)
    return {user: "\n".join(lines) for user, lines in blocks.items()}


def test_demo_projects_contribute_to_2024_outputs_and_show_in_the_tree(reference: None) -> None:
    from presence.portfolio import demo as portfolio_demo
    from presence.results.models import Framework, ProjectOutput
    from presence.results.selectors import framework_tree

    org_demo.load()
    portfolio_demo.load(stdout=None)
    demo.load(stdout=io.StringIO())
    links = ProjectOutput.objects.filter(output__outcome__framework__code="SP2024-2027")
    assert links.count() > 50
    # Each link follows the project's KAP priority.
    assert not links.exclude(output__outcome__priority=models.F("project__kap_priority")).exists()
    admin = get_user_model().objects.get(username="admin")
    goals = framework_tree(user=admin, framework=Framework.objects.get(code="SP2024-2027"), year=2024)
    assert sum(goal.project_count for goal in goals) > 0
    before = links.count(), Indicator.objects.count()
    demo.load(stdout=io.StringIO())
    assert (links.count(), Indicator.objects.count()) == before
