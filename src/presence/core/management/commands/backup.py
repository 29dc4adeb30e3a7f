"""`presence backup DIR`: the database and the media storage, with a manifest of checksums."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from presence.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite copy or pg_dump) and every media file into DIR (new or empty), "
        "with manifest.json listing sizes and SHA-256 checksums."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", metavar="DIR", help="A new or empty folder for the backup.")
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        try:
            summary = backup(folder, using=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up the {summary.engine} database ({summary.database_bytes} bytes) and "
            f"{summary.media_files} media files ({summary.media_bytes} bytes) to {folder}"
        )
