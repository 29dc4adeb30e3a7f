"""Indicators and quarterly reviews sit where the project or activity they belong to sits, after a move too.

They keep their own copy of its region and office (so access has one path); a move of the project
(portfolio's `project_update`, whichever client calls it) or of the activity writes the copies through
the versioned, audited path, so the office the record left can no longer edit or count them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from presence.core.errors import AccessDenied
from presence.core.models import AuditEntry
from presence.org.access import Action, can, restrict
from presence.org.models import Office, Region
from presence.portfolio import services as portfolio
from presence.portfolio.models import Project
from presence.results import services
from presence.results.models import Indicator, QuarterlyReview
from presence.results.selectors import indicator_rows
from tests.results.conftest import TODAY, Plan


@pytest.fixture
def people(make_user: Callable[..., Any], reference: None) -> dict[str, Any]:
    return {
        "admin": make_user("hq.admin", ("admin",)),
        "dakar": make_user("dakar.editor", ("editor", "office:dakar")),
        "harare": make_user("harare.editor", ("editor", "office:harare")),
        "afr": make_user("afr.editor", ("editor", "AFR")),
    }


@pytest.fixture
def project(plan: Plan, people: dict[str, Any]) -> Project:
    """A Dakar project with a KPI and a draft review of Q1 2024, all written by the Dakar editor."""
    project = portfolio.project_create(
        actor=people["dakar"],
        code="9RAF24077",
        title="Schools online",
        status=Project.Status.IMPLEMENTATION,
        planned_start=dt.date(2024, 1, 1),
        planned_end=dt.date(2025, 12, 31),
        region=plan.afr,
        lead_office=plan.dakar,
    )
    services.indicator_create(actor=people["dakar"], code="P-1", name="Schools connected", project=project)
    services.review_create(
        actor=people["dakar"], period=plan.q1, project=project, today=TODAY, progress="Started"
    )
    return project


def _move(actor: Any, project: Project, **fields: Any) -> Project:
    return portfolio.project_update(actor=actor, project=project, expected_version=project.version, **fields)


def test_indicators_and_reviews_of_a_project_moved_from_dakar_to_harare_sit_at_harare(
    project: Project, people: dict[str, Any]
) -> None:
    harare = Office.objects.get(code="harare")
    indicator = Indicator.objects.get(project=project)
    review = QuarterlyReview.objects.get(project=project)

    _move(people["admin"], project, lead_office=harare)

    for record, before in ((indicator, indicator.version), (review, review.version)):
        record.refresh_from_db()
        assert (record.region.code, record.office.code) == ("AFR", "harare")
        assert record.version == before + 1
        entry = AuditEntry.objects.filter(object_id=str(record.pk), reason__contains="9RAF24077").get(
            content_type__model=type(record)._meta.model_name
        )
        assert entry.reason == "Moved with project 9RAF24077"
        assert entry.changes["office"] == [str(Office.objects.get(code="dakar")), str(harare)]
        assert entry.actor == people["admin"]


def test_dakar_editor_can_no_longer_edit_the_indicators_and_reviews_of_a_project_moved_to_harare(
    project: Project, people: dict[str, Any]
) -> None:
    _move(people["admin"], project, lead_office=Office.objects.get(code="harare"))
    indicator = Indicator.objects.get(project=project)
    review = QuarterlyReview.objects.get(project=project)

    for record in (indicator, review):
        assert not can(people["dakar"], Action.CHANGE, record)
        assert can(people["harare"], Action.CHANGE, record)
    assert not restrict(Indicator.objects.all(), people["dakar"], Action.CHANGE).exists()
    assert not restrict(QuarterlyReview.objects.all(), people["dakar"], Action.CHANGE).exists()
    with pytest.raises(AccessDenied):
        services.indicator_update(
            actor=people["dakar"], indicator=indicator, expected_version=indicator.version, name="Renamed"
        )
    with pytest.raises(AccessDenied):
        services.review_update(
            actor=people["dakar"], review=review, expected_version=review.version, today=TODAY, risks="None"
        )
    services.review_update(
        actor=people["harare"],
        review=review,
        expected_version=review.version,
        today=TODAY,
        risks="Power cuts",
    )


def test_indicators_of_a_project_moved_to_harare_are_counted_under_harare_not_dakar(
    project: Project, people: dict[str, Any]
) -> None:
    _move(people["admin"], project, lead_office=Office.objects.get(code="harare"))

    assert [
        row.indicator.code for row in indicator_rows(user=people["admin"], year=2024, office="harare")
    ] == ["P-1"]
    assert list(indicator_rows(user=people["admin"], year=2024, office="dakar")) == []


def test_indicators_and_reviews_follow_a_project_moved_to_another_region_through_the_api(
    project: Project, people: dict[str, Any], client: Any
) -> None:
    client.force_login(people["admin"])
    etag = client.get(f"/api/portfolio/projects/{project.code}")["ETag"]

    response = client.patch(
        f"/api/portfolio/projects/{project.code}",
        {"region": "MUL", "lead_office": "geneva"},
        content_type="application/json",
        headers={"If-Match": etag},
    )

    assert response.status_code == 200, response.content
    mul, hq = Region.objects.get(code="MUL"), Office.objects.get(code="geneva")
    assert set(Indicator.objects.filter(project=project).values_list("region", "office")) == {(mul.pk, hq.pk)}
    assert set(QuarterlyReview.objects.filter(project=project).values_list("region", "office")) == {
        (mul.pk, hq.pk)
    }


def test_a_project_edit_that_does_not_move_it_leaves_its_indicators_and_reviews_unwritten(
    project: Project, people: dict[str, Any]
) -> None:
    versions = sorted(Indicator.objects.values_list("version", flat=True)) + sorted(
        QuarterlyReview.objects.values_list("version", flat=True)
    )

    _move(people["dakar"], project, title="Schools online, phase 2")

    assert versions == sorted(Indicator.objects.values_list("version", flat=True)) + sorted(
        QuarterlyReview.objects.values_list("version", flat=True)
    )


def test_indicators_and_reviews_of_an_activity_moved_to_harare_are_versioned_and_audited(
    plan: Plan, people: dict[str, Any]
) -> None:
    activity = plan.make_activity(office=plan.dakar)
    indicator = services.indicator_create(
        actor=people["dakar"], code="A-1", name="Trained", activity=activity
    )
    review = services.review_create(actor=people["dakar"], period=plan.q1, activity=activity, today=TODAY)

    services.activity_update(
        actor=people["afr"],
        activity=activity,
        expected_version=activity.version,
        responsible_office=Office.objects.get(code="harare"),
    )

    for record, before in ((indicator, indicator.version), (review, review.version)):
        record.refresh_from_db()
        assert record.office.code == "harare"
        assert record.version == before + 1
        assert AuditEntry.objects.filter(
            object_id=str(record.pk),
            content_type__model=type(record)._meta.model_name,
            reason=f"Moved with activity {activity.code}",
        ).exists()


def test_portfolio_imports_nothing_from_results() -> None:
    """Results depends on portfolio, never the reverse: the follower is registered from results."""
    portfolio_dir = Path(portfolio.__file__).parent
    offenders = [
        str(path.relative_to(portfolio_dir))
        for path in portfolio_dir.rglob("*.py")
        if "presence.results" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_regional_admin_cannot_reopen_the_review_of_a_multi_regional_project_led_by_an_office_of_theirs(
    plan: Plan, make_user: Callable[..., Any]
) -> None:
    """The administrator check of closed quarters and reopening is org.access's region AND office rule:
    records of MUL led by Dakar are left to global grants, as for every other change."""
    project = Project.objects.create(
        code="9MUL24001",
        title="Multi-regional study",
        planned_start=dt.date(2024, 1, 1),
        planned_end=dt.date(2024, 12, 31),
        region=Region.objects.get(code="MUL"),
        lead_office=plan.dakar,
    )
    review = QuarterlyReview.objects.create(
        period=plan.q1, project=project, region=project.region, office=plan.dakar, status="approved"
    )
    afr_admin = make_user("afr.admin", ("admin", "AFR"), ("viewer",))
    global_admin = make_user("hq.admin", ("admin",))

    assert not services.is_admin_for(afr_admin, review)
    with pytest.raises(AccessDenied):
        services.review_reopen(actor=afr_admin, review=review, expected_version=review.version, reason="Typo")
    review.refresh_from_db()
    assert (review.status, review.version) == ("approved", 1)
    reopened = services.review_reopen(
        actor=global_admin, review=review, expected_version=review.version, reason="Typo"
    )
    assert reopened.status == "draft"
