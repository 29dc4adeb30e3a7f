"""IATI import speed and memory against a plain lxml streaming parse of the same generated file.

Runs in a throwaway database of the configured kind (never the configured database itself): a SQLite
file, or on PostgreSQL the database `<name>_bench_iati`. At two file sizes (`IATI_BENCH_SIZES`,
default 1000,10000): activities per
second of the import (median of RUNS imports of distinct files, each creating every activity) and of
the bare parse (median of RUNS parses), their ratio, queries per activity, and peak Python memory
(tracemalloc) of one more import, so growth with the file size shows. DEBUG is off, as in production.

On SQLite, next to them, the storage floor: the same rows each import wrote, inserted again into a copy of the
database as it was before that import, through the bare `sqlite3` driver (`_sqlite_floor`). No
importer that stores these rows can run faster than that, so its ratio to the parse rate bounds the
ratio any import can reach on this machine, even one that parses in a second process; an import that
parses and then stores in one process takes at least the parse time plus the floor time.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

SIZES = (1000, 10000)
RUNS = 3


def _sizes() -> tuple[int, ...]:
    text = os.environ.get("IATI_BENCH_SIZES", "")
    return tuple(int(part) for part in text.split(",") if part.strip()) or SIZES


def _peak(action: Callable[[], Any]) -> int:
    tracemalloc.start()
    action()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def _timed(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def run(sizes: tuple[int, ...] | None = None, runs: int = RUNS) -> list[str]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from presence.bench import _sqlite_floor as floor
    from presence.interchange.iati.generator import generate
    from presence.interchange.iati.importer import iati_import
    from presence.interchange.iati.reader import plain_parse_count
    from presence.org.reference import load_reference_data
    from presence.portfolio.models import ExchangeRate

    sizes = sizes or _sizes()
    lines: list[str] = []
    sqlite = connection.vendor == "sqlite"
    # Production runs without DEBUG; with it, Django formats and keeps every query it runs.
    with tempfile.TemporaryDirectory() as folder, override_settings(DEBUG=False):
        base = Path(folder)
        original = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = (
            str(base / "bench.sqlite3") if sqlite else f"{original}_bench_iati"
        )
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            load_reference_data()
            user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
            for currency, rate in (("USD", "0.9"), ("EUR", "0.95")):
                ExchangeRate.objects.create(
                    currency=currency, valid_from=date(2015, 1, 1), rate_to_chf=Decimal(rate)
                )
            database = base / "bench.sqlite3"
            for size in sizes:
                parse_times, import_times, floor_times, rows_per_activity = [], [], [], 0.0
                for number in range(runs):
                    path = base / f"speed-{size}-{number}.xml"
                    generate(path, size, prefix=f"XM-BENCH-{size}-{number}")
                    parse_times.append(_timed(lambda p=path: plain_parse_count(p)))  # type: ignore[misc]
                    summary = None

                    def importer(p: Path = path) -> None:
                        nonlocal summary
                        summary = iati_import(actor=user, path=p)

                    before = floor.snapshot(database, base / "floor.sqlite3") if sqlite else {}
                    import_times.append(_timed(importer))
                    if summary is None or summary.created != size:
                        return [f"the import of {size} activities did not create them all: {summary}"]
                    if sqlite:
                        written = floor.new_rows(database, before)
                        rows_per_activity = floor.count(written) / size
                        floor_times.append(floor.replay(base / "floor.sqlite3", written))
                        del written
                    path.unlink()
                parse_rate = size / statistics.median(parse_times)
                import_rate = size / statistics.median(import_times)
                queries_path = base / f"queries-{size}.xml"
                generate(queries_path, min(size, 1000), prefix=f"XM-BENCH-Q-{size}")
                with CaptureQueriesContext(connection) as queries:
                    iati_import(actor=user, path=queries_path)
                memory_path = base / f"memory-{size}.xml"
                generate(memory_path, size, prefix=f"XM-BENCH-MEM-{size}")
                parse_peak = _peak(lambda p=memory_path: plain_parse_count(p))  # type: ignore[misc]
                import_peak = _peak(lambda p=memory_path: iati_import(actor=user, path=p))  # type: ignore[misc]
                lines.append(
                    f"{connection.vendor}, {size} activities ({memory_path.stat().st_size / 1e6:.1f} MB): "
                    f"import {import_rate:,.0f}/s, plain lxml parse {parse_rate:,.0f}/s, "
                    f"ratio {import_rate / parse_rate:.3f} (target >= 0.333; medians of {runs}); "
                    f"{len(queries) / min(size, 1000):.2f} queries/activity; peak memory import "
                    f"{import_peak / 1e6:.1f} MB, plain parse {parse_peak / 1e6:.2f} MB"
                )
                if not sqlite:
                    continue
                floor_rate = size / statistics.median(floor_times)
                lines.append(
                    f"{size} activities: storage floor (the {rows_per_activity:.1f} rows per activity the "
                    f"import wrote, inserted again by the bare sqlite3 driver) {floor_rate:,.0f}/s, "
                    f"ratio to the plain parse {floor_rate / parse_rate:.3f}; an import that parses "
                    f"and stores, doing nothing else, could reach at most ratio "
                    f"{1 / (1 + parse_rate / floor_rate):.3f}; this import reaches "
                    f"{import_rate / floor_rate:.2f} of the floor"
                )
        finally:
            connection.creation.destroy_test_db(original, verbosity=0)
    return lines
