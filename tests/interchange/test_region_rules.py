"""Imports follow the region and office rules: a spreadsheet row or an IATI activity outside the
importing user's scope, or led by an office of another region, is refused with its row or activity
named, and nothing of it is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from presence.core.models import AuditEntry
from presence.interchange import sheets
from presence.interchange.iati.importer import iati_import
from presence.org.models import Office
from presence.portfolio.models import Project
from tests.interchange.test_iati_import import activity, document

HEADER = ["code", "title", "status", "planned_start", "planned_end", "region", "lead_office"]
PROJECTS = sheets.REGISTRY["projects"]


def _csv(*rows: list[Any]) -> bytes:
    return "\n".join(",".join(str(cell) for cell in row) for row in [HEADER, *rows]).encode()


def _row(code: str, region: str, office: str) -> list[Any]:
    return [code, "Schools online", "implementation", "2024-01-01", "2025-12-31", region, office]


def _state() -> tuple[list[tuple[Any, ...]], int]:
    projects = list(Project.objects.order_by("code").values_list("code", "region__code", "lead_office__code"))
    return projects, AuditEntry.objects.count()


# Spreadsheet import -------------------------------------------------------------------------------------


def test_spreadsheet_row_placing_a_project_in_another_region_is_refused_for_a_regional_editor(
    make_user: Any, reference: None
) -> None:
    editor = make_user("afr.editor", ("editor", "AFR"))
    content = _csv(_row("9RAS1-01", "ASP", "dakar"), _row("9RAF1-01", "AFR", "dakar"))
    before = _state()

    result = sheets.preview(actor=editor, kind=PROJECTS, content=content, filename="p.csv")

    assert [(row, column) for row, column, _m in result.errors] == [(2, "region")]
    assert "outside the offices and regions you may edit" in result.errors[0][2]
    with pytest.raises(ValidationError):
        sheets.apply(actor=editor, kind=PROJECTS, content=content, filename="p.csv", record=editor)
    assert _state() == before


def test_spreadsheet_row_moving_a_project_to_asp_is_refused_for_the_dakar_editor(
    make_user: Any, project: Project
) -> None:
    editor = make_user("dakar.editor", ("editor", "office:dakar"))
    before = _state()

    result = sheets.preview(
        actor=editor,
        kind=PROJECTS,
        content=_csv(_row(project.code, "ASP", "bangkok")),
        filename="p.csv",
    )

    assert [(row, column) for row, column, _m in result.errors] == [(2, "region")]
    assert _state() == before


def test_spreadsheet_row_of_an_afr_project_led_by_bangkok_is_refused_at_its_lead_office(
    importer: Any,
) -> None:
    content = _csv(_row("9RAF1-01", "AFR", "bangkok"))
    before = _state()

    result = sheets.preview(actor=importer, kind=PROJECTS, content=content, filename="p.csv")

    assert [(row, column) for row, column, _m in result.errors] == [(2, "lead_office")]
    assert "is in ASP" in result.errors[0][2]
    with pytest.raises(ValidationError):
        sheets.apply(actor=importer, kind=PROJECTS, content=content, filename="p.csv", record=importer)
    assert _state() == before


# IATI import ---------------------------------------------------------------------------------------------


def test_iati_activity_in_afr_led_by_bangkok_is_rejected_at_its_lead_office(
    importer: Any, write_xml: Any
) -> None:
    before = _state()
    summary = iati_import(
        actor=importer, path=write_xml(document(activity())), office=Office.objects.get(code="bangkok")
    )

    assert (summary.created, summary.rejected) == (0, 1)
    rejection = summary.rejections[0]
    assert rejection.identifier == "XM-DAC-41303-P1"
    assert "lead_office" in rejection.message
    assert "is in ASP" in rejection.message
    assert _state() == before


def test_office_editor_cannot_import_a_multi_regional_activity_led_by_their_office(
    make_user: Any, reference: None, write_xml: Any
) -> None:
    editor = make_user("dakar.editor", ("editor", "office:dakar"))
    both_regions = activity().replace('code="GH"', 'code="TH"')  # Senegal and Thailand: multi-regional
    before = _state()

    summary = iati_import(
        actor=editor, path=write_xml(document(both_regions)), office=Office.objects.get(code="dakar")
    )

    assert (summary.created, summary.rejected) == (0, 1)
    assert "not allowed to add" in summary.rejections[0].message
    assert _state() == before


def test_regional_editor_cannot_move_an_imported_project_to_another_region_by_importing_again(
    make_user: Any, reference: None, write_xml: Any
) -> None:
    editor = make_user("afr.editor", ("editor", "AFR"))
    assert iati_import(actor=editor, path=write_xml(document(activity()))).created == 1
    before = _state()
    in_asia = (
        activity(title="Smart villages, Asia")
        .replace('code="SN"', 'code="TH"')
        .replace('code="GH"', 'code="VN"')
    )

    summary = iati_import(actor=editor, path=write_xml(document(in_asia)))

    assert (summary.updated, summary.rejected) == (0, 1)
    assert "not allowed to change" in summary.rejections[0].message
    assert _state() == before
    assert Project.objects.get().region.code == "AFR"
