"""`presence cleanup`: delete refused, failed and expired uploads after UPLOAD_RETENTION_DAYS (run daily)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from presence.core import cleanup


class Command(BaseCommand):
    help = (
        "Delete uploads that were refused, failed or never confirmed, and stored files no record refers "
        "to, once they are older than UPLOAD_RETENTION_DAYS; mark failed the jobs whose worker died."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; delete nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lines = cleanup.run(dry_run=options["dry_run"])
        for line in lines:
            self.stdout.write(line)
        verb = "would be cleaned up" if options["dry_run"] else "cleaned up"
        self.stdout.write(f"{len(lines)} item(s) {verb} (retention {settings.UPLOAD_RETENTION_DAYS} days).")
