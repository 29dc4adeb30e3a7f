"""`presence serve`: the development server, or with --production the gunicorn server.

Development: Django's server on 127.0.0.1 (port from PORT, 8000 by default), static files from the
source. Production: collects the hashed, compressed static files, then runs gunicorn with WhiteNoise
serving them; the environment chooses the address (BIND_ADDRESS, PORT), the number of worker
processes (WEB_CONCURRENCY), threads per worker (WEB_THREADS) and the request timeout (WEB_TIMEOUT).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _

from presence.env import EnvReader


def production_options(env: EnvReader, host: str | None = None) -> dict[str, Any]:
    """Gunicorn's settings for `presence serve --production`, read from the environment."""
    address = host or env.get_str("BIND_ADDRESS", "127.0.0.1")
    port = env.get_int("PORT", 8000, minimum=1, maximum=65535)
    threads = env.get_int("WEB_THREADS", 4, minimum=1, maximum=64)
    return {
        "bind": f"[{address}]:{port}" if ":" in address else f"{address}:{port}",
        "workers": env.get_int("WEB_CONCURRENCY", 2, minimum=1, maximum=64),
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": env.get_int("WEB_TIMEOUT", 60, minimum=5, maximum=3600),
        "accesslog": "-",
        "errorlog": "-",
        # Several servers may run on one machine; gunicorn's shared control socket is not needed.
        "control_socket_disable": True,
    }


FINGERPRINT = ".presence-static-sources"


def static_sources_fingerprint() -> str:
    """A digest of every static source file (name, size, time) and of the storage that collects them."""
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    entries = []
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = Path(storage.path(path)).stat()
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
    return digest.hexdigest()


def collect_static_files_if_changed() -> bool:
    """Run collectstatic unless STATIC_ROOT already holds these sources; True when it ran."""
    root = Path(settings.STATIC_ROOT)
    marker = root / FINGERPRINT
    fingerprint = static_sources_fingerprint()
    if (root / "staticfiles.json").exists() and marker.exists() and marker.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    marker.write_text(fingerprint)
    return True


def run_gunicorn(options: dict[str, Any]) -> None:
    from gunicorn.app.base import BaseApplication

    class ProductionServer(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from django.core.wsgi import get_wsgi_application

            return get_wsgi_application()

    ProductionServer().run()


class Command(BaseCommand):
    help = (
        "Serve the site. Without --production: the development server on 127.0.0.1 (port from PORT). "
        "With --production: gunicorn with static files through WhiteNoise (BIND_ADDRESS, PORT, "
        "WEB_CONCURRENCY, WEB_THREADS, WEB_TIMEOUT from the environment)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--host", default=None, help="Address to listen on (default 127.0.0.1, or BIND_ADDRESS)."
        )
        parser.add_argument("--reload", action="store_true", help="Restart when code changes.")
        parser.add_argument(
            "--production",
            action="store_true",
            help="Run the production server (gunicorn); needs DEBUG off, e.g. PRESENCE_ENV=production.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        env = EnvReader()
        if options["production"]:
            self.serve_production(env, options["host"])
            return
        port = env.get_int("PORT", 8000, minimum=1, maximum=65535)
        call_command("runserver", f"{options['host'] or '127.0.0.1'}:{port}", use_reloader=options["reload"])

    def serve_production(self, env: EnvReader, host: str | None) -> None:
        if settings.DEBUG:
            raise CommandError(
                _(
                    "The production server does not run with DEBUG on: "
                    "set PRESENCE_ENV=production and DEBUG=0."
                )
            )
        gunicorn_options = production_options(env, host)
        call_command("check", deploy=True, fail_level="ERROR")
        if collect_static_files_if_changed():
            self.stdout.write("Collected the static files")
        # The workers are forked from this process: they must not inherit its database connections.
        connections.close_all()
        self.stdout.write(
            f"Serving on {gunicorn_options['bind']} with {gunicorn_options['workers']} workers "
            f"x {gunicorn_options['threads']} threads"
        )
        run_gunicorn(gunicorn_options)
