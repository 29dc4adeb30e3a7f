"""Simplified Chinese: amounts grouped by thousands with a comma ("104,630.5"), as UN documents and
the Chinese locale's own number pattern write them (Django groups nothing for it)."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
