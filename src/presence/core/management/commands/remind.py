"""`presence remind`: email each person what is due or overdue for them (run daily by cron)."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from presence.core import reminders


class Command(BaseCommand):
    help = "Send each person one email listing what is due or overdue for them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be told what; send nothing."
        )
        parser.add_argument("--date", help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date {options['date']!r} is not a date like 2024-04-15.") from None
        grouped = reminders.send(today, dry_run=options["dry_run"])
        total = sum(len(items) for items in grouped.values())
        for user, items in grouped.items():
            self.stdout.write(f"{user.username} <{user.email or 'no email'}>: {len(items)} item(s)")
            for item in items:
                due = f" due {item.due.isoformat()}" if item.due else ""
                late = " OVERDUE" if item.due and item.due < today else ""
                self.stdout.write(f"  - {item.kind}: {item.subject}{due}{late}")
        verb = "would be sent" if options["dry_run"] else "sent"
        self.stdout.write(f"{len(grouped)} email(s) {verb}, {total} item(s).")
