"""The dashboard's figures through the cache that never lies (presence.core.figures).

A dashboard is computed once per data version, audience (the user's grants), language, filters and
mode, then read from the cache until a write changes the data. The selectors stay uncached.
"""

from __future__ import annotations

from typing import Any

from presence.core import figures
from presence.dashboard import selectors
from presence.dashboard.filters import DashboardFilters
from presence.org.access import audience


def dashboard(
    *, user: Any, filters: DashboardFilters, mode: str = "region", links: bool = True, page: int | None = 1
) -> selectors.Dashboard:
    """`selectors.dashboard`, cached."""
    return figures.cached(
        "dashboard",
        audience=audience(user),
        parts=(filters, mode, links, page),
        compute=lambda: selectors.dashboard(user=user, filters=filters, mode=mode, links=links, page=page),
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
            selectors.dashboard(user=user, filters=filters, mode=mode, links=links, page=page),
            selectors.region_countries(user=user) if mode == "region" else {},
        ),
    )
