"""Strict readers of environment variables: a bad value stops the start with the variable's name."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvReader:
    """Reads typed values from a mapping (the process environment by default)."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: str) -> str | None:
        value = self.environ.get(name)
        return None if value is None else value.strip()

    def get_str(self, name: str, default: str | None = None, *, required: bool = False) -> str:
        value = self._raw(name)
        if value is None or value == "":
            if required:
                raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
            if default is None:
                raise ImproperlyConfigured(f"Environment variable {name} is not set and has no default.")
            return default
        return value

    def get_bool(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(
            f"Environment variable {name}={value!r} is not a boolean; "
            "use one of 1/0, true/false, yes/no, on/off."
        )

    def get_int(
        self, name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        value = self._raw(name)
        if value is None or value == "":
            return default
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"Environment variable {name}={value!r} is not an integer.") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(
                f"Environment variable {name}={number} is below the minimum {minimum}."
            )
        if maximum is not None and number > maximum:
            raise ImproperlyConfigured(
                f"Environment variable {name}={number} is above the maximum {maximum}."
            )
        return number

    def get_list(self, name: str, default: list[str]) -> list[str]:
        value = self._raw(name)
        if value is None:
            return list(default)
        items = [item.strip() for item in value.split(",")]
        if any(item == "" for item in items):
            raise ImproperlyConfigured(
                f"Environment variable {name}={value!r} has an empty item; "
                "separate values with single commas."
            )
        return items

    def get_choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.get_str(name, default)
        if value not in choices:
            raise ImproperlyConfigured(
                f"Environment variable {name}={value!r} is not one of: {', '.join(choices)}."
            )
        return value

    def get_header_pair(self, name: str) -> tuple[str, str] | None:
        """A request header and the value that marks it secure, e.g. "X-Forwarded-Proto,https".

        Returns the pair as Django reads it from request.META (("HTTP_X_FORWARDED_PROTO", "https")),
        or None when the variable is unset or empty.
        """
        value = self._raw(name)
        if not value:
            return None
        parts = [part.strip() for part in value.split(",")]
        if len(parts) != 2 or not all(parts) or not re.fullmatch(r"[A-Za-z0-9_-]+", parts[0]):
            raise ImproperlyConfigured(
                f"Environment variable {name}={value!r} is not a header name and a value separated by "
                "a comma, e.g. X-Forwarded-Proto,https."
            )
        header = parts[0].upper().replace("-", "_")
        if not header.startswith("HTTP_"):
            header = f"HTTP_{header}"
        return header, parts[1]

    def get_database(self, name: str, default: str) -> dict[str, object]:
        import dj_database_url

        url = self.get_str(name, default)
        scheme = url.split(":", 1)[0]
        if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
            raise ImproperlyConfigured(
                f"Environment variable {name} uses the unsupported scheme {scheme!r}; "
                "use sqlite:///path or postgres://user@host:port/name."
            )
        try:
            config = dj_database_url.parse(url, conn_max_age=60 if scheme != "sqlite" else 0)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"Environment variable {name} is not a valid database URL: {exc}"
            ) from None
        if not config.get("NAME"):
            raise ImproperlyConfigured(f"Environment variable {name} does not name a database.")
        return dict(config)

    def get_cache(self, name: str, default: str = "locmem://") -> dict[str, object]:
        """Django's default cache from a URL: locmem:// (this process's memory) or redis://host:port/db."""
        url = self.get_str(name, default)
        scheme = url.split(":", 1)[0]
        if scheme == "locmem":
            return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if scheme in {"redis", "rediss"}:
            if not re.fullmatch(r"rediss?://([^/@\s]+@)?[A-Za-z0-9_.\-\[\]:]+(:\d+)?(/\d+)?", url):
                raise ImproperlyConfigured(
                    f"Environment variable {name}={url!r} is not a Redis URL; use redis://host:port/db, "
                    "e.g. redis://127.0.0.1:6379/1."
                )
            return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        raise ImproperlyConfigured(
            f"Environment variable {name} uses the unsupported scheme {scheme!r}; "
            "use locmem:// or redis://host:port/db."
        )
