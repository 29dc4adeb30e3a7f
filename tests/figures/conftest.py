"""Helpers for the cache tests: the dashboard API as a user sees it, cached and computed afresh."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

DASHBOARD = "/api/dashboard/?year=2024"


@pytest.fixture
def demo_user(demo: None) -> Callable[[str], Any]:
    return lambda username: get_user_model().objects.get(username=username)


@pytest.fixture
def sees(settings: Any) -> Callable[..., Any]:
    """sees(user, url) -> the JSON the user gets; fresh=True computes it with the cache turned off."""

    def get(user: Any, url: str = DASHBOARD, *, fresh: bool = False) -> Any:
        client = Client()
        client.force_login(user)
        kept = settings.FIGURE_CACHE_SECONDS
        if fresh:
            settings.FIGURE_CACHE_SECONDS = 0
        try:
            response = client.get(url)
        finally:
            settings.FIGURE_CACHE_SECONDS = kept
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        body.pop("as_of", None)
        return _without_times(body)

    return get


def _without_times(value: Any) -> Any:
    """The figures without their as_of times (a cached figure keeps the time it was counted)."""
    if isinstance(value, dict):
        return {k: _without_times(v) for k, v in value.items() if k != "as_of"}
    if isinstance(value, list):
        return [_without_times(v) for v in value]
    return value
