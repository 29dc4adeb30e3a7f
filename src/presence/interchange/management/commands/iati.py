"""`presence iati import|export|generate`: IATI files from the command line, with progress output."""

from __future__ import annotations

import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from presence.interchange.iati.generator import generate
from presence.interchange.iati.importer import ImportSummary, iati_import
from presence.interchange.iati.safety import FileRefused
from presence.interchange.iati.writer import write_activities
from presence.interchange.selectors import export_projects
from presence.org.models import Office

DOWNLOAD_LIMIT = 2 * 1024 * 1024 * 1024


class Command(BaseCommand):
    help = "Import or export IATI 2.03 activity files, or generate a synthetic one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import iati-activities files or URLs.")
        imp.add_argument("sources", nargs="+", metavar="FILE_OR_URL")
        imp.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")
        imp.add_argument(
            "--strict",
            action="store_true",
            help="Refuse a file departing from the IATI 2.03 schema (default: import it, note each fault).",
        )
        imp.add_argument("--user", default="admin", help="Username the import is made as (default: admin).")
        imp.add_argument("--office", default="", help="Lead office code for new projects (default: derived).")
        exp = sub.add_parser("export", help="Export the portfolio as an iati-activities 2.03 file.")
        exp.add_argument("--region", default="")
        exp.add_argument("--year", type=int, default=None)
        exp.add_argument("--user", default="admin")
        exp.add_argument("--output", required=True)
        gen = sub.add_parser("generate", help="Write a synthetic valid file of N activities.")
        gen.add_argument("count", type=int)
        gen.add_argument("--output", required=True)
        gen.add_argument("--seed", type=int, default=8)

    def _user(self, username: str) -> Any:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}; pass --user with an existing username.")
        return user

    def _progress(self, done: int, total: int) -> None:
        if total and (done == total or done % max(1, total // 50) == 0):
            width = 30
            filled = int(width * done / total)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "generate":
            generate(Path(options["output"]), options["count"], seed=options["seed"])
            self.stdout.write(f"Wrote {options['count']} activities to {options['output']}")
            return
        user = self._user(options["user"])
        if action == "export":
            projects = export_projects(user=user, region=options["region"], year=options["year"])
            notes: list[str] = []
            written = write_activities(
                projects, Path(options["output"]), progress=self._progress, notes=notes
            )
            for note in notes:
                self.stderr.write(note)
            self.stdout.write(f"Wrote {written} activities to {options['output']}")
            return
        office = None
        if options["office"]:
            office = Office.objects.filter(code=options["office"]).first()
            if office is None:
                raise CommandError(f"There is no office {options['office']!r}.")
        worst = 0
        for source in options["sources"]:
            summary = self._import_one(
                source, user=user, office=office, dry_run=options["dry_run"], strict=options["strict"]
            )
            worst = max(worst, summary.exit_code)
        if worst:
            sys.exit(worst)

    def _import_one(
        self, source: str, *, user: Any, office: Office | None, dry_run: bool, strict: bool
    ) -> ImportSummary:
        with tempfile.TemporaryDirectory() as folder:
            if source.startswith(("http://", "https://")):
                path = Path(folder) / "download.xml"
                try:
                    _download(source, path)
                except (OSError, ValueError) as error:
                    summary = ImportSummary(source=source, refused=f"could not download: {error}")
                    self.stderr.write(summary.line())
                    return summary
            else:
                path = Path(source)
                if not path.is_file():
                    summary = ImportSummary(source=source, refused="no such file")
                    self.stderr.write(summary.line())
                    return summary
            try:
                summary = iati_import(
                    actor=user,
                    path=path,
                    dry_run=dry_run,
                    strict=strict,
                    office=office,
                    source=source,
                    progress=self._progress,
                )
            except FileRefused as error:
                summary = ImportSummary(source=source, refused=str(error))
                self.stderr.write(summary.line())
                return summary
        for rejection in summary.rejections:
            self.stderr.write(f"rejected {rejection}")
        for warning in summary.warnings[:50]:
            self.stdout.write(f"note: {warning}")
        if len(summary.warnings) > 50:
            self.stdout.write(f"note: {len(summary.warnings) - 50} more notes")
        self.stdout.write(summary.line())
        return summary


def _download(url: str, path: Path) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": "presence-iati-import"})  # noqa: S310 - http(s) only
    with urllib.request.urlopen(request, timeout=60) as response, path.open("wb") as out:  # noqa: S310
        size = 0
        while chunk := response.read(1024 * 1024):
            size += len(chunk)
            if size > DOWNLOAD_LIMIT:
                raise ValueError("the file is larger than 2 GB")
            out.write(chunk)
