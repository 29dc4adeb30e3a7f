"""Cached figures that never lie: keyed by the data version that every write changes.

A heavy figure (a dashboard, Table 1, the resilience overview) is computed once per data version,
audience, language and parameters, and read from Django's cache (`CACHE_URL`: local memory, or
Redis shared by several app servers) until a write changes the version. The version is one row in
the database (`DataVersion`), changed by `bump()` in the same transaction as the write, so every app
server sees it change exactly when the written data becomes visible. See docs/architecture.md.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from presence.core.models import DataVersion

T = TypeVar("T")

VERSION_PK = 1


def bump() -> None:
    """Give the data a new version. Call it inside the transaction that writes."""
    token, now = secrets.token_hex(16), timezone.now()
    if not DataVersion.objects.filter(pk=VERSION_PK).update(token=token, changed_at=now):
        DataVersion.objects.update_or_create(pk=VERSION_PK, defaults={"token": token, "changed_at": now})


def current() -> str | None:
    """The data version now, as this connection sees it (None before the row exists)."""
    return DataVersion.objects.filter(pk=VERSION_PK).values_list("token", flat=True).first()


def key(name: str, *, audience: str, parts: Any) -> str | None:
    """The cache key of figure `name` for this audience and these parameters at the current version."""
    version = current()
    if version is None:
        return None
    digest = hashlib.sha256(repr((audience, parts)).encode()).hexdigest()[:32]
    return f"figures:{name}:{version}:{translation.get_language() or ''}:{digest}"


def cached(name: str, *, audience: str, parts: Any, compute: Callable[[], T]) -> T:
    """`compute()`, or what it answered for the same audience, parameters and data version.

    `audience` must distinguish every two users who may see different figures (the grants
    fingerprint of `presence.org.access.audience`); `parts` every parameter the figure depends on,
    as a value whose repr is stable (strings, numbers, tuples, dataclasses of them).
    """
    seconds = settings.FIGURE_CACHE_SECONDS
    found = key(name, audience=audience, parts=parts) if seconds else None
    if found is None:
        return compute()
    value: T | None = cache.get(found)
    if value is None:
        value = compute()
        cache.set(found, value, seconds)
    return value
