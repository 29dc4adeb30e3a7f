"""The figure cache on Redis, as several app servers share it (CACHE_URL=redis://...).

Runs against CACHE_URL when it names Redis, else against redis://127.0.0.1:6379/15; skipped, with
the reason, when no Redis answers there.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.core.cache import caches

from presence.core import figures
from presence.env import EnvReader

URL = os.environ.get("CACHE_URL", "") if os.environ.get("CACHE_URL", "").startswith("redis") else ""
URL = URL or "redis://127.0.0.1:6379/15"


def _reachable(url: str) -> str:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"Redis is not reachable at {url} ({error}); start redis-server to run this test"
    return ""


@pytest.fixture
def on_redis(settings: Any) -> None:
    reason = _reachable(URL)
    if reason:
        pytest.skip(reason)
    settings.CACHES = {"default": {**EnvReader({"CACHE_URL": URL}).get_cache("CACHE_URL"), "KEY_PREFIX": "t"}}
    caches["default"].clear()


def test_a_figure_cached_on_redis_is_read_by_another_app_server_until_a_write(
    on_redis: None, admin_user: Any, office: Any
) -> None:
    from django.core.cache.backends.redis import RedisCache

    from presence.org import services as org

    assert isinstance(caches["default"], RedisCache)
    computed = []

    def compute() -> list[str]:
        computed.append("x")
        return ["figure"]

    key = figures.key("test", audience="a", parts=())
    assert figures.cached("test", audience="a", parts=(), compute=compute) == ["figure"]
    # Another app server: its own connection to the same Redis database finds the entry.
    other = RedisCache(URL, {"KEY_PREFIX": "t"})
    assert other.get(key) == ["figure"]
    assert figures.cached("test", audience="a", parts=(), compute=compute) == ["figure"]
    assert len(computed) == 1

    dakar = office("dakar")
    org.office_update(actor=admin_user, office=dakar, expected_version=dakar.version, name="Dakar office")

    assert figures.key("test", audience="a", parts=()) != key
    figures.cached("test", audience="a", parts=(), compute=compute)
    assert len(computed) == 2


def test_the_dashboard_on_redis_is_cached_and_follows_a_write(
    on_redis: None, admin_user: Any, office: Any, sees: Any
) -> None:
    from presence.org import services as org

    before = sees(admin_user)
    assert sees(admin_user) == before
    dakar = office("dakar")
    org.office_update(
        actor=admin_user, office=dakar, expected_version=dakar.version, closed_on=dt.date(2020, 1, 1)
    )
    after = sees(admin_user)
    assert after != before
    assert after == sees(admin_user, fresh=True)
