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
