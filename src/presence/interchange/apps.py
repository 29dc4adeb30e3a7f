"""Data interchange: IATI 2.03 import and export, spreadsheet templates with preview, background jobs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    name = "presence.interchange"
    label = "interchange"
    verbose_name = _("Data interchange")
    navigation = [
        (_("Import and export"), "interchange:index"),
    ]
    # The project list offers its rows, with its filters, as an IATI file (core's `list_links` tag).
    list_links = {"portfolio:project-list": [(_("IATI"), "interchange:iati-export")]}

    def ready(self) -> None:
        # Posts, events and assessment results are spreadsheet kinds declared beside `sheets`
        # (which declares the portfolio and results kinds); importing them registers them.
        from presence.interchange import sheet_kinds  # noqa: F401

    def cleanup(self, now: dt.datetime, *, older_than: dt.datetime, dry_run: bool) -> list[str]:
        """Refused, failed and unconfirmed uploads, and jobs whose worker died (`presence cleanup`)."""
        from presence.interchange.services import jobs_cleanup

        return jobs_cleanup(now=now, older_than=older_than, dry_run=dry_run)

    def load_demo(self, stdout: Any) -> tuple[str, ...]:
        """Load this app's demo records, for `presence demo` (after the reference data and demo users);
        answers the models `presence demo --scale N` copies."""
        from presence.interchange import demo

        demo.load(stdout=stdout)
        return ()
