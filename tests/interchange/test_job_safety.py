"""Safe import jobs: the preview refuses what the apply would refuse, a job always ends, it applies once."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections, connection
from django.utils import timezone

from presence.core.models import AuditEntry
from presence.interchange import services, sheets
from presence.interchange.iati.importer import iati_import
from presence.interchange.models import Job
from presence.portfolio.models import Budget, Project
from presence.results.models import Activity

from .test_iati_import import activity, document, stored_nothing

HEADER = ["project", "year", "amount", "currency"]


def csv_upload(rows: list[list[Any]], name: str = "b.csv") -> SimpleUploadedFile:
    text = "\n".join(",".join("" if cell is None else str(cell) for cell in row) for row in rows)
    return SimpleUploadedFile(name, text.encode())


def errors_of(job: Job) -> list[tuple[int, str]]:
    return [(error["row"], error["column"]) for error in job.summary["errors"]]


def imports_audited() -> int:
    return AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count()


# --- The preview catches everything the apply would refuse ---------------------------------------------


@pytest.mark.parametrize("year", [0, 99999, 1899, 2101])
def test_a_budget_year_outside_1900_to_2100_is_an_error_of_its_row_in_the_preview(
    importer: Any, project: Project, year: int
) -> None:
    upload = csv_upload([HEADER, ["9RAF10084-04", 2024, 100, "CHF"], ["9RAF10084-04", year, 100, "CHF"]])

    job = services.sheet_preview(actor=importer, kind="budgets", upload=upload)

    assert job.status == Job.Status.FAILED
    assert errors_of(job) == [(3, "year")]
    assert job.summary["errors"][0]["message"] == f"year must be between 1900 and 2100, not {year}."
    assert not job.input_file  # a refused file is not kept
    assert not Budget.objects.exists()


def test_a_negative_budget_is_an_error_of_its_row_in_the_preview(importer: Any, project: Project) -> None:
    upload = csv_upload([HEADER, ["9RAF10084-04", 2024, -5, "CHF"]])

    job = services.sheet_preview(actor=importer, kind="budgets", upload=upload)

    assert job.status == Job.Status.FAILED
    assert errors_of(job) == [(2, "amount")]
    assert "amount must be 0 or more, not -5" in job.summary["errors"][0]["message"]


def test_an_activity_year_0_and_a_project_date_in_year_1_are_errors_in_the_preview(
    importer: Any, project: Project
) -> None:
    activities = csv_upload(
        [
            ["year", "code", "title", "level", "responsible_office", "status"],
            [0, "A1", "Training", Activity.Level.values[0], "dakar", Activity.Status.values[0]],
        ]
    )
    projects = csv_upload(
        [
            ["code", "title", "status", "planned_start", "planned_end", "region", "lead_office"],
            ["9RAF1-01", "Schools", "implementation", "0001-01-01", "2025-12-31", "AFR", "dakar"],
        ]
    )

    activity_job = services.sheet_preview(actor=importer, kind="activities", upload=activities)
    project_job = services.sheet_preview(actor=importer, kind="projects", upload=projects)

    assert errors_of(activity_job) == [(2, "year")]
    assert errors_of(project_job) == [(2, "planned_start")]
    assert "between 1900 and 2100, not 0001-01-01" in project_job.summary["errors"][0]["message"]


def test_a_value_only_the_model_refuses_is_an_error_of_its_row_and_field_in_the_preview(
    importer: Any, project: Project
) -> None:
    # No column rule knows the amount's decimal places: the model's validation (through the service) does.
    upload = csv_upload([HEADER, ["9RAF10084-04", 2024, "100.125", "CHF"]])

    job = services.sheet_preview(actor=importer, kind="budgets", upload=upload)

    assert job.status == Job.Status.FAILED
    assert errors_of(job) == [(2, "amount")]
    assert "2 decimal places" in job.summary["errors"][0]["message"]
    assert not Budget.objects.exists()
    assert not AuditEntry.objects.filter(object_repr__contains="2024").exists()  # the trial left nothing


def test_a_preview_without_errors_writes_nothing(importer: Any, project: Project) -> None:
    before = AuditEntry.objects.count()

    job = services.sheet_preview(
        actor=importer, kind="budgets", upload=csv_upload([HEADER, ["9RAF10084-04", 2024, 100, "CHF"]])
    )

    assert job.status == Job.Status.PREVIEW
    assert not Budget.objects.exists()
    assert AuditEntry.objects.count() == before + 1  # the job's own creation only


@pytest.mark.parametrize(("where", "date"), [("activity-date", "0001-01-01"), ("period-start", "9999-01-01")])
def test_an_iati_activity_with_a_year_outside_1900_to_2100_is_rejected_with_its_line(
    importer: Any, write_xml: Any, where: str, date: str
) -> None:
    text = activity("XM-DAC-41303-Y")
    if where == "activity-date":
        text = text.replace(
            'iso-date="2024-01-01"/>\n    <activity-date type="3"',
            f'iso-date="{date}"/>\n    <activity-date type="3"',
        )
    else:
        text = text.replace('<period-start iso-date="2024-01-01"/>', f'<period-start iso-date="{date}"/>')
    assert date in text

    summary = iati_import(actor=importer, path=write_xml(document(text)))

    assert (summary.rejected, summary.exit_code) == (1, 1)
    assert f"{date} is outside the years 1900 to 2100 at line" in summary.rejections[0].message
    assert stored_nothing()


# --- A job always ends ------------------------------------------------------------------------------------


def test_an_unexpected_error_in_the_apply_ends_the_job_failed_with_its_reason(
    importer: Any, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = services.sheet_preview(
        actor=importer, kind="budgets", upload=csv_upload([HEADER, ["9RAF10084-04", 2024, 100, "CHF"]])
    )

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(sheets, "audit_record", broken)

    services.sheet_confirm(actor=importer, job=job)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "The job stopped: RuntimeError: audit store unavailable"
    assert job.finished_at is not None
    assert not Budget.objects.exists()


def test_a_missing_upload_ends_the_confirmed_job_failed(importer: Any, project: Project) -> None:
    job = services.sheet_preview(
        actor=importer, kind="budgets", upload=csv_upload([HEADER, ["9RAF10084-04", 2024, 100, "CHF"]])
    )
    job.input_file.storage.delete(job.input_file.name)

    services.sheet_confirm(actor=importer, job=job)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error.startswith("The job stopped: FileNotFoundError")


def test_a_worker_stopped_inside_the_task_leaves_the_job_failed_not_running(
    importer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload = SimpleUploadedFile("p.xml", document(activity()).encode())
    job = services.job_create(actor=importer, kind=Job.Kind.IATI_IMPORT, options={}, upload=upload)

    def interrupted(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(services, "_run_iati_import", interrupted)

    with pytest.raises(KeyboardInterrupt):
        services.job_run(job=job)

    job.refresh_from_db()
    assert (job.status, job.error) == (Job.Status.FAILED, "The job stopped: KeyboardInterrupt")


def test_running_jobs_silent_for_longer_than_the_timeout_are_marked_failed(importer: Any) -> None:
    now = timezone.now()
    silent = now - dt.timedelta(minutes=settings.JOB_STALE_AFTER_MINUTES + 1)
    recent = now - dt.timedelta(minutes=1)

    def job(status: str, heartbeat: dt.datetime | None, started: dt.datetime) -> Job:
        made = services.job_create(actor=importer, kind=Job.Kind.IATI_EXPORT, options={})
        Job.objects.filter(pk=made.pk).update(status=status, heartbeat_at=heartbeat, started_at=started)
        return made

    dead = job(Job.Status.RUNNING, silent, silent)
    dead_apply = job(Job.Status.APPLYING, None, silent)
    alive = job(Job.Status.RUNNING, recent, silent)  # started long ago, reported a minute ago
    waiting = job(Job.Status.PREVIEW, None, silent)

    assert services.jobs_fail_stale(now=now) == 2

    states = dict(Job.objects.values_list("pk", "status"))
    assert states == {
        dead.pk: Job.Status.FAILED,
        dead_apply.pk: Job.Status.FAILED,
        alive.pk: Job.Status.RUNNING,
        waiting.pk: Job.Status.PREVIEW,
    }
    assert "no progress for" in Job.objects.get(pk=dead.pk).error


def test_a_job_that_is_not_queued_any_more_is_not_run_again(
    importer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = services.job_create(actor=importer, kind=Job.Kind.IATI_EXPORT, options={})
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)  # another worker has it
    ran: list[Any] = []
    monkeypatch.setattr(services, "_run_iati_export", lambda *args: ran.append(args))

    services.job_run(job=job)

    assert ran == []
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING


# --- Confirming applies once --------------------------------------------------------------------------------


def test_a_second_confirm_of_the_same_job_is_refused_and_applies_nothing(
    importer: Any, project: Project
) -> None:
    job = services.sheet_preview(
        actor=importer, kind="budgets", upload=csv_upload([HEADER, ["9RAF10084-04", 2024, 100, "CHF"]])
    )
    stale_copy = Job.objects.get(pk=job.pk)  # as a second tab or server loaded it

    services.sheet_confirm(actor=importer, job=job)
    with pytest.raises(ValidationError) as refused:
        services.sheet_confirm(actor=importer, job=stale_copy)

    assert "This job is Done" in refused.value.message_dict["job"][0]
    assert Budget.objects.count() == 1
    assert imports_audited() == 1


def test_a_second_confirm_through_the_api_answers_422(importer: Any, project: Project, login: Any) -> None:
    client = login(importer)
    job = services.sheet_preview(
        actor=importer, kind="budgets", upload=csv_upload([HEADER, ["9RAF10084-04", 2024, 100, "CHF"]])
    )

    first = client.post(f"/api/interchange/jobs/{job.pk}/confirm")
    second = client.post(f"/api/interchange/jobs/{job.pk}/confirm")

    assert (first.status_code, first.json()["status"]) == (200, "done")
    assert second.status_code == 422
    assert Budget.objects.count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="parallel confirmations need PostgreSQL (SQLite has one writer)"
)
@pytest.mark.django_db(transaction=True, databases=["default", "progress"])
def test_ten_parallel_confirms_of_one_job_apply_it_once(importer: Any, project: Project) -> None:
    job = services.sheet_preview(
        actor=importer, kind="budgets", upload=csv_upload([HEADER, ["9RAF10084-04", 2024, 100, "CHF"]])
    )
    start = threading.Barrier(10)
    outcomes: list[str] = []

    def confirm() -> None:
        try:
            start.wait()
            services.sheet_confirm(actor=importer, job=Job.objects.get(pk=job.pk))
            outcomes.append("applied")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["applied"] + ["refused"] * 9
    assert Budget.objects.count() == 1
    assert Budget.objects.get().amount == Decimal(100)
    assert imports_audited() == 1
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE
