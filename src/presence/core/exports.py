"""CSV and XLSX downloads of any table: one helper for every list page and report."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise  # a lazy translation: the XLSX heading is in the reader's language
    number_format: str = ""  # e.g. "#,##0.0" for k CHF


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def csv_bytes(columns: Sequence[Column], rows: Iterable[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.key for column in columns])
    for row in rows:
        writer.writerow(["" if row.get(c.key) is None else row.get(c.key) for c in columns])
    return buffer.getvalue().encode("utf-8")


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
    sheet.append(headings)
    header_fill = PatternFill("solid", fgColor="DDE3EA")
    for index, _column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(heading) for heading in headings]
    for row in rows:
        values = [_cell(row.get(column.key)) for column in columns]
        sheet.append(values)
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
