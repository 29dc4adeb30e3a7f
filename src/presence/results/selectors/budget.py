"""The budget allocation: actual planned budgets per region against allocation methods."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from presence.org.access import Action, restrict
from presence.org.models import Country, Region
from presence.portfolio.models import Project
from presence.results.models import (
    Activity,
)


@dataclass
class AllocationRow:
    region: Region
    actual: Decimal
    shares: dict[str, Decimal]  # method -> amount
    weights: dict[str, Decimal]  # method -> the region's count on which the method is based


ALLOCATION_METHODS: list[tuple[str, str, str]] = [
    (
        "straight_line",
        "Straight line",
        "Every geographic region receives the same share (the method in use).",
    ),
    (
        "member_states",
        "By Member States",
        "In proportion to the number of countries (Member States) in the region.",
    ),
    (
        "special_needs",
        "By LDC/LLDC/SIDS",
        "In proportion to the countries that are LDC, LLDC or SIDS (each country counted once).",
    ),
    (
        "portfolio",
        "By portfolio size",
        "In proportion to the number of projects under way in the region (portfolio) during the year.",
    ),
]


def split(total: Decimal, weights: dict[int, Decimal]) -> dict[int, Decimal]:
    """Share `total` in proportion to `weights` in centimes; largest remainder, so shares add up exactly."""
    weight_sum = sum(weights.values(), Decimal(0))
    if weight_sum == 0 or total == 0:
        return dict.fromkeys(weights, Decimal("0.00"))
    cents = int((total * 100).to_integral_value(ROUND_HALF_UP))
    raw = {key: Decimal(cents) * w / weight_sum for key, w in weights.items()}
    floors = {key: int(value) for key, value in raw.items()}
    left = cents - sum(floors.values())
    for key in sorted(raw, key=lambda k: (raw[k] - floors[k], -k), reverse=True)[:left]:
        floors[key] += 1
    return {key: Decimal(value) / 100 for key, value in floors.items()}


def _portfolio_counts(year: int) -> dict[int, int]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    projects = (
        Project.objects.filter(planned_start__lte=end)
        .filter(Q(actual_end__gte=start) | Q(actual_end__isnull=True, planned_end__gte=start))
        .exclude(status__in=["pipeline", "cancelled"])
    )
    return dict(projects.values_list("region_id").annotate(n=Count("id")).values_list("region_id", "n"))


def budget_allocation(*, user: Any, year: int, total: Decimal | None = None) -> dict[str, Any]:
    """A year's regional operational-plan budget split per geographic region under each method.

    The amount split is `total` if given, else the planned budgets of the year's regional and
    country activities. Global activities are shown apart: no method allocates them to regions.
    """
    activities = restrict(Activity.objects.filter(year=year), user, Action.VIEW).exclude(
        status=Activity.Status.CANCELLED
    )
    actual_by_region = dict(
        activities.filter(region__isnull=False)
        .values_list("region_id")
        .annotate(s=Sum("planned_budget"))
        .values_list("region_id", "s")
    )
    global_total = activities.filter(region__isnull=True).aggregate(s=Sum("planned_budget"))["s"] or Decimal(
        0
    )
    regions = list(Region.objects.filter(is_geographic=True))
    region_ids = [r.pk for r in regions]
    country_counts = dict(
        Country.objects.filter(region_id__in=region_ids)
        .values_list("region_id")
        .annotate(n=Count("id"))
        .values_list("region_id", "n")
    )
    special_counts = dict(
        Country.objects.filter(region_id__in=region_ids)
        .filter(Q(is_ldc=True) | Q(is_lldc=True) | Q(is_sids=True))
        .values_list("region_id")
        .annotate(n=Count("id"))
        .values_list("region_id", "n")
    )
    portfolio = _portfolio_counts(year)
    weights = {
        "straight_line": {pk: Decimal(1) for pk in region_ids},
        "member_states": {pk: Decimal(country_counts.get(pk, 0)) for pk in region_ids},
        "special_needs": {pk: Decimal(special_counts.get(pk, 0)) for pk in region_ids},
        "portfolio": {pk: Decimal(portfolio.get(pk, 0)) for pk in region_ids},
    }
    actual_regional = sum((actual_by_region.get(pk, Decimal(0)) for pk in region_ids), Decimal(0))
    amount = total if total is not None else actual_regional
    shares = {method: split(amount, w) for method, w in weights.items()}
    rows = [
        AllocationRow(
            region=r,
            actual=actual_by_region.get(r.pk, Decimal(0)),
            shares={m: shares[m][r.pk] for m in weights},
            weights={m: weights[m][r.pk] for m in weights},
        )
        for r in regions
    ]
    other_regions = sum((v for k, v in actual_by_region.items() if k not in region_ids), Decimal(0))
    return {
        "year": year,
        "amount": amount,
        "rows": rows,
        "actual_regional": actual_regional,
        "global_total": global_total,
        "other_regions": other_regions,
        "totals": {m: sum(s.values(), Decimal(0)) for m, s in shares.items()},
        "methods": [(key, _(label), _(doc)) for key, label, doc in ALLOCATION_METHODS],
        "weight_totals": {m: sum(w.values(), Decimal(0)) for m, w in weights.items()},
    }
