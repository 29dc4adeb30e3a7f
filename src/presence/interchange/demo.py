"""Demo jobs, so the import and export page is not empty: an IATI export of AFR, a spreadsheet preview.

Idempotent: the demo jobs carry `options["demo"]` and are made only when none exists. The export runs
inline (whatever the task backend), the spreadsheet stays in preview, so the portfolio is unchanged.
"""

from __future__ import annotations

from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from presence.interchange import services
from presence.interchange.models import Job
from presence.portfolio.models import Budget, Project

DEMO_USER = "admin"
PREVIEW_YEAR = 2027


def _budget_sheet() -> bytes:
    """Two budget rows for AFR demo projects: one for a new year, one repeating a budget (unchanged)."""
    lines = ["project,year,amount,currency"]
    projects = list(Project.objects.filter(region__code="AFR").order_by("code")[:2])
    if projects:
        lines.append(f"{projects[0].code},{PREVIEW_YEAR},250000,CHF")
    budget = Budget.objects.filter(project__region__code="AFR").order_by("project__code", "year").first()
    if budget is not None:
        lines.append(f"{budget.project.code},{budget.year},{budget.amount},{budget.currency}")
    return ("\n".join(lines) + "\n").encode()


def load(*, stdout: TextIO | None = None) -> None:
    if Job.objects.filter(options__demo=True).exists():
        return
    user: Any = get_user_model().objects.filter(username=DEMO_USER).first()
    if user is None:
        return
    export = services.job_create(
        actor=user, kind=Job.Kind.IATI_EXPORT, options={"region": "AFR", "demo": True}
    )
    services.job_run(job=export)
    preview = services.sheet_preview(
        actor=user, kind="budgets", upload=SimpleUploadedFile("afr-budgets.csv", _budget_sheet())
    )
    Job.objects.filter(pk=preview.pk).update(options={"demo": True})
    if stdout is not None:
        stdout.write("Demo jobs: an IATI export of AFR and a budget spreadsheet waiting for confirmation.\n")
