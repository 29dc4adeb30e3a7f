"""Reads of indicators and an indicator's series of yearly figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from presence.org.access import Action, restrict
from presence.results.models import (
    Activity,
    Indicator,
    IndicatorValue,
)
from presence.results.selectors.framework import figures_for


def indicator_list(
    *, user: Any, activity: Activity | None = None, project: Any = None
) -> QuerySet[Indicator]:
    indicators = restrict(
        Indicator.objects.select_related("outcome", "output", "activity", "project", "region"),
        user,
        Action.VIEW,
    ).prefetch_related("values")
    if activity is not None:
        indicators = indicators.filter(activity=activity)
    if project is not None:
        indicators = indicators.filter(project=project)
    return indicators


def indicator_get(*, user: Any, pk: int) -> Indicator:
    return (
        restrict(
            Indicator.objects.select_related("outcome", "output", "activity", "project"), user, Action.VIEW
        )
        .prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.select_related("breakdown_region"))
        )
        .get(pk=pk)
    )


@dataclass
class PeriodRow:
    label: str
    year: int
    quarter: int
    target: Decimal | None
    actual: Decimal | None
    note: str = ""


def indicator_series(indicator: Indicator) -> list[PeriodRow]:
    """Target and actual per period (totals only), years with their quarters, for the chart and table."""
    values = [v for v in indicator.values.all() if v.is_total]
    rows = []
    for year in sorted({v.year for v in values}):
        year_values = [v for v in values if v.year == year]
        for v in sorted(year_values, key=lambda v: v.quarter):
            if v.quarter:
                rows.append(PeriodRow(f"{year} Q{v.quarter}", year, v.quarter, v.target, v.actual, v.note))
        figures = figures_for(indicator, year_values, year)
        rows.append(PeriodRow(str(year), year, 0, figures.target, figures.actual, figures.note))
    return rows
