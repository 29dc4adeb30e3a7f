"""API for import and export jobs: IATI upload and export, spreadsheet preview and confirm, job progress.

Same rules as the pages: users see their own jobs (administrators everybody's), importing needs the
right to add projects somewhere, exports contain only the projects the user may view, and each row of
a spreadsheet is checked against the uploader's scope. Starting a job answers 202 with the job; poll
`GET /jobs/{id}` for its progress and fetch `GET /jobs/{id}/result` when it is done.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from presence.core.api import LimitOffsetPagination
from presence.core.errors import AccessDenied
from presence.core.selectors import get_or_404
from presence.core.years import Year
from presence.interchange import selectors, services, sheets, tasks
from presence.interchange.models import Job
from presence.interchange.progress import with_live_progress
from presence.org.access import Action, can_anywhere
from presence.org.models import Office
from presence.portfolio.models import Project

router = Router(tags=["interchange"])


class JobOut(Schema):
    id: int
    kind: str
    sheet_kind: str
    status: str
    progress: int
    total: int | None
    percent: int
    is_finished: bool
    options: dict[str, Any]
    summary: dict[str, Any]
    error: str
    log: str
    input_name: str
    result: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    # A running job's live progress (progress.py: on its row through a second connection, or the cache).
    @staticmethod
    def resolve_progress(obj: Job) -> int:
        return with_live_progress(obj).progress

    @staticmethod
    def resolve_total(obj: Job) -> int | None:
        return with_live_progress(obj).total

    @staticmethod
    def resolve_percent(obj: Job) -> int:
        return with_live_progress(obj).percent

    @staticmethod
    def resolve_result(obj: Job) -> str | None:
        return reverse("api:interchange_job_result", args=[obj.pk]) if obj.result_file else None


class ExportIn(Schema):
    region: str = ""
    office: str = ""
    status: str = ""
    source: str = ""
    partner: int | None = Field(None, ge=1, le=2**31 - 1, description="A partner's id.")
    year: Year | None = None
    initiative: int | None = Field(None, ge=1, le=2**31 - 1, description="A regional initiative's id.")
    priority: str = ""
    q: str = ""


def _job(request: HttpRequest, job_id: int) -> Job:
    return get_or_404(selectors.job_get, user=request.user, pk=job_id)


@router.get("/jobs", response=list[JobOut], url_name="interchange_jobs")
@paginate(LimitOffsetPagination)
def job_list(request: HttpRequest) -> Any:
    """The user's jobs, newest first (administrators: everybody's)."""
    return selectors.job_list(user=request.user)


@router.get("/jobs/{job_id}", response=JobOut, url_name="interchange_job")
def job_detail(request: HttpRequest, job_id: int) -> Job:
    """A job with its status, progress (done of total, percent), log, summary and error."""
    return _job(request, job_id)


@router.get("/jobs/{job_id}/result", url_name="interchange_job_result")
def job_result(request: HttpRequest, job_id: int) -> FileResponse:
    """The file a job wrote (an IATI export)."""
    job = _job(request, job_id)
    return FileResponse(
        selectors.job_result_open(job), as_attachment=True, filename=f"iati-activities-{job.pk}.xml"
    )


@router.post("/iati/import", response={202: JobOut}, url_name="interchange_iati_import")
def iati_import(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    office: Form[str] = "",
    strict: Form[bool] = False,
) -> tuple[int, Job]:
    """Upload an iati-activities file: a job imports it (with `dry_run`, reports what would change).

    Activities that depart from the IATI 2.03 schema are imported with a note per fault; with `strict`
    the job refuses the whole file instead, naming the faults."""
    if not can_anywhere(request.user, Action.ADD, Project):
        raise AccessDenied(_("You are not allowed to add projects, so you cannot import them."))
    if office and not Office.objects.filter(code=office).exists():
        raise ValidationError({"office": _("There is no office %(code)r.") % {"code": office}})
    job = services.job_create(
        actor=request.user,
        kind=Job.Kind.IATI_IMPORT,
        options={"dry_run": dry_run, "office": office, "strict": strict},
        upload=file,
    )
    tasks.job_start(job=job)
    job.refresh_from_db()
    return 202, job


@router.post("/iati/export", response={202: JobOut}, url_name="interchange_iati_export")
def iati_export(request: HttpRequest, payload: ExportIn) -> tuple[int, Job]:
    """Export the projects the user may view, filtered as the project list filters them, as IATI 2.03."""
    options = {name: str(value) for name, value in payload.dict().items() if value not in (None, "")}
    job = services.job_create(actor=request.user, kind=Job.Kind.IATI_EXPORT, options=options)
    tasks.job_start(job=job)
    job.refresh_from_db()
    return 202, job


@router.post("/sheets/{kind}/preview", response={201: JobOut}, url_name="interchange_sheet_preview")
def sheet_preview(request: HttpRequest, kind: str, file: File[UploadedFile]) -> tuple[int, Job]:
    """Upload a filled-in template (XLSX or CSV): a job with every row's action and every error."""
    if kind not in sheets.REGISTRY:
        raise Http404(_("There is no spreadsheet template %(kind)r.") % {"kind": kind})
    if not (file.name or "").lower().endswith((".xlsx", ".csv")):
        raise ValidationError({"file": _("Upload an .xlsx or a .csv file.")})
    return 201, services.sheet_preview(actor=request.user, kind=kind, upload=file)


@router.post("/jobs/{job_id}/confirm", response=JobOut, url_name="interchange_sheet_confirm")
def sheet_confirm(request: HttpRequest, job_id: int) -> Job:
    """Apply a previewed spreadsheet without errors, all rows or none; the job says what happened."""
    return services.sheet_confirm(actor=request.user, job=_job(request, job_id))
