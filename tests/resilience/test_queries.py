"""The overview, the office page and the lists make as many queries for many records as for few.

The records are written once for the module (some hundred service calls) and every page is measured for
both roles on them, in a transaction rolled back before the tests; each test checks one page and role.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from presence.org.models import Office, RoleAssignment
from presence.org.reference import load_reference_data
from presence.resilience import services
from presence.resilience.models import AssessmentTemplate, RequirementResult

from .conftest import build_template, start_assessment

ROLES = ("security", "member_state")


def _add_office_data(security: Any, template: AssessmentTemplate, code: str, n: int) -> None:
    start = dt.date(2024, 1, 1) + dt.timedelta(days=10 * n)
    office = Office.objects.get(code=code)
    assessment = start_assessment(security, template, office, start)
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
        office=office,
        kind="bcp",
        edition=str(n),
        approved_on=start,
        next_review_on=start + dt.timedelta(days=400),
    )
    services.installation_create(
        actor=security,
        office=office,
        planned_start=start,
        planned_end=start + dt.timedelta(days=60),
        estimated_workdays=Decimal(20),
    )
    services.registration_create(
        actor=security, office=office, counted_on=start, registered=5 + n, staff_in_office=10 + n
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


def _user(username: str, role: str) -> Any:
    user = get_user_model().objects.create_user(username=username, password="pw")
    RoleAssignment.objects.create(user=user, role=role)
    return user


def _queries(client: Client, url: str) -> int:
    """The queries of a request to `url`, once the per-process caches are filled by a first one."""
    cache.clear()  # as at the start of a test
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


@pytest.fixture(scope="module")
def measured(django_db_setup: Any, django_db_blocker: Any) -> dict[str, dict[tuple[str, str], int]]:
    """Each page's queries for each role, with one office's records, then with seven offices' records.

    What computing each page costs: the figure cache is off (it is tested in tests/figures).
    """
    with django_db_blocker.unblock(), override_settings(FIGURE_CACHE_SECONDS=0), transaction.atomic():
        load_reference_data()
        security = _user("sec", "security")
        clients = {}
        for role, user in (("security", security), ("member_state", _user("ms", "member_state"))):
            clients[role] = Client()
            clients[role].force_login(user)
        template = build_template(security)
        _add_office_data(security, template, "dakar", 1)
        small = {(role, url): _queries(clients[role], url) for role in ROLES for url in URLS}
        for n, code in enumerate(["dakar", "harare", "cairo", "bangkok", "dakar", "moscow"], start=2):
            _add_office_data(security, template, code, n)
        large = {(role, url): _queries(clients[role], url) for role in ROLES for url in URLS}
        transaction.set_rollback(True)
    return {"small": small, "large": large}


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("role", ROLES)
def test_query_count_does_not_grow_with_the_data(measured, db, url, role):
    assert measured["small"][role, url] > 0
    assert measured["large"][role, url] == measured["small"][role, url], url
