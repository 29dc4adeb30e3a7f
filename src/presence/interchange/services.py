"""Writes of interchange: starting, running and confirming jobs (IATI import/export, spreadsheet imports)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.core.services import Actor, tracked_create
from presence.interchange import sheets
from presence.interchange.iati.importer import iati_import
from presence.interchange.iati.safety import FileRefused
from presence.interchange.iati.writer import write_activities
from presence.interchange.models import Job
from presence.interchange.progress import ProgressFile, remove_progress
from presence.interchange.selectors import export_projects
from presence.org.models import Office

MAX_UPLOAD = 512 * 1024 * 1024


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


def job_start(*, job: Job) -> None:
    """Queue the job (the immediate backend runs it now, a worker backend later).

    Called after `job_create` has committed, so a worker always finds the job and its file.
    """
    from presence.interchange.tasks import run_job

    run_job.enqueue(job.pk)


def _begin(job: Job) -> None:
    job.status = Job.Status.RUNNING
    job.started_at = timezone.now()
    Job.objects.filter(pk=job.pk).update(status=job.status, started_at=job.started_at)


def _finish(
    job: Job,
    status: str,
    *,
    error: str = "",
    summary: dict[str, Any] | None = None,
    progress: tuple[int, int | None] | None = None,
) -> None:
    """Record the outcome (and the final progress) on the row, then drop the live progress sidecar."""
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


def job_run(*, job: Job) -> Job:
    """Run a queued job; a failure is recorded on the job with its reason, never half-applied."""
    _begin(job)
    actor = job.created_by
    # Live progress goes to a sidecar file: the import's transaction would hide it on the row.
    reporter = ProgressFile(job.pk)
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
    except Exception as error:
        _log(job, f"{type(error).__name__}: {error}")
        _finish(
            job,
            Job.Status.FAILED,
            error=_("The job stopped: %(error)s") % {"error": error},
            progress=reporter.last,
        )
        raise
    return job


def _run_iati_import(job: Job, actor: Any, reporter: ProgressFile) -> None:
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
            office=office,
            source=job.input_name,
            progress=reporter,
        )
    for rejection in summary.rejections:
        _log(job, _("rejected %(r)s") % {"r": rejection})
    _log(job, summary.line())
    status = Job.Status.PARTIAL if summary.rejected else Job.Status.DONE
    _finish(job, status, summary=summary.as_dict(), progress=(summary.done, summary.total))


def _run_iati_export(job: Job, actor: Any, reporter: ProgressFile) -> None:
    filters = {k: v for k, v in job.options.items() if v not in (None, "")}
    projects = export_projects(user=actor, **filters)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xml"
        written = write_activities(projects, path, progress=reporter)
        # The result file is attached only once the whole file is written.
        job.result_file.save(f"iati-activities-{job.pk}.xml", ContentFile(path.read_bytes()), save=False)
    Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name)
    _log(job, _("Wrote %(n)d activities.") % {"n": written})
    _finish(job, Job.Status.DONE, summary={"activities": written}, progress=(written, written))


def sheet_preview(*, actor: Actor, kind: str, upload: Any) -> Job:
    """Store the upload and its preview on a job waiting for confirmation."""
    spec = sheets.REGISTRY.get(kind)
    if spec is None:
        raise ValidationError({"kind": _("There is no spreadsheet template %(kind)r.") % {"kind": kind}})
    content = upload.read()
    upload.seek(0)
    result = sheets.preview(actor=actor, kind=spec, content=content, filename=upload.name)
    job = job_create(actor=actor, kind=Job.Kind.SHEET_IMPORT, options={}, upload=upload, sheet_kind=kind)
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
    """Apply a previewed spreadsheet in one transaction; on any error nothing is applied, the job says why."""
    if job.kind != Job.Kind.SHEET_IMPORT or job.status != Job.Status.PREVIEW:
        raise ValidationError({"job": _("Only a previewed spreadsheet without errors can be confirmed.")})
    spec = sheets.REGISTRY[job.sheet_kind]
    with job.input_file.open("rb") as handle:
        content = handle.read()
    _begin(job)
    try:
        result = sheets.apply(actor=actor, kind=spec, content=content, filename=job.input_name, record=job)
    except ValidationError as error:
        message = " ".join(error.messages)
        _log(job, message)
        _finish(job, Job.Status.FAILED, error=message)
        return job
    job.progress = len(result.rows)
    Job.objects.filter(pk=job.pk).update(progress=job.progress)
    _log(
        job,
        _("Created %(c)d, updated %(u)d, unchanged %(n)d.")
        % {"c": result.count("create"), "u": result.count("update"), "n": result.count("unchanged")},
    )
    _finish(job, Job.Status.DONE, summary=result.as_dict())
    return job
