"""`presence restore DIR`: verify a backup against its manifest, then replace the database and media."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from presence.core.backup import BackupError, restore, summarize, verify


class Command(BaseCommand):
    help = (
        "Restore a backup made by `presence backup`: verifies every file against manifest.json first "
        "(a tampered or incomplete backup is refused and nothing changes), then replaces the database "
        "and makes the media storage equal to the backup."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", metavar="DIR", help="A folder made by `presence backup`.")
        parser.add_argument("--database", default="default", help="Database alias (default: default).")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        try:
            if options["interactive"]:
                summary = summarize(verify(folder, using=options["database"]))
                answer = input(
                    f"This replaces the whole database and every media file with the backup in {folder} "
                    f"({summary.media_files} media files). Type 'yes' to continue: "
                )
                if answer != "yes":
                    raise CommandError(_("Restore cancelled; nothing was changed."))
            # restore() verifies the folder (again) right before it changes anything.
            summary = restore(folder, using=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored the {summary.engine} database and {summary.media_files} media files "
            f"({summary.media_bytes} bytes) from {folder}"
        )
