"""Table 1 from records: on-going definition, conversion, drill-down, downloads, command, query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook

from presence.portfolio.models import Funding, Project
from presence.portfolio.selectors import ongoing_in_year, table1


def test_ongoing_in_year_uses_actual_dates_else_planned_and_skips_pipeline_and_cancelled(
    make_project: Callable[..., Project],
) -> None:
    inside = make_project(planned_start=dt.date(2021, 1, 1), planned_end=dt.date(2023, 1, 1))
    make_project(planned_start=dt.date(2021, 1, 1), planned_end=dt.date(2022, 12, 31))
    make_project(planned_start=dt.date(2024, 1, 1), planned_end=dt.date(2025, 1, 1))
    make_project(status=Project.Status.PIPELINE)
    make_project(status=Project.Status.CANCELLED)
    ended_early = make_project(
        planned_end=dt.date(2024, 12, 31), actual_start=dt.date(2021, 1, 1), actual_end=dt.date(2022, 6, 30)
    )
    codes = set(ongoing_in_year(Project.objects.all(), 2023).values_list("code", flat=True))
    assert codes == {inside.code}
    assert ended_early.code in set(
        ongoing_in_year(Project.objects.all(), 2022).values_list("code", flat=True)
    )


def test_table1_converts_at_the_dated_rate_and_rounds_to_one_decimal_kchf(
    admin_user: Any, make_project: Callable[..., Project], sources: Any, usd_rate: Any
) -> None:
    project = make_project(region="ASP", office="bangkok")
    Funding.objects.create(
        project=project,
        source=sources["ict-df"],
        amount=Decimal("10050"),
        currency="USD",
        signed_on=dt.date(2023, 3, 1),
    )
    Funding.objects.create(
        project=project,
        source=sources["other-itu-funds"],
        amount=Decimal("1000"),
        currency="CHF",
        signed_on=dt.date(2023, 3, 1),
    )
    table = table1(user=admin_user, year=2023)
    asp = next(row for row in table.rows if row.label == "ASP")
    assert asp.kchf("ictdf") == Decimal("9.0")  # 10,050 USD x 0.9 = 9,045 CHF
    assert asp.total_kchf == Decimal("10.0")
    assert [c.csv_name for c in table.columns][-1] == "other_itu_funds_kchf"


def test_each_cell_links_to_records_whose_total_equals_the_cell(
    admin_user: Any, login: Any, make_project: Callable[..., Project]
) -> None:
    for amount in ("1234.56", "2000.04", "333.33"):
        make_project(region="AFR", funding=Decimal(amount))
    make_project(region="ASP", office="bangkok", funding=Decimal("999"))
    client = login(admin_user)
    page = client.get("/portfolio/table1/?year=2023")
    afr = next(row for row in page.context["rows"] if row["label"] == "AFR")
    value, url = afr["cells"][0]
    assert value == Decimal("3.6")
    drill = client.get(url)
    assert drill.context["total_kchf"] == value
    assert len(drill.context["pairs"]) == 3
    projects = client.get(afr["projects_url"])
    assert len(projects.context["rows"]) == afr["projects"] == 3


def test_downloads_in_every_format(admin_user: Any, login: Any, make_project: Callable[..., Project]) -> None:
    make_project(region="MUL", office="geneva", funding=Decimal("1500"))
    client = login(admin_user)
    text = client.get("/portfolio/table1/?year=2023&format=csv").content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["region", "number_of_projects"]
    assert rows[-1] == ["Total", "1", "1.5", "", "", "1.5"]
    sheet = load_workbook(io.BytesIO(client.get("/portfolio/table1/?year=2023&format=xlsx").content)).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    total = next(row for row in values if row[0] == "Total")
    assert total[1] == 1
    assert isinstance(total[2], float)
    assert total[2] == 1.5
    document = Document(io.BytesIO(client.get("/portfolio/table1/?year=2023&format=docx").content))
    cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert "MUL*" in cells
    assert any("multi-regional" in p.text for p in document.paragraphs)
    pdf = client.get("/portfolio/table1/?year=2023&format=pdf").content
    assert pdf.startswith(b"%PDF")


def test_report_command_writes_csv_to_stdout_and_files(
    make_project: Callable[..., Project], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_project(region="AFR", funding=Decimal("2500"))
    call_command("report", "table1", "--year", "2023")
    out = capsys.readouterr().out
    assert out.splitlines()[1] == "AFR,1,2.5,,,2.5"
    target = tmp_path / "t.xlsx"
    call_command("report", "table1", "--year", "2023", "--format", "xlsx", "--output", str(target))
    assert target.read_bytes()[:2] == b"PK"


def test_table1_api_returns_rows_as_json(
    admin_user: Any, login: Any, make_project: Callable[..., Project]
) -> None:
    make_project(region="AFR", funding=Decimal("2500"))
    body = login(admin_user).get("/api/portfolio/table1/2023").json()
    afr = next(row for row in body["rows"] if row["label"] == "AFR")
    assert afr["number_of_projects"] == 1
    assert Decimal(afr["cells"]["funding_from_partners_kchf"]) == Decimal("2.5")


@pytest.mark.parametrize("url", ["/portfolio/projects/?year=2023", "/portfolio/table1/?year=2023"])
def test_query_count_does_not_grow_with_projects(
    url: str, admin_user: Any, login: Any, make_project: Callable[..., Project], count_queries: Any
) -> None:
    client = login(admin_user)

    def build(n: int) -> int:
        for _ in range(n):
            make_project(region="AFR", funding=Decimal("1000"))
        client.get(url)  # warm caches (content types, session)
        return int(count_queries(lambda: client.get(url)))

    at_10 = build(10)
    at_200 = build(190)
    assert at_10 == at_200
