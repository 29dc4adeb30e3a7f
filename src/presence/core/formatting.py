"""Numbers and dates as people read them: one helper per kind, in the active (or a given) language.

Every page, chart, document and Council document writes a figure through these functions, so the
same figure reads the same everywhere: the locale's grouping and decimal marks (Django's locale
formats, with the project's corrections in `presence.formats`), dates in the language's
`DATE_FORMAT` (localized month names, in Russian in the genitive case, as Django's `E` format writes them).

Figures are summed in full precision and rounded once, here, for display (`rounded`): halves up,
as the Council's tables round. Machine data (CSV and XLSX cells, the API, IATI, form inputs) keeps
numbers as numbers and dates in ISO 8601.
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager, nullcontext
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, timezone, translation

DASH = "\u2013"


def _speaking(language: str | None) -> AbstractContextManager[object]:
    """The given language for the block, or the active one."""
    return translation.override(language) if language else nullcontext()


def rounded(value: Decimal | int | float, decimals: int) -> Decimal:
    """`value` rounded to `decimals` places, halves up (2.45 -> 2.5): the one rounding of a figure."""
    return Decimal(str(value) if isinstance(value, float) else value).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
    )


def number(
    value: Decimal | int | float | None, decimals: int | None = None, *, language: str | None = None
) -> str:
    """`value` with the grouping and decimal marks of the language, rounded to `decimals` places.

    Without `decimals`, a whole number is written without decimals and another with its own; with a
    negative one, at most that many ("-2": 2.5, 2.25, 2). None is written as a dash.
    """
    if value is None or value == "":
        return DASH
    amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if decimals is not None and decimals < 0:  # at most -decimals places, none for a whole number
        amount, decimals = rounded(amount, -decimals), None
    if decimals is None:
        exponent = amount.normalize().as_tuple().exponent
        whole = amount == amount.to_integral_value() or not isinstance(exponent, int)
        decimals = 0 if whole else -int(exponent)
    amount = rounded(amount, decimals)
    with _speaking(language):
        return str(formats.number_format(amount, decimals, use_l10n=True, force_grouping=True))


def date(value: dt.date | None, *, language: str | None = None) -> str:
    """A date in the language's `DATE_FORMAT` ("3 December 2026", "3 décembre 2026")."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    with _speaking(language):
        return str(formats.date_format(value, "DATE_FORMAT"))


def moment(value: dt.datetime | None, *, language: str | None = None) -> str:
    """A moment in local time in the language's `DATETIME_FORMAT` ("3 December 2026 14:05")."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    with _speaking(language):
        return str(formats.date_format(local, "DATETIME_FORMAT"))
