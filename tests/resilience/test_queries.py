"""The overview, the office page and the lists make as many queries for many records as for few."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from presence.resilience import services
from presence.resilience.models import RequirementResult


def _add_office_data(security, started, office, code: str, n: int) -> None:
    start = dt.date(2024, 1, 1) + dt.timedelta(days=10 * n)
    assessment = started(code, start)
    for requirement in assessment.template.requirements.all():
        services.result_record(
            actor=security,
            assessment=assessment,
            requirement=requirement,
            result=RequirementResult.Result.PARTIAL,
            observation="o",
        )
        finding = services.finding_create(
            actor=security,
            assessment=assessment,
            requirement=requirement,
            title=f"f{n}",
            likelihood=1 + n % 5,
            impact=2,
        )
        services.action_create(actor=security, finding=finding, description="a", due_on=dt.date(2024, 2, 1))
    services.assessment_transition(
        actor=security, assessment=assessment, to="completed", expected_version=None
    )
    services.plan_create(
        actor=security,
        office=office(code),
        kind="bcp",
        edition=str(n),
        approved_on=start,
        next_review_on=start + dt.timedelta(days=400),
    )
    services.installation_create(
        actor=security,
        office=office(code),
        planned_start=start,
        planned_end=start + dt.timedelta(days=60),
        estimated_workdays=Decimal(20),
    )
    services.registration_create(
        actor=security, office=office(code), counted_on=start, registered=5 + n, staff_in_office=10 + n
    )


URLS = [
    "/resilience/",
    "/resilience/offices/dakar/",
    "/resilience/risk-matrix/",
    "/resilience/assessments/",
    "/resilience/findings/",
    "/resilience/actions/",
    "/resilience/plans/",
    "/resilience/installations/",
    "/resilience/installations/timeline/",
    "/resilience/coverage/",
    "/resilience/assessments/?format=csv",
    "/api/resilience/summary",
    "/api/resilience/assessments/",
    "/api/resilience/findings/",
]


@pytest.fixture(autouse=True)
def _figures_computed(settings):
    """The queries of computing each page: the figure cache is off (it is tested in tests/figures)."""
    settings.FIGURE_CACHE_SECONDS = 0


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("role", ["security", "member_state"])
def test_query_count_does_not_grow_with_the_data(
    security, started, office, make_user, login, count_queries, url, role
):
    client = login(security if role == "security" else make_user("ms", ("member_state",)))
    _add_office_data(security, started, office, "dakar", 1)
    client.get(url)  # warm caches (content types, sessions)
    small = count_queries(lambda: client.get(url))
    for n, code in enumerate(["dakar", "harare", "cairo", "bangkok", "dakar", "moscow"], start=2):
        _add_office_data(security, started, office, code, n)
    large = count_queries(lambda: client.get(url))
    assert large == small, url
