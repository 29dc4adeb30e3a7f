"""Numbers and dates in a document's language (core/formatting.py, as on every page), and small
numbers in words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from presence.core import formatting

ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def english_words(n: int) -> str:
    """0 to 999 in English words ("eighty-seven", "one hundred and twenty-four")."""
    if n < 20:
        return ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return TENS[tens] + (f"-{ONES[ones]}" if ones else "")
    hundreds, rest = divmod(n, 100)
    return f"{ONES[hundreds]} hundred" + (f" and {english_words(rest)}" if rest else "")


def number(
    value: Decimal | int | None, language: str, *, decimals: int | None = None, words: bool = False
) -> str:
    """`value` as the document's language writes it (core.formatting.number), rounded once.

    Whole numbers are written without decimals unless `decimals` asks for them. Words are written
    for whole numbers from 0 to 999 in English; other languages (and other numbers) get digits.
    """
    if value is None:
        return formatting.DASH
    amount = Decimal(value)
    if words and language.startswith("en") and amount == amount.to_integral_value() and 0 <= amount < 1000:
        return english_words(int(amount))
    return formatting.number(amount, decimals, language=language)


def date(value: dt.date | None, language: str) -> str:
    """A date in the language's DATE_FORMAT, as on every page (core.formatting.date)."""
    return formatting.date(value, language=language)


def moment(value: dt.datetime | None, language: str) -> str:
    """A moment in local time, as on every page (core.formatting.moment)."""
    return formatting.moment(value, language=language)
