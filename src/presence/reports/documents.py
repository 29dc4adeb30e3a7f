"""The dashboard's figures and chart tables as XLSX, DOCX and PDF documents for a meeting.

The content is exactly what the dashboard page shows the same user for the same filters (it
comes from `presence.dashboard.selectors.dashboard`), so a member-state viewer's document holds
no personal data and no confidential resilience details either.
"""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.shared import Pt

from presence.core import formatting
from presence.core.charts import format_value, shown
from presence.core.exports import BOLD, XlsxBook
from presence.dashboard.selectors import Dashboard

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def title_of(data: Dashboard) -> str:
    place = data.title if data.filters.region or data.filters.office else _("All regions")
    return _("Regional Presence Dashboard %(year)s: %(place)s") % {"year": data.filters.year, "place": place}


def figure_rows(data: Dashboard) -> list[list[str]]:
    return [
        [section.title, figure.label, format_value(figure.value, figure.unit), figure.unit, figure.note]
        for section in data.sections
        for figure in section.figures
    ]


def as_of(data: Dashboard) -> str:
    """When the figures were counted, as the pages write a moment, with the time zone's name."""
    return f"{formatting.moment(data.as_of)} {timezone.localtime(data.as_of):%Z}"


def xlsx(data: Dashboard) -> bytes:
    book = XlsxBook()
    sheet = book.sheet("Figures")
    sheet.append([title_of(data)])
    sheet.append([_("Figures as of %(when)s") % {"when": as_of(data)}])
    sheet.append([_("Section"), _("Figure"), _("Value"), _("Unit"), _("Note")], style=BOLD)
    for section in data.sections:
        for figure in section.figures:
            value = shown(figure.value, figure.unit)
            sheet.append([section.title, figure.label, value, figure.unit, figure.note])
    for index, chart in enumerate(data.charts(), start=1):
        chart_sheet = book.sheet(f"{index} {chart.key}")
        chart_sheet.append([chart.title])
        columns = chart.table_columns()
        chart_sheet.append([column.label for column in columns], style=BOLD)
        for row in chart.table_rows():
            chart_sheet.append([row.get(column.key) for column in columns])
    return book.to_bytes()


def with_unit(value: Any, unit: str) -> str:
    return f"{format_value(value, unit)} {'' if unit == '%' else unit}".strip()


def _docx_table(document: Any, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text


def docx(data: Dashboard) -> bytes:
    document = Document()
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(title_of(data), level=1)
    document.add_paragraph(_("Figures as of %(when)s.") % {"when": as_of(data)})
    for section in data.sections:
        document.add_heading(section.title, level=2)
        _docx_table(
            document,
            [_("Figure"), _("Value"), _("Note")],
            [
                [
                    f.label,
                    with_unit(f.value, f.unit),
                    f.note,
                ]
                for f in section.figures
            ],
        )
        for chart in section.charts:
            document.add_heading(chart.title, level=3)
            _docx_table(document, chart_header(chart), chart_cells(chart))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def chart_header(chart: Any) -> list[str]:
    return [column.label for column in chart.table_columns()]


def chart_cells(chart: Any) -> list[list[str]]:
    keys = [column.key for column in chart.table_columns()]
    return [
        [str(row[key]) if key == "category" else format_value(row.get(key), chart.unit) for key in keys]
        for row in chart.table_rows()
    ]


def pdf(data: Dashboard) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "reports/dashboard_document.html",
        {
            "data": data,
            "title": title_of(data),
            "as_of": as_of(data),
            "charts": [(chart, chart_header(chart), chart_cells(chart)) for chart in data.charts()],
        },
    )
    return bytes(HTML(string=html).write_pdf())


def render(data: Dashboard, fmt: str) -> bytes:
    return {"xlsx": xlsx, "docx": docx, "pdf": pdf}[fmt](data)
