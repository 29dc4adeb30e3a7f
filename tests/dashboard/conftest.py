"""Demo data for the dashboard tests, loaded once per module inside a transaction rolled back at its end."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo_module(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_module: None, db: Any) -> None:
    """The demo data (each test's own changes are rolled back, as usual)."""


@pytest.fixture
def demo_user(demo: None) -> Callable[[str], Any]:
    return lambda username: get_user_model().objects.get(username=username)


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
