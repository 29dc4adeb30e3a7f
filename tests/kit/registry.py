"""Every record type the kit tests: one declaration module per app."""

from __future__ import annotations

from tests.kit import records_engagement
from tests.kit.types import RecordType

RECORD_TYPES: list[RecordType] = [
    *records_engagement.RECORDS,
]
