"""Spreadsheet uploads that cannot hurt the server: sizes checked before the sheet is read, read lazily."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from presence.interchange import services, sheets
from presence.interchange.models import Job
from tests.interchange.files import xlsx

HEADER = ["project", "year", "amount", "currency"]
SHEET = "xl/worksheets/sheet1.xml"
FAR_CELL = '<row r="4000"><c r="XFD4000" t="inlineStr"><is><t>far</t></is></c></row></sheetData>'


def rewritten(content: bytes, member: str, change: Callable[[str], str]) -> bytes:
    """The same workbook with one part's XML changed."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == member:
                data = change(data.decode()).encode()
            target.writestr(info.filename, data)
    return buffer.getvalue()


def peak_of(action: Callable[[], Any]) -> tuple[int, Any]:
    """Peak Python memory (bytes) while `action` runs, and what it returned or raised."""
    tracemalloc.start()
    try:
        try:
            outcome: Any = action()
        except ValidationError as error:
            outcome = error
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, outcome


def test_an_xlsx_declaring_a1_to_xfd4000_is_refused_before_its_rows_are_read(importer: Any) -> None:
    content = rewritten(
        xlsx([HEADER, ["9RAF10084-04", 2024, 100, "CHF"]]),
        SHEET,
        lambda xml: xml.replace('<dimension ref="A1:D2"/>', '<dimension ref="A1:XFD4000"/>').replace(
            "</sheetData>", FAR_CELL
        ),
    )
    assert len(content) < 10_000

    peak, outcome = peak_of(lambda: sheets.read_rows(content, "budgets.xlsx"))

    assert isinstance(outcome, ValidationError)
    message = outcome.message_dict["file"][0]
    assert "16384 columns (A1:XFD4000)" in message
    assert f"at most {sheets.MAX_COLUMNS} columns" in message
    assert peak < 5 * 1024 * 1024  # read whole, padded to its declaration: 525 MB (tracemalloc)


def test_without_a_declared_size_a_sheet_is_read_only_within_the_column_limit(importer: Any) -> None:
    # No <dimension>, a value far out at XFD4000: reading stays bounded, the far cell is never read.
    content = rewritten(
        xlsx([HEADER, ["9RAF10084-04", 2024, 100, "CHF"]]),
        SHEET,
        lambda xml: re.sub(r"<dimension [^>]*/>", "", xml).replace(
            "</sheetData>",
            '<row r="4000"><c r="XFD4000" t="inlineStr"><is><t>far</t></is></c></row></sheetData>',
        ),
    )

    peak, (header, rows) = peak_of(lambda: sheets.read_rows(content, "budgets.xlsx"))

    assert header == HEADER
    assert rows == [["9RAF10084-04", 2024, 100, "CHF"]]
    assert peak < 20 * 1024 * 1024


def test_a_value_beyond_the_column_limit_is_refused_naming_the_limit(importer: Any) -> None:
    wide = [*HEADER, *([""] * (sheets.MAX_COLUMNS - len(HEADER))), "extra"]

    with pytest.raises(ValidationError) as refused:
        sheets.read_rows(",".join(wide).encode(), "budgets.csv")

    assert refused.value.message_dict["file"] == [
        f"Row 1 has more than {sheets.MAX_COLUMNS} columns; a spreadsheet may have at most "
        f"{sheets.MAX_COLUMNS}."
    ]


def test_an_xlsx_with_a_huge_uncompressed_part_is_refused_before_openpyxl_opens_it(
    importer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheets, "MAX_UNCOMPRESSED_BYTES", 2 * 1024 * 1024)
    padding = " " * (8 * 1024 * 1024)  # whitespace the XML parser would have to read through
    content = rewritten(
        xlsx([HEADER]), SHEET, lambda xml: xml.replace("<sheetData>", f"<sheetData>{padding}")
    )
    assert len(content) < 100_000
    opened: list[Any] = []
    monkeypatch.setattr(sheets, "load_workbook", lambda *args, **kwargs: opened.append(args))

    with pytest.raises(ValidationError) as refused:
        sheets.read_rows(content, "budgets.xlsx")

    message = refused.value.message_dict["file"][0]
    assert "unpacks to 8 MB" in message
    assert SHEET in message
    assert "at most 2 MB" in message
    assert opened == []


def test_more_rows_than_the_limit_are_refused_naming_the_limit(
    importer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheets, "MAX_ROWS", 3)
    rows = [HEADER, *([f"P{n}", 2024, 1, "CHF"] for n in range(4))]

    for content, name in (
        (xlsx(rows), "b.xlsx"),
        ("\n".join(",".join(map(str, r)) for r in rows).encode(), "b.csv"),
    ):
        with pytest.raises(ValidationError) as refused:
            sheets.read_rows(content, name)
        assert refused.value.message_dict["file"] == ["The file has more than 3 rows; split it."]


def test_a_refused_upload_leaves_no_job_and_no_file(importer: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets, "MAX_FILE_BYTES", 1024 * 1024)
    upload = SimpleUploadedFile("b.csv", b"project,year,amount,currency\n" + b"P,2024,1,CHF\n" * 100_000)

    with pytest.raises(ValidationError) as refused:
        services.sheet_preview(actor=importer, kind="budgets", upload=upload)

    assert refused.value.message_dict["file"] == ["The file is 1.2 MB; a spreadsheet may be at most 1 MB."]
    assert not Job.objects.exists()
