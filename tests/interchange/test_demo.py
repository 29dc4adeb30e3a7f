"""Demo data: a finished IATI export of AFR and a spreadsheet preview; loading twice changes nothing."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from presence.interchange.models import Job
from presence.portfolio.models import Budget


def test_demo_adds_a_finished_export_and_a_preview_once(demo: None) -> None:
    # `demo` is the demo command's work on the empty database (tests/demo_db.py): load it once more.
    budgets = Budget.objects.count()
    call_command("demo", stdout=StringIO())

    jobs = {job.kind: job for job in Job.objects.all()}
    assert len(jobs) == Job.objects.count() == 2
    export, preview = jobs[Job.Kind.IATI_EXPORT], jobs[Job.Kind.SHEET_IMPORT]
    assert (export.status, export.created_by.username) == (Job.Status.DONE, "admin")
    assert export.summary["activities"] > 0
    assert export.result_file.name.endswith(".xml")
    assert preview.status == Job.Status.PREVIEW
    assert (preview.summary["create"], preview.summary["unchanged"], preview.summary["errors"]) == (1, 1, [])
    assert Budget.objects.count() == budgets
