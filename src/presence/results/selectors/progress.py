"""An indicator's figures for a year and its progress: the rules the framework tree and the indicator
lists share (kept apart from both so neither imports the other for them)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from presence.results.models import Indicator, IndicatorValue


@dataclass
class Figures:
    """An indicator's target, actual and progress for one year (and region, when broken down)."""

    target: Decimal | None
    actual: Decimal | None
    progress: Decimal | None  # 0..1, None when it cannot be computed
    note: str = ""


def _mean(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    return sum(present, Decimal(0)) / len(present)


def progress_of(
    indicator: Indicator, target: Decimal | None, actual: Decimal | None, baseline: Decimal | None = None
) -> Decimal | None:
    """Share of the way from baseline to target, 0..1: (actual - baseline) / (target - baseline).

    Works for "lower is better" too (both differences are negative). Over-achievement counts as 1
    so it cannot hide shortfalls elsewhere in a roll-up; going backwards counts as 0.
    """
    if not indicator.is_quantitative or target is None or actual is None:
        return None
    if baseline is None:
        baseline = indicator.baseline_value or Decimal(0)
    if target == baseline:
        if indicator.direction == Indicator.Direction.DECREASE:
            return Decimal(1) if actual <= target else Decimal(0)
        return Decimal(1) if actual >= target else Decimal(0)
    ratio = (actual - baseline) / (target - baseline)
    return min(Decimal(1), max(Decimal(0), ratio))


def figures_for(
    indicator: Indicator,
    values: Sequence[IndicatorValue],
    year: int,
    *,
    region_id: int | None = None,
    up_to_quarter: int = 4,
) -> Figures:
    """Year figures from the values (already fetched): the annual row wins, else the quarters combine.

    Quarterly actuals add up when the indicator accumulates, else the latest quarter counts.
    Targets likewise. `region_id` reads the region breakdown rows instead of the totals.
    """
    rows = [
        v
        for v in values
        if v.year == year
        and not v.gender
        and v.breakdown_region_id == region_id
        and v.quarter <= up_to_quarter
    ]
    annual = next((v for v in rows if v.quarter == 0), None)
    quarters = sorted((v for v in rows if v.quarter > 0), key=lambda v: v.quarter)

    def combine(name: str) -> Decimal | None:
        if annual is not None and getattr(annual, name) is not None and up_to_quarter == 4:
            value: Decimal = getattr(annual, name)
            return value
        present: list[Decimal] = [getattr(v, name) for v in quarters if getattr(v, name) is not None]
        if not present:
            return getattr(annual, name) if annual is not None else None
        return sum(present, Decimal(0)) if indicator.accumulates else present[-1]

    target, actual = combine("target"), combine("actual")
    notes = [v.note for v in [*quarters, *([annual] if annual else [])] if v.note]
    # A region's share is measured from zero: the baseline is a total, not a per-region figure.
    baseline = Decimal(0) if region_id is not None else None
    progress = progress_of(indicator, target, actual, baseline)
    return Figures(target, actual, progress, notes[-1] if notes else "")
