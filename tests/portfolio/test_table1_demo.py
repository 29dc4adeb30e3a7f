"""The demo portfolio reproduces the Council's Table 1 for 2023 cell for cell."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from presence.portfolio import demo
from presence.portfolio.models import Project
from presence.portfolio.selectors import table1

SEED = "reference/table1-projects-by-region-2023.csv"


@pytest.fixture
def demo_portfolio(reference: None) -> None:
    demo.load(stdout=None)


def test_generated_table1_matches_the_published_table_cell_for_cell(
    demo_portfolio: None, admin_user: Any, shared_dir: Path
) -> None:
    with (shared_dir / SEED).open(newline="") as handle:
        published = list(csv.reader(handle))
    table = table1(user=admin_user, year=2023)
    header = table.csv_header()
    generated = {record[0]: dict(zip(header, record, strict=True)) for record in table.csv_records()}
    assert [row[0] for row in published[1:]] == list(generated)
    for row in published[1:]:
        for column, value in zip(published[0], row, strict=True):
            assert generated[row[0]][column] == value, (row[0], column)


def test_generated_table1_shows_other_itu_funds_as_a_further_column(
    demo_portfolio: None, admin_user: Any
) -> None:
    table = table1(user=admin_user, year=2023)
    assert [c.csv_name for c in table.columns][-1] == "other_itu_funds_kchf"
    assert {row.label: f"{row.kchf('source:other-itu-funds'):.1f}" for row in table.all_rows} == {
        "AFR": "572.0",
        "AMS": "69.7",
        "ARB": "0.0",
        "ASP": "175.0",
        "CIS": "0.0",
        "EUR": "0.0",
        "MUL": "382.3",
        "Total": "1198.9",
    }


def test_demo_load_twice_changes_nothing(demo_portfolio: None) -> None:
    before = Project.objects.count()
    demo.load(stdout=None)
    assert Project.objects.count() == before
    assert Project.objects.filter(is_demo=True).count() == before


def test_demo_has_projects_in_2022_and_2024_for_trends(demo_portfolio: None, admin_user: Any) -> None:
    assert table1(user=admin_user, year=2022).total.projects > 0
    assert table1(user=admin_user, year=2024).total.projects > 0
    assert table1(user=admin_user, year=2023).total.projects == 87


def test_demo_has_projects_on_going_in_2025_and_2026_and_leaves_2022_to_2024_alone(
    demo_portfolio: None, admin_user: Any
) -> None:
    recent = Project.objects.filter(is_demo=True, planned_start__year__gte=2025)
    assert recent.count() == 28
    assert not recent.filter(actual_start__year__lte=2024).exists()
    for year in (2025, 2026):
        total = table1(user=admin_user, year=year).total
        assert total.projects > 0, year
        assert total.total_kchf > 0, year


def test_demo_adds_recent_projects_to_a_database_loaded_before_them(demo_portfolio: None) -> None:
    recent = Project.objects.filter(is_demo=True, planned_start__year__gte=2025)
    codes = sorted(recent.values_list("code", flat=True))
    recent.delete()
    demo.load(stdout=None)
    assert sorted(recent.values_list("code", flat=True)) == codes
    demo.load(stdout=None)
    assert recent.count() == len(codes)


def test_home_panel_counts_projects_on_going_in_the_current_year(
    demo_portfolio: None, admin_user: Any, login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = dt.date(2026, 6, 30)
    monkeypatch.setattr("presence.portfolio.views.tables.timezone.localdate", lambda *a, **k: today)
    expected = table1(user=admin_user, year=2026).total.projects
    assert expected > 0
    response = login(admin_user).get("/")
    text = response.content.decode()
    assert f"{expected} projects on-going in 2026" in text
    assert "/portfolio/table1/?year=2026" in text
