"""Arabic: Django gives no date-and-time format (it would fall back to the English one) and groups no
thousands ("101.240,5", as Arabic writes them with Latin digits)."""

DATETIME_FORMAT = "j F، Y H:i"
NUMBER_GROUPING = 3
