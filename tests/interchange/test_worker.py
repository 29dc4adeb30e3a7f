"""Jobs queued in the database (django-tasks-db) wait for a worker, which runs them to completion."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from presence.interchange import services, tasks
from presence.interchange.models import Job
from presence.portfolio.models import Project

from .test_iati_import import activity, document

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _keep_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker closes connections it thinks are stale between tasks; inside a test's transaction
    that would close the test's own connection (PostgreSQL; SQLite in memory ignores it)."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


@override_settings(TASKS=DATABASE_QUEUE)
def test_with_the_database_backend_a_job_waits_queued_until_a_worker_runs_it(importer: Any) -> None:
    upload = SimpleUploadedFile("p.xml", document(activity(), activity("XM-DAC-41303-P2")).encode())
    job = services.job_create(actor=importer, kind=Job.Kind.IATI_IMPORT, options={}, upload=upload)

    tasks.job_start(job=job)

    job.refresh_from_db()
    queued = DBTaskResult.objects.get()
    assert (job.status, queued.status) == (Job.Status.QUEUED, TaskResultStatus.READY)
    assert not Project.objects.exists()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL
    assert (job.status, job.progress, job.total, job.summary["created"]) == (Job.Status.DONE, 2, 2, 2)
    assert Project.objects.count() == 2


@override_settings(TASKS=DATABASE_QUEUE)
def test_a_queued_export_is_written_by_the_worker(importer: Any) -> None:
    job = services.job_create(actor=importer, kind=Job.Kind.IATI_EXPORT, options={"region": "AFR"})
    tasks.job_start(job=job)
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result_file.name.endswith(".xml")
