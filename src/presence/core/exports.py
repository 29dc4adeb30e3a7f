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
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
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


@dataclass(frozen=True)
class RowStyle:
    """How a row of a sheet looks: the few styles the system's spreadsheets use."""

    bold: bool = False
    size: float | None = None
    fill: str = ""  # an RGB colour, e.g. "DDE3EA"
    wrap: bool = False  # wrapped text, aligned to the top
    horizontal: str | None = None  # "center", ...
    top_border: bool = False
    first_cell_only: bool = False  # a title: the style on its first cell only


TITLE = RowStyle(bold=True, size=12, first_cell_only=True)
HEADER = RowStyle(bold=True, fill="DDE3EA", wrap=True)
HEADER_CENTERED = RowStyle(bold=True, fill="DDE3EA", wrap=True, horizontal="center")
BOLD = RowStyle(bold=True)
TOTAL = RowStyle(bold=True, top_border=True)


class XlsxSheet:
    """One worksheet written row by row through `xlsx_append` (so formula-like text stays text)."""

    def __init__(self, worksheet: Worksheet) -> None:
        self.worksheet = worksheet

    def append(
        self,
        values: Sequence[Any],
        *,
        style: RowStyle | None = None,
        number_format: str = "",
        numbers_from: int = 1,
    ) -> int:
        """Append a row; its number.

        `number_format` applies from column `numbers_from` on to the cells that are not text (numbers
        and empty cells, so a figure typed in later is formatted too).
        """
        xlsx_append(self.worksheet, [_cell(value) for value in values])
        row = self.worksheet.max_row
        if number_format:
            for cell in self.worksheet[row][numbers_from - 1 :]:
                if not isinstance(cell.value, str):
                    cell.number_format = number_format
        if style is not None:
            self.style(row, style)
        return row

    def blank(self) -> None:
        self.worksheet.append([])

    def style(self, row: int, style: RowStyle) -> None:
        cells = self.worksheet[row]
        for cell in cells[:1] if style.first_cell_only else cells:
            if style.bold or style.size:
                cell.font = Font(bold=style.bold, size=style.size)
            if style.fill:
                cell.fill = PatternFill("solid", fgColor=style.fill)
            if style.wrap or style.horizontal:
                cell.alignment = Alignment(
                    wrap_text=style.wrap or None,
                    vertical="top" if style.wrap else None,
                    horizontal=style.horizontal,
                )
            if style.top_border:
                cell.border = Border(top=Side(style="thin"))

    def column_format(self, column: int, number_format: str, *, from_row: int = 1) -> None:
        """A number format on a column's numbers from `from_row` on."""
        for (cell,) in self.worksheet.iter_rows(min_row=from_row, min_col=column, max_col=column):
            if isinstance(cell.value, int | float | Decimal) and not isinstance(cell.value, bool):
                cell.number_format = number_format

    def widths(self, widths: Sequence[float]) -> None:
        """Column widths, from column A on."""
        for index, width in enumerate(widths, start=1):
            self.worksheet.column_dimensions[get_column_letter(index)].width = width

    def fit_widths(self, *, first: int = 1, padding: int = 2, most: int = 60) -> None:
        """Each column as wide as its longest value (at most `most`), from row `first` on."""
        widths: dict[int, int] = {}
        for row in self.worksheet.iter_rows(min_row=first):
            for column, cell in enumerate(row, start=1):
                length = min(most, len(str(cell.value))) if cell.value is not None else 0
                widths[column] = max(widths.get(column, 0), length)
        self.widths([widths.get(index, 0) + padding for index in range(1, max(widths, default=0) + 1)])

    def freeze(self, cell: str) -> None:
        self.worksheet.freeze_panes = cell


class XlsxBook:
    """The one XLSX writer: a workbook of sheets (`sheet(title)`), then `to_bytes()`."""

    def __init__(self) -> None:
        self.workbook = Workbook()
        self._fresh = True

    def sheet(self, title: str | Promise) -> XlsxSheet:
        name = _sheet_title(str(title))
        worksheet = self.workbook.active if self._fresh else None
        self._fresh = False
        if worksheet is None:
            worksheet = self.workbook.create_sheet(name)
        worksheet.title = name
        return XlsxSheet(worksheet)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def xlsx_bytes(
    columns: Sequence[Column], rows: Iterable[dict[str, Any]], *, title: str | Promise = "Data"
) -> bytes:
    book = XlsxBook()
    sheet = book.sheet(title)
    sheet.append([column.label for column in columns], style=HEADER)
    for row in rows:
        sheet.append([row.get(column.key) for column in columns])
    sheet.fit_widths()
    for index, column in enumerate(columns, start=1):
        if column.number_format:
            sheet.column_format(index, column.number_format, from_row=2)
    sheet.freeze("A2")
    return book.to_bytes()


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
