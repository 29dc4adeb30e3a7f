"""The same figure reads the same on every page and in every document.

Funding is summed in full precision and rounded once, for display: each region's and each kind of
source's funding, and an office's, must read alike on the dashboard's tiles, its charts (drawn, as a
table and downloaded), Table 1 (page and XLSX) and the dashboard's DOCX and PDF. Rounding each segment
of a stacked bar before adding them made the bar's total differ from the tile by a tenth.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

import lxml.html
import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from presence.portfolio.models import FundingSource

YEAR = 2023  # the year of the published Table 1, whose EUR total (3,690.1) is a sum of rounded cells plus 0.1
FUNDING_CHART = "Funding by source, k CHF, by region"


@pytest.fixture
def admin(demo_user: Any, client: Client) -> Client:
    client.force_login(demo_user("admin"))
    return client


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _tile(page: str, key: str) -> str:
    found = re.search(rf'data-figure="{key}"[^>]*>([^<]+)<', page)
    assert found, key
    return found.group(1).strip()


def _chart(page: str, key: str) -> str:
    found = re.search(rf'<figure class="chart-panel" id="chart-{key}".*?</figure>', page, flags=re.S)
    assert found, key
    return found.group(0)


def _drawn_totals(chart: str) -> dict[str, str]:
    """The total written at the end of each stacked bar, by the bar's label."""
    svg = chart[chart.index("<svg") : chart.index("</svg>")]
    names = re.findall(r'<text x="\d+" y="\d+" text-anchor="end" fill="[^"]+">([^<]+)</text>', svg)
    totals = re.findall(r'<text x="[\d.]+" y="\d+" fill="[^"]+" font-weight="600">([^<]+)</text>', svg)
    assert len(names) == len(totals) > 0
    return dict(zip(names, totals, strict=True))


def _chart_table(chart: str) -> dict[str, dict[str, str]]:
    """The chart's data table: {row name: {series name: value}}."""
    table = lxml.html.fromstring(chart).find(".//table")
    heads = [th.text_content().strip() for th in table.findall(".//thead//th")][1:]
    rows = {}
    for tr in table.findall(".//tbody/tr"):
        cells = [cell.text_content().strip() for cell in tr]
        rows[cells[0]] = dict(zip(heads, cells[1:], strict=True))
    return rows


def _table1_page(client: Client) -> dict[str, dict[str, str]]:
    """Table 1 as the page shows it: {region: {heading: text}}."""
    page = lxml.html.fromstring(_page(client, f"/portfolio/table1/?year={YEAR}"))
    table = page.find(".//table")
    heads = [th.text_content().strip() for th in table.findall(".//thead//th")]
    rows = {}
    for tr in table.findall(".//tbody/tr"):
        cells = [cell.text_content().strip().rstrip("*") for cell in tr]
        rows[cells[0]] = dict(zip(heads, cells, strict=True))
    return rows


def _one_decimal(value: Any) -> str:
    return "" if value is None else f"{Decimal(str(value)):,.1f}"


def _table1_xlsx(client: Client) -> dict[str, dict[str, str]]:
    sheet = load_workbook(
        io.BytesIO(client.get(f"/portfolio/table1/?year={YEAR}&format=xlsx").content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    heads = [str(cell) for cell in rows[1]]
    return {
        str(row[0]): {head: _one_decimal(value) for head, value in zip(heads[2:], row[2:], strict=True)}
        for row in rows[2:]
        if row[0] and row[1] is not None
    }


def _docx_tables(content: bytes) -> list[list[list[str]]]:
    return [
        [[cell.text for cell in row.cells] for row in table.rows]
        for table in Document(io.BytesIO(content)).tables
    ]


def test_each_regions_funding_reads_the_same_everywhere(admin: Client) -> None:
    overview = _page(admin, f"/dashboard/?year={YEAR}")
    chart = _chart(overview, "funding")
    drawn = _drawn_totals(chart)
    table1 = _table1_page(admin)
    xlsx = _table1_xlsx(admin)
    downloaded = {
        row["category"]: _one_decimal(row["total"])
        for row in csv.DictReader(
            io.StringIO(admin.get(f"/dashboard/?year={YEAR}&chart=funding&format=csv").content.decode())
        )
    }
    docx = _docx_tables(admin.get(f"/reports/dashboard.docx?year={YEAR}").content)
    in_docx = next(
        {row[0]: row[-1] for row in table[1:]}
        for table in docx
        if table[0][-1] == "Total"
        and "Region" in table[0][0]
        and any(str(FundingSource.Kind.PARTNER.label) in head for head in table[0])
    )
    pdf = " ".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(admin.get(f"/reports/dashboard.pdf?year={YEAR}").content)).pages
    )
    total_head = "Total project funding"
    compared = 0
    for region, row in table1.items():
        if region == "Total" or not row[total_head]:
            continue
        shown = row[total_head]
        figures = {
            "Table 1 page": shown,
            "Table 1 XLSX": xlsx[region][total_head],
            "overview chart": drawn[region],
            "chart download": downloaded[region],
            "dashboard DOCX": in_docx[region],
        }
        if region != "MUL":  # multi-regional projects have no region page
            figures["region page tile"] = _tile(
                _page(admin, f"/dashboard/regions/{region}/?year={YEAR}"), "funding"
            )
        assert figures == dict.fromkeys(figures, shown), region
        assert shown in pdf, region
        compared += 1
    assert compared >= 5
    # The whole: the overview's tile and Table 1's total row.
    assert _tile(overview, "funding") == table1["Total"][total_head] == xlsx["Total"][total_head]


def test_funding_by_kind_of_source_reads_the_same_everywhere(admin: Client) -> None:
    overview = _page(admin, f"/dashboard/?year={YEAR}")
    segments = _chart_table(_chart(overview, "funding"))
    table1 = _table1_page(admin)
    xlsx = _table1_xlsx(admin)
    docx = _docx_tables(admin.get(f"/reports/dashboard.docx?year={YEAR}").content)
    figures = {row[0]: row[1] for table in docx if table[0][:2] == ["Figure", "Value"] for row in table[1:]}
    compared = 0
    for kind in (FundingSource.Kind.PARTNER, FundingSource.Kind.ICTDF, FundingSource.Kind.RI):
        label = str(kind.label)
        for region, row in table1.items():
            if region == "Total":
                continue
            segment = segments.get(region, {}).get(label, "")
            assert ("" if segment in ("-", "0.0") else segment) == row[label], (region, label)
            assert xlsx[region][label] == row[label], (region, label)
            compared += 1
        total = table1["Total"][label]
        if total:
            assert _tile(overview, f"funding-{kind.value}") == total, label
            assert figures[label] == f"{total} k CHF", label
    assert compared >= 15


def test_an_offices_funding_reads_the_same_on_its_page_and_on_its_regions_chart(admin: Client) -> None:
    office = _page(admin, f"/dashboard/offices/dakar/?year={YEAR}")
    region = _page(admin, f"/dashboard/regions/AFR/?year={YEAR}")
    drawn = _drawn_totals(_chart(region, "funding"))
    assert drawn["Dakar"] == _tile(office, "funding")
    docx = _docx_tables(admin.get(f"/reports/dashboard.docx?year={YEAR}&region=AFR").content)
    by_office = next(
        {row[0]: row[-1] for row in table[1:]}
        for table in docx
        if table[0][0] == "Office" and table[0][-1] == "Total"
    )
    assert by_office["Dakar"] == drawn["Dakar"]
