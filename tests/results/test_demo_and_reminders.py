"""Demo data (124 activities in 2024, the 2025 and 2026 plans, reviews in every state) and
`presence remind --dry-run` on it."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import models, transaction
from django.utils import timezone

from presence.core import reminders
from presence.core.models import AuditEntry
from presence.org import demo as org_demo
from presence.org.reference import load_reference_data
from presence.portfolio import demo as portfolio_demo
from presence.results import demo
from presence.results.models import Activity, Indicator, IndicatorValue, QuarterlyReview, ReportingPeriod

# The demo's "now": reviews of 2026 Q3 (deadline 30 October) are due, some written, some not.
TODAY = dt.date(2026, 11, 28)


@pytest.fixture(scope="module")
def demo_module(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Loaded once for the module inside a transaction rolled back at its end (loading takes seconds)."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_reference_data()
        org_demo.load()
        portfolio_demo.load(stdout=None)
        demo.load(stdout=io.StringIO(), today=TODAY)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_data(demo_module: None, db: Any) -> None:
    """The results demo (each test's own changes are rolled back, as usual)."""


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
    def counts() -> tuple[int, ...]:
        return tuple(
            model.objects.count()
            for model in (Activity, Indicator, IndicatorValue, QuarterlyReview, ReportingPeriod, AuditEntry)
        )

    before = counts()
    demo.load(stdout=io.StringIO(), today=TODAY)
    assert counts() == before


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
    from presence.results.models import Framework, ProjectOutput
    from presence.results.selectors import framework_tree

    org_demo.load()
    portfolio_demo.load(stdout=None)
    demo.load(stdout=io.StringIO(), today=TODAY)
    links = ProjectOutput.objects.filter(output__outcome__framework__code="SP2024-2027")
    assert links.count() > 50
    # Each link follows the project's KAP priority.
    assert not links.exclude(output__outcome__priority=models.F("project__kap_priority")).exists()
    admin = get_user_model().objects.get(username="admin")
    goals = framework_tree(user=admin, framework=Framework.objects.get(code="SP2024-2027"), year=2024)
    assert sum(goal.project_count for goal in goals) > 0
    # Projects started since are linked too, and every linked project has results for later years.
    from presence.portfolio.models import Project
    from presence.portfolio.selectors import ongoing_in_year

    for year in (2025, 2026):
        ongoing = ongoing_in_year(Project.objects.filter(is_demo=True, kap_priority__isnull=False), year)
        assert ongoing.exists()
        assert not ongoing.exclude(output_links__output__outcome__framework__code="SP2024-2027").exists()
        assert (
            IndicatorValue.objects.filter(year=year, indicator__project__in=ongoing).count()
            == ongoing.count()
        )
        tree = framework_tree(user=admin, framework=Framework.objects.get(code="SP2024-2027"), year=year)
        assert sum(goal.project_count for goal in tree) > 0
    before = links.count(), Indicator.objects.count(), IndicatorValue.objects.count()
    demo.load(stdout=io.StringIO(), today=TODAY)
    assert (links.count(), Indicator.objects.count(), IndicatorValue.objects.count()) == before


def test_the_2023_and_2024_figures_stay_as_they_were(demo_data: None) -> None:
    """Adding later years must not move the report's plan: fingerprints taken before 2025 was added."""
    from django.db.models import Sum

    assert Activity.objects.filter(year=2024).aggregate(b=Sum("planned_budget"))["b"] == Decimal(11353000)
    assert Activity.objects.filter(year=2023).aggregate(b=Sum("planned_budget"))["b"] == Decimal(10403000)
    statuses = dict(Activity.objects.filter(year=2024).values_list("status").annotate(n=models.Count("pk")))
    assert statuses == {"completed": 35, "ongoing": 52, "planned": 37}
    values = IndicatorValue.objects.filter(year=2024).aggregate(t=Sum("target"), n=models.Count("pk"))
    assert values == {"t": Decimal(112454), "n": 554}
    reviews = dict(
        QuarterlyReview.objects.filter(period__year=2024).values_list("status").annotate(n=models.Count("pk"))
    )
    assert reviews == {"approved": 702, "draft": 7, "returned": 8, "submitted": 8}


def test_demo_has_operational_plans_for_2025_and_2026_over_regions_and_outputs(demo_data: None) -> None:
    for year, expected in ((2025, 121), (2026, 128)):
        activities = Activity.objects.filter(year=year)
        assert activities.count() == expected
        regions = set(activities.values_list("region__code", flat=True))
        assert {"AFR", "AMS", "ARB", "ASP", "CIS", "EUR", None} <= regions
        assert not activities.filter(outputs__isnull=True).exists()
        assert not activities.exclude(outputs__outcome__framework__code="SP2024-2027").exists()
        used = set(activities.values_list("outputs", flat=True))
        assert len(used) >= 20  # spread over the framework's outputs, not piled on a few
        assert Indicator.objects.filter(activity__year=year).count() == (expected + 1) // 2
    # 2025 is over; 2026 is under way in late November.
    assert set(Activity.objects.filter(year=2025).values_list("status", flat=True)) >= {"completed"}
    assert Activity.objects.filter(year=2025, status="completed").count() > 100
    current = set(Activity.objects.filter(year=2026).values_list("status", flat=True))
    assert {"completed", "ongoing"} <= current
    # Created activities are in the audit trail like those entered through the pages.
    activity = Activity.objects.get(year=2026, code="OP26-AFR-01")
    entry = AuditEntry.objects.get(object_id=str(activity.pk), content_type__model="activity")
    assert entry.changes["outputs"][1]
    assert entry.changes["code"] == [None, "OP26-AFR-01"]


def test_demo_reporting_calendar_covers_2025_and_2026(demo_data: None) -> None:
    periods = ReportingPeriod.objects.filter(year__in=(2025, 2026))
    assert periods.count() == 8
    q3 = periods.get(year=2026, quarter=3)
    assert q3.submission_deadline == dt.date(2026, 10, 30)


def test_demo_reviews_2025_all_approved_and_2026_q1_to_q3_in_every_state(demo_data: None) -> None:
    from presence.results.selectors import review_tasks

    reviews_2025 = QuarterlyReview.objects.filter(period__year=2025)
    assert set(reviews_2025.values_list("status", flat=True)) == {"approved"}
    assert set(reviews_2025.values_list("period__quarter", flat=True)) == {1, 2, 3, 4}
    # Every activity of 2025 still planned was reviewed in every quarter.
    reviewed = Activity.objects.filter(year=2025).exclude(status="cancelled")
    assert reviews_2025.filter(activity__isnull=False).count() == 4 * reviewed.count()
    assert reviews_2025.filter(project__isnull=False).exists()

    states_2026 = set(QuarterlyReview.objects.filter(period__year=2026).values_list("status", flat=True))
    assert states_2026 == {"approved", "submitted", "returned", "draft"}
    assert not QuarterlyReview.objects.filter(period__year=2026, period__quarter=4).exists()
    assert set(
        QuarterlyReview.objects.filter(period__year=2026, period__quarter=1).values_list("status", flat=True)
    ) == {"approved"}
    # Decisions come after submissions, and nothing is dated in the future.
    for review in QuarterlyReview.objects.filter(period__year__gte=2025, decided_at__isnull=False):
        assert review.submitted_at is not None
        assert review.submitted_at <= review.decided_at
        assert review.decided_at <= timezone.now()

    kinds = {(task.kind, task.period.year, task.period.quarter) for task in review_tasks(today=TODAY)}
    assert {("overdue", 2026, 3), ("approve", 2026, 3), ("returned", 2026, 3)} <= kinds
    assert not any(year == 2025 for _kind, year, _quarter in kinds)


def test_demo_indicators_have_2025_and_2026_targets_and_results_so_far(demo_data: None) -> None:
    from presence.results.selectors import figures_for

    indicators = list(
        Indicator.objects.filter(outcome__isnull=True, project__isnull=True).prefetch_related("values")
    )
    below: dict[int, float] = {}
    for year, quarters in ((2025, {0, 1, 2, 3, 4}), (2026, {0, 1, 2, 3})):
        assert set(IndicatorValue.objects.filter(year=year).values_list("quarter", flat=True)) == quarters
        progress = [
            result.progress
            for indicator in indicators
            if (result := figures_for(indicator, list(indicator.values.all()), year)).progress is not None
        ]
        assert len(progress) > 50
        below[year] = sum(1 for p in progress if p < 1) / len(progress)
    # A finished year: a minority below target; late in a year under way: more, but not all.
    assert 0.1 < below[2025] < 0.5
    assert below[2025] < below[2026] < 0.9
    outcome_kpi = Indicator.objects.filter(outcome__isnull=False, by_region=True).first()
    assert outcome_kpi is not None
    assert (
        IndicatorValue.objects.filter(
            indicator=outcome_kpi, year=2026, breakdown_region__isnull=False
        ).count()
        == 6
    )


def test_remind_dry_run_today_tells_people_of_2026_q3_reviews(
    demo_data: None, only_results_reminders: None
) -> None:
    out = io.StringIO()
    call_command("remind", "--dry-run", "--date", TODAY.isoformat(), stdout=out)
    blocks = _blocks(out.getvalue())
    assert "review to approve: 2026 Q3" in blocks["afr.approver"]
    assert any("review overdue: 2026 Q3" in text for text in blocks.values())
    assert any("review returned to you: 2026 Q3" in text for text in blocks.values())
    assert not any("2025 Q" in text for text in blocks.values())


@pytest.mark.parametrize("year", [2025, 2026])
def test_dashboard_operational_plan_tiles_are_filled_for_recent_years(demo_data: None, year: int) -> None:
    from presence.dashboard.filters import DashboardFilters
    from presence.dashboard.selectors import dashboard

    admin = get_user_model().objects.get(username="admin")
    board = dashboard(user=admin, filters=DashboardFilters(year=year), links=False)
    section = next(s for s in board.sections if s.key == "results")
    tiles = {figure.key: figure.value for figure in section.figures}
    assert tiles["activities"] == {2025: 121, 2026: 128}[year]
    assert tiles["activities-completed"]
    assert tiles["activities-ongoing"]
    assert tiles["implementation"] is not None
    assert 50 < tiles["implementation"] < 100
    assert tiles["indicators-below"]


def test_every_submitted_recent_review_waits_for_someone_other_than_its_submitter(demo_data: None) -> None:
    from presence.results.selectors import review_tasks

    submitted = QuarterlyReview.objects.filter(period__year__gte=2025, status="submitted")
    assert submitted.exists()
    waiting = {
        task.review.pk
        for task in review_tasks(today=TODAY)
        if task.kind == "approve" and task.review is not None and task.user.pk != task.review.submitted_by_id
    }
    assert set(submitted.values_list("pk", flat=True)) <= waiting
