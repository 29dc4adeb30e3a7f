"""Live job progress: kept in a sidecar file outside the import's one database transaction."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from presence.interchange import services
from presence.interchange.iati.importer import iati_import
from presence.interchange.models import Job
from presence.interchange.progress import ProgressFile, read_progress, sidecar_path

from .test_iati_import import activity, document, stored_nothing


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

    class Watched(ProgressFile):
        def __init__(self, job_id: int) -> None:
            super().__init__(job_id, interval=0)
            self.job_id = job_id

        def report(self, done: int, total: int | None) -> None:
            super().report(done, total)
            row = Job.objects.values("status", "progress", "total").get(pk=self.job_id)
            api = client.get(f"/api/interchange/jobs/{self.job_id}").json()
            page = client.get(reverse("interchange:job-detail", args=[self.job_id])).content.decode()
            seen.append(
                {
                    "in_transaction": connection.in_atomic_block,
                    "row": (row["progress"], row["total"]),
                    "api": (api["status"], api["progress"], api["total"], api["percent"]),
                    "page": f'value="{api["percent"]}"' in page and f"{done} / {total}" in page,
                }
            )

    monkeypatch.setattr(services, "ProgressFile", Watched)
    return seen


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
    # The row itself is not written while the transaction is open: the sidecar carries the progress.
    assert {entry["row"] for entry in watched} == {(0, None)}


def test_after_success_the_sidecar_is_gone_and_the_row_holds_the_final_figures(
    importer: Any, small_batches: None, watched: list[dict[str, Any]]
) -> None:
    job = _job(importer, document(*(activity(f"XM-DAC-41303-L{n}") for n in range(3))))

    services.job_run(job=job)

    job.refresh_from_db()
    assert (job.status, job.progress, job.total, job.percent) == (Job.Status.DONE, 3, 3, 100)
    assert not sidecar_path(job.pk).exists()
    assert read_progress(job.pk) is None


def test_a_failed_import_writes_nothing_removes_the_sidecar_and_keeps_how_far_it_got(
    importer: Any, small_batches: None, watched: list[dict[str, Any]], data_dir: Path
) -> None:
    text = document(*(activity(f"XM-DAC-41303-T{n}") for n in range(5)))
    job = _job(importer, text[: text.rindex("</iati-activity>") + 5])  # truncated in the 5th activity

    services.job_run(job=job)

    assert [entry["api"][:3] for entry in watched] == [("running", 2, 5), ("running", 4, 5)]
    job.refresh_from_db()
    assert (job.status, job.progress, job.total) == (Job.Status.FAILED, 4, 5)
    assert "not well-formed XML" in job.error
    assert stored_nothing()
    assert list((data_dir / "jobs").iterdir()) == []


def test_an_export_reports_through_the_sidecar_and_ends_on_the_row(
    importer: Any, watched: list[dict[str, Any]], data_dir: Path
) -> None:
    services.job_run(job=_job(importer, document(activity(), activity("XM-DAC-41303-P2"))))
    export = services.job_create(actor=importer, kind=Job.Kind.IATI_EXPORT, options={})

    services.job_run(job=export)

    export.refresh_from_db()
    assert watched[-1]["api"] == ("running", 2, 2, 100)
    assert (export.status, export.progress, export.total) == (Job.Status.DONE, 2, 2)
    assert list((data_dir / "jobs").iterdir()) == []


def test_the_page_and_api_show_a_running_jobs_sidecar_and_ignore_it_once_finished(
    importer: Any, login: Any
) -> None:
    job = _job(importer, document(activity()))
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    ProgressFile(job.pk).report(3, 10)
    client = login(importer)

    detail = client.get(f"/api/interchange/jobs/{job.pk}").json()
    listed = client.get("/api/interchange/jobs").json()["items"][0]
    page = client.get(reverse("interchange:job-detail", args=[job.pk])).content.decode()

    assert (detail["progress"], detail["total"], detail["percent"]) == (3, 10, 30)
    assert (listed["progress"], listed["total"], listed["percent"]) == (3, 10, 30)
    assert 'value="30"' in page
    assert "3 / 10" in page

    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, progress=10, total=10)  # a stale sidecar
    assert client.get(f"/api/interchange/jobs/{job.pk}").json()["progress"] == 10


def test_the_sidecar_is_replaced_whole_at_most_every_interval_and_always_at_the_end(
    data_dir: Path,
) -> None:
    now = [0.0]
    reporter = ProgressFile(7, interval=0.5, clock=lambda: now[0])
    written: list[Any] = []

    for at, done in ((0.0, 1), (0.2, 2), (0.4, 3), (0.6, 4), (0.7, 5), (0.8, 10)):
        now[0] = at
        reporter.report(done, 10)
        written.append(json.loads(sidecar_path(7).read_text())["progress"])

    assert written == [1, 1, 1, 4, 4, 10]
    assert reporter.last == (10, 10)
    assert [p.name for p in (data_dir / "jobs").iterdir()] == ["7.progress"]  # no temporary files left
    reporter.remove()
    assert read_progress(7) is None


def test_an_unreadable_sidecar_counts_as_none(data_dir: Path) -> None:
    sidecar_path(8).parent.mkdir(parents=True)
    sidecar_path(8).write_text("{not json")

    assert read_progress(8) is None
