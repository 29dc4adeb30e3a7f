"""The reports page and the dashboard's documents (XLSX, DOCX, PDF)."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from docx import Document
from openpyxl import load_workbook

from presence.resilience.models import Finding
from presence.staffing.models import Post


def test_reports_page_lists_the_dashboard_documents_and_table1(demo_user: Any, client: Client) -> None:
    client.force_login(demo_user("afr.editor"))
    page = client.get("/reports/?year=2023").content.decode()
    assert "/reports/dashboard.xlsx?year=2023" in page
    assert "/reports/dashboard.pdf?year=2023" in page
    assert "/portfolio/table1/?year=2023&amp;format=docx" in page


def test_dashboard_documents_hold_the_figures_of_the_page(demo_user: Any, client: Client) -> None:
    client.force_login(demo_user("admin"))
    xlsx = client.get("/reports/dashboard.xlsx?year=2024&region=AFR")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    figures = book["Figures"]
    labels = [row[1] for row in figures.iter_rows(min_row=4, values_only=True)]
    assert "Projects on-going in 2024" in labels
    assert len(book.sheetnames) > 3  # one sheet per chart
    docx = client.get("/reports/dashboard.docx?year=2024")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Regional Presence Dashboard 2024" in text
    pdf = client.get("/reports/dashboard.pdf?year=2024")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert client.get("/reports/dashboard.odt").status_code == 404


def test_member_state_documents_hold_no_names_and_no_finding_text(demo_user: Any, client: Client) -> None:
    secrets = [
        *Post.objects.exclude(incumbent="").values_list("incumbent", flat=True),
        *Finding.objects.values_list("title", flat=True),
    ]
    client.force_login(demo_user("delegate"))
    book = load_workbook(io.BytesIO(client.get("/reports/dashboard.xlsx?year=2024").content))
    cells = " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v)
    document = Document(io.BytesIO(client.get("/reports/dashboard.docx?year=2024").content))
    text = cells + " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert secrets
    assert [s for s in secrets if s in text] == []
