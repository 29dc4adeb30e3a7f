"""Page benchmark: server time, queries, rows fetched and size of every heavy page, at 1x and 10x the demo.

`make bench` (or `python -m presence.bench pages`) runs it on the configured database engine: SQLite
by default, PostgreSQL when DATABASE_URL points at it. Each scale has a database of its own, built
once by `presence demo --scale N` and reused while it is there at that scale:

- SQLite: `<data folder>/bench-<N>x/presence.sqlite3` (data folder: PRESENCE_DATA_DIR, default var/);
- PostgreSQL: the database `<name>_bench_<N>x` beside DATABASE_URL's database (created when missing).

BENCH_SCALE lists the scales (default "1,10"; 100 only when asked, e.g. BENCH_SCALE=1,10,100), and
BENCH_ROUNDS the timed requests per page (default 5, after one warm-up request). Each scale is
measured in a process of its own, through Django's test client with DEBUG off (server time: no
network, no browser); queries and rows come from one more request counted by
`presence.core.dbwork.database_work`. p95 is the nearest-rank 95th percentile of the rounds (with 5
rounds, the slowest). The machine running it is usually shared and noisy: compare ratios, not
milliseconds, and never assert timings in tests.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

YEAR = 2024
# (label, user, url)
PAGES: tuple[tuple[str, str, str], ...] = (
    ("dashboard overview", "admin", f"/dashboard/?year={YEAR}"),
    ("dashboard region AFR", "admin", f"/dashboard/regions/AFR/?year={YEAR}"),
    ("dashboard office Dakar", "admin", f"/dashboard/offices/dakar/?year={YEAR}"),
    ("dashboard overview", "delegate", f"/dashboard/?year={YEAR}"),
    ("dashboard region AFR", "delegate", f"/dashboard/regions/AFR/?year={YEAR}"),
    ("dashboard office Dakar", "delegate", f"/dashboard/offices/dakar/?year={YEAR}"),
    ("/api/dashboard", "admin", f"/api/dashboard/?year={YEAR}"),
    ("dashboard PDF", "admin", f"/reports/dashboard.pdf?year={YEAR}"),
    ("dashboard XLSX", "admin", f"/reports/dashboard.xlsx?year={YEAR}"),
    ("dashboard DOCX", "admin", f"/reports/dashboard.docx?year={YEAR}"),
    ("resilience overview", "admin", "/resilience/"),
    ("results indicators", "admin", "/results/indicators/"),
    ("review inbox", "admin", "/results/reviews/"),
    ("review inbox", "delegate", "/results/reviews/"),
    ("staffing table", "admin", "/staffing/"),
    ("projects list", "admin", "/portfolio/projects/"),
    ("Table 1", "admin", "/portfolio/table1/?year=2023"),
    ("Table 1 XLSX", "admin", "/portfolio/table1/?year=2023&format=xlsx"),
    ("Table 1 DOCX", "admin", "/portfolio/table1/?year=2023&format=docx"),
    ("Table 1 PDF", "admin", "/portfolio/table1/?year=2023&format=pdf"),
    # Pages whose query plans, not their rows, were slow at 100x (docs/benchmarks.md).
    ("governing bodies' requests", "admin", "/mandates/"),
    ("activities list", "admin", "/results/activities/"),
    ("installation timeline", "admin", "/resilience/installations/timeline/"),
    ("API projects", "admin", "/api/portfolio/projects/?limit=100"),
    ("API reviews", "admin", "/api/results/reviews/?limit=100"),
    ("API indicators", "admin", "/api/results/indicators/?limit=100"),
    ("API posts", "admin", "/api/staffing/posts/?limit=100"),
    ("API assessments", "admin", "/api/resilience/assessments/?limit=100"),
)
# The dashboard's pages as they are mostly seen: with the figure cache on, after a write to one domain
# (each domain's version changed in turn: the sections reading it are computed, the others come from
# the cache), and warm (nothing written since the last view). A write to "org" (an office, a region)
# changes every section: that is the cold figure of the table above.
CACHED_PAGES: tuple[tuple[str, str, str], ...] = (
    ("dashboard overview", "admin", f"/dashboard/?year={YEAR}"),
    ("dashboard region AFR", "admin", f"/dashboard/regions/AFR/?year={YEAR}"),
    ("dashboard office Dakar", "admin", f"/dashboard/offices/dakar/?year={YEAR}"),
    ("dashboard overview", "delegate", f"/dashboard/?year={YEAR}"),
    ("/api/dashboard", "admin", f"/api/dashboard/?year={YEAR}"),
)
WRITTEN_DOMAINS = ("portfolio", "results", "staffing", "engagement", "resilience")
DEFAULT_SCALES = (1, 10)
LARGEST_SCALE = 1000


@dataclass
class Measure:
    label: str
    user: str
    url: str
    status: int
    p50_ms: float
    p95_ms: float
    queries: int
    rows: int
    size: int


@dataclass
class CachedMeasure:
    label: str
    user: str
    after_write_ms: dict[str, float]  # domain -> median of the first views after a write to it
    after_write_p95_ms: float  # over every domain's first views
    warm_p50_ms: float
    warm_p95_ms: float


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def scales_from(value: str | None) -> tuple[int, ...]:
    """BENCH_SCALE: comma-separated whole numbers from 1 to 1000, e.g. "1,10,100"."""
    if not value:
        return DEFAULT_SCALES
    try:
        scales = tuple(sorted({int(part) for part in value.split(",") if part.strip()}))
    except ValueError:
        raise ValueError(f"BENCH_SCALE must list whole numbers such as 1,10,100, not {value!r}") from None
    if not scales or not all(1 <= scale <= LARGEST_SCALE for scale in scales):
        raise ValueError(f"BENCH_SCALE must list scales from 1 to {LARGEST_SCALE}, not {value!r}")
    return scales


def rounds_from(value: str | None) -> int:
    if not value:
        return 5
    if not value.isdigit() or not 1 <= int(value) <= 1000:
        raise ValueError(f"BENCH_ROUNDS must be a whole number from 1 to 1000, not {value!r}")
    return int(value)


def scale_environment(
    scale: int, environ: dict[str, str], database: dict[str, Any], data_dir: Path
) -> dict[str, str]:
    """The environment of a process working on the benchmark database of `scale`."""
    env = dict(environ)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        env.pop("DATABASE_URL", None)
        env["PRESENCE_DATA_DIR"] = str(data_dir / f"bench-{scale}x")
        return env
    user = database.get("USER") or ""
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    port = f":{database['PORT']}" if database.get("PORT") else ""
    host = database.get("HOST") or "127.0.0.1"
    env["DATABASE_URL"] = (
        f"postgres://{credentials}{host}{port}/{bench_database_name(database['NAME'], scale)}"
    )
    return env


def bench_database_name(name: str, scale: int) -> str:
    return f"{name}_bench_{scale}x"


def _create_postgres_database(name: str) -> None:
    from django.db import connection

    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')


def prepare(scale: int, env: dict[str, str]) -> str:
    """Build (or find) the database of `scale`: migrations, then the demo N times over."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        _create_postgres_database(bench_database_name(str(database["NAME"]), scale))
    start = time.perf_counter()
    command = [sys.executable, "-m", "presence"]
    subprocess.run([*command, "migrate", "--noinput", "-v", "0"], env=env, check=True)  # noqa: S603
    demo = subprocess.run(  # noqa: S603
        [*command, "demo", "--scale", str(scale)], env=env, check=True, capture_output=True, text=True
    )
    built = [line for line in demo.stdout.splitlines() if "times over" in line]
    return f"{scale}x: {built[-1] if built else 'demo ready'} ({time.perf_counter() - start:.0f} s)"


def _logged_in(clients: dict[str, Any], username: str) -> Any:
    """The test client of `username`, logged in once and kept in `clients`."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    if username not in clients:
        clients[username] = Client(HTTP_HOST="localhost")
        clients[username].force_login(get_user_model().objects.get(username=username))
    return clients[username]


def measure(rounds: int) -> list[Measure]:
    """Every page of PAGES on the configured database, as its user."""
    from django.test.utils import override_settings

    from presence.core.dbwork import database_work

    results = []
    clients: dict[str, Any] = {}
    with override_settings(DEBUG=False):
        for label, username, url in PAGES:
            client = _logged_in(clients, username)
            client.get(url)  # warm up: templates, map geometry, content types
            times = []
            for _ in range(rounds):
                start = time.perf_counter()
                response = client.get(url)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                times.append((time.perf_counter() - start) * 1000)
            with database_work() as work:
                client.get(url)
            results.append(
                Measure(
                    label=label,
                    user=username,
                    url=url,
                    status=response.status_code,
                    p50_ms=statistics.median(times),
                    p95_ms=p95(times),
                    queries=work.queries,
                    rows=work.rows,
                    size=len(body),
                )
            )
    return results


def measure_cached(rounds: int) -> list[CachedMeasure]:
    """CACHED_PAGES with the figure cache on: the first view after a write to each of WRITTEN_DOMAINS,
    and a repeated (warm) view. The write is its domain's new version, in a transaction rolled back
    after the view, so the benchmark database keeps its records."""
    from django.db import transaction
    from django.test.utils import override_settings

    from presence.core import figures

    results = []
    clients: dict[str, Any] = {}
    with override_settings(DEBUG=False):
        for label, username, url in CACHED_PAGES:
            client = _logged_in(clients, username)
            client.get(url)  # every section cached
            after: dict[str, list[float]] = {}
            for _ in range(rounds):
                for domain in WRITTEN_DOMAINS:
                    with transaction.atomic():
                        figures.bump(domain)
                        start = time.perf_counter()
                        client.get(url)
                        after.setdefault(domain, []).append((time.perf_counter() - start) * 1000)
                        transaction.set_rollback(True)
            warm = []
            client.get(url)
            for _ in range(rounds):
                start = time.perf_counter()
                client.get(url)
                warm.append((time.perf_counter() - start) * 1000)
            results.append(
                CachedMeasure(
                    label=label,
                    user=username,
                    after_write_ms={domain: statistics.median(times) for domain, times in after.items()},
                    after_write_p95_ms=p95([t for times in after.values() for t in times]),
                    warm_p50_ms=statistics.median(warm),
                    warm_p95_ms=p95(warm),
                )
            )
    return results


def _size(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"


def table(by_scale: dict[int, list[Measure]]) -> list[str]:
    """The Markdown table: per page and scale p50/p95, queries, rows, size; the ratio of each scale's
    p50 to the smallest scale's."""
    scales = sorted(by_scale)
    base = scales[0]
    header = ["page", "as"]
    for scale in scales:
        header += [f"{scale}x p50 / p95 ms", f"{scale}x queries / rows", f"{scale}x size"]
    header += [f"{scale}x/{base}x" for scale in scales[1:]]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for index, first in enumerate(by_scale[base]):
        cells = [first.label, first.user]
        for scale in scales:
            m = by_scale[scale][index]
            status = "" if m.status == 200 else f" (HTTP {m.status})"
            cells += [
                f"{m.p50_ms:,.0f} / {m.p95_ms:,.0f}{status}",
                f"{m.queries} / {m.rows:,}",
                _size(m.size),
            ]
        cells += [f"{by_scale[scale][index].p50_ms / max(first.p50_ms, 0.001):.1f}" for scale in scales[1:]]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def cached_table(by_scale: dict[int, list[CachedMeasure]]) -> list[str]:
    """The Markdown table of the cached views: per page and scale, the median first view after a write
    to each domain, their p95, and the warm view's p50 / p95."""
    scales = sorted(by_scale)
    header = [
        "page",
        "as",
        "scale",
        *(f"after {d} write" for d in WRITTEN_DOMAINS),
        "after a write p95",
        "warm p50 / p95",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for index, first in enumerate(by_scale[scales[0]]):
        for scale in scales:
            m = by_scale[scale][index]
            cells = [first.label, first.user, f"{scale}x"]
            cells += [f"{m.after_write_ms[d]:,.0f}" for d in WRITTEN_DOMAINS]
            cells += [f"{m.after_write_p95_ms:,.0f}", f"{m.warm_p50_ms:,.0f} / {m.warm_p95_ms:,.0f}"]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def run() -> list[str]:
    from django.conf import settings
    from django.db import connection

    scales = scales_from(os.environ.get("BENCH_SCALE"))
    rounds = rounds_from(os.environ.get("BENCH_ROUNDS"))
    database = settings.DATABASES["default"]
    lines = [f"database: {connection.vendor}; {rounds} rounds per page after a warm-up; year {YEAR}"]
    by_scale: dict[int, list[Measure]] = {}
    cached_by_scale: dict[int, list[CachedMeasure]] = {}
    for scale in scales:
        env = scale_environment(scale, dict(os.environ), database, Path(settings.DATA_DIR))
        lines.append(prepare(scale, env))
        env["BENCH_ROUNDS"] = str(rounds)
        # What computing each page costs: the figure cache would answer every round after the first.
        env["FIGURE_CACHE_SECONDS"] = "0"
        done = subprocess.run(
            [sys.executable, "-m", "presence.bench.pages"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        by_scale[scale] = [Measure(**entry) for entry in json.loads(done.stdout.splitlines()[-1])]
        env["FIGURE_CACHE_SECONDS"] = "3600"
        done = subprocess.run(
            [sys.executable, "-m", "presence.bench.pages", "cached"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        cached_by_scale[scale] = [
            CachedMeasure(**entry) for entry in json.loads(done.stdout.splitlines()[-1])
        ]
    return [
        *lines,
        "",
        "Every request computed (figure cache off; the first view after a write to regions or offices):",
        "",
        *table(by_scale),
        "",
        "Figure cache on (local memory), ms: the first view after a write to one domain, and a warm view:",
        "",
        *cached_table(cached_by_scale),
    ]


def main() -> None:
    """In a process of its own, on the database of one scale: print the measures as one JSON line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "presence.settings")
    import django

    django.setup()
    rounds = rounds_from(os.environ.get("BENCH_ROUNDS"))
    if sys.argv[1:] == ["cached"]:
        print(json.dumps([asdict(m) for m in measure_cached(rounds)]))
    else:
        print(json.dumps([asdict(m) for m in measure(rounds)]))


if __name__ == "__main__":
    main()
