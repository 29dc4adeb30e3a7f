"""`presence demo`: reference data, demo people and each app's demo records (idempotent)."""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from presence.org import demo as org_demo
from presence.org.reference import load_reference_data


class Command(BaseCommand):
    help = "Load reference data, demo users and demo records. Running it twice changes nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Allow loading demo data in production.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRESENCE_ENV == "production" and not options["force"]:
            raise CommandError(
                "Refusing to load demo data in production; pass --force if you really mean it."
            )
        load_reference_data()
        org_demo.load(stdout=self.stdout)
        # Each app that has demo records loads them through its AppConfig's `load_demo`.
        for config in apps.get_app_configs():
            load_demo = getattr(config, "load_demo", None)
            if load_demo is None:
                continue
            load_demo(stdout=self.stdout)
            self.stdout.write(f"Demo data ready: {config.verbose_name}")
        self.stdout.write(f"Demo logins (password for all: {org_demo.DEMO_PASSWORD}):")
        for line in org_demo.describe():
            self.stdout.write(line)
