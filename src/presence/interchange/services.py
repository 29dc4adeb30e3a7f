"""Writes of interchange: starting, running and confirming jobs (IATI import/export, spreadsheet imports)."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.core.services import Actor, tracked_create
from presence.interchange import sheets
from presence.interchange.iati.importer import iati_import
from presence.interchange.iati.safety import FileRefused
from presence.interchange.iati.writer import write_activities
from presence.interchange.models import Job
from presence.interchange.progress import ProgressReporter, remove_progress
from presence.interchange.selectors import export_projects
from presence.org.models import Office

MAX_UPLOAD = 512 * 1024 * 1024

logger = logging.getLogger(__name__)


def _log(job: Job, line: str) -> None:
    job.log = f"{job.log}{line}\n"
    Job.objects.filter(pk=job.pk).update(log=job.log)


def _user(actor: Actor) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def job_create(
    *, actor: Actor, kind: str, options: dict[str, Any], upload: Any = None, sheet_kind: str = ""
) -> Job:
    if upload is not None and getattr(upload, "size", 0) > MAX_UPLOAD:
        raise ValidationError({"file": _("The file is larger than 512 MB.")})
    job = tracked_create(
        model=Job,
        actor=actor,
        data={
            "kind": kind,
            "options": options,
            "sheet_kind": sheet_kind,
            "input_name": getattr(upload, "name", ""),
        },
    )
    if upload is not None:
        job.input_file.save(Path(upload.name).name, upload, save=False)
        Job.objects.filter(pk=job.pk).update(input_file=job.input_file.name)
    return job


def _begin(job: Job) -> bool:
    """Claim a queued job for this run (a conditional update): False when it is not queued any more."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now
    )
    if claimed:
        job.status, job.started_at, job.heartbeat_at = Job.Status.RUNNING, now, now
    return bool(claimed)


def _finish(
    job: Job,
    status: str,
    *,
    error: str = "",
    summary: dict[str, Any] | None = None,
    progress: tuple[int, int | None] | None = None,
) -> None:
    """Record the outcome (and the final progress) on the row, then drop the live progress."""
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    if summary is not None:
        job.summary = summary
    if progress is not None:
        job.progress, job.total = progress
    Job.objects.filter(pk=job.pk).update(
        status=job.status,
        error=job.error,
        finished_at=job.finished_at,
        summary=job.summary,
        log=job.log,
        progress=job.progress,
        total=job.total,
    )
    remove_progress(job.pk)


def _stopped(job: Job, error: BaseException, progress: tuple[int, int | None] | None = None) -> None:
    """A job that stopped on an unexpected error ends as failed, with the error as its reason."""
    reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    _log(job, reason)
    _finish(
        job, Job.Status.FAILED, error=_("The job stopped: %(error)s") % {"error": reason}, progress=progress
    )


def job_run(*, job: Job) -> Job:
    """Run a queued job; a failure of any kind ends it as failed with its reason, never half-applied.

    A job that is not queued any more (run already, or being run by another worker) is left alone.
    """
    if not _begin(job):
        job.refresh_from_db()
        return job
    actor = job.created_by
    # Live progress goes outside the import's transaction (progress.py), so other servers see it.
    reporter = ProgressReporter(job.pk)
    try:
        if job.kind == Job.Kind.IATI_IMPORT:
            _run_iati_import(job, actor, reporter)
        elif job.kind == Job.Kind.IATI_EXPORT:
            _run_iati_export(job, actor, reporter)
        else:
            raise ValueError(f"Job kind {job.kind} does not run in the background.")
    except FileRefused as error:
        _log(job, str(error))
        _finish(
            job,
            Job.Status.FAILED,
            error=str(error),
            summary={"refused": str(error), "exit_code": 2},
            progress=reporter.last,
        )
    except BaseException as error:  # also a worker stopped inside the task: never "running" forever
        _stopped(job, error, reporter.last)
        raise
    return job


def _stale(now: dt.datetime) -> QuerySet[Job]:
    cutoff = now - dt.timedelta(minutes=settings.JOB_STALE_AFTER_MINUTES)
    return Job.objects.filter(status__in=(Job.Status.RUNNING, Job.Status.APPLYING)).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )


def jobs_fail_stale(*, now: dt.datetime | None = None) -> int:
    """Mark failed the running jobs that gave no sign of life for JOB_STALE_AFTER_MINUTES (worker died).

    Returns how many jobs were marked.
    """
    now = now or timezone.now()
    reason = _("The job stopped: no progress for %(n)d minutes (its worker stopped).") % {
        "n": settings.JOB_STALE_AFTER_MINUTES
    }
    marked = 0
    for pk in list(_stale(now).values_list("pk", flat=True)):
        # Conditional per job: one that reported or finished meanwhile keeps going or keeps its outcome.
        marked += _stale(now).filter(pk=pk).update(status=Job.Status.FAILED, error=reason, finished_at=now)
        remove_progress(pk)
    return marked


def jobs_cleanup(*, now: dt.datetime, older_than: dt.datetime, dry_run: bool = False) -> list[str]:
    """Expire what jobs left behind (`presence cleanup`); one line per job handled.

    Jobs whose worker died are marked failed; previews never confirmed since `older_than` expire
    (failed, their upload deleted); failed jobs that ended before `older_than` lose their files.
    Finished imports keep their upload and exports their result.
    """
    lines = [
        _("job %(id)d: stopped, its worker gave no sign of life") % {"id": pk}
        for pk in _stale(now).values_list("pk", flat=True)
    ]
    if not dry_run:
        jobs_fail_stale(now=now)
    expired = Job.objects.filter(status=Job.Status.PREVIEW, created_at__lt=older_than)
    for job in expired:
        lines.append(_("job %(id)d: preview never confirmed, upload deleted") % {"id": job.pk})
        if dry_run:
            continue
        reason = _("The preview expired without confirmation; upload the file again.")
        if Job.objects.filter(pk=job.pk, status=Job.Status.PREVIEW).update(
            status=Job.Status.FAILED, error=reason, finished_at=now
        ):
            _delete_files(job)
    failed = Job.objects.filter(status=Job.Status.FAILED, finished_at__lt=older_than).exclude(
        input_file="", result_file=""
    )
    for job in failed:
        lines.append(_("job %(id)d: failed, its files deleted") % {"id": job.pk})
        if not dry_run:
            _delete_files(job)
    return lines


def _delete_files(job: Job) -> None:
    for field in (job.input_file, job.result_file):
        if field.name:
            field.storage.delete(field.name)
    Job.objects.filter(pk=job.pk).update(input_file="", result_file="")


def _run_iati_import(job: Job, actor: Any, reporter: ProgressReporter) -> None:
    office = None
    if job.options.get("office"):
        office = Office.objects.filter(code=job.options["office"]).first()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.xml"
        with job.input_file.open("rb") as source, path.open("wb") as target:
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                target.write(chunk)
        summary = iati_import(
            actor=actor,
            path=path,
            dry_run=bool(job.options.get("dry_run")),
            strict=bool(job.options.get("strict")),
            office=office,
            source=job.input_name,
            progress=reporter,
        )
    for rejection in summary.rejections:
        _log(job, _("rejected %(r)s") % {"r": rejection})
    _log(job, summary.line())
    status = Job.Status.PARTIAL if summary.rejected else Job.Status.DONE
    _finish(job, status, summary=summary.as_dict(), progress=(summary.done, summary.total))


def _run_iati_export(job: Job, actor: Any, reporter: ProgressReporter) -> None:
    filters = {k: v for k, v in job.options.items() if v not in (None, "")}
    projects = export_projects(user=actor, **filters)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xml"
        notes: list[str] = []
        written = write_activities(projects, path, progress=reporter, notes=notes)
        # The result file is attached only once the whole file is written.
        job.result_file.save(f"iati-activities-{job.pk}.xml", ContentFile(path.read_bytes()), save=False)
    Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name)
    for note in notes[:500]:
        _log(job, note)
    _log(job, _("Wrote %(n)d activities.") % {"n": written})
    _finish(
        job,
        Job.Status.DONE,
        summary={"activities": written, "notes": notes[:500]},
        progress=(written, written),
    )


def sheet_preview(*, actor: Actor, kind: str, upload: Any) -> Job:
    """Check an upload and keep its preview on a job; only a file without errors is stored (to confirm).

    A file refused outright (too large, not a workbook, beyond the limits) raises ValidationError and
    leaves nothing behind; a file with errors gets a failed job listing them, without the file.
    """
    spec = sheets.REGISTRY.get(kind)
    if spec is None:
        raise ValidationError({"kind": _("There is no spreadsheet template %(kind)r.") % {"kind": kind}})
    size = getattr(upload, "size", 0) or 0
    if size > sheets.MAX_FILE_BYTES:
        raise ValidationError(
            {
                "file": _("The file is %(size).1f MB; a spreadsheet may be at most %(limit)d MB.")
                % {"size": size / 1024 / 1024, "limit": sheets.MAX_FILE_BYTES // 1024 // 1024}
            }
        )
    content = upload.read()
    upload.seek(0)
    result = sheets.preview(actor=actor, kind=spec, content=content, filename=upload.name)
    job = job_create(
        actor=actor,
        kind=Job.Kind.SHEET_IMPORT,
        options={},
        upload=upload if result.is_valid else None,
        sheet_kind=kind,
    )
    if not result.is_valid:
        job.input_name = getattr(upload, "name", "")
        Job.objects.filter(pk=job.pk).update(input_name=job.input_name)
    status = Job.Status.PREVIEW if result.is_valid else Job.Status.FAILED
    error = (
        ""
        if result.is_valid
        else _("The file has %(n)d errors; nothing was imported.") % {"n": len(result.errors)}
    )
    job.total = len(result.rows)
    Job.objects.filter(pk=job.pk).update(total=job.total)
    _finish(job, status, error=error, summary=result.as_dict())
    if status == Job.Status.PREVIEW:
        job.finished_at = None
        Job.objects.filter(pk=job.pk).update(finished_at=None)
    return job


def sheet_confirm(*, actor: Actor, job: Job) -> Job:
    """Apply a previewed spreadsheet once, in one transaction; on any error nothing is applied.

    The job moves from "preview" to "applying" by a conditional update, so of two confirmations of
    the same job (double click, two tabs, two servers) exactly one applies it; the other is refused.
    Whatever stops the apply, the job ends as failed with the reason.
    """
    if job.kind != Job.Kind.SHEET_IMPORT:
        raise ValidationError({"job": _("Only a previewed spreadsheet without errors can be confirmed.")})
    now = timezone.now()
    claimed = Job.objects.filter(pk=job.pk, kind=Job.Kind.SHEET_IMPORT, status=Job.Status.PREVIEW).update(
        status=Job.Status.APPLYING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        job.refresh_from_db()
        raise ValidationError(
            {
                "job": _(
                    "This job is %(status)s: only a previewed spreadsheet without errors can be "
                    "confirmed, and only once."
                )
                % {"status": job.get_status_display()}
            }
        )
    job.status, job.started_at, job.heartbeat_at = Job.Status.APPLYING, now, now
    spec = sheets.REGISTRY[job.sheet_kind]
    # Progress (and the heartbeat on PostgreSQL) outside the apply's transaction, as an import's.
    reporter = ProgressReporter(job.pk)
    try:
        with job.input_file.open("rb") as handle:
            content = handle.read()
        result = sheets.apply(
            actor=actor, kind=spec, content=content, filename=job.input_name, record=job, progress=reporter
        )
    except ValidationError as error:
        message = " ".join(error.messages)
        _log(job, message)
        _finish(job, Job.Status.FAILED, error=message, progress=_reached(reporter))
        return job
    except Exception as error:
        logger.exception("Spreadsheet job %s stopped", job.pk)
        _stopped(job, error, _reached(reporter))
        return job
    except BaseException as error:
        _stopped(job, error, _reached(reporter))
        raise
    job.progress = len(result.rows)
    Job.objects.filter(pk=job.pk).update(progress=job.progress)
    _log(
        job,
        _("Created %(c)d, updated %(u)d, unchanged %(n)d.")
        % {"c": result.count("create"), "u": result.count("update"), "n": result.count("unchanged")},
    )
    _finish(job, Job.Status.DONE, summary=result.as_dict())
    return job


def _reached(reporter: ProgressReporter) -> tuple[int, int | None] | None:
    """How far an apply got, if it reported at all (else the row keeps its preview's figures)."""
    return reporter.last if reporter.last[1] is not None else None
