"""Median server time of the dashboard's overview, a region page and an office page on the demo data."""

from __future__ import annotations

import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

PAGES = (
    ("overview", "/dashboard/?year=2024"),
    ("region AFR", "/dashboard/regions/AFR/?year=2024"),
    ("office dakar", "/dashboard/offices/dakar/?year=2024"),
)
ROUNDS = 15


def run() -> list[str]:
    user = get_user_model().objects.filter(username="admin").first()
    if user is None:
        return ["no demo data: run `presence demo` first"]
    lines = []
    for username in ("admin", "delegate"):
        client = Client(HTTP_HOST="localhost")
        client.force_login(get_user_model().objects.get(username=username))
        for label, url in PAGES:
            client.get(url)  # warm up: templates, map geometry, content types
            times = []
            for _ in range(ROUNDS):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    return [f"{url} answered {response.status_code}"]
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            lines.append(
                f"{label:<13} as {username:<8} median {statistics.median(times):7.1f} ms  "
                f"(min {min(times):.1f}, max {max(times):.1f}; {len(queries)} queries; {ROUNDS} runs)"
            )
    return lines
