"""Spreadsheets of posts, events and assessment results: preview, apply, errors by row and column, scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from presence.core.models import AuditEntry
from presence.engagement.models import Event
from presence.interchange import services, sheets
from presence.interchange.models import Job
from presence.resilience import services as resilience
from presence.resilience.models import Assessment, RequirementResult
from presence.staffing import services as staffing
from presence.staffing.models import Post

from .test_sheets import csv_bytes, upload, xlsx

FORMATS = pytest.mark.parametrize(
    ("make", "suffix"), [(xlsx, "xlsx"), (csv_bytes, "csv")], ids=["xlsx", "csv"]
)


def header(kind: str) -> list[str]:
    return [column.name for column in sheets.REGISTRY[kind].columns]


def row(sheet: str, **values: Any) -> list[Any]:
    return [values.get(name) for name in header(sheet)]


def preview_and_confirm(actor: Any, kind: str, rows: list[list[Any]], make: Any, suffix: str) -> Job:
    job = services.sheet_preview(
        actor=actor, kind=kind, upload=upload(make([header(kind), *rows]), f"f.{suffix}")
    )
    if job.status == Job.Status.PREVIEW:
        services.sheet_confirm(actor=actor, job=job)
    job.refresh_from_db()
    return job


def errors(job: Job) -> list[tuple[int, str]]:
    return [(e["row"], e["column"]) for e in job.summary["errors"]]


# --- Posts ----------------------------------------------------------------------------------------


@FORMATS
def test_posts_are_created_and_updated_from_a_sheet(
    importer: Any, office: Any, make: Any, suffix: str
) -> None:
    staffing.post_create(
        actor=importer, number="AFR-001", title="Old title", office=office("dakar"), grade="P3"
    )
    rows = [
        row("posts", number="AFR-001", title="Programme officer", office="dakar", grade="P3"),
        row("posts", number="AFR-002", title="Assistant", office="dakar", grade="G5", status="filled",
            incumbent="A. Diallo", start_date="2024-02-01"),
    ]  # fmt: skip

    job = preview_and_confirm(importer, "posts", rows, make, suffix)

    assert (job.status, job.summary["create"], job.summary["update"]) == (Job.Status.DONE, 1, 1)
    assert Post.objects.get(number="AFR-001").title == "Programme officer"
    new = Post.objects.get(number="AFR-002")
    assert (new.category, new.incumbent, new.start_date) == ("GS", "A. Diallo", dt.date(2024, 2, 1))
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT, object_id=str(job.pk)).count() == 1


@FORMATS
def test_post_rows_with_errors_are_reported_by_row_and_column_and_change_nothing(
    reference: None, make_user: Any, office: Any, make: Any, suffix: str
) -> None:
    editor = make_user("afr-editor", ("editor", "AFR"))
    admin = make_user("boss", ("admin",))
    staffing.post_create(actor=admin, number="AFR-001", title="Officer", office=office("dakar"), grade="P3")
    rows = [
        row("posts", number="AFR-001", title="Officer", office="dakar", grade="P4"),
        row("posts", number="AFR-003", title="Analyst", office="dakar", grade="Q9"),
        row("posts", number="ASP-001", title="Analyst", office="bangkok", grade="P2"),
        row(
            "posts",
            number="AFR-004",
            title="Clerk",
            office="dakar",
            grade="G4",
            incumbent="Someone",
            status="filled",
            start_date="2024-01-01",
        ),
        row("posts", number="AFR-005", title="Clerk", office="dakar", grade="G4", start_date="first of May"),
    ]

    job = preview_and_confirm(editor, "posts", rows, make, suffix)

    assert job.status == Job.Status.FAILED
    assert errors(job) == [(2, "grade"), (3, "grade"), (4, "office"), (5, "incumbent"), (6, "start_date")]
    assert Post.objects.count() == 1
    assert Post.objects.get().grade == "P3"


# --- Events ---------------------------------------------------------------------------------------


@FORMATS
def test_events_are_created_then_updated_by_title_date_and_region(
    importer: Any, make: Any, suffix: str
) -> None:
    forum = row("events", title="Regional forum", start_date="2024-05-06", region="AFR", kind="forum",
                end_date="2024-05-08", office="dakar", host_country="SN", city="Dakar",
                participants_total=120, participants_women=50, participants_men=60)  # fmt: skip
    first = preview_and_confirm(importer, "events", [forum], make, suffix)
    forum[header("events").index("participants_total")] = 130
    second = preview_and_confirm(importer, "events", [forum], make, suffix)

    assert (first.summary["create"], second.summary["update"]) == (1, 1)
    event = Event.objects.get()
    assert (event.participants_total, event.host_country.iso2, event.office.code) == (130, "SN", "dakar")


@FORMATS
def test_event_rows_breaking_the_event_rules_or_outside_scope_are_errors(
    reference: None, make_user: Any, make: Any, suffix: str
) -> None:
    editor = make_user("afr-editor", ("editor", "AFR"))
    rows = [
        row("events", title="Backwards", start_date="2024-05-06", region="AFR", kind="forum",
            end_date="2024-05-01"),
        row("events", title="Crowded", start_date="2024-05-06", region="AFR", kind="workshop",
            end_date="2024-05-06", participants_total=10, participants_women=8, participants_men=8),
        row("events", title="Elsewhere", start_date="2024-05-06", region="ASP", kind="seminar",
            end_date="2024-05-06"),
        row("events", title="Nowhere", start_date="2024-05-06", region="AFR", kind="party",
            end_date="2024-05-06"),
        row("events", title="Somewhere", start_date="2024-05-06", region="AFR", kind="seminar",
            end_date="2024-05-06", host_country="XX"),
    ]  # fmt: skip

    job = preview_and_confirm(editor, "events", rows, make, suffix)

    assert job.status == Job.Status.FAILED
    assert errors(job) == [
        (2, "end_date"),
        (3, "participants_total"),
        (4, "region"),
        (5, "kind"),
        (6, "host_country"),
    ]
    assert not Event.objects.exists()


# --- Assessment results ---------------------------------------------------------------------------


@pytest.fixture
def assessment(make_user: Any, reference: None, office: Any) -> Assessment:
    security = make_user("sec", ("security",))
    template = resilience.template_create(actor=security, kind="srm", name="SRM", edition=1)
    for code in ("R1", "R2"):
        resilience.requirement_create(
            actor=security, template=template, code=code, text=code, category="Perimeter", weight=Decimal(1)
        )
    created = resilience.assessment_create(
        actor=security,
        office=office("dakar"),
        template=template,
        planned_start=dt.date(2024, 3, 4),
        planned_end=dt.date(2024, 3, 8),
    )
    return resilience.assessment_transition(
        actor=security, assessment=created, to="in_progress", expected_version=None, on=dt.date(2024, 3, 4)
    )


def result(requirement: str, outcome: str, office: str = "dakar", **extra: Any) -> list[Any]:
    return row("assessment-results", office=office, assessment_kind="srm", planned_start="2024-03-04",
               requirement=requirement, result=outcome, **extra)  # fmt: skip


@FORMATS
def test_security_officer_records_assessment_results_from_a_sheet(
    assessment: Assessment, make: Any, suffix: str
) -> None:
    security = assessment.created_by
    rows = [result("R1", "compliant"), result("R2", "non_compliant", observation="Gate B unattended")]

    job = preview_and_confirm(security, "assessment-results", rows, make, suffix)

    assert (job.status, job.summary["create"]) == (Job.Status.DONE, 2)
    assert RequirementResult.objects.get(requirement__code="R2").observation == "Gate B unattended"


@FORMATS
def test_assessment_result_rows_are_checked_for_confidentiality_state_and_codes(
    assessment: Assessment, make_user: Any, make: Any, suffix: str
) -> None:
    editor = make_user("afr-editor", ("editor", "AFR"))
    security = assessment.created_by

    as_editor = preview_and_confirm(editor, "assessment-results", [result("R1", "compliant")], make, suffix)
    mistakes = preview_and_confirm(
        security,
        "assessment-results",
        [result("R9", "compliant"), result("R1", "perfect"), result("R1", "compliant", office="harare")],
        make,
        suffix,
    )

    assert errors(as_editor) == [(2, "office")]
    assert errors(mistakes) == [(2, "requirement"), (3, "result"), (4, "planned_start")]
    assert not RequirementResult.objects.exists()


def test_results_cannot_be_imported_into_a_completed_assessment(assessment: Assessment) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.COMPLETED)

    job = preview_and_confirm(
        assessment.created_by, "assessment-results", [result("R1", "compliant")], csv_bytes, "csv"
    )

    assert errors(job) == [(2, "planned_start")]
    assert "completed" in job.summary["errors"][0]["message"]


@pytest.mark.parametrize("kind", ["posts", "events", "assessment-results"])
def test_the_new_templates_download_with_their_columns(importer: Any, kind: str) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(sheets.template(sheets.REGISTRY[kind])))

    assert [cell.value for cell in workbook["Data"][1]] == header(kind)
    assert workbook["Data"].data_validations.dataValidation
