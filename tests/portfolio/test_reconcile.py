"""Reconciliation of aggregate tables: totals must add up, up to what rounding of shown decimals explains."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from presence.portfolio.reconcile import reconcile_csv

HEADER = "region,number_of_projects,a_kchf,b_kchf,total_kchf\n"


def test_a_table_that_adds_up_reconciles() -> None:
    result = reconcile_csv(HEADER + "AFR,2,1.5,2.5,4.0\nAMS,1,1.0,,1.0\nTotal,3,2.5,2.5,5.0\n")
    assert result.reconciles
    assert result.part_columns == ["a_kchf", "b_kchf"]


def test_a_wrong_row_total_is_listed_with_expected_shown_and_difference() -> None:
    result = reconcile_csv(HEADER + "AFR,2,1.5,2.5,4.5\nAMS,1,1.0,,1.0\nTotal,3,2.5,2.5,5.5\n")
    findings = [(f.kind, f.row, f.column, f.expected, f.shown, f.difference) for f in result.findings]
    assert ("row total", "AFR", "total_kchf", Decimal("4.0"), Decimal("4.5"), Decimal("0.5")) in findings
    assert (
        "column total",
        "Total",
        "total_kchf",
        Decimal("5.5"),
        Decimal("5.5"),
        Decimal("0.0"),
    ) not in findings


def test_a_wrong_column_total_is_listed() -> None:
    result = reconcile_csv(HEADER + "AFR,2,1.5,2.5,4.0\nAMS,1,1.0,,1.0\nTotal,4,2.5,2.5,5.0\n")
    assert [(f.kind, f.column, f.expected, f.shown) for f in result.findings] == [
        ("column total", "number_of_projects", Decimal(3), Decimal(4))
    ]


def test_rounding_only_differences_pass() -> None:
    # Exact values 0.04 + 0.04 + 0.04 = 0.12 are shown as 0.0, 0.0, 0.0 and 0.1.
    result = reconcile_csv(
        "region,a_kchf,b_kchf,c_kchf,total_kchf\nX,0.0,0.0,0.0,0.1\nY,1.0,1.0,1.0,3.0\nTotal,1.0,1.0,1.0,3.1\n"
    )
    assert result.reconciles, result.findings


def test_a_difference_beyond_rounding_fails() -> None:
    result = reconcile_csv("region,a_kchf,b_kchf,total_kchf\nX,1.0,1.0,2.2\nTotal,1.0,1.0,2.2\n")
    assert [f.row for f in result.findings] == ["X", "Total"]


def test_reconcile_command_on_the_published_table_prints_its_findings(
    shared_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_code:
        call_command("reconcile", str(shared_dir / "reference/table1-projects-by-region-2023.csv"))
    assert exit_code.value.code == 1
    output = capsys.readouterr().out
    print(output)
    for row, difference in [
        ("AFR", "+572.0"),
        ("AMS", "+69.7"),
        ("ASP", "+175.0"),
        ("MUL", "+382.3"),
        ("Total", "+1198.9"),
    ]:
        assert f"row total {row} / total_project_funding_kchf" in output
        assert f"difference {difference}" in output
    # EUR's row total and the partner and RI column totals are off by 0.1: rounding, so not listed.
    assert "EUR" not in output
    assert "column total" not in output


def test_reconcile_command_exits_0_when_all_reconcile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ok.csv"
    path.write_text(HEADER + "AFR,2,1.5,2.5,4.0\nTotal,2,1.5,2.5,4.0\n")
    call_command("reconcile", str(path))
    assert "All totals reconcile" in capsys.readouterr().out


def test_reconcile_upload_page_lists_cells_that_do_not_reconcile(admin_user: Any, login: Any) -> None:
    upload = SimpleUploadedFile("t.csv", (HEADER + "AFR,2,1.5,2.5,4.5\nTotal,2,1.5,2.5,4.5\n").encode())
    response = login(admin_user).post("/portfolio/reconcile/", {"file": upload})
    assert response.status_code == 200
    assert not response.context["result"].reconciles
    assert "4.5" in response.content.decode()


def test_reconcile_upload_of_a_non_table_is_a_field_error(admin_user: Any, login: Any) -> None:
    upload = SimpleUploadedFile("t.csv", b"just,two\n1,2\n")
    response = login(admin_user).post("/portfolio/reconcile/", {"file": upload})
    assert response.context["form"].errors["file"]
