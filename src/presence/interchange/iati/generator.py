"""Synthetic, schema-valid iati-activities files of N activities for the import benchmark and tests."""

from __future__ import annotations

import random
from pathlib import Path

from lxml import etree

from presence.interchange.iati.mapping import XML_LANG

COUNTRIES = ("SN", "KE", "GH", "NG", "RW", "IN", "VN", "BR", "PE", "JO", "EG", "FJ")
CURRENCIES = ("CHF", "USD", "EUR")


def generate(path: Path, count: int, *, seed: int = 8, prefix: str = "XM-DAC-41303-GEN") -> None:
    """Write `count` activities, each with 2 budgets, 4 transactions and one indicator with 2 periods."""
    rng = random.Random(seed)  # noqa: S311 - synthetic test data, not security
    with etree.xmlfile(str(path), encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("iati-activities", {"version": "2.03", "generated-datetime": "2026-01-01T00:00:00Z"}):
            for number in range(1, count + 1):
                xf.write(_activity(rng, number, prefix))


def _narrative(parent: etree._Element, tag: str, text: str) -> None:
    etree.SubElement(etree.SubElement(parent, tag), "narrative").text = text


def _activity(rng: random.Random, number: int, prefix: str) -> etree._Element:
    start_year = rng.randint(2019, 2024)
    currency = rng.choice(CURRENCIES)
    activity = etree.Element("iati-activity", {"default-currency": currency, "hierarchy": "1"})
    activity.set(XML_LANG, "en")
    etree.SubElement(activity, "iati-identifier").text = f"{prefix}-{number:07d}"
    org = etree.SubElement(activity, "reporting-org", ref="XM-DAC-41303", type="40")
    etree.SubElement(org, "narrative").text = "International Telecommunication Union"
    _narrative(activity, "title", f"Synthetic activity {number}")
    description = etree.SubElement(activity, "description", type="1")
    etree.SubElement(description, "narrative").text = f"Connectivity project number {number}."
    donor = etree.SubElement(
        activity, "participating-org", ref=f"XM-DONOR-{rng.randint(1, 40)}", role="1", type="10"
    )
    etree.SubElement(donor, "narrative").text = f"Donor {donor.get('ref')}"
    etree.SubElement(activity, "participating-org", ref="XM-DAC-41303", role="4", type="40")
    etree.SubElement(activity, "activity-status", code=str(rng.choice((2, 2, 3, 4))))
    etree.SubElement(activity, "activity-date", type="1", **{"iso-date": f"{start_year}-01-01"})
    etree.SubElement(activity, "activity-date", type="3", **{"iso-date": f"{start_year + 2}-12-31"})
    etree.SubElement(activity, "recipient-country", code=rng.choice(COUNTRIES), percentage="100")
    etree.SubElement(activity, "sector", vocabulary="1", code="22040", percentage="100")
    for year in (start_year, start_year + 1):
        budget = etree.SubElement(activity, "budget", type="1", status="2")
        etree.SubElement(budget, "period-start", **{"iso-date": f"{year}-01-01"})
        etree.SubElement(budget, "period-end", **{"iso-date": f"{year}-12-31"})
        value = etree.SubElement(budget, "value", currency=currency, **{"value-date": f"{year}-01-01"})
        value.text = f"{rng.randint(10, 900) * 1000}.00"
    for index, code in enumerate(("2", "3", "3", "4")):
        transaction = etree.SubElement(activity, "transaction", ref=f"T{number}-{index}")
        etree.SubElement(transaction, "transaction-type", code=code)
        day = f"{start_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        etree.SubElement(transaction, "transaction-date", **{"iso-date": day})
        value = etree.SubElement(transaction, "value", currency=currency, **{"value-date": day})
        value.text = f"{rng.randint(1, 500) * 100}.50"
    result = etree.SubElement(activity, "result", type="1", **{"aggregation-status": "1"})
    _narrative(result, "title", "People trained")
    indicator = etree.SubElement(result, "indicator", measure="1", ascending="1")
    _narrative(indicator, "title", "Number of people trained in digital skills")
    etree.SubElement(indicator, "baseline", year=str(start_year - 1), value="0")
    for year in (start_year, start_year + 1):
        period = etree.SubElement(indicator, "period")
        etree.SubElement(period, "period-start", **{"iso-date": f"{year}-01-01"})
        etree.SubElement(period, "period-end", **{"iso-date": f"{year}-12-31"})
        etree.SubElement(period, "target", value=str(rng.randint(50, 200)))
        etree.SubElement(period, "actual", value=str(rng.randint(20, 220)))
    return activity
