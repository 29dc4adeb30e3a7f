"""Private helpers shared by the `views` submodules."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.core.paginator import Page
from django.http import HttpRequest
from django.utils import timezone

from presence.core.selectors import get_or_404
from presence.core.years import year_param
from presence.org.access import Action
from presence.portfolio import selectors
from presence.portfolio.models import (
    Project,
)


def _year(request: HttpRequest) -> int:
    """`?year=` (last year when absent); a value that is not a year from 1900 to 2100 is a 400."""
    return year_param(request, default=timezone.localdate().year - 1)


def _project(request: HttpRequest, code: str, action: Action = Action.VIEW) -> Project:
    return get_or_404(selectors.project_get, user=request.user, code=code)


def funding_rows(fundings: Any) -> Iterator[dict[str, Any]]:
    """The download rows of a list of contributions, each with its amount in CHF."""
    for f, chf in selectors.with_chf(fundings):
        yield {
            "project": f.project.code,
            "region": f.project.region.code,
            "source": f.source.localized_name,
            "partner": f.partner.name if f.partner else "",
            "signed_on": f.signed_on,
            "amount": f.amount,
            "currency": f.currency,
            "chf": chf.quantize(Decimal("0.01")) if chf is not None else None,
        }


def funding_context(fundings: Any, page: Page) -> dict[str, Any]:
    """The total of every matching contribution (amounts only) and this page's records with CHF."""
    total = selectors.funding_total_chf(fundings)
    return {
        "pairs": selectors.with_chf(page.object_list),
        "total_chf": total,
        "total_kchf": selectors.to_kchf(total),
    }
