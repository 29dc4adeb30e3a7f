"""IATI import: activities become projects with budgets, transactions, funding and indicators, in batches.

The file is read once, in one database transaction: an unsafe prologue or the wrong root element is
refused before the first activity, and a file found malformed later (truncated, broken markup, too
deep) raises FileRefused mid-stream, which rolls back everything written for it. Activities are read a
batch at a time (BATCH, 200 by default) into plain data, each validated fully in Python against
reference data loaded once per import and records loaded once per batch (existing activities,
partners, project codes); the valid ones of the batch are written with multi-row statements in one
savepoint. An activity that fails validation is left out of the batch and reported with its
identifier, line and reason. If the batch write itself fails (e.g. a record written concurrently),
the batch is written again one activity per savepoint, so the bad one is isolated and the others are
kept. A dry run rolls the whole transaction back at the end.

The rules are those of the portfolio and results services (access through `presence.org.access.can`,
project dates, exchange rates, amounts that fit their fields, one value per indicator and year); the
audit trail gets one entry per project created or updated (action *imported*, reason naming the file
and line) and one per partner created.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from presence.core import figures
from presence.core.errors import AccessDenied, InvalidTransition, VersionConflict
from presence.core.services import Actor
from presence.interchange.iati.mapping import ActivityRecord, read_activity
from presence.interchange.iati.plan import BATCH, Lookups, Plan, _identifier, _load_batch, prepare
from presence.interchange.iati.reader import activities, estimate
from presence.interchange.iati.safety import FileRefused
from presence.interchange.iati.schema import activity_faults, activity_schema
from presence.interchange.iati.store import write
from presence.org.models import Office


@dataclass
class Rejection:
    identifier: str
    line: int
    message: str

    def __str__(self) -> str:
        return _("%(identifier)s (line %(line)d): %(message)s") % {
            "identifier": self.identifier or _("(no identifier)"),
            "line": self.line,
            "message": self.message,
        }


@dataclass
class ImportSummary:
    source: str = ""
    dry_run: bool = False
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Where the file departs from the IATI 2.03 activity schema (tolerated unless the import is strict).
    schema_faults: list[str] = field(default_factory=list)
    refused: str = ""

    @property
    def exit_code(self) -> int:
        """0 every activity stored, 1 some rejected, 2 the file itself refused."""
        if self.refused:
            return 2
        return 1 if self.rejected else 0

    @property
    def done(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected

    def reject(self, identifier: str | None, line: int, error: Exception) -> None:
        self.rejected += 1
        self.rejections.append(Rejection(identifier or "", line, _message(error)))

    def line(self) -> str:
        if self.refused:
            return _("%(source)s refused: %(reason)s") % {"source": self.source, "reason": self.refused}
        verb = _("would be") if self.dry_run else ""
        return _(
            "%(source)s: %(total)d activities; %(verb)s created %(created)d, updated %(updated)d, "
            "unchanged %(unchanged)d, rejected %(rejected)d"
        ) % {
            "source": self.source,
            "total": self.total,
            "verb": verb,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "rejections": [
                {"identifier": r.identifier, "line": r.line, "message": r.message} for r in self.rejections
            ],
            "warnings": self.warnings[:500],
            "schema_faults": self.schema_faults[:500],
            "refused": self.refused,
            "exit_code": self.exit_code,
        }


class _DryRun(Exception):
    pass


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            parts = []
            for name, errors in error.message_dict.items():
                text = "; ".join(errors)
                parts.append(text if name == "__all__" else f"{name}: {text}")
            return " ".join(parts)
        return "; ".join(error.messages)
    return str(error)


REFUSALS = (ValidationError, AccessDenied, InvalidTransition, VersionConflict)


def _store(plans: list[Plan], *, actor: Actor, lookups: Lookups, source: str) -> None:
    with transaction.atomic():  # a savepoint in the file's transaction
        write(plans, actor=actor, lookups=lookups, source=source)


def _import_batch(
    items: list[tuple[ActivityRecord, str, bool, str]],
    *,
    actor: Actor,
    lookups: Lookups,
    summary: ImportSummary,
) -> None:
    batch = _load_batch(items)
    plans: list[Plan] = []
    for record, identifier, given, fingerprint in items:
        existing = batch.existing.get(identifier)
        if existing is not None and existing.fingerprint == fingerprint and not record.errors:
            summary.unchanged += 1
            continue
        try:
            plans.append(
                prepare(
                    actor=actor,
                    record=record,
                    identifier=identifier,
                    given=given,
                    fingerprint=fingerprint,
                    batch=batch,
                    lookups=lookups,
                )
            )
        except REFUSALS as error:
            summary.reject(record.identifier, record.line, error)
    if not plans:
        return

    def store(chosen: list[Plan]) -> None:
        _store(chosen, actor=actor, lookups=lookups, source=summary.source)

    try:
        store(plans)
        stored = plans
    except (DatabaseError, *REFUSALS):
        # Isolate the activity the database refused: one savepoint per activity.
        stored = []
        for plan in plans:
            try:
                store([plan])
            except (DatabaseError, *REFUSALS) as error:
                summary.reject(plan.record.identifier, plan.record.line, error)
            else:
                stored.append(plan)
    for plan in stored:
        if plan.existing is None:
            summary.created += 1
        else:
            summary.updated += 1
        summary.warnings.extend(plan.record.warnings)


def iati_import(
    *,
    actor: Actor,
    path: Path,
    dry_run: bool = False,
    office: Office | None = None,
    source: str = "",
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH,
    strict: bool = False,
) -> ImportSummary:
    """Import an iati-activities file; FileRefused (from the reader) when the file itself is refused.

    Everything runs in one transaction: a file refused mid-stream leaves nothing written, and a dry
    run is rolled back at the end (so a later activity sees what an earlier one of the file made).
    Each activity is checked against the IATI 2.03 schema as it is read: every fault is a note of the
    summary (line, element, what is wrong), or with `strict` the file is refused, naming the faults.
    """
    summary = ImportSummary(source=source or path.name, dry_run=dry_run)
    expected = estimate(path) if progress else 0
    try:
        with transaction.atomic():
            _import_file(
                path, actor=actor, office=office, summary=summary, expected=expected, progress=progress,
                batch_size=batch_size, strict=strict,
            )  # fmt: skip
            figures.bump()  # at the file's end, so concurrent writers wait on the version row briefly
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return summary


def _import_file(
    path: Path,
    *,
    actor: Actor,
    office: Office | None,
    summary: ImportSummary,
    expected: int,
    progress: Callable[[int, int], None] | None,
    batch_size: int,
    strict: bool,
) -> None:
    schema = activity_schema()
    if schema is None:
        note = _(
            "The IATI 2.03 schema files are not installed (setting IATI_SCHEMA_DIR), so the activities "
            "were not checked against the schema."
        )
        if strict:
            raise FileRefused(note + " " + _("A strict import needs them; nothing was imported."))
        summary.warnings.append(note)
    lookups = Lookups(office=office)
    pending: list[tuple[ActivityRecord, str, bool, str]] = []
    identifiers: set[str] = set()

    def flush() -> None:
        if pending:
            _import_batch(pending, actor=actor, lookups=lookups, summary=summary)
            pending.clear()
            identifiers.clear()
            if progress:
                progress(summary.done, max(expected, summary.total))

    for line, element in activities(path):
        summary.total += 1
        if schema is not None:
            faults = [str(fault) for fault in activity_faults(schema, element)]
            summary.schema_faults.extend(faults)
            if not strict:
                summary.warnings.extend(_("Schema: %(fault)s") % {"fault": fault} for fault in faults)
            elif summary.schema_faults:
                continue  # the file will be refused: the rest is only checked, not imported
        record = read_activity(element, line)
        fingerprint = record.fingerprint
        identifier, given = _identifier(record, fingerprint)
        if identifier in identifiers:
            flush()  # a second activity with the same identifier updates the first one
        pending.append((record, identifier, given, fingerprint))
        identifiers.add(identifier)
        if len(pending) >= batch_size:
            flush()
    if strict and summary.schema_faults:
        shown = summary.schema_faults[:20]
        more = len(summary.schema_faults) - len(shown)
        raise FileRefused(
            _("The file does not follow the IATI 2.03 activity schema (%(n)d faults): %(faults)s%(more)s. "
              "A strict import refuses it; nothing was imported.")
            % {"n": len(summary.schema_faults), "faults": "; ".join(shown),
               "more": _(" and %(n)d more") % {"n": more} if more else ""}
        )  # fmt: skip
    flush()
    if progress and expected != summary.total:
        progress(summary.done, summary.total)  # the estimate counted a tag in a comment, say
