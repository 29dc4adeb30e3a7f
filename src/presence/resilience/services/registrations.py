"""Writes to crisis-comms registrations, one at a time or imported from CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from presence.core.services import Actor, only_fields, tracked_create, tracked_update
from presence.org.access import Action, check, restrict
from presence.org.models import Office
from presence.org.writes import checked_delete
from presence.resilience.models import (
    CrisisCommsRegistration,
)
from presence.resilience.services._common import _office_record_update

# Crisis-comms registrations -------------------------------------------------------------------

REGISTRATION_FIELDS = ("office", "counted_on", "registered", "staff_in_office", "notes")


@transaction.atomic
def registration_create(*, actor: Actor, source: str = "entered", **data: Any) -> CrisisCommsRegistration:
    only_fields(data, REGISTRATION_FIELDS)
    check(actor, Action.ADD, CrisisCommsRegistration(**data))
    counted_on = data.get("counted_on")
    if (
        counted_on
        and CrisisCommsRegistration.objects.filter(office=data.get("office"), counted_on=counted_on).exists()
    ):
        raise ValidationError(
            {"counted_on": "This office already has a count on this date; change that one."}
        )
    return tracked_create(model=CrisisCommsRegistration, actor=actor, data={**data, "source": source})


@transaction.atomic
def registration_update(
    *, actor: Actor, registration: CrisisCommsRegistration, expected_version: int | None, **data: Any
) -> CrisisCommsRegistration:
    return _office_record_update(
        registration, actor=actor, data=data, fields=REGISTRATION_FIELDS, expected_version=expected_version
    )


@transaction.atomic
def registration_delete(
    *, actor: Actor, registration: CrisisCommsRegistration, expected_version: int | None
) -> None:
    checked_delete(registration, actor=actor, expected_version=expected_version)


def _parse_count(value: str, label: str, line: int, errors: list[str], *, required: bool) -> int | None:
    value = (value or "").strip()
    if not value:
        if required:
            errors.append(f"Line {line}: {label} is missing.")
        return None
    try:
        number = int(value)
    except ValueError:
        errors.append(f"Line {line}: {label} {value!r} is not a whole number.")
        return None
    if number < 0:
        errors.append(f"Line {line}: {label} cannot be negative.")
        return None
    return number


@transaction.atomic
def registrations_import(*, actor: Actor, content: bytes) -> list[CrisisCommsRegistration]:
    """Load counts from CSV (columns office, counted_on, registered, optional staff_in_office).

    All rows or none: any bad row refuses the whole file, naming each problem by line. A row for an
    office and date that already has a count replaces that count.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": "The file is not UTF-8 CSV text."}) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = {"office", "counted_on", "registered"} - set(reader.fieldnames or [])
    if missing:
        raise ValidationError({"file": f"Missing column(s): {', '.join(sorted(missing))}."})
    offices = {office.code: office for office in restrict(Office.objects.all(), actor, Action.VIEW)}
    errors: list[str] = []
    rows: list[dict[str, Any]] = []
    for line, row in enumerate(reader, start=2):
        office = offices.get((row.get("office") or "").strip())
        if office is None:
            errors.append(f"Line {line}: unknown office code {row.get('office')!r}.")
        try:
            counted_on = dt.date.fromisoformat((row.get("counted_on") or "").strip())
        except ValueError:
            errors.append(f"Line {line}: counted_on {row.get('counted_on')!r} is not a date like 2024-09-01.")
            counted_on = None
        registered = _parse_count(row.get("registered") or "", "registered", line, errors, required=True)
        staff = _parse_count(
            row.get("staff_in_office") or "", "staff_in_office", line, errors, required=False
        )
        if office is not None and counted_on is not None and registered is not None:
            rows.append(
                {
                    "office": office,
                    "counted_on": counted_on,
                    "registered": registered,
                    "staff_in_office": staff,
                }
            )
    if not rows and not errors:
        errors.append("The file has no rows.")
    if errors:
        raise ValidationError({"file": errors})
    saved: list[CrisisCommsRegistration] = []
    for row in rows:
        existing = CrisisCommsRegistration.objects.filter(
            office=row["office"], counted_on=row["counted_on"]
        ).first()
        if existing:
            check(actor, Action.CHANGE, existing)
            saved.append(
                tracked_update(
                    instance=existing,
                    actor=actor,
                    expected_version=None,
                    reason="uploaded",
                    data={
                        "registered": row["registered"],
                        "staff_in_office": row["staff_in_office"],
                        "source": CrisisCommsRegistration.Source.UPLOADED,
                    },
                )
            )
        else:
            check(actor, Action.ADD, CrisisCommsRegistration(office=row["office"]))
            saved.append(
                tracked_create(
                    model=CrisisCommsRegistration,
                    actor=actor,
                    reason="uploaded",
                    data={**row, "source": CrisisCommsRegistration.Source.UPLOADED},
                )
            )
    return saved
