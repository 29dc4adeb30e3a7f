"""An import (IATI or spreadsheet) changes the data version in its transaction: the next figures show it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from presence.core import figures
from presence.interchange import services
from presence.interchange.iati.importer import iati_import
from presence.interchange.models import Job
from tests.interchange.test_iati_import import activity, document
from tests.interchange.test_sheets import xlsx


def test_an_iati_import_shows_in_the_next_figures(admin_user: Any, sees: Any, tmp_path: Path) -> None:
    before = sees(admin_user)
    assert sees(admin_user) == before  # cached
    path = tmp_path / "activities.xml"
    path.write_text(document(activity(), activity("XM-DAC-41303-P2")), encoding="utf-8")

    summary = iati_import(actor=admin_user, path=path)

    assert summary.created == 2
    after = sees(admin_user)
    assert after != before
    assert after == sees(admin_user, fresh=True)


def test_an_iati_dry_run_leaves_the_version(admin_user: Any, tmp_path: Path) -> None:
    version = figures.current()
    path = tmp_path / "activities.xml"
    path.write_text(document(activity()), encoding="utf-8")
    iati_import(actor=admin_user, path=path, dry_run=True)
    assert figures.current() == version


def test_a_spreadsheet_import_shows_in_the_next_figures(
    admin_user: Any, sees: Any, settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    before = sees(admin_user)
    assert sees(admin_user) == before  # cached
    header = ["code", "title", "status", "planned_start", "planned_end", "region", "lead_office"]
    content = xlsx(
        [header, ["9RAF1-01", "Schools", "implementation", dt.date(2024, 1, 1), "2025-12-31", "AFR", "dakar"]]
    )
    job = services.sheet_preview(
        actor=admin_user, kind="projects", upload=SimpleUploadedFile("projects.xlsx", content)
    )
    assert job.status == Job.Status.PREVIEW

    services.sheet_confirm(actor=admin_user, job=job)

    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    after = sees(admin_user)
    assert after != before
    assert after == sees(admin_user, fresh=True)
