"""Fixtures shared by every app's tests: reference data, people with roles, query counting."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from presence.org.models import Office, Region, RoleAssignment
from presence.org.reference import load_reference_data


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


@pytest.fixture
def reference(db: Any) -> None:
    load_reference_data()


@pytest.fixture
def region(reference: None) -> Callable[[str], Region]:
    return lambda code: Region.objects.get(code=code)


@pytest.fixture
def office(reference: None) -> Callable[[str], Office]:
    return lambda code: Office.objects.get(code=code)


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """make_user("afr-editor", ("editor", "AFR")) -> a user holding those role assignments.

    Each grant is (role,) for global, (role, "AFR") for a region, (role, "office:dakar") for an office.
    """
    counter = {"n": 0}

    def factory(username: str | None = None, *grants: tuple[str, ...], superuser: bool = False) -> Any:
        counter["n"] += 1
        name = username or f"user{counter['n']}"
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
def count_queries() -> Callable[[Callable[[], Any]], int]:
    """Run a callable and return how many SQL queries it made."""

    def run(action: Callable[[], Any]) -> int:
        with CaptureQueriesContext(connection) as captured:
            action()
        return len(captured.captured_queries)

    return run
