"""`presence cleanup`: refused, failed and unconfirmed uploads and orphaned files go after the retention."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

import presence
from presence.core import cleanup
from presence.interchange import services
from presence.interchange.models import Job
from presence.results.models import Activity

from .test_iati_import import activity, document

RETENTION = dt.timedelta(days=7)


@pytest.fixture(autouse=True)
def _retention_and_an_empty_storage(settings: Any) -> None:
    settings.UPLOAD_RETENTION_DAYS = 7
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }  # a fresh store: no file another test left


def sheet(valid: bool) -> SimpleUploadedFile:
    year = 2024 if valid else 0
    level, status = Activity.Level.values[0], Activity.Status.values[0]
    return SimpleUploadedFile(
        "a.csv",
        f"year,code,title,level,responsible_office,status\n{year},A1,Training,{level},dakar,{status}\n".encode(),
    )


def iati_job(actor: Any, status: str) -> Job:
    upload = SimpleUploadedFile("p.xml", document(activity()).encode())
    job = services.job_create(actor=actor, kind=Job.Kind.IATI_IMPORT, options={}, upload=upload)
    Job.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now())
    return Job.objects.get(pk=job.pk)


def stored(name: str) -> bool:
    return bool(name) and default_storage.exists(name)


def test_unconfirmed_previews_and_failed_jobs_lose_their_uploads_after_the_retention_period(
    importer: Any,
) -> None:
    preview = services.sheet_preview(actor=importer, kind="activities", upload=sheet(valid=True))
    failed = iati_job(importer, Job.Status.FAILED)
    done = iati_job(importer, Job.Status.DONE)
    names = {job.pk: job.input_file.name for job in (preview, failed, done)}
    assert all(stored(name) for name in names.values())
    now = timezone.now()

    assert cleanup.run(now=now + RETENTION - dt.timedelta(hours=1)) == []  # not yet
    lines = cleanup.run(now=now + RETENTION + dt.timedelta(hours=1))

    assert sorted(lines) == sorted(
        [
            f"job {preview.pk}: preview never confirmed, upload deleted",
            f"job {failed.pk}: failed, its files deleted",
        ]
    )
    expired = Job.objects.get(pk=preview.pk)
    assert expired.status == Job.Status.FAILED
    assert "expired" in expired.error
    assert not stored(names[preview.pk])
    assert not stored(names[failed.pk])
    assert Job.objects.get(pk=failed.pk).input_file.name == ""
    assert stored(names[done.pk])  # a finished import keeps the file it imported


def test_a_stored_file_no_record_refers_to_is_deleted_after_the_retention_period(importer: Any) -> None:
    # What a rolled-back upload leaves: the evidence file was stored, its record never committed.
    orphan = default_storage.save("resilience/evidence/17/refused.pdf", ContentFile(b"%PDF-1.4 refused"))
    kept = iati_job(importer, Job.Status.DONE).input_file.name
    now = timezone.now()

    assert cleanup.run(now=now + dt.timedelta(days=1)) == []
    lines = cleanup.run(now=now + RETENTION + dt.timedelta(hours=1))

    assert lines == [f"orphaned file {orphan}"]
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept)


def test_cleanup_marks_failed_the_jobs_whose_worker_died(importer: Any, settings: Any) -> None:
    job = iati_job(importer, Job.Status.RUNNING)
    long_ago = timezone.now() - dt.timedelta(minutes=settings.JOB_STALE_AFTER_MINUTES + 5)
    Job.objects.filter(pk=job.pk).update(started_at=long_ago, heartbeat_at=long_ago, finished_at=None)

    lines = cleanup.run()

    assert lines == [f"job {job.pk}: stopped, its worker gave no sign of life"]
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED


def test_the_command_with_dry_run_lists_what_it_would_delete_and_deletes_nothing(importer: Any) -> None:
    preview = services.sheet_preview(actor=importer, kind="activities", upload=sheet(valid=True))
    Job.objects.filter(pk=preview.pk).update(created_at=timezone.now() - RETENTION - dt.timedelta(days=1))
    out = io.StringIO()

    call_command("cleanup", "--dry-run", stdout=out)

    assert out.getvalue().splitlines() == [
        f"job {preview.pk}: preview never confirmed, upload deleted",
        "1 item(s) would be cleaned up (retention 7 days).",
    ]
    assert Job.objects.get(pk=preview.pk).status == Job.Status.PREVIEW
    assert stored(preview.input_file.name)

    call_command("cleanup", stdout=io.StringIO())

    assert Job.objects.get(pk=preview.pk).status == Job.Status.FAILED
    assert not stored(preview.input_file.name)


def test_the_retention_and_the_stale_job_limit_come_from_the_environment(tmp_path: Any) -> None:
    environment = {
        **os.environ,
        "PYTHONPATH": str(Path(presence.__file__).resolve().parents[1]),
        "DJANGO_SETTINGS_MODULE": "presence.settings",
        "PRESENCE_DATA_DIR": str(tmp_path),
        "UPLOAD_RETENTION_DAYS": "30",
        "JOB_STALE_AFTER_MINUTES": "45",
    }
    show = (
        "from django.conf import settings; "
        "print(settings.UPLOAD_RETENTION_DAYS, settings.JOB_STALE_AFTER_MINUTES)"
    )

    shown = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "presence", "shell", "-c", show],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    assert shown.stdout.splitlines()[-1].split() == ["30", "45"]
