"""The page benchmark: scales, a database per scale, percentiles, the table, and every page it measures."""

from __future__ import annotations

from pathlib import Path

import pytest

from presence.bench.pages import (
    CACHED_PAGES,
    PAGES,
    WRITTEN_DOMAINS,
    CachedMeasure,
    Measure,
    cached_table,
    measure,
    measure_cached,
    p95,
    rounds_from,
    scale_environment,
    scales_from,
    table,
)

SQLITE = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/data/presence.sqlite3"}
POSTGRES = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "presence",
    "USER": "postgres",
    "PASSWORD": "",
    "HOST": "127.0.0.1",
    "PORT": 5432,
}


def test_bench_scales_are_1x_and_10x_unless_100x_is_asked_for():
    assert scales_from(None) == scales_from("") == (1, 10)
    assert scales_from("10, 1,100") == (1, 10, 100)


@pytest.mark.parametrize("value", ["ten", "0", "1,2000", ","])
def test_bench_scale_that_is_not_a_list_of_scales_is_refused_by_value(value):
    with pytest.raises(ValueError, match=f"BENCH_SCALE must list .*{value!r}"):
        scales_from(value)


def test_bench_rounds_default_to_five_and_refuse_nonsense():
    assert rounds_from(None) == 5
    assert rounds_from("12") == 12
    with pytest.raises(ValueError, match="BENCH_ROUNDS must be a whole number from 1 to 1000, not '-1'"):
        rounds_from("-1")


def test_each_scale_gets_its_own_sqlite_data_folder():
    env = scale_environment(10, {"DATABASE_URL": "sqlite:///x.sqlite3", "KEEP": "1"}, SQLITE, Path("/data"))
    assert env["PRESENCE_DATA_DIR"] == str(Path("/data/bench-10x"))
    assert "DATABASE_URL" not in env
    assert env["KEEP"] == "1"


def test_each_scale_gets_its_own_postgres_database_beside_the_configured_one():
    env = scale_environment(
        100, {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/presence"}, POSTGRES, Path("/d")
    )
    assert env["DATABASE_URL"] == "postgres://postgres@127.0.0.1:5432/presence_bench_100x"


def test_p95_is_the_nearest_rank_percentile():
    assert p95([float(n) for n in range(1, 21)]) == 19.0
    assert p95([3.0, 1.0, 5.0, 2.0, 4.0]) == 5.0
    assert p95([7.0]) == 7.0


def _measure(p50: float, status: int = 200, rows: int = 10) -> Measure:
    return Measure("overview", "admin", "/dashboard/", status, p50, p50 * 2, 57, rows, 2_500_000)


def test_table_gives_each_page_per_scale_and_its_ratio_to_the_smallest_scale():
    lines = table({1: [_measure(100.0)], 10: [_measure(350.0, rows=95)], 100: [_measure(900.0, status=500)]})
    assert lines[0].startswith("| page | as | 1x p50 / p95 ms | 1x queries / rows | 1x size | 10x p50")
    assert lines[0].endswith("| 10x/1x | 100x/1x |")
    row = lines[2]
    assert "| 100 / 200 | 57 / 10 | 2.5 MB |" in row
    assert "| 350 / 700 | 57 / 95 |" in row
    assert "900 / 1,800 (HTTP 500)" in row
    assert row.endswith("| 3.5 | 9.0 |")


def test_every_benchmarked_page_answers_with_its_queries_rows_and_size_counted(demo_module, db):
    measures = measure(rounds=1)
    assert [(m.label, m.user, m.url) for m in measures] == list(PAGES)
    for m in measures:
        assert m.status == 200, m.url
        assert m.queries > 0, m.url
        assert m.rows > 0, m.url
        assert m.size > 0, m.url
        assert m.p95_ms >= m.p50_ms > 0


def test_cached_table_gives_each_page_per_scale_the_view_after_each_domains_write_and_warm():
    after = {domain: 100.0 + n for n, domain in enumerate(WRITTEN_DOMAINS)}
    lines = cached_table(
        {
            1: [CachedMeasure("overview", "admin", after, 180.0, 9.0, 12.0)],
            10: [CachedMeasure("overview", "admin", after, 1_250.0, 9.5, 11.0)],
        }
    )
    assert lines[0].startswith("| page | as | scale | after portfolio write |")
    assert lines[2] == "| overview | admin | 1x | 100 | 101 | 102 | 103 | 104 | 180 | 9 / 12 |"
    assert lines[3].startswith("| overview | admin | 10x |")
    assert "| 1,250 |" in lines[3]


def test_the_view_after_a_write_is_measured_for_each_domain_and_leaves_the_records(demo_module, db, settings):
    from presence.core import figures

    settings.FIGURE_CACHE_SECONDS = 3600
    before = figures.versions()
    measures = measure_cached(rounds=1)
    assert [(m.label, m.user) for m in measures] == [(label, user) for label, user, _url in CACHED_PAGES]
    for m in measures:
        assert sorted(m.after_write_ms) == sorted(WRITTEN_DOMAINS)
        assert m.after_write_p95_ms >= min(m.after_write_ms.values()) > 0
        assert m.warm_p95_ms >= m.warm_p50_ms > 0
    # Each write was rolled back with its view: the versions (and the records) are as they were.
    assert figures.versions() == before
