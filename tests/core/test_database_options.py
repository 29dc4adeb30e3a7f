"""Connection settings that the benchmarks at 100x asked for (docs/benchmarks.md): no JIT compilation,
no parallel workers."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
@pytest.mark.parametrize(("setting", "value"), [("jit", "off"), ("max_parallel_workers_per_gather", "0")])
def test_postgresql_connections_run_with_the_planner_settings_measured(setting: str, value: str) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("set DATABASE_URL=postgres://... to check the PostgreSQL connection options")
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        assert cursor.fetchone()[0] == value
