"""Crisis-communications registrations and coverage against the staff of each office."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from presence.core.filtering import ListFilter
from presence.org.access import Action, restrict
from presence.org.models import Office, Region
from presence.resilience.filters import RegistrationFilter
from presence.resilience.models import (
    CrisisCommsRegistration,
)
from presence.resilience.rules import compliance
from presence.resilience.selectors._common import current_settings, office_list, place_values
from presence.staffing.selectors import staff_counts_by_office_on


def registration_list(
    *, user: Any, filters: ListFilter | None = None, **values: Any
) -> QuerySet[CrisisCommsRegistration]:
    """Crisis-comms counts the user may see, narrowed by `filters.RegistrationFilter` (a bound one, or
    its values)."""
    registrations = restrict(
        CrisisCommsRegistration.objects.select_related("office", "office__region"), user, Action.VIEW
    )
    return RegistrationFilter.apply(registrations, filters or place_values(values))


def registration_get(*, user: Any, pk: int) -> CrisisCommsRegistration:
    return registration_list(user=user).get(pk=pk)


def staff_counts_from_staffing(
    *, dates: Iterable[dt.date], offices: Iterable[int] | None = None
) -> dict[dt.date, dict[int, int]]:
    """For each date, staff per office id (of `offices`, else all) from the staffing register (posts
    filled that day)."""
    return {
        on: {int(k): int(v) for k, v in by_office.items()}
        for on, by_office in staff_counts_by_office_on(dates=dates, offices=offices).items()
    }


@dataclass
class OfficeCoverage:
    office: Office
    counted_on: dt.date | None
    registered: int | None
    staff: int | None
    staff_source: str  # "staffing", "entered" or ""
    percent: Decimal | None
    below_threshold: bool


def _counted(
    user: Any,
    region: Region | str | None,
    office: Office | str | None,
    on: dt.date | None,
    offices: Sequence[int] | None,
) -> QuerySet[Any]:
    """The offices (of the ids `offices` if given) with their latest registration count on or before
    `on`: its date, the staff registered and the staff count entered with it."""
    latest = CrisisCommsRegistration.objects.filter(
        office=OuterRef("pk"), counted_on__lte=on or timezone.localdate()
    ).order_by("-counted_on")
    shown = office_list(user=user, region=region, office=office)
    if offices is not None:
        shown = shown.filter(pk__in=offices)
    return shown.annotate(
        cc_counted_on=Subquery(latest.values("counted_on")[:1]),
        cc_registered=Subquery(latest.values("registered")[:1]),
        cc_staff=Subquery(latest.values("staff_in_office")[:1]),
    )


MANY_OFFICES = 200

# (office id, date of the count, registered, staff, where the staff count comes from, percent, below)
Measured = tuple[int, dt.date | None, int | None, int | None, str, Decimal | None, bool]


def _measured(counts: list[tuple[int, dt.date | None, int | None, int | None]]) -> list[Measured]:
    """Each office's coverage from (office id, date of the count, registered, staff entered): its
    registered staff against its staff on the day of the count, from the staffing register, else the
    count entered with the registration."""
    threshold = current_settings().coverage_threshold
    counted = [(pk, day) for pk, day, _registered, _entered in counts if day]
    # A page of offices is counted by their ids; more, every office (the same index scan, without
    # thousands of ids to send).
    ids = [pk for pk, _day in counted]
    staffing = staff_counts_from_staffing(
        dates={day for _pk, day in counted}, offices=ids if len(ids) <= MANY_OFFICES else None
    )
    rows: list[Measured] = []
    for pk, day, registered, entered in counts:
        staff: int | None = None
        source = ""
        on_the_day = staffing.get(day, {}) if day else {}
        if on_the_day.get(pk):
            staff, source = on_the_day[pk], "staffing"
        elif entered:
            staff, source = entered, "entered"
        percent = (
            compliance(Decimal(registered), Decimal(staff)) if staff and registered is not None else None
        )
        rows.append(
            (pk, day, registered, staff, source, percent, percent is not None and percent < threshold)
        )
    return rows


def coverage_by_office(
    *,
    user: Any,
    region: Region | str | None = None,
    office: Office | str | None = None,
    on: dt.date | None = None,
    offices: Sequence[int] | None = None,
) -> list[OfficeCoverage]:
    """Latest registration count per office (of the ids `offices` if given; on or before `on`) against
    the office's staff on the day of that count: from the staffing register, else the count entered
    with the registration."""
    listed = {o.pk: o for o in _counted(user, region, office, on, offices)}
    counts = [(o.pk, o.cc_counted_on, o.cc_registered, o.cc_staff) for o in listed.values()]
    return [
        OfficeCoverage(listed[pk], day, registered, staff, source, percent, below)
        for pk, day, registered, staff, source, percent, below in _measured(counts)
    ]


@dataclass
class CoverageSummary:
    registered: int
    staff: int
    percent: Decimal | None
    threshold: Decimal
    offices_below: list[str]  # the codes of the offices under the threshold


def coverage_summary(rows: list[OfficeCoverage]) -> CoverageSummary:
    registered = sum(r.registered or 0 for r in rows)
    staff = sum(r.staff or 0 for r in rows if r.registered is not None)
    return CoverageSummary(
        registered=registered,
        staff=staff,
        percent=compliance(Decimal(registered), Decimal(staff)) if staff else None,
        threshold=current_settings().coverage_threshold,
        offices_below=[r.office.code for r in rows if r.below_threshold],
    )


def coverage_totals(
    *,
    user: Any,
    region: Region | str | None = None,
    office: Office | str | None = None,
    on: dt.date | None = None,
) -> CoverageSummary:
    """`coverage_summary(coverage_by_office(...))`, each office's figures read as plain values, no
    office record built."""
    shown = office_list(user=user, region=region, office=office)
    codes = dict(shown.values_list("pk", "code"))
    # Each office's latest count on or before the day (one per office and day), numbered in one sort
    # of the counts rather than looked up by a subquery per office and value.
    latest = Window(RowNumber(), partition_by=[F("office")], order_by=[F("counted_on").desc()])
    counts = {
        pk: (day, registered, entered)
        for pk, day, registered, entered in CrisisCommsRegistration.objects.filter(
            office__in=shown.order_by().values("pk"), counted_on__lte=on or timezone.localdate()
        )
        .annotate(rank=latest)
        .filter(rank=1)
        .values_list("office_id", "counted_on", "registered", "staff_in_office")
    }
    measured = _measured([(pk, *counts.get(pk, (None, None, None))) for pk in codes])
    registered = sum(row[2] or 0 for row in measured)
    staff = sum(row[3] or 0 for row in measured if row[2] is not None)
    return CoverageSummary(
        registered=registered,
        staff=staff,
        percent=compliance(Decimal(registered), Decimal(staff)) if staff else None,
        threshold=current_settings().coverage_threshold,
        offices_below=[codes[row[0]] for row in measured if row[6]],
    )
