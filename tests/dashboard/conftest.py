"""Demo data for the dashboard tests, loaded once per module inside a transaction rolled back at its end."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def demo_user(demo: None) -> Callable[[str], Any]:
    return lambda username: get_user_model().objects.get(username=username)


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
