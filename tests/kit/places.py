"""Reference records the declarations place their samples at (the reference data is loaded)."""

from __future__ import annotations

import datetime as dt

from presence.org.models import Office, Region

D = dt.date


def office(code: str = "dakar") -> Office:
    return Office.objects.get(code=code)


def region(code: str = "AFR") -> Region:
    return Region.objects.get(code=code)
