"""Live job progress: published outside the import's one database transaction, never on one server's disk.

On PostgreSQL the figures go through the `progress` database alias (a second connection, autocommit)
onto the Job row; on SQLite, which admits one writer, through the default cache.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse

from presence.interchange import progress, services, sheets
from presence.interchange.iati.importer import iati_import
from presence.interchange.models import Job
from presence.interchange.progress import ProgressReporter, read_progress
from presence.results.models import Activity

from .test_iati_import import activity, document, stored_nothing

ON_POSTGRES = bool(settings.PROGRESS_DATABASE)
LEVEL, STATUS = Activity.Level.values[0], Activity.Status.values[0]
# Through the second connection, the job row must be committed: those tests are transactional there.
live_db = pytest.mark.django_db(
    transaction=ON_POSTGRES, databases=["default", "progress"] if ON_POSTGRES else ["default"]
)


def _job(actor: Any, text: str) -> Job:
    upload = SimpleUploadedFile("p.xml", text.encode())
    return services.job_create(actor=actor, kind=Job.Kind.IATI_IMPORT, options={}, upload=upload)


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "iati_import", functools.partial(iati_import, batch_size=2))


@pytest.fixture
def watched(monkeypatch: pytest.MonkeyPatch, login: Any, importer: Any) -> list[dict[str, Any]]:
    """What a second reader (the API, as the browser polls it) sees each time the import reports."""
    client = login(importer)
    seen: list[dict[str, Any]] = []

    class Watched(ProgressReporter):
        def __init__(self, job_id: int) -> None:
            super().__init__(job_id, interval=0)

        def report(self, done: int, total: int | None) -> None:
            super().report(done, total)
            api = client.get(f"/api/interchange/jobs/{self.job_id}").json()
            page = client.get(reverse("interchange:job-detail", args=[self.job_id])).content.decode()
            seen.append(
                {
                    "in_transaction": connection.in_atomic_block,
                    "api": (api["status"], api["progress"], api["total"], api["percent"]),
                    "page": f'value="{api["percent"]}"' in page and f"{done} / {total}" in page,
                }
            )

    monkeypatch.setattr(services, "ProgressReporter", Watched)
    return seen


@live_db
def test_a_reader_sees_intermediate_progress_while_the_import_transaction_is_open(
    importer: Any, small_batches: None, watched: list[dict[str, Any]]
) -> None:
    job = _job(importer, document(*(activity(f"XM-DAC-41303-L{n}") for n in range(5))))

    services.job_run(job=job)

    assert [entry["api"] for entry in watched] == [
        ("running", 2, 5, 40),
        ("running", 4, 5, 80),
        ("running", 5, 5, 100),
    ]
    assert all(entry["in_transaction"] and entry["page"] for entry in watched)


@pytest.mark.skipif(not ON_POSTGRES, reason="the second database connection is used on PostgreSQL only")
@pytest.mark.django_db(transaction=True, databases=["default", "progress"])
def test_on_postgresql_the_progress_is_committed_on_the_job_row_while_the_import_is_open(
    importer: Any, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = _job(importer, document(*(activity(f"XM-DAC-41303-R{n}") for n in range(4))))
    rows: list[tuple[int, int | None, bool]] = []

    class Peeking(ProgressReporter):
        def __init__(self, job_id: int) -> None:
            super().__init__(job_id, interval=0)

        def report(self, done: int, total: int | None) -> None:
            super().report(done, total)
            # A connection of its own, as another app server would read the row.
            with connections["progress"].cursor() as cursor:
                cursor.execute(
                    "SELECT progress, total, heartbeat_at IS NOT NULL FROM interchange_job WHERE id = %s",
                    [self.job_id],
                )
                rows.append(cursor.fetchone())

    monkeypatch.setattr(services, "ProgressReporter", Peeking)

    services.job_run(job=job)

    assert rows == [(2, 4, True), (4, 4, True)]
    assert read_progress(job.pk) is None  # nothing kept beside the row


@live_db
def test_after_success_the_row_holds_the_final_figures_and_no_live_progress_is_left(
    importer: Any, small_batches: None, watched: list[dict[str, Any]]
) -> None:
    job = _job(importer, document(*(activity(f"XM-DAC-41303-L{n}") for n in range(3))))

    services.job_run(job=job)

    job.refresh_from_db()
    assert (job.status, job.progress, job.total, job.percent) == (Job.Status.DONE, 3, 3, 100)
    assert read_progress(job.pk) is None


@live_db
def test_a_failed_import_writes_nothing_and_keeps_how_far_it_got(
    importer: Any, small_batches: None, watched: list[dict[str, Any]]
) -> None:
    text = document(*(activity(f"XM-DAC-41303-T{n}") for n in range(5)))
    job = _job(importer, text[: text.rindex("</iati-activity>") + 5])  # truncated in the 5th activity

    services.job_run(job=job)

    assert [entry["api"][:3] for entry in watched] == [("running", 2, 5), ("running", 4, 5)]
    job.refresh_from_db()
    assert (job.status, job.progress, job.total) == (Job.Status.FAILED, 4, 5)
    assert "not well-formed XML" in job.error
    assert stored_nothing()
    assert read_progress(job.pk) is None


@live_db
def test_an_export_reports_its_progress_and_ends_on_the_row(
    importer: Any, watched: list[dict[str, Any]]
) -> None:
    services.job_run(job=_job(importer, document(activity(), activity("XM-DAC-41303-P2"))))
    export = services.job_create(actor=importer, kind=Job.Kind.IATI_EXPORT, options={})

    services.job_run(job=export)

    export.refresh_from_db()
    assert watched[-1]["api"] == ("running", 2, 2, 100)
    assert (export.status, export.progress, export.total) == (Job.Status.DONE, 2, 2)


@live_db
def test_a_spreadsheet_apply_reports_its_progress_while_its_transaction_is_open(
    importer: Any, watched: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheets, "PROGRESS_EVERY", 2)
    rows = "\n".join(f"2024,A{n},Training,{LEVEL},dakar,{STATUS}" for n in range(3))
    upload = SimpleUploadedFile("a.csv", f"year,code,title,level,responsible_office,status\n{rows}".encode())
    job = services.sheet_preview(actor=importer, kind="activities", upload=upload)

    services.sheet_confirm(actor=importer, job=job)

    assert [entry["api"] for entry in watched] == [("applying", 2, 3, 67), ("applying", 3, 3, 100)]
    assert all(entry["in_transaction"] for entry in watched)
    job.refresh_from_db()
    assert (job.status, job.progress, job.total) == (Job.Status.DONE, 3, 3)


@live_db
def test_the_page_and_api_show_a_running_jobs_reported_progress_and_the_row_once_finished(
    importer: Any, login: Any
) -> None:
    job = _job(importer, document(activity()))
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    ProgressReporter(job.pk).report(3, 10)
    client = login(importer)

    detail = client.get(f"/api/interchange/jobs/{job.pk}").json()
    listed = client.get("/api/interchange/jobs").json()["items"][0]
    page = client.get(reverse("interchange:job-detail", args=[job.pk])).content.decode()

    assert (detail["progress"], detail["total"], detail["percent"]) == (3, 10, 30)
    assert (listed["progress"], listed["total"], listed["percent"]) == (3, 10, 30)
    assert 'value="30"' in page
    assert "3 / 10" in page

    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, progress=10, total=10)
    assert client.get(f"/api/interchange/jobs/{job.pk}").json()["progress"] == 10


def test_reports_are_written_at_most_every_interval_and_always_at_the_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    written: list[tuple[int, int | None]] = []
    monkeypatch.setattr(progress, "write_progress", lambda job_id, done, total: written.append((done, total)))
    now = [0.0]
    reporter = ProgressReporter(7, interval=0.5, clock=lambda: now[0])

    for at, done in ((0.0, 1), (0.2, 2), (0.4, 3), (0.6, 4), (0.7, 5), (0.8, 10)):
        now[0] = at
        reporter.report(done, 10)

    assert written == [(1, 10), (4, 10), (10, 10)]
    assert reporter.last == (10, 10)


def test_a_failing_report_does_not_stop_the_job(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(job_id: int, done: int, total: int | None) -> None:
        raise OSError("the progress store is down")

    monkeypatch.setattr(progress, "write_progress", broken)
    reporter = ProgressReporter(9, interval=0)

    reporter.report(1, 2)

    assert reporter.last == (1, 2)
