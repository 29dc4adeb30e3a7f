"""Security equipment installations: lists, progress and the offices x months timeline."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from presence.core.filtering import ListFilter
from presence.org.access import Action, restrict
from presence.org.models import Office, Region
from presence.resilience.filters import InstallationFilter
from presence.resilience.models import (
    Installation,
)
from presence.resilience.rules import compliance
from presence.resilience.selectors._common import ZERO, current_settings, place_values


def installation_list(
    *, user: Any, filters: ListFilter | None = None, **values: Any
) -> QuerySet[Installation]:
    """Installations the user may see, narrowed by `filters.InstallationFilter` (a bound one, or its
    values)."""
    installations = restrict(
        Installation.objects.select_related("office", "office__region"), user, Action.VIEW
    )
    return InstallationFilter.apply(installations, filters or place_values(values))


def installation_get(*, user: Any, pk: int) -> Installation:
    return installation_list(user=user).get(pk=pk)


@dataclass
class InstallationProgress:
    total: int = 0
    planned: int = 0
    in_progress: int = 0
    completed: int = 0
    cancelled: int = 0
    estimated_workdays: Decimal = ZERO
    actual_workdays: Decimal = ZERO
    remaining_workdays: Decimal = ZERO
    offices_done: int = 0
    offices_with_installations: int = 0

    @property
    def percent_completed(self) -> Decimal | None:
        counted = self.total - self.cancelled
        return compliance(Decimal(self.completed), Decimal(counted)) if counted else None


def remaining_workdays() -> Case:
    """SQL: an installation's `remaining_workdays` (estimated workdays not yet spent while it is open)."""
    decimal = DecimalField(max_digits=8, decimal_places=1)
    left = F("estimated_workdays") - Coalesce("actual_workdays", Value(ZERO), output_field=decimal)
    return Case(
        When(
            Q(status__in=Installation.OPEN_STATUSES)
            & Q(estimated_workdays__gt=Coalesce("actual_workdays", Value(ZERO), output_field=decimal)),
            then=left,
        ),
        default=Value(ZERO),
        output_field=decimal,
    )


def installation_progress(
    *, user: Any, region: Region | str | None = None, office: Office | str | None = None
) -> InstallationProgress:
    """Counts and workdays of the installations, in one query and one row (conditional aggregates)."""
    decimal = DecimalField(max_digits=12, decimal_places=1)
    finished = (Installation.Status.COMPLETED, Installation.Status.CANCELLED)
    figures = (
        installation_list(user=user, region=region, office=office)
        .order_by()
        .aggregate(
            total=Count("pk"),
            **{status: Count("pk", filter=Q(status=status)) for status in Installation.Status.values},
            sum_estimated_workdays=Sum(
                "estimated_workdays", filter=~Q(status=Installation.Status.CANCELLED), output_field=decimal
            ),
            sum_actual_workdays=Sum("actual_workdays", output_field=decimal),
            sum_remaining_workdays=Sum(remaining_workdays(), output_field=decimal),
            offices_with_installations=Count("office", distinct=True),
            offices_not_done=Count("office", distinct=True, filter=~Q(status__in=finished)),
        )
    )
    tenth = Decimal("0.1")
    # As the records hold them (SQLite sums in floating point); nothing at all is ZERO.
    workdays = {
        name: Decimal(figures[f"sum_{name}"]).quantize(tenth) if figures[f"sum_{name}"] else ZERO
        for name in ("estimated_workdays", "actual_workdays", "remaining_workdays")
    }
    return InstallationProgress(
        total=figures["total"],
        planned=figures[Installation.Status.PLANNED],
        in_progress=figures[Installation.Status.IN_PROGRESS],
        completed=figures[Installation.Status.COMPLETED],
        cancelled=figures[Installation.Status.CANCELLED],
        estimated_workdays=workdays["estimated_workdays"],
        actual_workdays=workdays["actual_workdays"],
        remaining_workdays=workdays["remaining_workdays"],
        offices_done=figures["offices_with_installations"] - figures["offices_not_done"],
        offices_with_installations=figures["offices_with_installations"],
    )


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months = []
    current = first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return months


def _spread(workdays: Decimal, start: dt.date, end: dt.date) -> dict[dt.date, Decimal]:
    """Workdays spread over the months of [start, end] in proportion to calendar days."""
    total_days = (end - start).days + 1
    shares: dict[dt.date, Decimal] = {}
    for month in _months(start, end):
        month_end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        days = (min(end, month_end) - max(start, month)).days + 1
        shares[month] = workdays * days / total_days
    return shares


@dataclass
class TimelineRow:
    office: Office
    cells: list[Decimal]
    states: list[str]  # per month: "", "planned", "in_progress", "completed"
    total: Decimal


@dataclass
class Timeline:
    months: list[dt.date]  # the first day of each column's period
    rows: list[TimelineRow]
    workload: list[Decimal]
    capacity: Decimal  # staff workdays per month
    over_capacity: list[bool]
    remaining_workdays: Decimal
    months_needed: Decimal | None
    period: str = "month"  # or "quarter": each column three months

    @property
    def column_capacity(self) -> Decimal:
        return self.capacity * (3 if self.period == "quarter" else 1)

    def by_quarter(self) -> Timeline:
        """The same timeline in quarters (for a span too long to show month by month)."""
        quarters = sorted({month.replace(month=(month.month - 1) // 3 * 3 + 1) for month in self.months})
        index = {q: n for n, q in enumerate(quarters)}

        def column(month: dt.date) -> int:
            return index[month.replace(month=(month.month - 1) // 3 * 3 + 1)]

        rows = []
        for row in self.rows:
            cells = [ZERO] * len(quarters)
            states = [""] * len(quarters)
            for month, value, state in zip(self.months, row.cells, row.states, strict=True):
                cells[column(month)] += value
                states[column(month)] = state or states[column(month)]
            rows.append(TimelineRow(row.office, cells, states, row.total))
        workload = [sum((row.cells[n] for row in rows), ZERO) for n in range(len(quarters))]
        return Timeline(
            months=quarters,
            rows=rows,
            workload=workload,
            capacity=self.capacity,
            over_capacity=[load > self.capacity * 3 for load in workload],
            remaining_workdays=self.remaining_workdays,
            months_needed=self.months_needed,
            period="quarter",
        )


@dataclass(frozen=True)
class _Span:
    """Installations of one office and status over the same days: the staff workdays they need then."""

    office_id: int
    status: str
    start: dt.date
    end: dt.date
    workdays: Decimal


def _timeline_spans(installations: QuerySet[Installation]) -> list[_Span]:
    """The workdays of the installations that are not cancelled, summed in the database per office,
    status and span of days (as many rows as distinct spans, however many installations share them), in
    the installations' order (by planned start, then office: a month shows the state of the last).

    A completed installation spreads the workdays it took over its actual dates; an open one its
    remaining workdays over its planned dates, from its actual start once started."""
    completed = Q(status=Installation.Status.COMPLETED)
    decimal = DecimalField(max_digits=12, decimal_places=1)
    groups = (
        installations.exclude(status=Installation.Status.CANCELLED)
        .annotate(
            span_start=Coalesce("actual_start", "planned_start"),
            span_end=Case(
                When(completed, then=Coalesce("actual_end", "planned_end")), default=F("planned_end")
            ),
        )
        .values("office", "office__code", "status", "planned_start", "span_start", "span_end")
        .annotate(
            work=Sum(
                Case(
                    When(completed, then=Coalesce("actual_workdays", Value(ZERO), output_field=decimal)),
                    default=remaining_workdays(),
                    output_field=decimal,
                ),
                output_field=decimal,
            )
        )
        .order_by("planned_start", "office__code", "span_start", "span_end", "status")
    )
    tenth = Decimal("0.1")
    # As the records hold them (SQLite sums in floating point).
    return [
        _Span(
            office_id=group["office"],
            status=group["status"],
            start=group["span_start"],
            end=max(group["span_end"], group["span_start"]),
            workdays=Decimal(group["work"] or 0).quantize(tenth),
        )
        for group in groups
    ]


def installation_timeline(
    *,
    user: Any,
    region: Region | str | None = None,
    office: Office | str | None = None,
    capacity: Decimal | None = None,
    first_month: dt.date | None = None,
    month_count: int | None = None,
) -> Timeline:
    """Offices x months: the staff workdays each installation needs in each month, against capacity.

    Open installations spread their remaining workdays over the planned period (from the actual
    start once started); completed ones spread the workdays they took over their actual dates.
    """
    capacity = current_settings().workdays_per_month if capacity is None else capacity
    spans = _timeline_spans(installation_list(user=user, region=region, office=office))
    if first_month is None:
        first_month = min((span.start for span in spans), default=timezone.localdate()).replace(day=1)
    last = max((span.end for span in spans), default=first_month)
    months = _months(first_month, last)
    if month_count is not None:
        months = _months(first_month, first_month + dt.timedelta(days=31 * max(month_count, 1) - 1))[
            :month_count
        ]
    index = {month: n for n, month in enumerate(months)}
    offices = Office.objects.select_related("region").in_bulk({span.office_id for span in spans})
    rows: dict[int, TimelineRow] = {}
    for span in spans:
        row = rows.setdefault(
            span.office_id,
            TimelineRow(offices[span.office_id], [ZERO] * len(months), [""] * len(months), ZERO),
        )
        for month, share in _spread(span.workdays, span.start, span.end).items():
            if month in index:
                row.cells[index[month]] += share
                row.states[index[month]] = span.status
                row.total += share
    workload = [sum((row.cells[n] for row in rows.values()), ZERO) for n in range(len(months))]
    remaining = sum((span.workdays for span in spans if span.status != Installation.Status.COMPLETED), ZERO)
    return Timeline(
        months=months,
        rows=sorted(
            rows.values(),
            key=lambda r: (min((n for n, s in enumerate(r.states) if s), default=99), r.office.code),
        ),
        workload=workload,
        capacity=capacity,
        over_capacity=[load > capacity for load in workload],
        remaining_workdays=remaining,
        months_needed=(remaining / capacity).quantize(Decimal("0.1")) if capacity else None,
    )
