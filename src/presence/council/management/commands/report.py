"""`presence report table1 --year 2023 --format csv|xlsx|docx|pdf [--output FILE]` and
`presence report council --year 2024 --format docx|pdf --output FILE [--draft] [--language en]`.

The command lives in the council app, the top layer, so that one `report` command writes both the
portfolio's Table 1 and the Council document built on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from presence.core.years import YEAR_MAX, YEAR_MIN, parse_year, year_message
from presence.council import documents as council_documents
from presence.council import selectors as council_selectors
from presence.council.models import LANGUAGES
from presence.council.render import render
from presence.portfolio import documents
from presence.portfolio.selectors import table1


class Command(BaseCommand):
    help = (
        "Write a Council table or document generated from records: table1 (on-going projects by region, "
        "k CHF), or council (the latest approved version of the Council document covering the year, or "
        "with --draft its current draft)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("table", choices=["table1", "council"])
        parser.add_argument("--year", type=int, required=True, help=f"{YEAR_MIN} to {YEAR_MAX}.")
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=sorted(documents.FORMATS),
            default=None,
            help="table1: csv (default), xlsx, docx or pdf; council: docx or pdf.",
        )
        parser.add_argument(
            "--output", type=Path, help="File to write (CSV goes to standard output by default)."
        )
        parser.add_argument(
            "--draft", action="store_true", help="council: the current draft, not the approved."
        )
        parser.add_argument(
            "--language",
            default="en",
            choices=[code for code, _name in LANGUAGES],
            help="council: the language.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path | None = options["output"]
        if parse_year(options["year"]) is None:
            raise CommandError(f"--year {options['year']}: {year_message()}")
        # The command line reports the whole portfolio, as an HQ administrator sees it.
        reader = get_user_model()(is_superuser=True, is_active=True)
        if options["table"] == "council":
            content = self.council(reader, options)
        else:
            fmt = options["fmt"] or "csv"
            if fmt != "csv" and output is None:
                raise CommandError(f"--format {fmt} is binary: give --output FILE.")
            content = documents.render(table1(user=reader, year=options["year"]), fmt)
        if output is None:
            self.stdout.write(content.decode("utf-8"), ending="")
        else:
            output.write_bytes(content)
            self.stderr.write(f"Wrote {output} ({len(content)} bytes).")

    def council(self, reader: Any, options: dict[str, Any]) -> bytes:
        fmt = options["fmt"] or "pdf"
        if fmt not in council_documents.FORMATS:
            raise CommandError(f"--format {fmt}: a Council document is written as docx or pdf.")
        if options["output"] is None:
            raise CommandError(f"--format {fmt} is binary: give --output FILE.")
        year, draft, language = options["year"], options["draft"], options["language"]
        version = council_selectors.version_for_year(user=reader, year=year, draft=draft, language=language)
        if version is None:
            state = "draft" if draft else "approved version"
            raise CommandError(f"No {state} in {language} of a Council document covering {year}.")
        previous = council_selectors.last_approved(version, user=reader) if not version.frozen else None
        self.stderr.write(f"{version} ({version.get_status_display()}).")
        return council_documents.render(render(version, previous=previous), fmt)
