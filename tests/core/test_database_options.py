"""Connection settings that the benchmarks at 100x asked for."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit_compilation():
    if connection.vendor != "postgresql":
        pytest.skip("set DATABASE_URL=postgres://... to check the PostgreSQL connection options")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.django_db
def test_postgresql_queries_start_no_parallel_workers():
    if connection.vendor != "postgresql":
        pytest.skip("set DATABASE_URL=postgres://... to check the PostgreSQL connection options")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
