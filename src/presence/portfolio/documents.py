"""Table 1 as CSV, XLSX, DOCX (the Council document's layout) and PDF, for the page and the command."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from presence.core.exports import HEADER_CENTERED, TITLE, TOTAL, XlsxBook, csv_rows_bytes
from presence.core.formatting import number
from presence.portfolio.selectors import Table1

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
MUL_FOOTNOTE = gettext_noop("MUL: multi-regional projects, which benefit all regions.")


def title(table: Table1) -> str:
    return _("Overview of on-going ITU projects by region, %(year)s (k CHF)") % {"year": table.year}


def headings(table: Table1) -> list[str]:
    return [
        _("Region"),
        _("Number of projects"),
        *(column.label for column in table.columns),
        _("Total project funding"),
    ]


def display_rows(table: Table1) -> list[tuple[str, list[str]]]:
    """(row label, its figures as the language writes them: projects, cells and total in k CHF, each
    rounded once from the full-precision sum, an empty cell for zero), for the DOCX and PDF."""
    rows = []
    for row in table.all_rows:
        values = [row.kchf(column.key) for column in table.columns]
        rows.append(
            (
                row.label,
                [
                    number(row.projects),
                    *(number(value, 1) if value else "" for value in values),
                    number(row.total_kchf, 1) if row.total_kchf else "",
                ],
            )
        )
    return rows


def table1_csv(table: Table1) -> bytes:
    return csv_rows_bytes([table.csv_header(), *table.csv_records()])


def table1_xlsx(table: Table1) -> bytes:
    book = XlsxBook()
    sheet = book.sheet(f"Table 1 {table.year}")
    sheet.append([title(table)], style=TITLE)
    sheet.append(headings(table), style=HEADER_CENTERED)
    for row in table.all_rows:
        values = [row.kchf(column.key) for column in table.columns]
        sheet.append(
            [
                _("Total") if row.label == "Total" else row.label,
                row.projects,
                *(float(value) if value else None for value in values),
                float(row.total_kchf) if row.total_kchf else None,
            ],
            number_format="#,##0.0",
            numbers_from=3,
            style=TOTAL if row.label == "Total" else None,
        )
    sheet.blank()
    sheet.append([_(MUL_FOOTNOTE)])
    sheet.widths([10, *[18] * (len(table.columns) + 2)])
    sheet.freeze("B3")
    return book.to_bytes()


def table1_docx(table: Table1) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = Document()
    caption = document.add_paragraph()
    run = caption.add_run(_("Table 1: ") + title(table))
    run.bold = True
    heads = headings(table)
    word_table = document.add_table(rows=1, cols=len(heads))
    word_table.style = "Table Grid"
    for cell, text in zip(word_table.rows[0].cells, heads, strict=True):
        cell.text = ""
        paragraph = cell.paragraphs[0]
        paragraph.add_run(text).bold = True
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row, figures in display_rows(table):
        texts = [(_("Total") if row == "Total" else row) + ("*" if row == "MUL" else ""), *figures]
        cells = word_table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, texts, strict=True)):
            paragraph = cell.paragraphs[0]
            added = paragraph.add_run(text)
            added.bold = row == "Total"
            if index > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    note = document.add_paragraph()
    note.add_run("* " + _(MUL_FOOTNOTE)).font.size = Pt(8)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def table1_pdf(table: Table1) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "portfolio/table1_print.html",
        {
            "table": table,
            "rows": display_rows(table),
            "title": title(table),
            "headings": headings(table),
            "footnote": _(MUL_FOOTNOTE),
        },
    )
    return bytes(HTML(string=html).write_pdf())


def render(table: Table1, fmt: str) -> bytes:
    renderers = {"csv": table1_csv, "xlsx": table1_xlsx, "docx": table1_docx, "pdf": table1_pdf}
    if fmt not in renderers:
        raise ValueError(f"Unknown format {fmt!r}; use one of {', '.join(renderers)}.")
    return renderers[fmt](table)
