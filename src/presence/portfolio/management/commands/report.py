"""`presence report table1 --year 2023 --format csv|xlsx|docx|pdf [--output FILE]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from presence.core.years import YEAR_MAX, YEAR_MIN, parse_year, year_message
from presence.portfolio import documents
from presence.portfolio.selectors import table1


class Command(BaseCommand):
    help = "Write a Council table generated from records (Table 1: on-going projects by region, k CHF)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("table", choices=["table1"])
        parser.add_argument("--year", type=int, required=True, help=f"{YEAR_MIN} to {YEAR_MAX}.")
        parser.add_argument("--format", dest="fmt", choices=sorted(documents.FORMATS), default="csv")
        parser.add_argument(
            "--output", type=Path, help="File to write (CSV goes to standard output by default)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fmt: str = options["fmt"]
        output: Path | None = options["output"]
        if parse_year(options["year"]) is None:
            raise CommandError(f"--year {options['year']}: {year_message()}")
        if fmt != "csv" and output is None:
            raise CommandError(f"--format {fmt} is binary: give --output FILE.")
        # The command line reports the whole portfolio, as an HQ administrator sees it.
        reader = get_user_model()(is_superuser=True, is_active=True)
        content = documents.render(table1(user=reader, year=options["year"]), fmt)
        if output is None:
            self.stdout.write(content.decode("utf-8"), ending="")
        else:
            output.write_bytes(content)
            self.stderr.write(f"Wrote {output} ({len(content)} bytes).")
