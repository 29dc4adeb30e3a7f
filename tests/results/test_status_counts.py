"""The dashboard's indicator statuses, counted in the database, are the statuses the indicator list
shows, for every year and place of the demo (on SQLite and on PostgreSQL alike)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from presence.results.selectors import PROGRESS_FILTERS, indicator_rows, indicator_status_counts

PLACES = ({}, {"region": "AFR"}, {"region": "ASP"}, {"office": "dakar"})


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_status_counts_are_the_list_statuses(demo: None, year: int) -> None:
    for username in ("admin", "delegate", "dakar.editor"):
        user: Any = get_user_model().objects.get(username=username)
        for place in PLACES:
            listed = Counter(row.status for row in indicator_rows(user=user, year=year, **place))
            counts = indicator_status_counts(user=user, year=year, **place)
            assert counts == {name: listed.get(name, 0) for name in PROGRESS_FILTERS}, (username, place)
    everyone = indicator_status_counts(user=get_user_model().objects.get(username="admin"), year=year)
    assert sum(everyone.values()) > 0
