"""CSV and XLSX downloads of any table: one helper for every list page and report.

Every CSV or XLSX the system writes goes through `csv_rows_bytes`/`csv_value` and
`xlsx_append`/`xlsx_set` here, which keep text that a spreadsheet would evaluate as a formula
(it begins with =, +, -, @, a tab or a carriage return: "CSV injection") as text: prefixed with a
single quote in CSV, a string cell with Excel's quote prefix in XLSX. Numbers, negative ones
included, stay numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise  # a lazy translation: the XLSX heading is in the reader's language
    number_format: str = ""  # e.g. "#,##0.0" for k CHF


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def looks_like_formula(value: Any) -> bool:
    """Text a spreadsheet would evaluate; a number written as text ("-12.5") is not."""
    return (
        isinstance(value, str) and value.startswith(FORMULA_STARTS) and _PLAIN_NUMBER.fullmatch(value) is None
    )


def csv_value(value: Any) -> Any:
    """A value for a CSV cell: empty for None, formula-like text behind a single quote."""
    if value is None:
        return ""
    if isinstance(value, Promise):
        value = str(value)
    return f"'{value}" if looks_like_formula(value) else value


def csv_rows_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """Rows (the first one the header) as UTF-8 CSV, every value through `csv_value`."""
    # Lines end in "\n"; the writer is told "\r\n" so that it quotes a field holding either character
    # (with "\n" alone it would leave a carriage return unquoted and break the row).
    output = io.StringIO()
    line = io.StringIO()
    writer = csv.writer(line, lineterminator="\r\n")
    for row in rows:
        line.seek(0)
        line.truncate()
        writer.writerow([csv_value(value) for value in row])
        output.write(line.getvalue()[:-2] + "\n")
    return output.getvalue().encode("utf-8")


def _as_text(cell: Cell | MergedCell) -> None:
    cell.data_type = "s"
    cell.quotePrefix = True


def xlsx_append(sheet: Worksheet, values: Sequence[Any]) -> None:
    """Append a row to an openpyxl sheet; formula-like text stays text (a string cell, quote prefix)."""
    values = [str(value) if isinstance(value, Promise) else value for value in values]
    sheet.append(values)
    row = sheet.max_row
    for index, value in enumerate(values, start=1):
        if looks_like_formula(value):
            _as_text(sheet.cell(row=row, column=index))


def xlsx_set(sheet: Worksheet, *, row: int, column: int, value: Any) -> Cell | MergedCell:
    """Set one cell of an openpyxl sheet, as `xlsx_append` does a row; the cell, for styling."""
    if isinstance(value, Promise):
        value = str(value)
    cell = sheet.cell(row=row, column=column, value=value)
    if looks_like_formula(value):
        _as_text(cell)
    return cell


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def csv_bytes(columns: Sequence[Column], rows: Iterable[dict[str, Any]]) -> bytes:
    header = [column.key for column in columns]
    return csv_rows_bytes([header, *([row.get(c.key) for c in columns] for row in rows)])


def _sheet_title(title: str) -> str:
    """A worksheet name: at most 31 characters, none of : \\ / ? * [ ] (Excel refuses them)."""
    for character in ":\\/?*[]":
        title = title.replace(character, " ")
    return title[:31].strip() or "Data"


def xlsx_bytes(
    columns: Sequence[Column], rows: Iterable[dict[str, Any]], *, title: str | Promise = "Data"
) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    if sheet is None:  # a new workbook always has one sheet
        sheet = workbook.create_sheet()
    sheet.title = _sheet_title(str(title))
    headings = [str(column.label) for column in columns]
    xlsx_append(sheet, headings)
    header_fill = PatternFill("solid", fgColor="DDE3EA")
    for index, _column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(heading) for heading in headings]
    for row in rows:
        values = [_cell(row.get(column.key)) for column in columns]
        xlsx_append(sheet, values)
        for index, value in enumerate(values):
            widths[index] = max(widths[index], min(60, len(str(value)) if value is not None else 0))
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths[index - 1] + 2
        if column.number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell.value, int | float | Decimal):
                    cell.number_format = column.number_format
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_download(
    *,
    columns: Sequence[Column],
    rows: Iterable[dict[str, Any]],
    filename: str,
    fmt: str,
    title: str | Promise = "Data",
) -> HttpResponse:
    """An HTTP download of the table as CSV or XLSX (`fmt`)."""
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(columns, rows, title=title), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    response = HttpResponse(csv_bytes(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
