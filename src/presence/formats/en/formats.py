"""English as the United Nations write it: "3 December 2026", not "Dec. 3, 2026"."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
