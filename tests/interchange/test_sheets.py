"""Spreadsheet templates: template contents, preview with errors by row and column, atomic apply."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from presence.core.models import AuditEntry
from presence.interchange import services, sheets
from presence.interchange.models import Job
from presence.portfolio import services as portfolio
from presence.portfolio.models import Budget, Project
from tests.interchange.files import xlsx

HEADER = ["project", "year", "amount", "currency"]


def csv_bytes(rows: list[list[Any]]) -> bytes:
    return "\n".join(",".join("" if c is None else str(c) for c in row) for row in rows).encode()


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(("make", "name"), [(xlsx, "budgets.xlsx"), (csv_bytes, "budgets.csv")])
def test_preview_then_confirm_applies_budgets_with_an_audit_entry(
    importer: Any, project: Project, make: Any, name: str
) -> None:
    portfolio.budget_create(actor=importer, project=project, year=2024, amount=Decimal(100), currency="CHF")
    portfolio.budget_create(actor=importer, project=project, year=2025, amount=Decimal(200), currency="CHF")
    content = make(
        [
            HEADER,
            ["9RAF10084-04", 2024, 100, "CHF"],
            ["9RAF10084-04", 2025, 250, "CHF"],
            ["9RAF10084-04", 2026, 300, "CHF"],
        ]
    )

    job = services.sheet_preview(actor=importer, kind="budgets", upload=upload(content, name))

    assert job.status == Job.Status.PREVIEW
    assert (job.summary["create"], job.summary["update"], job.summary["unchanged"]) == (1, 1, 1)
    assert Budget.objects.count() == 2
    services.sheet_confirm(actor=importer, job=Job.objects.get(pk=job.pk))
    assert sorted(Budget.objects.values_list("year", "amount")) == [
        (2024, Decimal(100)),
        (2025, Decimal(250)),
        (2026, Decimal(300)),
    ]
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT, object_id=str(job.pk)).exists()


@pytest.mark.parametrize(("make", "name"), [(xlsx, "bad.xlsx"), (csv_bytes, "bad.csv")])
def test_preview_lists_every_error_by_row_and_column_and_changes_nothing(
    importer: Any, project: Project, make: Any, name: str
) -> None:
    content = make(
        [
            HEADER,
            ["9RAF10084-04", 2024, 100, "CHF"],
            ["9RAF10084-04", "twenty", 100, "CHF"],
            ["NOPE", 2025, "lots", "CHF"],
            ["9RAF10084-04", 2024, 50, "CHF"],
        ]
    )

    job = services.sheet_preview(actor=importer, kind="budgets", upload=upload(content, name))

    errors = {(e["row"], e["column"]) for e in job.summary["errors"]}
    assert errors == {(3, "year"), (4, "project"), (4, "amount"), (5, "project")}
    messages = " ".join(e["message"] for e in job.summary["errors"])
    assert "'twenty' is not a whole number" in messages
    assert "'NOPE' is not a known project code" in messages
    assert "Duplicate of row 2" in messages
    assert job.status == Job.Status.FAILED
    assert not Budget.objects.exists()
    with pytest.raises(Exception, match="previewed spreadsheet"):
        services.sheet_confirm(actor=importer, job=job)
    assert not Budget.objects.exists()


def test_unknown_and_missing_columns_are_file_errors(importer: Any, project: Project) -> None:
    content = csv_bytes([["project", "year", "amount", "colour"], ["9RAF10084-04", 2024, 1, "red"]])

    result = sheets.preview(
        actor=importer, kind=sheets.REGISTRY["budgets"], content=content, filename="x.csv"
    )

    messages = [m for _r, _c, m in result.errors]
    assert any("Unknown column 'colour'" in m for m in messages)
    assert any("required column 'currency' is missing" in m for m in messages)


def test_rows_outside_the_uploaders_scope_are_errors(
    reference: None, make_user: Any, project: Project
) -> None:
    asia_editor = make_user("asp-editor", ("editor", "ASP"))
    content = csv_bytes([HEADER, ["9RAF10084-04", 2024, 100, "CHF"]])

    result = sheets.preview(
        actor=asia_editor, kind=sheets.REGISTRY["budgets"], content=content, filename="b.csv"
    )

    assert [(r, c) for r, c, _m in result.errors] == [(2, "project")]
    assert "outside the offices and regions you may edit" in result.errors[0][2]


def test_a_row_the_service_would_refuse_is_an_error_of_its_row_in_the_preview(
    importer: Any, project: Project
) -> None:
    # USD has no exchange rate: the portfolio service refuses row 3, so the preview says so already.
    content = csv_bytes([HEADER, ["9RAF10084-04", 2024, 100, "CHF"], ["9RAF10084-04", 2025, 100, "USD"]])

    job = services.sheet_preview(actor=importer, kind="budgets", upload=upload(content, "b.csv"))

    assert job.status == Job.Status.FAILED
    errors = job.summary["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(3, "currency")]
    assert "exchange rate" in errors[0]["message"]
    assert not Budget.objects.exists()
    assert not AuditEntry.objects.filter(object_repr__contains="9RAF10084-04 2024").exists()


def test_a_row_refused_at_apply_time_rolls_back_the_whole_file(importer: Any, project: Project) -> None:
    rate = portfolio.exchange_rate_create(
        actor=importer, currency="USD", valid_from=dt.date(2020, 1, 1), rate_to_chf=Decimal("0.9")
    )
    content = csv_bytes([HEADER, ["9RAF10084-04", 2024, 100, "CHF"], ["9RAF10084-04", 2025, 100, "USD"]])
    job = services.sheet_preview(actor=importer, kind="budgets", upload=upload(content, "b.csv"))
    assert job.status == Job.Status.PREVIEW
    portfolio.exchange_rate_delete(actor=importer, rate=rate, expected_version=None)  # meanwhile

    services.sheet_confirm(actor=importer, job=job)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "Row 3" in job.error
    assert "exchange rate" in job.error
    assert not Budget.objects.exists()


def test_projects_template_imports_and_updates_projects(importer: Any) -> None:
    header = ["code", "title", "status", "planned_start", "planned_end", "region", "lead_office"]
    first = xlsx(
        [header, ["9RAF1-01", "Schools", "implementation", dt.date(2024, 1, 1), "2025-12-31", "AFR", "dakar"]]
    )
    second = xlsx(
        [header, ["9RAF1-01", "Schools online", "implementation", "2024-01-01", "2025-12-31", "AFR", "dakar"]]
    )

    services.sheet_confirm(
        actor=importer,
        job=services.sheet_preview(actor=importer, kind="projects", upload=upload(first, "p.xlsx")),
    )
    job = services.sheet_preview(actor=importer, kind="projects", upload=upload(second, "p.xlsx"))

    assert job.summary["update"] == 1
    assert job.summary["rows"][0]["changes"] == ["title"]
    services.sheet_confirm(actor=importer, job=job)
    assert Project.objects.get(code="9RAF1-01").title == "Schools online"


@pytest.mark.parametrize("kind", sorted(sheets.REGISTRY))
def test_every_template_has_headers_notes_and_code_dropdowns(
    importer: Any, project: Project, kind: str
) -> None:
    workbook = load_workbook(io.BytesIO(sheets.template(sheets.REGISTRY[kind])))

    data = workbook["Data"]
    spec = sheets.REGISTRY[kind]
    assert [cell.value for cell in data[1]] == [c.name for c in spec.columns]
    assert workbook["Notes"].max_row == len(spec.columns) + 1
    coded = [c for c in spec.columns if c.codes is not None]
    assert len(data.data_validations.dataValidation) == len(coded)
