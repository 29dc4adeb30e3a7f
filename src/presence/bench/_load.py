"""`make load`: a bounded load test of the production server with locust, on the loopback address.

Builds (or reuses) the benchmark database of LOAD_SCALE times the demo (default 1; the same database
as `make bench`: var/bench-<N>x, or <db>_bench_<N>x on PostgreSQL when DATABASE_URL points at it),
serves it with `presence serve --production` (gunicorn) on 127.0.0.1, then runs locust headless with
LOAD_USERS concurrent logged-in demo users (default 20, then 50) for LOAD_SECONDS each (default 30).
Prints, per step, throughput, median and 95th percentile per page and overall, and the errors.
Exit status 1 when a request failed.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

LOCUSTFILE = Path(__file__).with_name("_locustfile.py")
# The demo users the simulated users are, in turn: several roles and scopes.
USERNAMES = ("admin", "afr.editor", "asp.editor", "dakar.editor", "hr", "security", "delegate")

# A logged-in session for each demo user, made in the server's environment (its SECRET_KEY signs the
# session's auth hash). Logging in through the form hashes the password on purpose slowly (PBKDF2):
# a crowd of logins at once would measure the hashing, not the pages.
SESSIONS_SCRIPT = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from presence.bench._load import USERNAMES
store = import_module(settings.SESSION_ENGINE).SessionStore
sessions = {}
for user in get_user_model().objects.filter(username__in=USERNAMES):
    session = store()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    sessions[user.username] = session.session_key
print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "sessions": sessions}))
"""


def _whole(name: str, default: str, low: int, high: int) -> int:
    value = os.environ.get(name, default).strip()
    if not value.isdigit() or not low <= int(value) <= high:
        raise SystemExit(f"{name} must be a whole number from {low} to {high}, not {value!r}")
    return int(value)


def user_counts(value: str) -> list[int]:
    counts = [item.strip() for item in value.split(",")]
    if not counts or not all(c.isdigit() and 1 <= int(c) <= 500 for c in counts):
        raise SystemExit(f"LOAD_USERS must be user counts from 1 to 500 separated by commas, not {value!r}")
    return [int(c) for c in counts]


def _cut_off(failures_csv: Path) -> int:
    """Requests without an answer (status 0): still running when locust stopped the step."""
    if not failures_csv.exists():
        return 0
    with failures_csv.open(newline="") as handle:
        return sum(
            int(row["Occurrences"]) for row in csv.DictReader(handle) if row["Error"].endswith(": 0')")
        )


def report(prefix: Path, users: int, seconds: int) -> tuple[list[str], int]:
    """The lines to print for one step, from locust's `<prefix>_stats.csv`, and its number of errors
    (answers other than 200; requests cut off by the end of the step are counted apart)."""
    with Path(f"{prefix}_stats.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    cut_off = _cut_off(Path(f"{prefix}_failures.csv"))
    lines = [
        f"{users} users, {seconds} s:",
        f"  {'page':<22} {'requests':>9} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'errors':>7}",
    ]
    failures = 0
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = "overall" if row["Name"] == "Aggregated" else row["Name"]
        if name == "overall":
            failures = int(row["Failure Count"]) - cut_off
        lines.append(
            f"  {name:<22} {row['Request Count']:>9} {float(row['Requests/s']):>7.1f} "
            f"{row['50%']:>7} {row['95%']:>7} {row['Failure Count']:>7}"
        )
    lines.append(f"  errors: {failures} (and {cut_off} requests cut off unanswered when the step ended)")
    return lines, failures


def main() -> int:
    seconds = _whole("LOAD_SECONDS", "30", 5, 3600)
    scale = _whole("LOAD_SCALE", "1", 1, 1000)
    counts = user_counts(os.environ.get("LOAD_USERS", "20,50"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "presence.settings")
    import django

    django.setup()
    from django.conf import settings

    from presence.bench._served import free_port, production_environment, serving
    from presence.bench.pages import prepare, scale_environment

    env = scale_environment(scale, dict(os.environ), settings.DATABASES["default"], Path(settings.DATA_DIR))
    engine = str(settings.DATABASES["default"]["ENGINE"]).rsplit(".", 1)[-1]
    print(f"database: {engine}, {prepare(scale, env)}")
    work = Path(settings.DATA_DIR) / "load"
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server_env = production_environment(env, port)
    bin_dir = Path(sys.executable).parent
    command = [sys.executable, "-m", "presence", "serve", "--production"]
    made = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "presence", "shell", "-c", SESSIONS_SCRIPT],
        env=server_env,
        check=True,
        capture_output=True,
        text=True,
    )
    locust_env = {**env, "LOAD_SESSIONS": made.stdout.strip().splitlines()[-1]}
    failed = 0
    with serving(command, server_env, port=port, log=work / "server.log") as base:
        cache = env.get("CACHE_URL", "locmem://")
        print(f"serving {base} (presence serve --production, cache {cache}; log in {work / 'server.log'})")
        for users in counts:
            prefix = work / f"{users}-users"
            locust = [
                str(bin_dir / "locust"),
                "-f",
                str(LOCUSTFILE),
                "--headless",
                "--host",
                base,
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--run-time",
                f"{seconds}s",
                # Requests still running at the end finish (up to the server's own timeout) and count.
                "--stop-timeout",
                "60",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ]
            with (work / f"{users}-users.log").open("w") as log:
                subprocess.run(locust, env=locust_env, check=False, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
            lines, failures = report(prefix, users, seconds)
            failed += failures
            print("\n".join(lines), flush=True)
    print(f"make load: {'no errors' if not failed else f'{failed} failed requests (see {work})'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
