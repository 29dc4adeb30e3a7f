"""Numbers and dates in a document's language (Django's locale formats), and small numbers in words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import formats, translation

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
    """`value` as the document's language writes it: grouping and decimal marks of its locale.

    Whole numbers are written without decimals unless `decimals` asks for them. Words are written
    for whole numbers from 0 to 999 in English; other languages (and other numbers) get digits.
    """
    if value is None:
        return "\u2013"
    amount = Decimal(value)
    if words and language.startswith("en") and amount == amount.to_integral_value() and 0 <= amount < 1000:
        return english_words(int(amount))
    if decimals is None:
        exponent = amount.normalize().as_tuple().exponent
        decimals = 0 if amount == amount.to_integral_value() or not isinstance(exponent, int) else -exponent
    with translation.override(language):
        return formats.number_format(amount, decimals, use_l10n=True, force_grouping=True)


def date(value: dt.date | None, language: str) -> str:
    if value is None:
        return ""
    with translation.override(language):
        if language.startswith("en"):
            return formats.date_format(value, "j F Y")
        return formats.date_format(value, "DATE_FORMAT")


def moment(value: dt.datetime | None, language: str) -> str:
    if value is None:
        return ""
    from django.utils import timezone

    local = timezone.localtime(value)
    with translation.override(language):
        return f"{date(local.date(), language)} {local:%H:%M}"
