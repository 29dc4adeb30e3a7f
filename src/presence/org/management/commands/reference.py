"""`presence reference`: load the shipped reference data (regions, countries, offices)."""

from typing import Any

from django.core.management.base import BaseCommand

from presence.org.reference import load_reference_data


class Command(BaseCommand):
    help = "Create missing regions, countries and offices from the shipped reference data (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        created = load_reference_data()
        self.stdout.write(", ".join(f"{count} {name} created" for name, count in created.items()))
