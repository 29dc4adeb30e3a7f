"""Arabic: Django gives no date-and-time format (it would fall back to the English one)."""

DATETIME_FORMAT = "j F، Y H:i"
