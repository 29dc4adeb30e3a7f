"""Reads of indicators and an indicator's series of yearly figures."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db.models import (
    Case,
    DecimalField,
    FilteredRelation,
    Max,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round
from django.utils.translation import gettext_lazy as _

from presence.core.derived import aggregate_over, select_over, where_over
from presence.core.filtering import ListFilter
from presence.org.access import Action, restrict
from presence.org.models import Office, Region
from presence.results.filters import IndicatorFilter
from presence.results.models import (
    Activity,
    Indicator,
    IndicatorValue,
)
from presence.results.selectors.progress import figures_for, progress_of


def indicator_list(
    *,
    user: Any,
    filters: ListFilter | None = None,
    activity: Activity | None = None,
    project: Any = None,
) -> QuerySet[Indicator]:
    """The indicators the user may see (with their values), narrowed by `filters.IndicatorFilter`."""
    indicators = restrict(
        Indicator.objects.select_related("outcome", "output", "activity", "project", "region"),
        user,
        Action.VIEW,
    ).prefetch_related(
        # The API shows each value's breakdown region: read with the values, not one query per value.
        Prefetch("values", queryset=IndicatorValue.objects.select_related("breakdown_region"))
    )
    if activity is not None:
        indicators = indicators.filter(activity=activity)
    if project is not None:
        indicators = indicators.filter(project=project)
    indicators = indicators.order_by("code", "pk")  # a code may repeat: the id settles the order
    if filters is None:
        return indicators
    indicators = IndicatorFilter.apply(indicators, filters)
    progress = filters.form.cleaned_data.get("progress")
    if progress:
        indicators = with_status(indicators, year=filters.figures_year(), status=progress)
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


# The progress filter of the indicator list: below target, target reached, no progress for the year.
PROGRESS_FILTERS = ("below", "reached", "unmeasured")
MEASURED_KINDS = {
    "outcome": _("Outcome"),
    "output": _("Output"),
    "activity": _("Activity"),
    "project": _("Project"),
}


@dataclass
class IndicatorRow:
    """One line of the indicator list: an indicator and its figures for one year."""

    indicator: Indicator
    kind: str  # what it measures: "outcome", "output", "activity" or "project"
    record: Any  # the measured record
    region: Region | None
    office: Office | None
    baseline: Decimal | None
    target: Decimal | None
    actual: Decimal | None
    status: str  # one of PROGRESS_FILTERS, computed in the database (`STATUS`)

    @property
    def progress(self) -> Decimal | None:
        """0..1 as `progress_of` gives it; None when the indicator is not measured for the year."""
        if self.status == "unmeasured":
            return None
        return progress_of(self.indicator, self.target, self.actual)

    @property
    def kind_label(self) -> str:
        return str(MEASURED_KINDS.get(self.kind, ""))

    @property
    def progress_percent(self) -> Decimal | None:
        """Progress in per cent to one decimal, rounded down so an indicator below target never shows 100."""
        progress = self.progress
        if progress is None:
            return None
        return (progress * 100).quantize(Decimal("0.1"), rounding=ROUND_DOWN)


def _in_place(indicators: QuerySet[Indicator], *, region: str, office: str) -> QuerySet[Indicator]:
    """Indicators of a region ("global": those without one) and of an office."""
    if region == "global":
        indicators = indicators.filter(region__isnull=True)
    elif region:
        indicators = indicators.filter(region__code=region)
    if office:
        indicators = indicators.filter(office__code=office)
    return indicators


def _year_figure(name: str) -> Any:
    """`figures_for`'s target or actual of the year (totals) for each indicator, as an SQL aggregate
    over its year's total rows (`yv`, joined by `year_figures`): the annual row's when it has one, else
    the quarters' sum when the indicator accumulates, else the latest quarter's; NULL when none of them
    has one. Each (indicator, year, quarter) has at most one total row, so the MAX of a quarter is its
    value."""
    decimal = DecimalField(max_digits=16, decimal_places=2)
    value = f"yv__{name}"
    annual = Max(value, filter=Q(yv__quarter=0), output_field=decimal)
    # Rounded to the values' two decimals, so that a sum computed in floating point (SQLite) compares
    # equal to the same figure typed in.
    summed = Round(Sum(value, filter=Q(yv__quarter__gte=1, yv__quarter__lte=4)), 2, output_field=decimal)
    latest = Coalesce(
        *(Max(value, filter=Q(yv__quarter=quarter), output_field=decimal) for quarter in (4, 3, 2, 1)),
        output_field=decimal,
    )
    return Coalesce(
        annual,
        Case(When(accumulates=True, then=summed), default=latest, output_field=decimal),
        output_field=decimal,
    )


def year_figures(
    indicators: QuerySet[Indicator],
    year: int,
    *,
    measured_only: bool = False,
    keys: Sequence[str] = (),
    breakdown_region: int | None = None,
) -> QuerySet[Any]:
    """Each indicator's columns for its status in `year`: id, measure, direction, base (the baseline,
    0 without one), year_target and year_actual (`_year_figure`). `STATUS` is written over them.

    `keys` names more columns of `indicators` (fields or annotations) the rows are also grouped by: an
    annotation through a many-to-many relation (an activity indicator's outputs) gives a row for each
    indicator and related record. `breakdown_region` reads that region's breakdown rows instead of the
    totals (`figures_for(region_id=...)`).

    One join of each indicator with its year's total rows (no breakdown), grouped by indicator: a
    single pass over the values, not a subquery per indicator and figure. `measured_only` keeps the
    indicators with at least one total row for the year (an inner join: the others have neither
    target nor actual, so their status is "unmeasured"), read from the values' index of the year's
    totals rather than the values of every year."""
    place = (
        Q(values__breakdown_region__isnull=True)
        if breakdown_region is None
        else Q(values__breakdown_region=breakdown_region)
    )
    totals = Q(values__year=year, values__gender="") & place
    rows = indicators.order_by().alias(yv=FilteredRelation("values", condition=totals))
    if measured_only:
        rows = rows.filter(yv__year=year)  # a condition on the joined rows: an inner join
    return rows.values("id", *keys, "measure", "direction").annotate(
        # The indicator's own baseline, as an aggregate (of its one value per group) so that the rows are
        # grouped by indicator alone: grouped by the expression too, PostgreSQL sorted them again.
        base=Max(Coalesce("baseline_value", Value(Decimal(0))), output_field=DecimalField()),
        year_target=_year_figure("target"),
        year_actual=_year_figure("actual"),
    )


# An indicator's status for the year (one of PROGRESS_FILTERS) as SQL over `year_figures`' columns,
# with `STATUS_PARAMS`: the status of `progress_of`'s progress. Reached when the actual got to the target
# from the baseline (to or above it, or to or below it when the target is below the baseline; when
# target and baseline are equal, by the indicator's direction), below otherwise; unmeasured without a
# target or a result for the year, or for a qualitative indicator. The one definition the list, its
# filter and the dashboard's counts use.
STATUS = (
    "CASE WHEN {measure} = %s OR {year_target} IS NULL OR {year_actual} IS NULL THEN 'unmeasured'"
    " WHEN ({year_target} > {base} AND {year_actual} >= {year_target})"
    " OR ({year_target} < {base} AND {year_actual} <= {year_target})"
    " OR ({year_target} = {base} AND {direction} = %s AND {year_actual} <= {year_target})"
    " OR ({year_target} = {base} AND {direction} <> %s AND {year_actual} >= {year_target})"
    " THEN 'reached' ELSE 'below' END"
)
_DECREASE = Indicator.Direction.DECREASE.value
STATUS_PARAMS = (Indicator.Measure.QUALITATIVE.value, _DECREASE, _DECREASE)


def with_status(indicators: QuerySet[Indicator], *, year: int, status: str) -> QuerySet[Indicator]:
    """The indicators whose status for `year` (`STATUS`) is `status`, one of PROGRESS_FILTERS: "below"
    keeps those with a target and a result for the year whose progress from baseline is below 100 %,
    "reached" those at 100 %, "unmeasured" those without a progress for the year (no target, no result
    or qualitative). The three add up to all. Filtered in the database, each figure computed once."""
    if status not in PROGRESS_FILTERS:
        raise ValueError(f"status: one of {', '.join(PROGRESS_FILTERS)}, not {status!r}")
    # Below target or reached needs a total of the year: those are read from the year's totals alone.
    rows = year_figures(indicators, year, measured_only=status != "unmeasured")
    matching = where_over(rows, "id", f"({STATUS}) = %s", [*STATUS_PARAMS, status])
    return indicators.filter(pk__in=matching)


def _cents(value: Decimal | None) -> Decimal | None:
    """A year figure to the values' two decimals, as they are stored (SQLite's sums come without)."""
    return None if value is None else value.quantize(Decimal("0.01"))


class IndicatorRows:
    """The indicator list's rows, read a slice at a time: a page (`core.filtering.paginate` counts
    them in the database and reads one page's indicators and figures) or a download (`iter`, in
    chunks of `CHUNK`). Each slice is two queries: its indicators with their measured records, region
    and office, and their figures and statuses for the year (`year_figures`, `STATUS`)."""

    CHUNK = 500

    def __init__(self, indicators: QuerySet[Indicator], year: int) -> None:
        # The figures are computed in the database: the values are not read (the API reads them).
        self.indicators = indicators.select_related("office").prefetch_related(None).order_by("code", "pk")
        self.year = year

    def count(self) -> int:
        return self.indicators.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[IndicatorRow]:
        if not isinstance(index, slice):
            raise TypeError("the indicator rows are read a slice at a time")
        found = list(self.indicators[index])
        if not found:
            return []
        figures = {
            row["id"]: row
            for row in select_over(
                year_figures(Indicator.objects.filter(pk__in=[i.pk for i in found]), self.year),
                status=STATUS,
                params=STATUS_PARAMS,
            )
        }
        rows = []
        for indicator in found:
            row = figures[indicator.pk]
            rows.append(
                IndicatorRow(
                    indicator=indicator,
                    kind=next((name for name in MEASURED_KINDS if getattr(indicator, f"{name}_id")), ""),
                    record=indicator.measured_record,
                    region=indicator.region,
                    office=indicator.office,
                    baseline=indicator.baseline_value,
                    target=_cents(row["year_target"]),
                    actual=_cents(row["year_actual"]),
                    status=row["status"],
                )
            )
        return rows

    def __iter__(self) -> Iterator[IndicatorRow]:
        start = 0
        while True:
            chunk = self[start : start + self.CHUNK]
            yield from chunk
            if len(chunk) < self.CHUNK:
                return
            start += self.CHUNK


def indicator_rows(*, user: Any, filters: ListFilter | None = None, **values: Any) -> IndicatorRows:
    """The indicators the user may see narrowed by `filters.IndicatorFilter` (a bound one, or its
    values), with their figures for the filters' year (this year when not given), by code.

    `region` is a region code, or "global" for indicators without a region (framework KPIs, global
    activities); `office` an office code; `progress` one of PROGRESS_FILTERS (`with_status`). The rows
    are read when sliced or iterated (`IndicatorRows`): the figures and statuses are computed in the
    database, the queries and rows read are those of the slice whatever the number of indicators.
    """
    bound = filters if filters is not None else IndicatorFilter(values)
    return IndicatorRows(indicator_list(user=user, filters=bound), bound.figures_year())


def indicator_status_counts(*, user: Any, year: int, region: str = "", office: str = "") -> dict[str, int]:
    """How many of the indicators `indicator_rows` lists have each status (`STATUS`) for `year`,
    counted in the database: two queries of one row, whatever the number of indicators and values.

    The indicators with a total row for the year are counted below target and reached over a derived
    table of their figures (`core.derived.aggregate_over`: each indicator's target and actual computed
    once), an inner join of the year's totals (`year_figures(measured_only=True)`); the unmeasured are
    the rest of a plain count (those without a total row have neither target nor actual).
    """
    indicators = restrict(Indicator.objects.all(), user, Action.VIEW)
    indicators = _in_place(indicators, region=region, office=office)
    counted = ("below", "reached")  # the unmeasured are the rest
    measured = aggregate_over(
        year_figures(indicators, year, measured_only=True),
        *(f"COALESCE(SUM(CASE WHEN ({STATUS}) = %s THEN 1 ELSE 0 END), 0)" for _name in counted),
        params=[p for name in counted for p in (*STATUS_PARAMS, name)],
    )
    counts = {name: int(count) for name, count in zip(counted, measured, strict=True)}
    counts["unmeasured"] = indicators.count() - sum(counts.values())
    return {name: counts[name] for name in PROGRESS_FILTERS}
