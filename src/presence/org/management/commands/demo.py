"""`presence demo [--scale N]`: reference data, demo people and each app's demo records (idempotent).

With `--scale N`, the demo is then copied until it is there N times over: new area offices in each
region and, led by them, copies of the records each app's demo module lists in `SCALED` (see
presence.core.scale and presence.org.scale).
"""

import time
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from presence.core import figures
from presence.core.scale import build_copies
from presence.org import demo as org_demo
from presence.org import scale as org_scale
from presence.org.reference import load_reference_data


class Command(BaseCommand):
    help = "Load reference data, demo users and demo records. Running it twice changes nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Allow loading demo data in production.")
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            metavar="N",
            help="Then copy the demo records until there are N times as many (benchmarks). Default 1.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRESENCE_ENV == "production" and not options["force"]:
            raise CommandError(
                "Refusing to load demo data in production; pass --force if you really mean it."
            )
        scale = options["scale"]
        if scale < 1 or scale > 1000:
            raise CommandError(f"--scale must be a whole number from 1 to 1000, not {scale}.")
        current = org_scale.current_scale()
        if current > 1:
            # Loading the demo again would give the copied offices demo records of their own.
            if scale not in (1, current):
                raise CommandError(
                    f"The demo is already there {current} times over; --scale {scale} would need other "
                    f"copies. Start from an empty database (or pass --scale {current})."
                )
            self.stdout.write(f"The demo is already there {current} times over: nothing to do.")
            return
        load_reference_data()
        org_demo.load(stdout=self.stdout)
        scaled: list[str] = []
        # Each app that has demo records loads them through its AppConfig's `load_demo`, which answers
        # the labels of the models its demo module lists in `SCALED`.
        for config in apps.get_app_configs():
            load_demo = getattr(config, "load_demo", None)
            if load_demo is None:
                continue
            scaled.extend(load_demo(stdout=self.stdout) or ())
            self.stdout.write(f"Demo data ready: {config.verbose_name}")
        self._scale(scale, scaled)
        figures.bump()  # the demo modules write some records in bulk, past the services
        self.stdout.write(f"Demo logins (password for all: {org_demo.DEMO_PASSWORD}):")
        for line in org_demo.describe():
            self.stdout.write(line)

    def _scale(self, scale: int, scaled: list[str]) -> None:
        if scale == 1:
            return
        labels = ["org.Office", *scaled]
        start = time.perf_counter()
        written = build_copies(
            labels,
            range(2, scale + 1),
            hooks={"org.Office": org_scale.OfficeCopies()},
            keep=lambda record: isinstance(record, org_scale.Office) and org_scale.is_kept(record),
            progress=lambda line: self.stdout.write(f"  {line}"),
        )
        # The planner's statistics: bulk-written tables have none until autovacuum gets to them, and
        # without them PostgreSQL picks plans that take minutes at 100x (docs/benchmarks.md). On
        # PostgreSQL, VACUUM also marks the pages all-visible, so index-only scans read no table rows,
        # as they do on a database autovacuum keeps.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        self.stdout.write(
            f"Demo copied to {scale} times over: {sum(written.values())} records in "
            f"{time.perf_counter() - start:.1f} s ({', '.join(f'{k} {v}' for k, v in written.items())})."
        )
