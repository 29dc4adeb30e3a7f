"""The overview, the office page and the lists make as many queries for many records as for few."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from presence.org.models import Office
from presence.org.reference import load_reference_data
from presence.resilience import services
from presence.resilience.models import RequirementResult
from tests import demo_db
from tests.conftest import BrowserClient, create_user
from tests.resilience.conftest import assessment_started, weighted_template


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


ROLES = ("security", "member_state")


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


@pytest.fixture(scope="module")
def counted(django_db_setup: Any, django_db_blocker: Any) -> dict[tuple[str, str], tuple[int, int]]:
    """Each page's queries for each role with one office's data, then with seven offices' data.

    Measured once for the module, in one transaction rolled back at the end. The figure cache is off (it
    is tested in tests/figures), and a session's last-seen stamp is never due (see `count_queries`).
    """
    with (
        django_db_blocker.unblock(),
        demo_db.reference_loaded() as copied,
        override_settings(FIGURE_CACHE_SECONDS=0),
        pytest.MonkeyPatch.context() as patch,
        transaction.atomic(),
    ):
        patch.setattr("presence.core.auth.SEEN_RESOLUTION", 10**9)
        if not copied:
            load_reference_data()
        security = create_user("sec", ("security",))
        clients = {"security": BrowserClient(), "member_state": BrowserClient()}
        clients["security"].force_login(security)
        clients["member_state"].force_login(create_user("ms", ("member_state",)))
        template = weighted_template(security)

        def office(code: str) -> Office:
            return Office.objects.get(code=code)

        def started(code: str, start: dt.date) -> Any:
            return assessment_started(security, template, office(code), start)

        _add_office_data(security, started, office, "dakar", 1)
        small = {}
        for role in ROLES:
            for url in URLS:
                clients[role].get(url)  # warm caches (content types, sessions)
                small[role, url] = _queries(clients[role], url)
        for n, code in enumerate(["dakar", "harare", "cairo", "bangkok", "dakar", "moscow"], start=2):
            _add_office_data(security, started, office, code, n)
        counts = {key: (queries, _queries(clients[key[0]], key[1])) for key, queries in small.items()}
        transaction.set_rollback(True)
    return counts


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("role", ROLES)
def test_query_count_does_not_grow_with_the_data(counted, db, url, role):
    small, large = counted[role, url]
    assert large == small, url
