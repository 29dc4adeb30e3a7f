"""Pages: import and export hub, IATI upload and export, spreadsheet templates and uploads, job pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presence.core.exports import XLSX_TYPE
from presence.core.selectors import get_or_404
from presence.interchange import selectors, services, sheets, tasks
from presence.interchange.forms import IatiUploadForm, SheetUploadForm
from presence.interchange.models import Job
from presence.org.access import Action, can_anywhere
from presence.portfolio.models import Project

EXPORT_FILTERS = selectors.EXPORT_FILTERS


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "interchange/index.html",
        {
            "iati_form": IatiUploadForm(),
            "sheet_form": SheetUploadForm(),
            "kinds": sheets.REGISTRY.values(),
            "jobs": selectors.job_list(user=request.user)[:20],
            "can_import": can_anywhere(request.user, Action.ADD, Project),
        },
    )


@login_required
@require_POST
def iati_upload(request: HttpRequest) -> HttpResponse:
    form = IatiUploadForm(request.POST, request.FILES)
    if not can_anywhere(request.user, Action.ADD, Project):
        messages.error(request, _("You are not allowed to add projects, so you cannot import them."))
        return redirect("interchange:index")
    if not form.is_valid():
        return render(
            request,
            "interchange/index.html",
            {
                "iati_form": form,
                "sheet_form": SheetUploadForm(),
                "kinds": sheets.REGISTRY.values(),
                "jobs": selectors.job_list(user=request.user)[:20],
                "can_import": True,
            },
            status=422,
        )
    office = form.cleaned_data.get("office")
    job = services.job_create(
        actor=request.user,
        kind=Job.Kind.IATI_IMPORT,
        options={
            "dry_run": form.cleaned_data["dry_run"],
            "office": office.code if office else "",
            "strict": form.cleaned_data["strict"],
        },
        upload=form.cleaned_data["file"],
    )
    tasks.job_start(job=job)
    return redirect("interchange:job-detail", pk=job.pk)


@login_required
def iati_export(request: HttpRequest) -> HttpResponse:
    """The project list's filters (same query string) as an IATI export job."""
    options = {name: request.GET.get(name, "") for name in EXPORT_FILTERS if request.GET.get(name)}
    if "year" in options:
        try:
            options["year"] = str(int(options["year"]))
        except ValueError:
            messages.error(request, _("The year must be a number, e.g. 2024."))
            return redirect("interchange:index")
    job = services.job_create(actor=request.user, kind=Job.Kind.IATI_EXPORT, options=options)
    tasks.job_start(job=job)
    return redirect("interchange:job-detail", pk=job.pk)


@login_required
def sheet_template(request: HttpRequest, kind: str) -> HttpResponse:
    spec = sheets.REGISTRY.get(kind)
    if spec is None:
        raise Http404(_("There is no such template."))
    response = HttpResponse(sheets.template(spec), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response


@login_required
@require_POST
def sheet_upload(request: HttpRequest) -> HttpResponse:
    form = SheetUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "interchange/index.html",
            {
                "iati_form": IatiUploadForm(),
                "sheet_form": form,
                "kinds": sheets.REGISTRY.values(),
                "jobs": selectors.job_list(user=request.user)[:20],
                "can_import": can_anywhere(request.user, Action.ADD, Project),
            },
            status=422,
        )
    try:
        job = services.sheet_preview(
            actor=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("interchange:index")
    return redirect("interchange:job-detail", pk=job.pk)


@login_required
@require_POST
def sheet_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        services.sheet_confirm(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("interchange:job-detail", pk=job.pk)


def _job(request: HttpRequest, pk: int) -> Job:
    return get_or_404(selectors.job_get, user=request.user, pk=pk)


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "interchange/job_detail.html", {"job": job, "summary": job.summary})


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _job(request, pk)
    return FileResponse(
        selectors.job_result_open(job), as_attachment=True, filename=f"iati-activities-{job.pk}.xml"
    )
