"""Spreadsheet files the interchange tests upload."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook


def xlsx(rows: list[list[Any]]) -> bytes:
    """A workbook of one sheet, "Data", holding `rows` (the first is the header)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
