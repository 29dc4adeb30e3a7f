"""The one way to write numbers and dates (core/formatting.py and its template filters)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from presence.core import formatting
from presence.core.charts import Chart, Point, Series, format_value

BIG = Decimal("104630.45")


def test_figures_are_rounded_once_halves_up() -> None:
    assert formatting.rounded(Decimal("3690.05"), 1) == Decimal("3690.1")
    assert formatting.rounded(Decimal("-2.25"), 1) == Decimal("-2.3")
    assert formatting.rounded(2.675, 2) == Decimal("2.68")  # the float's shortest text, not its binary value


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("en", "104,630.5"),
        ("fr", "104\u00a0630,5"),
        ("es", "104\u00a0630,5"),
        ("ru", "104\u00a0630,5"),
        ("ar", "104.630,5"),
        ("zh-hans", "104,630.5"),
    ],
)
def test_numbers_are_grouped_as_each_language_writes_them(language: str, written: str) -> None:
    assert formatting.number(BIG, 1, language=language) == written
    with translation.override(language):
        assert formatting.number(BIG, 1) == written
        assert Template("{{ value|number:1 }}").render(Context({"value": BIG})) == written
        # A plain {{ amount }} is grouped too; a year is not a quantity.
        assert Template("{{ value }}").render(Context({"value": Decimal("104630.5")})) == written
        assert Template("{{ year|unlocalize }}").render(Context({"year": 2024})) == "2024"


def test_decimals_whole_numbers_and_at_most() -> None:
    assert formatting.number(1234, language="en") == "1,234"
    assert formatting.number(Decimal("1234.50"), language="en") == "1,234.5"
    assert formatting.number(Decimal("2.456"), -2, language="en") == "2.46"
    assert formatting.number(Decimal("2.001"), -2, language="en") == "2"
    assert formatting.number(None) == formatting.DASH
    assert Template("{{ value|number:2|default:'—' }}").render(Context({"value": None})) == "—"


def test_chart_labels_use_the_same_helper() -> None:
    with translation.override("fr"):
        assert format_value(Decimal("6910.75"), "k CHF") == "6\u00a0910,8"
        assert format_value(12345) == "12\u00a0345"
        assert format_value(Decimal("12.5"), "%") == "12,5 %"


def test_a_stacked_bars_total_is_rounded_from_its_exact_segments() -> None:
    # 3,642.54 + 47.54 = 3,690.08: shown 3,690.1, while the shown segments 3,642.5 + 47.5 make 3,690.0.
    chart = Chart(
        key="funding",
        title="Funding",
        kind="stacked",
        unit="k CHF",
        categories=["EUR"],
        series=[
            Series("Partners", [Point("EUR", Decimal("3642.54"))]),
            Series("RIs", [Point("EUR", Decimal("47.54"))]),
        ],
        as_of=timezone.now(),
    )
    row = chart.table_rows()[0]
    assert row["partners"] == Decimal("3642.5")
    assert row["ris"] == Decimal("47.5")
    assert row["total"] == Decimal("3690.1")
    with translation.override("en"):
        assert "3,690.1</text>" in chart.svg()


def test_dates_use_the_languages_date_format_with_localized_months() -> None:
    day = dt.date(2026, 12, 3)
    assert formatting.date(day, language="en") == "3 December 2026"
    assert formatting.date(day, language="fr") == "3 décembre 2026"
    assert formatting.date(day, language="ru").startswith("3 декабря 2026")
    assert formatting.date(day, language="zh-hans") == "2026年12月3日"
    assert formatting.date(None) == ""
    with translation.override("ru"):
        assert Template("{{ day|day }}").render(Context({"day": day})).startswith("3 декабря 2026")


def test_moments_are_written_in_local_time_in_the_languages_format() -> None:
    moment = dt.datetime(2026, 12, 3, 13, 5, tzinfo=dt.UTC)
    with timezone.override("Europe/Zurich"):
        assert formatting.moment(moment, language="en") == "3 December 2026 14:05"
        assert formatting.moment(moment, language="fr") == "3 décembre 2026 14:05"
        with translation.override("en"):
            assert Template("{{ at|moment }}").render(Context({"at": moment})) == "3 December 2026 14:05"
