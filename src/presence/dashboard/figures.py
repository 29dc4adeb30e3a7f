"""The dashboard's figures through the cache that never lies (presence.core.figures).

A dashboard is computed once per data version, audience (the user's grants), language, filters and
mode, then read from the cache until a write changes the data. Each of its sections is cached too,
keyed by the versions of the domains it reads (`selectors.SECTION_DOMAINS`), so after a write to one
domain a dashboard is put together again from the other sections as cached, and only the sections
reading that domain are computed. The selectors stay uncached.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from presence.core import figures
from presence.dashboard import selectors
from presence.dashboard.filters import DashboardFilters
from presence.org.access import audience

T = TypeVar("T")


def _cached_section(name: str, section: Callable[[selectors.Context], T], ctx: selectors.Context) -> T:
    """`section(ctx)` and the map measures it counts, cached for the domains the section reads."""

    def compute() -> tuple[T, dict[str, Any]]:
        before = set(ctx.measures)
        value = section(ctx)
        return value, {k: v for k, v in ctx.measures.items() if k not in before}

    value, measures = figures.cached(
        f"dashboard-section-{name}",
        audience=audience(ctx.user),
        parts=ctx.parts(),
        compute=compute,
        domains=("org", *selectors.SECTION_DOMAINS[name]),
    )
    ctx.measures.update(measures)
    return value


def _compute(
    user: Any, filters: DashboardFilters, mode: str, links: bool, page: int | None
) -> selectors.Dashboard:
    return selectors.dashboard(
        user=user, filters=filters, mode=mode, links=links, page=page, run=_cached_section
    )


def dashboard(
    *, user: Any, filters: DashboardFilters, mode: str = "region", links: bool = True, page: int | None = 1
) -> selectors.Dashboard:
    """`selectors.dashboard`, cached."""
    return figures.cached(
        "dashboard",
        audience=audience(user),
        parts=(filters, mode, links, page),
        compute=lambda: _compute(user, filters, mode, links, page),
    )


def dashboard_with_countries(
    *, user: Any, filters: DashboardFilters, mode: str, links: bool, page: int = 1
) -> tuple[selectors.Dashboard, dict[str, str]]:
    """The page's dashboard and, by region, the world map's country -> region table, cached together."""
    return figures.cached(
        "dashboard-page",
        audience=audience(user),
        parts=(filters, mode, links, page),
        compute=lambda: (
            _compute(user, filters, mode, links, page),
            selectors.region_countries(user=user) if mode == "region" else {},
        ),
    )
