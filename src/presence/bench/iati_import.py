"""IATI import speed and memory against a plain lxml streaming parse of the same generated file.

Runs in a throwaway SQLite file database (never the configured one): activities per second of the
import and of the bare parse, and peak Python memory (tracemalloc) at two file sizes, so growth with
the file size shows.
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

SMALL = 150
LARGE = 600


def _peak(action: Callable[[], Any]) -> tuple[float, int]:
    tracemalloc.start()
    start = time.perf_counter()
    action()
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak


def _timed(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def run() -> list[str]:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from presence.interchange.iati.generator import generate
    from presence.interchange.iati.importer import iati_import
    from presence.interchange.iati.reader import plain_parse_count
    from presence.org.reference import load_reference_data
    from presence.portfolio.models import ExchangeRate

    lines: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        original = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(base / "bench.sqlite3")
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            load_reference_data()
            user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
            for currency, rate in (("USD", "0.9"), ("EUR", "0.95")):
                ExchangeRate.objects.create(
                    currency=currency, valid_from=date(2015, 1, 1), rate_to_chf=Decimal(rate)
                )
            files = {}
            for size in (SMALL, LARGE):
                for purpose in ("speed", "memory"):
                    path = base / f"{purpose}-{size}.xml"
                    generate(path, size, prefix=f"XM-BENCH-{purpose.upper()}-{size}")
                    files[(purpose, size)] = path

            def importer(path: Path) -> Callable[[], Any]:
                return lambda: iati_import(actor=user, path=path)

            for size in (SMALL, LARGE):
                path = files[("speed", size)]
                parse_seconds = min(_timed(lambda p=path: plain_parse_count(p)) for _ in range(3))  # type: ignore[misc]
                import_seconds = _timed(importer(path))
                parse_rate, import_rate = size / parse_seconds, size / import_seconds
                lines.append(
                    f"{size} activities: import {import_rate:,.0f}/s, plain lxml parse {parse_rate:,.0f}/s, "
                    f"ratio {import_rate / parse_rate:.3f} (target >= 0.333)"
                )
            for size in (SMALL, LARGE):
                path = files[("memory", size)]
                _s, parse_peak = _peak(lambda p=path: plain_parse_count(p))  # type: ignore[misc]
                _s, import_peak = _peak(importer(path))
                lines.append(
                    f"{size} activities ({path.stat().st_size / 1e6:.1f} MB): peak memory import "
                    f"{import_peak / 1e6:.1f} MB, plain parse {parse_peak / 1e6:.2f} MB"
                )
        finally:
            connection.creation.destroy_test_db(original, verbosity=0)
    return lines
