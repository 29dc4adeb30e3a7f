"""Cached figures that never lie: keyed by the versions of the data they read, which every write changes.

A heavy figure (a dashboard section, Table 1, the resilience overview) is computed once per data
version, audience, language and parameters, and read from Django's cache (`CACHE_URL`: local memory,
or Redis shared by several app servers) until a write changes the version. Versions are rows in the
database (`DataVersion`), one per domain (an app's records: "portfolio", "staffing"...) and one for
all records, changed by `bump()` in the same transaction as the write, so every app server sees a
version change exactly when the written data becomes visible.

A figure names the domains it reads (`domains=`); a write to another domain leaves it cached. A figure
that names none depends on every write. See docs/architecture.md.
"""

from __future__ import annotations

import hashlib
import pickle
import secrets
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from presence.core.models import DataVersion

T = TypeVar("T")

# The version every write changes.
ALL = "all"
# The domains figures may name: the apps whose records they read. Reference data (regions, offices,
# countries) and access grants are "org", which every figure should name.
DOMAINS = ("org", "portfolio", "results", "staffing", "engagement", "resilience", "mandates", "council")


def bump(*domains: str) -> None:
    """Give the records of `domains` (an app label each; none: every domain) and all records a new
    version. Call it inside the transaction that writes."""
    token, now = secrets.token_hex(16), timezone.now()
    named = {ALL, *(domains or DOMAINS)}
    rows = DataVersion.objects.filter(domain__in=named) if domains else DataVersion.objects.all()
    changed = rows.update(token=token, changed_at=now)
    if changed < len(named) or not domains:
        # A domain's first write (or a database migrated before it was named) creates its row.
        there = set(DataVersion.objects.filter(domain__in=named).values_list("domain", flat=True))
        for domain in sorted(named - there):
            DataVersion.objects.update_or_create(domain=domain, defaults={"token": token, "changed_at": now})


def versions() -> dict[str, str]:
    """Domain -> version token now, as this connection sees it (one query; none while a cached figure
    is computed: the figures it is made of are keyed by the versions it was keyed by)."""
    known = _reading.get()
    return dict(known) if known is not None else dict(DataVersion.objects.values_list("domain", "token"))


# The versions a figure being computed was keyed by, for the cached figures it is made of.
_reading: ContextVar[dict[str, str] | None] = ContextVar("figure_versions", default=None)


def _version(found: dict[str, str], domains: Iterable[str] | None) -> str | None:
    names = (ALL,) if domains is None else tuple(sorted(set(domains)))
    if not names or any(name not in found for name in names):
        return None
    return ".".join(found[name] for name in names)


def current(domains: Iterable[str] | None = None) -> str | None:
    """The version of the records of `domains` (None: all records), or None before it exists."""
    return _version(versions(), domains)


def _key(name: str, audience: str, parts: Any, version: str) -> str:
    digest = hashlib.sha256(repr((audience, parts, version)).encode()).hexdigest()[:40]
    return f"figures:{name}:{translation.get_language() or ''}:{digest}"


def key(name: str, *, audience: str, parts: Any, domains: Iterable[str] | None = None) -> str | None:
    """The cache key of figure `name` for this audience and these parameters at the current version
    of `domains` (None: of all records)."""
    version = current(domains)
    return None if version is None else _key(name, audience, parts, version)


def cached(
    name: str,
    *,
    audience: str,
    parts: Any,
    compute: Callable[[], T],
    domains: Iterable[str] | None = None,
) -> T:
    """`compute()`, or what it answered for the same audience, parameters and version of the data.

    `audience` must distinguish every two users who may see different figures (the grants
    fingerprint of `presence.org.access.audience`); `parts` every parameter the figure depends on,
    as a value whose repr is stable (strings, numbers, tuples, dataclasses of them); `domains` every
    domain whose records `compute` reads ("org" included), or None for a figure that reads any.
    Cached figures computed by `compute` are keyed by the versions read here, without reading them
    again.
    """
    seconds = settings.FIGURE_CACHE_SECONDS
    if not seconds:
        return compute()
    found = versions()
    version = _version(found, domains)
    if version is None:
        return compute()
    entry = _key(name, audience, parts, version)
    value: T | None = cache.get(entry)
    if value is None:
        reading = _reading.set(found)
        try:
            value = compute()
        finally:
            _reading.reset(reading)
        cache.set(entry, value, seconds)
    return value


def by_content(name: str, *, parts: Any, compute: Callable[[], T]) -> T:
    """`compute()`, or what it answered for the same `parts` in the same language: for what depends on
    nothing but its inputs (a section's or a map's markup made from its figures), so it is never stale
    and needs no version. `parts` must hold every input, picklable."""
    seconds = settings.FIGURE_CACHE_SECONDS
    if not seconds:
        return compute()
    digest = hashlib.sha256(pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()[:40]
    entry = f"content:{name}:{translation.get_language() or ''}:{digest}"
    value: T | None = cache.get(entry)
    if value is None:
        value = compute()
        cache.set(entry, value, seconds)
    return value
