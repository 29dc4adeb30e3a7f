"""The offices of `presence demo --scale N`: each copy of the demo gets its own area offices.

Copy `n` of an office (every office but headquarters) is a new area office in the same region, in
another country of the ones the original covers, with the code `<code>-n`; it covers the same
countries. The copies of the other records (projects, posts, reviews, ...) are led by these offices,
so every copied record's office stays in its region.
"""

from __future__ import annotations

import re
from typing import Any

from presence.org.models import Country, Office

COPY_CODE = re.compile(r"-(\d+)$")


def current_scale() -> int:
    """How many times over the demo is already there: 1 + the copies of its offices (1 when none)."""
    numbers = [
        int(m.group(1))
        for code in Office.objects.values_list("code", flat=True)
        if (m := COPY_CODE.search(code))
    ]
    return max(numbers, default=1)


def is_kept(office: Any) -> bool:
    """Headquarters is not copied: there is one, whatever the size of the organization."""
    return bool(office.kind == Office.Kind.HEADQUARTERS)


class OfficeCopies:
    """The hook that places a copied office: area office, another country its original covers."""

    def __init__(self) -> None:
        self.covered: dict[int, list[Country]] = {}
        for office in Office.objects.prefetch_related("covered_countries"):
            self.covered[office.pk] = sorted(office.covered_countries.all(), key=lambda c: c.iso2)

    def __call__(self, clone: Any, original: Any, number: int) -> None:
        countries = self.covered.get(original.pk) or [original.country]
        country = countries[(number - 1) % len(countries)]
        clone.kind = Office.Kind.AREA
        clone.country_id = country.pk
        clone.city = country.name
        clone.name = f"Area Office {number} for {country.name}"
        # The original's translated names would name another office: the copy is named in English only.
        clone.name_translations = {}
        clone.city_translations = {}
        clone.is_innovation_centre = False
