"""List downloads: CSV keys stay the same in every language; XLSX headings and sheet names are translated."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook

from presence.core.exports import Column, xlsx_bytes


def _download(client: Any, fmt: str, language: str) -> bytes:
    response = client.get(f"/org/offices/?format={fmt}", headers={"accept-language": language})
    assert response.status_code == 200
    return bytes(response.content)


def test_xlsx_headings_follow_the_reader_s_language_and_csv_keys_do_not(
    reference: None, admin_user: Any, login: Any
) -> None:
    client = login(admin_user)
    english = load_workbook(io.BytesIO(_download(client, "xlsx", "en"))).active
    french = load_workbook(io.BytesIO(_download(client, "xlsx", "fr"))).active
    assert english is not None
    assert french is not None
    assert [c.value for c in english[1]][:4] == ["Code", "Name", "Kind", "Region"]
    assert [c.value for c in french[1]][:4] == ["Code", "Nom", "Type", "Région"]
    assert english.title == "Offices"
    assert french.title == "Bureaux"
    keys = {
        language: next(csv.reader(io.StringIO(_download(client, "csv", language).decode())))
        for language in ("en", "fr", "ar")
    }
    assert keys["en"] == keys["fr"] == keys["ar"]
    assert keys["en"][:4] == ["code", "name", "kind", "region"]


def test_a_sheet_name_drops_what_excel_refuses() -> None:
    sheet = load_workbook(
        io.BytesIO(xlsx_bytes([Column("a", "A")], [{"a": 1}], title="Q1/Q2: [draft]?"))
    ).active
    assert sheet is not None
    assert sheet.title == "Q1 Q2   draft"


HOSTILE = "=cmd|' /C calc'!A0"


def test_office_list_downloads_write_a_formula_in_a_name_as_text_in_csv_and_xlsx(
    reference: None, admin_user: Any, login: Any
) -> None:
    from presence.org.models import Office

    Office.objects.filter(code="dakar").update(name=HOSTILE, city="@SUM(A1:A9)")
    client = login(admin_user)
    rows = list(csv.DictReader(io.StringIO(_download(client, "csv", "en").decode())))
    dakar = next(row for row in rows if row["code"] == "dakar")
    assert dakar["name"] == "'" + HOSTILE
    assert dakar["city"] == "'@SUM(A1:A9)"
    sheet = load_workbook(io.BytesIO(_download(client, "xlsx", "en"))).active
    assert sheet is not None
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=2) for cell in row}
    assert cells[HOSTILE].data_type == "s"
    assert cells[HOSTILE].quotePrefix
    assert cells["@SUM(A1:A9)"].data_type == "s"


def test_every_formula_start_is_neutralised_and_numbers_stay_numbers() -> None:
    from decimal import Decimal

    from presence.core.exports import csv_bytes

    columns = [Column("text", "Text"), Column("amount", "Amount", "#,##0.0")]
    rows = [
        {"text": "=1+1", "amount": Decimal("-12.5")},
        {"text": "+41 22 730 5111", "amount": -3},
        {"text": "-2+3", "amount": None},
        {"text": "@A1", "amount": 1},
        {"text": "\tcmd", "amount": 2},
        {"text": "\rcmd", "amount": 3},
        {"text": "-42", "amount": 4},
        {"text": "plain = text", "amount": 5},
    ]
    written = list(csv.reader(io.StringIO(csv_bytes(columns, rows).decode(), newline="")))[1:]
    assert [row[0] for row in written] == [
        "'=1+1",
        "'+41 22 730 5111",
        "'-2+3",
        "'@A1",
        "'\tcmd",
        "'\rcmd",
        "-42",
        "plain = text",
    ]
    assert [row[1] for row in written][:2] == ["-12.5", "-3"]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(columns, rows))).active
    assert sheet is not None
    texts = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in texts)
    assert [cell.quotePrefix for cell in texts] == [True] * 6 + [False, False]
    assert [cell.value for cell in texts][:4] == ["=1+1", "+41 22 730 5111", "-2+3", "@A1"]
    amounts = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert amounts[0].value == -12.5
    assert amounts[0].data_type == "n"
    assert amounts[1].value == -3
