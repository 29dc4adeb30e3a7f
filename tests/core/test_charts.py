"""SVG charts and the offline map: values written out, links on every element, greyscale-safe fills."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import translation

from presence.core.charts import Chart, Marker, Point, RegionShade, Series, format_value, outlines, world_map

NOW = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)


def chart(kind: str, series: list[Series], categories: list[str]) -> Chart:
    return Chart(
        key="k",
        title="Things <by> region",
        kind=kind,
        unit="",
        categories=categories,
        series=series,
        as_of=NOW,
    )


def test_bar_chart_writes_each_value_and_links_each_bar_to_its_records() -> None:
    svg = chart(
        "bar",
        [Series("Projects", [Point("AFR", 12, "/p/?region=AFR"), Point("ASP", 3, "/p/?region=ASP")])],
        ["AFR", "ASP"],
    ).svg()
    assert 'href="/p/?region=AFR"' in svg
    assert 'href="/p/?region=ASP"' in svg
    assert ">12</text>" in svg
    assert ">3</text>" in svg
    assert "Things &lt;by&gt; region" in svg  # titles are escaped
    assert "<script" not in svg


def test_stacked_chart_tells_series_apart_by_pattern_not_colour_alone() -> None:
    series = [
        Series("Partners", [Point("AFR", Decimal("10.5"), "/f/?kind=partner")]),
        Series("ICT-DF", [Point("AFR", Decimal("2.0"), "/f/?kind=ictdf")]),
    ]
    result = chart("stacked", series, ["AFR"])
    result.unit = "k CHF"
    svg = result.svg()
    assert 'fill="url(#p-k-hatch)"' in svg
    assert "<pattern" in svg
    assert "Partners" in svg
    assert "ICT-DF" in svg
    assert ">12.5</text>" in svg  # the total is written at the end of the bar
    assert result.table_rows() == [
        {"category": "AFR", "partners": Decimal("10.5"), "ict_df": Decimal("2.0"), "total": Decimal("12.5")}
    ]


def test_trend_chart_marks_and_links_each_year() -> None:
    points = [Point(str(year), n, f"/p/?year={year}") for year, n in ((2022, 4), (2023, 7), (2024, 5))]
    svg = chart("trend", [Series("Projects", points)], ["2022", "2023", "2024"]).svg()
    assert svg.count("<circle") == 3 + 1  # a marker per year, plus the legend's
    assert all(f'href="/p/?year={year}"' in svg for year in (2022, 2023, 2024))


def test_figures_are_formatted_with_separators_and_one_decimal_for_money_and_shares() -> None:
    assert format_value(12345) == "12,345"
    assert format_value(Decimal("1234.56"), "k CHF") == "1,234.6"
    assert format_value(Decimal("87.5"), "%") == "87.5 %"
    assert format_value(None) == "-"


def test_world_map_geometry_comes_from_the_package_and_covers_office_countries() -> None:
    shapes = outlines()
    assert len(shapes) > 150
    for iso2 in ("SN", "ET", "ZW", "CM", "BR", "CL", "HN", "EG", "TH", "ID", "IN", "RU", "CH"):
        assert iso2 in shapes


def test_world_map_shades_regions_and_places_linked_office_markers() -> None:
    svg = world_map(
        title="Projects",
        unit="",
        country_regions={"SN": "AFR", "BR": "AMS"},
        regions=[
            RegionShade("AFR", "Africa", 10, "/d/regions/AFR/"),
            RegionShade("AMS", "Americas", 0, "/d/regions/AMS/"),
        ],
        markers=[
            Marker("dakar", "Dakar <office>", "SN", "/d/offices/dakar/"),
            Marker("bb", "Bridgetown", "BB", "/d/offices/bb/"),
        ],
    )
    assert 'href="/d/regions/AFR/"' in svg
    assert 'aria-label="Africa: 10"' in svg
    assert 'href="/d/offices/dakar/"' in svg
    assert "Dakar &lt;office&gt;" in svg
    assert 'href="/d/offices/bb/"' in svg  # a small island missing from the outlines still gets its marker
    assert "#0b3a66" in svg  # the top value takes the darkest shade
    assert "http://" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing fetched


def test_world_map_legend_speaks_the_reader_s_language() -> None:
    def legend() -> str:
        return str(world_map(title="Projects", unit="", country_regions={}, regions=[], markers=[]))

    assert ">office</text>" in legend()
    with translation.override("fr"):
        french = legend()
    assert ">office</text>" not in french
    assert "no ITU region / no data" not in french


def test_grouped_columns_stand_side_by_side_with_their_values_and_a_bold_year() -> None:
    grouped = Chart(
        key="indicator",
        title="Targets and actuals",
        kind="grouped",
        unit="",
        categories=["2024 Q1", "2024"],
        series=[
            Series("Actual", [Point("2024 Q1", Decimal(30)), Point("2024", Decimal(30))]),
            Series("Target", [Point("2024 Q1", None), Point("2024", Decimal(100))]),
        ],
        as_of=NOW,
        emphasised=frozenset({"2024"}),
    )
    svg = grouped.svg()
    assert svg.startswith('<svg class="chart" role="img"')  # no links inside: one image for screen readers
    assert svg.count("<rect x=") == 3 + 2  # three columns (no target in Q1) and the two legend swatches
    assert "<title>2024, Target: 100.0</title>" in svg
    assert "url(#p-indicator-hatch)" in svg  # the second series is hatched, so it reads in greyscale
    assert 'font-weight="700">2024</text>' in svg
    assert 'font-weight="700">2024 Q1</text>' not in svg
    assert ">100.0</text>" in svg  # the top of the value axis
    assert grouped.table_rows() == [
        {"category": "2024 Q1", "actual": Decimal(30), "target": None},
        {"category": "2024", "actual": Decimal(30), "target": Decimal(100)},
    ]
