"""Every record type the kit tests: one declaration module per app."""

from __future__ import annotations

from tests.kit import records_engagement, records_portfolio, records_resilience, records_staffing
from tests.kit.types import RecordType

RECORD_TYPES: list[RecordType] = [
    *records_portfolio.RECORDS,
    *records_engagement.RECORDS,
    *records_resilience.RECORDS,
    *records_staffing.RECORDS,
]
