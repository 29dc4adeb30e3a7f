"""Demo data for the dashboard tests, and a way to grow it to measure query counts."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


@pytest.fixture
def demo(db: Any) -> None:
    call_command("demo", stdout=io.StringIO())


@pytest.fixture
def demo_user(demo: None) -> Any:
    return lambda username: get_user_model().objects.get(username=username)


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
