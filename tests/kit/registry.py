"""Every record type the kit tests: one declaration module per app."""

from __future__ import annotations

from tests.kit import (
    records_engagement,
    records_mandates,
    records_org,
    records_portfolio,
    records_resilience,
    records_results,
    records_staffing,
)
from tests.kit.types import RecordType

RECORD_TYPES: list[RecordType] = [
    *records_org.RECORDS,
    *records_portfolio.RECORDS,
    *records_results.RECORDS,
    *records_engagement.RECORDS,
    *records_mandates.RECORDS,
    *records_resilience.RECORDS,
    *records_staffing.RECORDS,
]
