"""Spreadsheet templates and imports: each kind is a small declarative spec in a registry.

Upload (XLSX or CSV) -> `preview` (every row to create, update or leave unchanged, and every error by
row and column) -> `apply` in one transaction through the owning app's services, with one audit entry
recording the import. Unknown columns, wrong types, unknown codes, duplicates within the file and rows
outside the uploader's scope are errors; a file with any error changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from presence.core import figures
from presence.core.errors import AccessDenied, InvalidTransition, VersionConflict
from presence.core.exports import xlsx_append, xlsx_set
from presence.core.models import AuditEntry
from presence.core.services import Actor, audit_record
from presence.core.years import YEAR_MAX, YEAR_MIN
from presence.org.access import Action, can
from presence.org.models import Office, Region
from presence.org.placement import placement_problem
from presence.portfolio import services as portfolio
from presence.portfolio.models import Budget, Funding, FundingSource, Partner, Project, Transaction
from presence.results import services as results
from presence.results.models import Activity, Indicator, IndicatorValue

logger = logging.getLogger(__name__)

MAX_ROWS = 20000  # data rows of one file
MAX_COLUMNS = 100  # columns read of a sheet; a template has at most 15
MAX_FILE_BYTES = 20 * 1024 * 1024  # an uploaded spreadsheet
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # all parts of an XLSX unpacked (zip-bomb guard)
MAX_ZIP_MEMBERS = 1000
PROGRESS_EVERY = 100  # rows between two progress reports of an apply


class RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text, int, decimal, date, code
    required: bool = True
    note: str = ""
    codes: Callable[[], list[str]] | None = None
    # Bounds of an int or decimal column (inclusive); a value outside is an error of its row.
    minimum: int | None = None
    maximum: int | None = None


@dataclass
class SheetKind:
    key: str
    label: str | Promise
    columns: tuple[Column, ...]
    key_columns: tuple[str, ...]
    # (typed row) -> resolved values (objects instead of codes); raises RowError.
    resolve: Callable[[dict[str, Any]], dict[str, Any]]
    find: Callable[[dict[str, Any]], models.Model | None]
    draft: Callable[[dict[str, Any]], models.Model]
    changes: Callable[[models.Model, dict[str, Any]], dict[str, Any]]
    create: Callable[[Actor, dict[str, Any]], Any]
    update: Callable[[Actor, Any, dict[str, Any]], Any]
    scope_column: str = ""
    # The owning app's own rules a row must meet, checked in the preview: (column, message) of each problem.
    checks: Callable[[Actor, dict[str, Any], Any], list[tuple[str, str]]] | None = None

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@dataclass
class RowPreview:
    number: int
    action: str  # create, update, unchanged, error
    label: str
    changes: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict, repr=False)  # resolved, for the write


@dataclass
class Preview:
    kind: str
    rows: list[RowPreview] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        """(row, column, message) of every error; row 1 is the header."""
        found = [(1, "", message) for message in self.file_errors]
        for row in self.rows:
            found.extend((row.number, column, message) for column, message in row.errors)
        return found

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "create": self.count("create"),
            "update": self.count("update"),
            "unchanged": self.count("unchanged"),
            "errors": [{"row": r, "column": c, "message": m} for r, c, m in self.errors],
            "rows": [
                {"row": row.number, "action": row.action, "label": row.label, "changes": sorted(row.changes)}
                for row in self.rows
            ],
        }


REGISTRY: dict[str, SheetKind] = {}


def register(kind: SheetKind) -> SheetKind:
    REGISTRY[kind.key] = kind
    return kind


# --- Typed cells --------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def convert(column: Column, value: Any) -> Any:
    """A cell as the column's type; RowError naming what is wrong."""
    text = _text(value)
    if text == "":
        if column.required:
            raise RowError(column.name, _("%(column)s is required.") % {"column": column.name})
        return None
    if column.kind == "int":
        try:
            whole = Decimal(text)
            if not whole.is_finite() or whole != int(whole):
                return _bad(column, text, _("a whole number"))
        except (InvalidOperation, ValueError):
            return _bad(column, text, _("a whole number"))
        return _within(column, int(whole))
    if column.kind == "decimal":
        try:
            number = Decimal(text.replace(",", "").replace(" ", ""))
        except InvalidOperation:
            return _bad(column, text, _("a number"))
        return _within(column, number) if number.is_finite() else _bad(column, text, _("a number"))
    if column.kind == "date":
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        else:
            try:
                day = dt.date.fromisoformat(text[:10])
            except ValueError:
                return _bad(column, text, _("a date (YYYY-MM-DD)"))
        if not YEAR_MIN <= day.year <= YEAR_MAX:
            raise RowError(
                column.name,
                _("%(column)s must be a date between %(low)d and %(high)d, not %(value)s.")
                % {"column": column.name, "low": YEAR_MIN, "high": YEAR_MAX, "value": day.isoformat()},
            )
        return day
    if column.kind == "code" and column.codes is not None and text not in column.codes():
        raise RowError(
            column.name,
            _("%(value)r is not a known %(column)s code.") % {"value": text, "column": column.name},
        )
    return text


def _within(column: Column, number: Any) -> Any:
    low, high = column.minimum, column.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        if high is None:
            message = _("%(column)s must be %(low)s or more, not %(value)s.")
        elif low is None:
            message = _("%(column)s must be %(high)s or less, not %(value)s.")
        else:
            message = _("%(column)s must be between %(low)s and %(high)s, not %(value)s.")
        raise RowError(
            column.name, message % {"column": column.name, "low": low, "high": high, "value": number}
        )
    return number


def _bad(column: Column, text: str, expected: str) -> Any:
    raise RowError(column.name, _("%(value)r is not %(expected)s.") % {"value": text, "expected": expected})


# --- Reading files -------------------------------------------------------------------------------------


def _check_workbook_archive(content: bytes) -> None:
    """Refuse a workbook whose zip members would unpack too large, before openpyxl reads any of it.

    An XLSX is a zip archive; its members' declared sizes are checked here (zipfile never unpacks a
    member beyond its declared size, so the declaration bounds the memory openpyxl can use).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise ValidationError(
            {"file": _("The file is not a readable XLSX workbook (%(e)s).") % {"e": error}}
        ) from error
    if len(members) > MAX_ZIP_MEMBERS:
        raise ValidationError(
            {
                "file": _("The workbook has %(n)d parts; at most %(limit)d are accepted.")
                % {"n": len(members), "limit": MAX_ZIP_MEMBERS}
            }
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        biggest = max(members, key=lambda member: member.file_size)
        raise ValidationError(
            {
                "file": _(
                    "The workbook unpacks to %(size)d MB (%(part)s alone is %(part_size)d MB); "
                    "at most %(limit)d MB are accepted."
                )
                % {
                    "size": unpacked // 1024 // 1024,
                    "part": biggest.filename,
                    "part_size": biggest.file_size // 1024 // 1024,
                    "limit": MAX_UNCOMPRESSED_BYTES // 1024 // 1024,
                }
            }
        )


def _xlsx_rows(content: bytes) -> list[list[Any]]:
    """The first sheet's (or the Data sheet's) rows, read lazily within the row and column limits."""
    _check_workbook_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a file that is not a workbook
        raise ValidationError(
            {"file": _("The file is not a readable XLSX workbook (%(e)s).") % {"e": error}}
        ) from error
    try:
        sheet = workbook["Data"] if "Data" in workbook.sheetnames else workbook.worksheets[0]
        # The sheet's declared size (its <dimension>), known before any row is read.
        declared_rows, declared_columns = sheet.max_row or 0, sheet.max_column or 0
        if declared_columns > MAX_COLUMNS:
            raise ValidationError(
                {
                    "file": _(
                        "The sheet %(sheet)s declares %(n)d columns (%(range)s); a spreadsheet may have "
                        "at most %(limit)d columns. Delete the columns after the last one you use."
                    )
                    % {
                        "sheet": sheet.title,
                        "n": declared_columns,
                        "range": _declared_range(sheet),
                        "limit": MAX_COLUMNS,
                    }
                }
            )
        if declared_rows > MAX_ROWS + 1:
            raise ValidationError({"file": _too_many_rows()})
        rows: list[list[Any]] = []
        # Bounded even when the declaration is missing or wrong: one column beyond the limit is read
        # to tell a row that exceeds it, and reading stops at the first data row beyond the limit.
        for position, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True), start=1):
            _keep_row(rows, list(cells), position)
        return rows
    finally:
        workbook.close()


def _keep_row(rows: list[list[Any]], row: list[Any], position: int) -> None:
    """Add a non-blank row within the column limit; refuse a row beyond the row or column limit."""
    if not any(_text(cell) for cell in row):
        if position > 2 * MAX_ROWS:
            raise ValidationError({"file": _too_many_rows()})
        return
    if len(rows) >= MAX_ROWS + 1:  # the header and MAX_ROWS data rows are there already
        raise ValidationError({"file": _too_many_rows()})
    if any(_text(cell) for cell in row[MAX_COLUMNS:]):
        raise ValidationError(
            {
                "file": _(
                    "Row %(row)d has more than %(limit)d columns; a spreadsheet may have at most %(limit)d."
                )
                % {"row": position, "limit": MAX_COLUMNS}
            }
        )
    kept = row[:MAX_COLUMNS]
    while kept and _text(kept[-1]) == "":
        kept.pop()
    rows.append(kept)


def _declared_range(sheet: Any) -> str:
    return f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}"


def _too_many_rows() -> str:
    return _("The file has more than %(n)d rows; split it.") % {"n": MAX_ROWS}


def read_rows(content: bytes, filename: str) -> tuple[list[str], list[list[Any]]]:
    """(header, data rows) of the first sheet of an XLSX or of a CSV file, within the limits."""
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(
            {
                "file": _("The file is %(size).1f MB; a spreadsheet may be at most %(limit)d MB.")
                % {"size": len(content) / 1024 / 1024, "limit": MAX_FILE_BYTES // 1024 // 1024}
            }
        )
    if filename.lower().endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif filename.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError({"file": _("The CSV file is not UTF-8 text.")}) from error
        rows = []
        try:
            for position, row in enumerate(csv.reader(io.StringIO(text)), start=1):
                _keep_row(rows, list(row), position)
        except csv.Error as error:
            raise ValidationError(
                {"file": _("The CSV file cannot be read (%(e)s).") % {"e": error}}
            ) from error
    else:
        raise ValidationError({"file": _("Upload an .xlsx or a .csv file.")})
    if not rows:
        raise ValidationError({"file": _("The file has no header row.")})
    header = [_text(cell) for cell in rows[0]]
    return header, rows[1:]


def preview(*, actor: Actor, kind: SheetKind, content: bytes, filename: str) -> Preview:
    """Every row's action and every error; what the apply would refuse is an error here already.

    After the checks by column, a file without errors is written row by row through the services,
    exactly as `apply` writes it, in a transaction that is then rolled back: each refusal (the
    model's validation, the service's rules, the database's constraints) becomes an error of its row.
    """
    result = _check(actor=actor, kind=kind, content=content, filename=filename)
    if result.is_valid:
        with transaction.atomic():
            _write(actor, kind, result)
            transaction.set_rollback(True)
    return result


def _check(*, actor: Actor, kind: SheetKind, content: bytes, filename: str) -> Preview:
    header, rows = read_rows(content, filename)
    result = Preview(kind=kind.key)
    known = {c.name for c in kind.columns}
    for name in header:
        if name and name not in known:
            result.file_errors.append(
                _("Unknown column %(name)r; the columns of this template are: %(known)s.")
                % {"name": name, "known": ", ".join(c.name for c in kind.columns)}
            )
    for column in kind.columns:
        if column.required and column.name not in header:
            result.file_errors.append(_("The required column %(name)r is missing.") % {"name": column.name})
    if result.file_errors:
        return result
    seen: dict[tuple[Any, ...], int] = {}
    for offset, cells in enumerate(rows, start=2):
        raw = {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(header) if name}
        row = RowPreview(number=offset, action="error", label="")
        typed: dict[str, Any] = {}
        for column in kind.columns:
            try:
                typed[column.name] = convert(column, raw.get(column.name))
            except RowError as error:
                row.errors.append((error.column, error.message))
        row.label = " ".join(_text(raw.get(name)) for name in kind.key_columns)
        if not row.errors:
            key = tuple(typed[name] for name in kind.key_columns)
            if key in seen:
                row.errors.append(
                    (kind.key_columns[0], _("Duplicate of row %(row)d in this file.") % {"row": seen[key]})
                )
            else:
                seen[key] = offset
        if not row.errors:
            _classify(actor, kind, typed, row)
        result.rows.append(row)
    return result


def _classify(actor: Actor, kind: SheetKind, typed: dict[str, Any], row: RowPreview) -> None:
    try:
        values = kind.resolve(typed)
    except RowError as error:
        row.errors.append((error.column, error.message))
        return
    row.values = values
    existing = kind.find(values)
    scope_column = kind.scope_column or kind.key_columns[0]
    if kind.checks is not None:
        problems = kind.checks(actor, values, existing)
        if problems:
            row.errors.extend(problems)
            return
    if existing is None:
        if not can(actor, Action.ADD, kind.draft(values)):
            row.errors.append((scope_column, _("This row is outside the offices and regions you may edit.")))
            return
        if _misplaced(kind, values, row, scope_column):
            return
        row.action = "create"
        return
    changes = kind.changes(existing, values)
    if not changes:
        row.action = "unchanged"
        return
    if not can(actor, Action.CHANGE, existing) or not can(actor, Action.ADD, kind.draft(values)):
        row.errors.append((scope_column, _("This row is outside the offices and regions you may edit.")))
        return
    if _misplaced(kind, values, row, scope_column):
        return
    row.action = "update"
    row.changes = changes


def _misplaced(kind: SheetKind, values: dict[str, Any], row: RowPreview, scope_column: str) -> bool:
    """An error on the row when its office does not belong to its region (`presence.org.placement`)."""
    placement = placement_problem(kind.draft(values))
    if placement is None:
        return False
    field, message = placement
    row.errors.append((field if field in {c.name for c in kind.columns} else scope_column, message))
    return True


def _write(
    actor: Actor, kind: SheetKind, result: Preview, progress: Callable[[int, int], None] | None = None
) -> None:
    """Write each row to create or update through its service, each in a savepoint; a row refused
    (by the model, the service or the database) gets the reason as its error and writes nothing."""
    columns = {column.name for column in kind.columns}
    fallback = kind.scope_column or kind.key_columns[0]
    for done, row in enumerate(result.rows, start=1):
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == len(result.rows)):
            progress(done, len(result.rows))
        if row.action not in ("create", "update"):
            continue
        try:
            with transaction.atomic():
                if row.action == "create":
                    kind.create(actor, row.values)
                else:
                    kind.update(actor, kind.find(row.values), row.changes)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, messages in error.message_dict.items():
                    column = name if name in columns else fallback
                    row.errors.extend((column, message) for message in messages)
            else:
                row.errors.extend((fallback, message) for message in error.messages)
        except (AccessDenied, InvalidTransition, VersionConflict) as error:
            row.errors.append((fallback, str(error)))
        except DatabaseError as error:
            row.errors.append((fallback, _("The database refused this row: %(e)s") % {"e": error}))
        except Exception as error:  # any other refusal is this row's error too, never a failed apply
            logger.warning("Spreadsheet row %d (%s) refused", row.number, kind.key, exc_info=True)
            row.errors.append((fallback, _("This row cannot be saved: %(e)s") % {"e": error}))
        if row.errors:
            row.action = "error"


@transaction.atomic
def apply(
    *,
    actor: Actor,
    kind: SheetKind,
    content: bytes,
    filename: str,
    record: models.Model,
    progress: Callable[[int, int], None] | None = None,
) -> Preview:
    """Apply a file whose preview has no error, all rows or none; the audit entry sits on `record`.

    `progress(done, total)` is told how far the rows are, every PROGRESS_EVERY rows and at the end.
    """
    result = _check(actor=actor, kind=kind, content=content, filename=filename)
    if result.is_valid:
        _write(actor, kind, result, progress)
        figures.bump()
    if not result.is_valid:
        row, column, message = result.errors[0]
        raise ValidationError(
            {
                "file": _("Row %(row)d, column %(column)s: %(message)s Nothing was imported.")
                % {"row": row, "column": column or "-", "message": message}
            }
        )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.IMPORT,
        instance=record,
        changes={"created": [None, result.count("create")], "updated": [None, result.count("update")]},
        reason=_("Spreadsheet import (%(kind)s) of %(file)s") % {"kind": kind.label, "file": filename},
    )
    return result


# --- Templates -----------------------------------------------------------------------------------------


def template(kind: SheetKind) -> bytes:
    """An XLSX template: a Data sheet with headers, notes and drop-downs, a Notes sheet, a Codes sheet."""
    workbook = Workbook()
    data = workbook.active
    assert data is not None  # noqa: S101 - a new workbook always has a sheet
    data.title = "Data"
    notes = workbook.create_sheet("Notes")
    codes = workbook.create_sheet("Codes")
    xlsx_append(notes, [_("Column"), _("Required"), _("Type"), _("Notes")])
    header_fill = PatternFill("solid", fgColor="DDE3EA")
    for index, column in enumerate(kind.columns, start=1):
        cell = xlsx_set(data, row=1, column=index, value=column.name)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        if column.note:
            cell.comment = Comment(column.note, "Regional Presence")
        data.column_dimensions[get_column_letter(index)].width = max(14, len(column.name) + 4)
        xlsx_append(notes, [column.name, _("yes") if column.required else _("no"), column.kind, column.note])
        if column.codes is not None:
            values = column.codes()
            xlsx_set(codes, row=1, column=index, value=column.name).font = Font(bold=True)
            for offset, value in enumerate(values, start=2):
                xlsx_set(codes, row=offset, column=index, value=value)
            letter = get_column_letter(index)
            validation = DataValidation(
                type="list",
                formula1=f"=Codes!${letter}$2:${letter}${max(2, len(values) + 1)}",
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle=_("Unknown code"),
                error=_("Choose a value from the list."),
            )
            data.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    data.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Kinds -----------------------------------------------------------------------------------------------


def _codes(values: Iterable[Any]) -> Callable[[], list[str]]:
    frozen = list(values)
    return lambda: [str(v) for v in frozen]


def _query_codes(model: type[models.Model], field_name: str) -> Callable[[], list[str]]:
    return lambda: [
        str(v) for v in model._default_manager.order_by(field_name).values_list(field_name, flat=True)
    ]


def _project(code: str, column: str = "project") -> Project:
    project = Project.objects.select_related("region", "lead_office").filter(code=code).first()
    if project is None:
        raise RowError(column, _("There is no project %(code)r.") % {"code": code})
    return project


def _diff(instance: models.Model, values: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    return {
        name: values[name] for name in names if name in values and getattr(instance, name) != values[name]
    }


def creating(service: Callable[..., Any], *names: str) -> Callable[[Actor, dict[str, Any]], Any]:
    """A sheet kind's `create`: the app's create service with the row's values of `names`."""
    return lambda actor, values: service(actor=actor, **{name: values[name] for name in names})


def updating(service: Callable[..., Any], argument: str) -> Callable[[Actor, Any, dict[str, Any]], Any]:
    """A sheet kind's `update`: the app's update service, the record as `argument`, with the row's
    changes (the import reads and writes in one transaction, so no version is expected)."""
    return lambda actor, record, changes: service(
        actor=actor, expected_version=None, **{argument: record}, **changes
    )


PROJECT_EDITABLE = (
    "title", "description", "status", "planned_start", "planned_end", "actual_start", "actual_end",
    "region", "lead_office", "currency", "manager_name",
)  # fmt: skip


def _project_resolve(row: dict[str, Any]) -> dict[str, Any]:
    values = {**row, "description": row["description"] or "", "manager_name": row["manager_name"] or ""}
    values["region"] = Region.objects.get(code=row["region"])
    values["lead_office"] = Office.objects.get(code=row["lead_office"])
    values["currency"] = row["currency"] or "CHF"
    return values


register(
    SheetKind(
        key="projects",
        label=gettext_lazy("Projects"),
        columns=(
            Column("code", note="Project code, e.g. 9RAF10084-04; an existing code updates the project."),
            Column("title"),
            Column("status", "code", codes=_codes(Project.Status.values)),
            Column("planned_start", "date"),
            Column("planned_end", "date"),
            Column("actual_start", "date", required=False),
            Column("actual_end", "date", required=False),
            Column("region", "code", codes=_query_codes(Region, "code")),
            Column("lead_office", "code", codes=_query_codes(Office, "code")),
            Column("currency", required=False, note="ISO 4217, default CHF"),
            Column("description", required=False),
            Column("manager_name", required=False),
        ),
        key_columns=("code",),
        scope_column="region",
        resolve=_project_resolve,
        find=lambda v: Project.objects.filter(code=v["code"]).first(),
        draft=lambda v: Project(region=v["region"], lead_office=v["lead_office"]),
        changes=lambda p, v: _diff(p, v, PROJECT_EDITABLE),
        create=creating(portfolio.project_create, "code", *PROJECT_EDITABLE),
        update=updating(portfolio.project_update, "project"),
    )
)


def _with_project(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "project": _project(row["project"])}


register(
    SheetKind(
        key="budgets",
        label=gettext_lazy("Budgets"),
        columns=(
            Column("project", "code", codes=_query_codes(Project, "code")),
            Column("year", "int", minimum=YEAR_MIN, maximum=YEAR_MAX),
            Column("amount", "decimal", minimum=0),
            Column("currency", note="ISO 4217, e.g. CHF"),
        ),
        key_columns=("project", "year"),
        resolve=_with_project,
        find=lambda v: Budget.objects.filter(project=v["project"], year=v["year"]).first(),
        draft=lambda v: Budget(project=v["project"]),
        changes=lambda b, v: _diff(b, v, ("amount", "currency")),
        create=creating(portfolio.budget_create, "project", "year", "amount", "currency"),
        update=updating(portfolio.budget_update, "budget"),
    )
)

register(
    SheetKind(
        key="transactions",
        label=gettext_lazy("Transactions"),
        columns=(
            Column("project", "code", codes=_query_codes(Project, "code")),
            Column("kind", "code", codes=_codes(Transaction.Kind.values)),
            Column("date", "date"),
            Column("amount", "decimal", minimum=0),
            Column("currency"),
            Column("description", required=False),
        ),
        key_columns=("project", "kind", "date", "amount", "currency"),
        resolve=lambda row: {**_with_project(row), "description": row["description"] or ""},
        find=lambda v: Transaction.objects.filter(
            project=v["project"], kind=v["kind"], date=v["date"], amount=v["amount"], currency=v["currency"]
        ).first(),
        draft=lambda v: Transaction(project=v["project"]),
        changes=lambda t, v: _diff(t, v, ("description",)),
        create=creating(
            portfolio.transaction_create, "project", "kind", "date", "amount", "currency", "description"
        ),
        update=updating(portfolio.transaction_update, "transaction_record"),
    )
)


def _funding_resolve(row: dict[str, Any]) -> dict[str, Any]:
    values = _with_project(row)
    values["source"] = FundingSource.objects.get(code=row["source"])
    partner = None
    if row["partner"]:
        partner = Partner.objects.filter(name=row["partner"]).first()
        if partner is None:
            raise RowError("partner", _("There is no partner named %(name)r.") % {"name": row["partner"]})
    values["partner"] = partner
    return values


register(
    SheetKind(
        key="funding",
        label=gettext_lazy("Funding"),
        columns=(
            Column("project", "code", codes=_query_codes(Project, "code")),
            Column("source", "code", codes=_query_codes(FundingSource, "code")),
            Column("partner", required=False, note="Partner name as in the partner list"),
            Column("signed_on", "date"),
            Column("amount", "decimal", minimum=0),
            Column("currency"),
        ),
        key_columns=("project", "source", "partner", "signed_on"),
        resolve=_funding_resolve,
        find=lambda v: Funding.objects.filter(
            project=v["project"], source=v["source"], partner=v["partner"], signed_on=v["signed_on"]
        ).first(),
        draft=lambda v: Funding(project=v["project"]),
        changes=lambda f, v: _diff(f, v, ("amount", "currency")),
        create=creating(
            portfolio.funding_create, "project", "source", "partner", "amount", "currency", "signed_on"
        ),
        update=updating(portfolio.funding_update, "funding"),
    )
)

ACTIVITY_EDITABLE = (
    "title",
    "description",
    "level",
    "region",
    "responsible_office",
    "planned_budget",
    "status",
)


def _activity_resolve(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "description": row["description"] or "",
        "region": Region.objects.get(code=row["region"]) if row["region"] else None,
        "responsible_office": Office.objects.get(code=row["responsible_office"]),
        "planned_budget": row["planned_budget"] if row["planned_budget"] is not None else Decimal(0),
    }


register(
    SheetKind(
        key="activities",
        label=gettext_lazy("Operational-plan activities"),
        columns=(
            Column("year", "int", minimum=YEAR_MIN, maximum=YEAR_MAX),
            Column("code"),
            Column("title"),
            Column("level", "code", codes=_codes(Activity.Level.values)),
            Column(
                "region", "code", required=False, codes=_query_codes(Region, "code"), note="Empty for global"
            ),
            Column("responsible_office", "code", codes=_query_codes(Office, "code")),
            Column("status", "code", codes=_codes(Activity.Status.values)),
            Column("planned_budget", "decimal", required=False, minimum=0, note="CHF"),
            Column("description", required=False),
        ),
        key_columns=("year", "code"),
        scope_column="responsible_office",
        resolve=_activity_resolve,
        find=lambda v: Activity.objects.filter(year=v["year"], code=v["code"]).first(),
        draft=lambda v: Activity(region=v["region"], responsible_office=v["responsible_office"]),
        changes=lambda a, v: _diff(a, v, ACTIVITY_EDITABLE),
        create=creating(results.activity_create, "year", "code", *ACTIVITY_EDITABLE),
        update=updating(results.activity_update, "activity"),
    )
)


def _actual_resolve(row: dict[str, Any]) -> dict[str, Any]:
    matches = list(Indicator.objects.filter(code=row["indicator"])[:2])
    if not matches:
        raise RowError("indicator", _("There is no indicator %(code)r.") % {"code": row["indicator"]})
    if len(matches) > 1:
        raise RowError(
            "indicator", _("Several indicators have the code %(code)r.") % {"code": row["indicator"]}
        )
    # The quarter's range is the service's rule (indicator_value_set): the preview's trial write tells it.
    return {**row, "indicator": matches[0], "quarter": row["quarter"] or 0, "note": row["note"] or ""}


def _actual_find(v: dict[str, Any]) -> IndicatorValue | None:
    return IndicatorValue.objects.filter(
        indicator=v["indicator"], year=v["year"], quarter=v["quarter"], breakdown_region=None, gender=""
    ).first()


def _actual_set(actor: Actor, v: dict[str, Any]) -> IndicatorValue:
    return results.indicator_value_set(
        actor=actor,
        indicator=v["indicator"],
        year=v["year"],
        quarter=v["quarter"],
        target=v["target"],
        actual=v["actual"],
        note=v["note"],
    )


register(
    SheetKind(
        key="indicator-actuals",
        label=gettext_lazy("Indicator targets and actuals"),
        columns=(
            Column("indicator", "code", codes=_query_codes(Indicator, "code")),
            Column("year", "int", minimum=YEAR_MIN, maximum=YEAR_MAX),
            Column("quarter", "int", required=False, note="1 to 4, or 0 / empty for the whole year"),
            Column("target", "decimal", required=False),
            Column("actual", "decimal", required=False),
            Column("note", required=False, note="The result in words for qualitative indicators"),
        ),
        key_columns=("indicator", "year", "quarter"),
        scope_column="indicator",
        resolve=_actual_resolve,
        find=_actual_find,
        draft=lambda v: v["indicator"],
        changes=lambda existing, v: _diff(existing, v, ("target", "actual", "note")),
        create=_actual_set,
        update=lambda actor, existing, changes: _actual_set(
            actor,
            {
                "indicator": existing.indicator,
                "year": existing.year,
                "quarter": existing.quarter,
                "target": changes.get("target", existing.target),
                "actual": changes.get("actual", existing.actual),
                "note": changes.get("note", existing.note),
            },
        ),
    )
)
