"""Table 1 through the cache that never lies (presence.core.figures): computed once per version of the
portfolio's and reference records, audience (the user's grants), language and year."""

from __future__ import annotations

from typing import Any

from presence.core import figures
from presence.org.access import audience
from presence.portfolio import selectors

# What Table 1 reads: projects, fundings and exchange rates, with regions and offices.
DOMAINS = ("org", "portfolio")


def table1(*, user: Any, year: int) -> selectors.Table1:
    """`selectors.table1`, cached."""
    return figures.cached(
        "table1",
        audience=audience(user),
        parts=(year,),
        compute=lambda: selectors.table1(user=user, year=year),
        domains=DOMAINS,
    )
