"""Settings readers fail at start with a message naming the variable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from presence.env import EnvReader


def test_bad_boolean_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        EnvReader({"DEBUG": "maybe"}).get_bool("DEBUG", False)


def test_required_secret_key_missing_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        EnvReader({}).get_str("SECRET_KEY", required=True)


def test_database_url_with_unknown_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        EnvReader({"DATABASE_URL": "mongodb://x/y"}).get_database("DATABASE_URL", "sqlite:///x.db")


def test_database_url_for_postgres_is_parsed():
    config = EnvReader({"DATABASE_URL": "postgres://u@127.0.0.1:5432/presence"}).get_database(
        "DATABASE_URL", ""
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "presence"


def test_cache_url_is_local_memory_by_default_or_redis():
    assert EnvReader({}).get_cache("CACHE_URL")["BACKEND"].endswith("LocMemCache")
    redis = EnvReader({"CACHE_URL": "redis://127.0.0.1:6379/1"}).get_cache("CACHE_URL")
    assert redis == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }
    for bad in ("memcached://127.0.0.1:11211", "redis://", "redis://host:port/db"):
        with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
            EnvReader({"CACHE_URL": bad}).get_cache("CACHE_URL")


def test_integer_bounds_and_lists():
    assert EnvReader({"PORT": "8080"}).get_int("PORT", 8000, minimum=1, maximum=65535) == 8080
    with pytest.raises(ImproperlyConfigured, match="PORT"):
        EnvReader({"PORT": "http"}).get_int("PORT", 8000)
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        EnvReader({"ALLOWED_HOSTS": "a,,b"}).get_list("ALLOWED_HOSTS", [])
    assert EnvReader({"ALLOWED_HOSTS": "a, b"}).get_list("ALLOWED_HOSTS", []) == ["a", "b"]


def test_production_without_secret_key_fails_at_start():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import presence.settings"],
        env={"PRESENCE_ENV": "production", "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
