"""Crisis-communications registrations and coverage against the staff of each office."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    OuterRef,
    QuerySet,
    Subquery,
)
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
    on = on or timezone.localdate()
    threshold = current_settings().coverage_threshold
    latest = CrisisCommsRegistration.objects.filter(office=OuterRef("pk"), counted_on__lte=on).order_by(
        "-counted_on"
    )
    shown = office_list(user=user, region=region, office=office)
    if offices is not None:
        shown = shown.filter(pk__in=offices)
    listed = list(
        shown.annotate(
            cc_counted_on=Subquery(latest.values("counted_on")[:1]),
            cc_registered=Subquery(latest.values("registered")[:1]),
            cc_staff=Subquery(latest.values("staff_in_office")[:1]),
        )
    )
    # Each count is compared with the staff of the office on the day it was made, not today's.
    counted = [o for o in listed if o.cc_counted_on]
    staffing = staff_counts_from_staffing(
        dates={o.cc_counted_on for o in counted}, offices=[o.pk for o in counted]
    )
    rows = []
    for o in listed:
        staff: int | None = None
        source = ""
        on_the_day = staffing.get(o.cc_counted_on, {}) if o.cc_counted_on else {}
        if on_the_day.get(o.pk):
            staff, source = on_the_day[o.pk], "staffing"
        elif o.cc_staff:
            staff, source = o.cc_staff, "entered"
        percent = (
            compliance(Decimal(o.cc_registered), Decimal(staff))
            if staff and o.cc_registered is not None
            else None
        )
        rows.append(
            OfficeCoverage(
                office=o,
                counted_on=o.cc_counted_on,
                registered=o.cc_registered,
                staff=staff,
                staff_source=source,
                percent=percent,
                below_threshold=percent is not None and percent < threshold,
            )
        )
    return rows


@dataclass
class CoverageSummary:
    registered: int
    staff: int
    percent: Decimal | None
    threshold: Decimal
    offices_below: list[OfficeCoverage]
    offices_without_count: list[Office]


def coverage_summary(rows: list[OfficeCoverage]) -> CoverageSummary:
    registered = sum(r.registered or 0 for r in rows)
    staff = sum(r.staff or 0 for r in rows if r.registered is not None)
    return CoverageSummary(
        registered=registered,
        staff=staff,
        percent=compliance(Decimal(registered), Decimal(staff)) if staff else None,
        threshold=current_settings().coverage_threshold,
        offices_below=[r for r in rows if r.below_threshold],
        offices_without_count=[r.office for r in rows if r.registered is None],
    )
