"""Loads the reference data shipped with the package (regions, countries, offices, KAP priorities).

Records are created when missing and never overwritten, so loading twice changes nothing
and users' edits survive a reload. The files under `data/` are the starting point only.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.db import transaction

from presence.core import figures
from presence.core.services import tracked_create, tracked_update
from presence.org.models import Country, Office, Priority, Region

DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Create missing regions, countries and offices; returns how many of each were created."""
    created = {"regions": 0, "countries": 0, "offices": 0, "priorities": 0}
    names = _names()
    regions = {region.code: region for region in Region.objects.all()}
    for row in _rows("regions.csv"):
        if row["code"] not in regions:
            regions[row["code"]] = tracked_create(
                model=Region,
                actor=None,
                data={
                    "code": row["code"],
                    "name": row["name"],
                    "name_translations": names["regions"].get(row["code"], {}),
                    "is_geographic": row["is_geographic"] == "1",
                    "sort_order": int(row["sort_order"]),
                },
                reason="reference data",
            )
            created["regions"] += 1
    countries = {country.iso2: country for country in Country.objects.all()}
    new_countries = [
        Country(
            iso2=row["iso2"],
            iso3=row["iso3"],
            name=row["name"],
            region=regions[row["itu_region"]],
            is_ldc=row["ldc"] == "1",
            is_lldc=row["lldc"] == "1",
            is_sids=row["sids"] == "1",
        )
        for row in _rows("countries.csv")
        if row["iso2"] not in countries
    ]
    Country.objects.bulk_create(new_countries)
    if new_countries:
        figures.bump("org")
    created["countries"] = len(new_countries)
    countries = {country.iso2: country for country in Country.objects.all()}
    coverage: dict[str, list[Country]] = {}
    for row in _rows("office_coverage.csv"):
        coverage.setdefault(row["office_city"], []).append(countries[row["iso2"]])
    existing = set(Office.objects.values_list("code", flat=True))
    for row in _rows("offices.csv"):
        if row["code"] in existing:
            continue
        tracked_create(
            model=Office,
            actor=None,
            data={
                "code": row["code"],
                "name": row["name"],
                "name_translations": names["offices"].get(row["code"], {}).get("name", {}),
                "city": row["city"],
                "city_translations": names["offices"].get(row["code"], {}).get("city", {}),
                "country": countries[row["country"]],
                "kind": row["kind"],
                "region": regions[row["region"]] if row["region"] else None,
                "is_innovation_centre": row["is_innovation_centre"] == "1",
                "notes": row["notes"],
                "covered_countries": coverage.get(row["city"], []),
            },
            reason="reference data",
        )
        created["offices"] += 1
    existing_priorities = set(Priority.objects.values_list("cycle", "code"))
    for row in _rows("priorities.csv"):
        if (int(row["cycle"]), row["code"]) in existing_priorities:
            continue
        tracked_create(
            model=Priority,
            actor=None,
            data={
                "cycle": int(row["cycle"]),
                "code": row["code"],
                "name": row["name"],
                "name_translations": names["priorities"].get(f"{row['cycle']} {row['code']}", {}),
                "kind": row["kind"],
                "sort_order": int(row["sort_order"]),
            },
            reason="reference data",
        )
        created["priorities"] += 1
    load_name_translations(names)
    return created


def _names() -> dict[str, Any]:
    with (DATA / "name_translations.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def load_name_translations(data: dict[str, Any] | None = None) -> int:
    """Give existing regions, offices and KAP priorities their names in the other languages.

    Only names not yet translated are filled in: a translation a user entered is never replaced.
    Returns how many records were given names.
    """
    data = data or _names()
    changed = 0

    def fill(record: Any, **fields: dict[str, str]) -> None:
        nonlocal changed
        missing = {name: value for name, value in fields.items() if not getattr(record, name)}
        if missing:
            tracked_update(
                instance=record, actor=None, data=missing, expected_version=None, reason="reference data"
            )
            changed += 1

    for region in Region.objects.filter(code__in=data["regions"]):
        fill(region, name_translations=data["regions"][region.code])
    for office in Office.objects.filter(code__in=data["offices"]):
        names = data["offices"][office.code]
        fill(office, name_translations=names["name"], city_translations=names["city"])
    for priority in Priority.objects.all():
        names = data["priorities"].get(f"{priority.cycle} {priority.code}")
        if names:
            fill(priority, name_translations=names)
    return changed
