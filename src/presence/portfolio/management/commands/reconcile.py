"""`presence reconcile FILE.csv`: check an aggregate table's row and column totals; exit 1 if any is off."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from presence.portfolio.reconcile import TableError, reconcile_csv


class Command(BaseCommand):
    help = (
        "Check that each row total equals the sum of its parts and each column total the sum of its rows, "
        "allowing only differences that rounding of the shown decimals explains. "
        "Exit code 0 when all reconcile."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            result = reconcile_csv(path.read_text(encoding="utf-8-sig"))
        except (OSError, TableError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{path}: parts {', '.join(result.part_columns)}; row total {result.total_column}; "
            f"{result.rows_checked} rows and {result.columns_checked} columns checked."
        )
        for finding in result.findings:
            self.stdout.write(f"  NOT RECONCILED {finding}")
        if result.reconciles:
            self.stdout.write("All totals reconcile (differences within rounding).")
            return
        self.stdout.write(f"{len(result.findings)} cell(s) do not reconcile.")
        sys.exit(1)
