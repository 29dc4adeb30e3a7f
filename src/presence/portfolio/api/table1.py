"""API: Table 1 (the portfolio per region in k CHF) as JSON."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Schema

from presence.core.years import Year
from presence.portfolio import figures
from presence.portfolio.api._common import router


class Table1RowOut(Schema):
    label: str
    number_of_projects: int
    cells: dict[str, Decimal]
    total_kchf: Decimal


class Table1Out(Schema):
    year: int
    columns: list[dict[str, str]]
    rows: list[Table1RowOut]
    unconverted: int


# Table 1 and reporting ----------------------------------------------------------------------------------


@router.get("/table1/{year}", response=Table1Out)
def get_table1(request: HttpRequest, year: Year) -> Any:
    """Table 1 for a year in k CHF: one row per region, MUL and Total; keys are the CSV column names."""
    table = figures.table1(user=request.user, year=year)
    return {
        "year": year,
        "columns": [{"key": c.csv_name, "label": c.label} for c in table.columns],
        "rows": [
            {
                "label": row.label,
                "number_of_projects": row.projects,
                "cells": {c.csv_name: row.kchf(c.key) for c in table.columns},
                "total_kchf": row.total_kchf,
            }
            for row in table.all_rows
        ],
        "unconverted": len(table.unconverted),
    }
