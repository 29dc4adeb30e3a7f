"""Reconciliation of aggregate tables: do row totals and column totals add up, up to rounding?

A table like Table 1 has a label column, part columns, a row-total column and a Total row. Each
shown value may be off by up to half a unit of its last shown decimal (it was rounded from an exact
amount), so a check over k shown values (the parts and the total they are compared with) allows
k x that half unit. An empty cell is an exact zero and allows nothing. Count columns (named
"number..." or "count...") hold exact integers and allow nothing either.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

TOTAL_LABEL = "total"


class TableError(ValueError):
    """The file is not a table this check understands."""


@dataclass(frozen=True)
class Cell:
    value: Decimal
    half_unit: Decimal  # how far the shown value may be from the exact one

    @classmethod
    def parse(cls, text: str, *, exact: bool) -> Cell:
        text = text.strip().replace(",", "").replace(" ", "")
        if not text:
            return cls(Decimal(0), Decimal(0))
        try:
            value = Decimal(text)
        except InvalidOperation as error:
            raise TableError(f"{text!r} is not a number.") from error
        exponent = value.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return cls(value, Decimal(0) if exact else Decimal(5) / Decimal(10) ** (decimals + 1))


@dataclass(frozen=True)
class Finding:
    kind: str  # "row total" or "column total"
    row: str
    column: str
    expected: Decimal
    shown: Decimal
    tolerance: Decimal

    @property
    def difference(self) -> Decimal:
        return self.shown - self.expected

    def __str__(self) -> str:
        return (
            f"{self.kind} {self.row} / {self.column}: expected {self.expected}, shown {self.shown}, "
            f"difference {self.difference:+} (rounding explains at most {self.tolerance})"
        )


@dataclass
class Reconciliation:
    label_column: str
    part_columns: list[str]
    total_column: str
    rows_checked: int
    columns_checked: int
    findings: list[Finding]

    @property
    def reconciles(self) -> bool:
        return not self.findings


def _is_count(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith(("number", "count", "n_"))


def _unit(name: str) -> str:
    return name.rsplit("_", 1)[-1].lower() if "_" in name else ""


def reconcile_rows(header: list[str], records: list[list[str]]) -> Reconciliation:
    if len(header) < 3:
        raise TableError("A table needs a label column, at least one part column and a total column.")
    label, *numeric = header
    totals = [name for name in numeric if TOTAL_LABEL in name.lower()]
    if not totals:
        raise TableError("No row-total column: name one with 'total' in its header.")
    total_column = totals[-1]
    unit = _unit(total_column)
    parts = [
        name
        for name in numeric
        if name != total_column and not _is_count(name) and (not unit or _unit(name) == unit)
    ]
    if not parts:
        raise TableError("No part columns found for the row total.")
    rows: list[tuple[str, dict[str, Cell]]] = []
    total_row: dict[str, Cell] | None = None
    for number, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            raise TableError(f"Line {number} has {len(record)} cells; the header has {len(header)}.")
        cells = {
            name: Cell.parse(text, exact=_is_count(name))
            for name, text in zip(numeric, record[1:], strict=True)
        }
        if record[0].strip().lower() == TOTAL_LABEL:
            total_row = cells
        else:
            rows.append((record[0].strip(), cells))
    findings: list[Finding] = []
    for row_label, cells in [*rows, *([("Total", total_row)] if total_row else [])]:
        shown = [cells[name] for name in parts]
        findings += _compare("row total", row_label, total_column, shown, cells[total_column])
    if total_row is not None:
        for name in numeric:
            findings += _compare(
                "column total", "Total", name, [cells[name] for _l, cells in rows], total_row[name]
            )
    return Reconciliation(
        label_column=label,
        part_columns=parts,
        total_column=total_column,
        rows_checked=len(rows) + (1 if total_row else 0),
        columns_checked=len(numeric) if total_row else 0,
        findings=findings,
    )


def _compare(kind: str, row: str, column: str, parts: list[Cell], total: Cell) -> list[Finding]:
    expected = sum((cell.value for cell in parts), Decimal(0))
    tolerance = sum((cell.half_unit for cell in parts), total.half_unit)
    if abs(total.value - expected) <= tolerance:
        return []
    return [Finding(kind, row, column, expected, total.value, tolerance)]


def reconcile_csv(text: str) -> Reconciliation:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration as error:
        raise TableError("The file is empty.") from error
    return reconcile_rows(header, list(reader))
