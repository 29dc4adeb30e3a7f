"""`presence serve`: serve the site on 127.0.0.1 (port from PORT, 8000 by default)."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from presence.env import EnvReader


class Command(BaseCommand):
    help = "Serve the site for one machine (development server). Port from PORT (default 8000)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--reload", action="store_true", help="Restart when code changes.")

    def handle(self, *args: Any, **options: Any) -> None:
        port = EnvReader().get_int("PORT", 8000, minimum=1, maximum=65535)
        call_command("runserver", f"{options['host']}:{port}", use_reloader=options["reload"])
