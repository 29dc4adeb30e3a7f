"""Fixtures shared by every app's tests: reference data, people with roles, query counting."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.crypto import get_random_string

from presence.org.models import Office, Region, RoleAssignment
from presence.org.reference import load_reference_data
from tests import demo_db


class BrowserClient(Client):
    """A test client with Django's CSRF check on, that sends the CSRF token as the site's pages do.

    Like a browser running a page's script, it keeps the csrftoken cookie and sends its value in
    X-CSRFToken on every unsafe request, so the real check runs on every form and API write.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(enforce_csrf_checks=True, **kwargs)

    def request(self, **request: Any) -> Any:
        if request.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            cookie = self.cookies.get(settings.CSRF_COOKIE_NAME)
            if cookie is None or not cookie.value:
                self.cookies[settings.CSRF_COOKIE_NAME] = get_random_string(
                    CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS
                )
                cookie = self.cookies[settings.CSRF_COOKIE_NAME]
            request.setdefault("HTTP_X_CSRFTOKEN", cookie.value)
        return super().request(**request)


@pytest.fixture
def client() -> Client:
    """The standard test client, with CSRF enforced (see BrowserClient)."""
    return BrowserClient()


@pytest.fixture
def token_client(db: Any) -> Callable[..., Client]:
    """token_client(user, access="read_write") -> a client that sends only that user's new Bearer token.

    No cookie, no session, CSRF enforced: what a script using a personal access token sends.
    """

    def factory(user: Any, access: str = "read_write") -> Client:
        from presence.org.services import token_create

        _record, token = token_create(user=user, name="test script", access=access)
        return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {token}"})

    return factory


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: tests also write records past the services, which a
    cached figure cannot see (the application itself writes only through them)."""
    cache.clear()


@pytest.fixture(autouse=True)
def _english_between_tests() -> Iterator[None]:
    """A request through LocaleMiddleware leaves its language active in the thread: reset it."""
    yield
    translation.deactivate()


SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """The reference material beside the project; tests that need it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared (reference material) is not present beside the project")
    return SHARED


@pytest.fixture(scope="session", autouse=True)
def _demo_shared_between_processes(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Under pytest-xdist, the processes of the run share one build of the demo (tests/demo_db.py) in
    the run's temporary folder (pytest keeps the last three runs' folders)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        demo_db.shared_dir = tmp_path_factory.getbasetemp().parent


@pytest.fixture(scope="module")
def demo_module(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo data for the module, built once per test run (tests/demo_db.py), gone at its end."""
    with django_db_blocker.unblock(), demo_db.demo_loaded():
        yield


@pytest.fixture
def demo(demo_module: None, db: Any) -> None:
    """The demo data (each test's own changes are rolled back, as usual)."""


@pytest.fixture
def reference(module_reference: bool, db: Any) -> None:
    """The reference data: the module's copy (`module_reference`), or loaded in the test's transaction."""
    if not module_reference:
        load_reference_data()


@pytest.fixture(scope="module")
def reference_module(django_db_setup: Any, django_db_blocker: Any) -> Iterator[bool]:
    """The reference data for a module whose every test needs it, copied in once (tests/demo_db.py);
    True when it was."""
    with django_db_blocker.unblock(), demo_db.reference_loaded() as loaded:
        yield loaded


SHARING_MODULES = pytest.StashKey[set[str]]()
# Fixtures of tests that commit: a flush at their end would take a module's copy away.
COMMITTING = {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


def _reads_reference_in_its_transaction(item: pytest.Item) -> bool:
    """Whether the test asks for the reference data, commits nothing and brings no database of its own
    (no module- or session-wide fixture of the suite that writes to the database: a demo's copy)."""
    names = set(getattr(item, "fixturenames", ()))
    if "reference" not in names or names & COMMITTING:
        return False
    marker = item.get_closest_marker("django_db")
    committing = ("transaction", "reset_sequences", "serialized_rollback")
    if marker is not None and (marker.args[:1] == (True,) or any(map(marker.kwargs.get, committing))):
        return False
    definitions = getattr(item, "_fixtureinfo", None)
    for name, fixturedefs in definitions.name2fixturedefs.items() if definitions else ():
        fixturedef = fixturedefs[-1]
        if (
            name not in ("reference_module", "module_reference")
            and fixturedef.baseid  # the suite's own fixtures (pytest-django's have none)
            and fixturedef.scope != "function"
            and "django_db_blocker" in fixturedef.argnames
        ):
            return False
    return True


@pytest.fixture(scope="module", autouse=True)
def module_reference(request: pytest.FixtureRequest) -> bool:
    """True when the module's tests share one copy of the reference data (`reference_module`): each of
    them asks for it and none commits. Each test still starts from the same data and its changes are
    rolled back; a module where any test expects no reference data keeps loading it per test."""
    if SHARING_MODULES not in request.config.stash:
        by_module: dict[str, list[pytest.Item]] = {}
        for item in request.session.items:
            by_module.setdefault(item.nodeid.split("::")[0], []).append(item)
        request.config.stash[SHARING_MODULES] = {
            module
            for module, items in by_module.items()
            if all(map(_reads_reference_in_its_transaction, items))
        }
    if request.node.nodeid not in request.config.stash[SHARING_MODULES]:
        return False
    return bool(request.getfixturevalue("reference_module"))


@pytest.fixture
def region(reference: None) -> Callable[[str], Region]:
    return lambda code: Region.objects.get(code=code)


@pytest.fixture
def office(reference: None) -> Callable[[str], Office]:
    return lambda code: Office.objects.get(code=code)


def create_user(name: str, *grants: tuple[str, ...], superuser: bool = False) -> Any:
    """A user holding those role assignments: each grant is (role,) for global, (role, "AFR") for a
    region, (role, "office:dakar") for an office."""
    user = get_user_model().objects.create_user(
        username=name,
        password="pw",
        email=f"{name}@example.org",
        is_superuser=superuser,
        is_staff=superuser,
    )
    for grant in grants:
        role, scope = grant[0], (grant[1] if len(grant) > 1 else "")
        if scope.startswith("office:"):
            RoleAssignment.objects.create(user=user, role=role, office=Office.objects.get(code=scope[7:]))
        elif scope:
            RoleAssignment.objects.create(user=user, role=role, region=Region.objects.get(code=scope))
        else:
            RoleAssignment.objects.create(user=user, role=role)
    return user


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """make_user("afr-editor", ("editor", "AFR")) -> a user holding those role assignments (create_user)."""
    counter = {"n": 0}

    def factory(username: str | None = None, *grants: tuple[str, ...], superuser: bool = False) -> Any:
        counter["n"] += 1
        return create_user(username or f"user{counter['n']}", *grants, superuser=superuser)

    return factory


@pytest.fixture
def admin_user(reference: None, make_user: Callable[..., Any]) -> Any:
    return make_user("hq-admin", ("admin",))


@pytest.fixture
def login(client: Any) -> Callable[[Any], Any]:
    def do(user: Any) -> Any:
        client.force_login(user)
        return client

    return do


@pytest.fixture
def count_queries(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[], Any]], int]:
    """Run a callable and return how many SQL queries it made.

    A logged-in session's last-seen stamp is rewritten at most once a minute (`SEEN_RESOLUTION`);
    that write belongs to no page, and on a slow machine it used to land in one page's count and not
    in the same page's count a minute earlier. While counting, it is never due.
    """
    monkeypatch.setattr("presence.core.auth.SEEN_RESOLUTION", 10**9)

    def run(action: Callable[[], Any]) -> int:
        with CaptureQueriesContext(connection) as captured:
            action()
        return len(captured.captured_queries)

    return run


# The modules that take longest (seconds of one process, docs/benchmarks.md "The test suite"), longest
# first. `make test` runs the suite with `--dist loadfile --no-loadscope-reorder`: each module is one
# process's unit of work, handed out in this order, so a long module started last cannot leave the other
# process idle at the end. The other modules follow, those with most tests first. The second needs no
# demo: that process runs it while the first builds the demo they share (tests/demo_db.py).
LONGEST_FIRST = (
    "tests/e2e/test_dashboard.py",
    "tests/kit/test_records.py",
    "tests/e2e/test_accessibility.py",
    "tests/e2e/test_no_external_requests.py",
    "tests/org/test_personal_data_crawl.py",
    "tests/bench/test_pages.py",
    "tests/org/test_scope_matrix.py",
    "tests/dashboard/test_pages.py",
    "tests/core/test_list_filters.py",
    "tests/kit/test_filters.py",
    "tests/core/test_admin.py",
    "tests/dashboard/test_rows_constant.py",
    "tests/core/test_production.py",
    "tests/e2e/test_council.py",
    "tests/staffing/test_periods.py",
    "tests/resilience/test_confidentiality.py",
    "tests/resilience/test_demo.py",
    "tests/dashboard/test_reviews.py",
    "tests/results/test_indicator_rows_sql.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each module's tests stay together and in their order; the modules go in LONGEST_FIRST's order."""
    by_module: dict[str, list[pytest.Item]] = {}
    for item in items:
        by_module.setdefault(item.nodeid.split("::")[0], []).append(item)
    rank = {module: n for n, module in enumerate(LONGEST_FIRST)}
    modules = sorted(by_module, key=lambda module: (rank.get(module, len(rank)), -len(by_module[module])))
    items[:] = [item for module in modules for item in by_module[module]]
