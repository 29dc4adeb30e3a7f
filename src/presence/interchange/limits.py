"""Bounds of imported data shared by the spreadsheet and IATI imports."""

from __future__ import annotations

# Years an import may name (budgets, activities, indicator values, dates); others are refused
# with the row or activity that names them.
YEAR_MIN, YEAR_MAX = 1900, 2100
