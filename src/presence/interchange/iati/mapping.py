"""An <iati-activity> element as plain data (what the importer stores and the exporter writes back).

Only the elements listed in SUPPORTED_ELEMENTS are read; everything else in the file is ignored and
not exported again. Errors that make an activity unusable (no identifier element, dates or amounts
that are not dates or numbers) are collected with their line numbers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from lxml import etree

from presence.core.years import YEAR_MAX, YEAR_MIN

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
AMOUNT_BOUND = Decimal("1e19")

# Activity child elements kept on import and written on export (schema order).
SUPPORTED_ELEMENTS = (
    "iati-identifier",
    "title",
    "description",
    "participating-org",
    "activity-status",
    "activity-date",
    "recipient-country",
    "recipient-region",
    "sector",
    "budget",
    "transaction",
    "result",
)
# reporting-org is read but exported from the settings (the publisher is this installation).

Narratives = list[dict[str, str]]


@dataclass
class ActivityRecord:
    """The supported content of one activity, JSON-ready, plus the problems found while reading it."""

    line: int
    identifier: str | None
    data: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @cached_property
    def text(self) -> str:
        """The data as JSON (sorted keys), encoded once: fingerprinted, and stored as the IATI record."""
        return json.dumps(self.data, sort_keys=True)

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


def _narratives(element: etree._Element | None) -> Narratives:
    if element is None:
        return []
    return [
        {"lang": str(n.get(XML_LANG, "")), "text": (n.text or "").strip()}
        for n in element
        if n.tag == "narrative"
    ]


class _Reader:
    def __init__(self, line: int) -> None:
        self.line = line
        self.errors: list[str] = []

    def _where(self, element: etree._Element) -> str:
        return _("line %(line)d") % {"line": element.sourceline or self.line}

    def date(self, element: etree._Element | None, what: str, *, required: bool = True) -> str | None:
        if element is None:
            if required:
                self.errors.append(
                    _("%(what)s has no date (line %(line)d).") % {"what": _(what), "line": self.line}
                )
            return None
        raw = (element.get("iso-date") or "").strip()
        if not raw:
            self._missing(element, what)
            return None
        try:
            day = dt.date.fromisoformat(raw[:10])
        except ValueError:
            self.errors.append(
                _("%(what)s: %(value)r is not a date (YYYY-MM-DD) at %(where)s.")
                % {"what": _(what), "value": raw, "where": self._where(element)}
            )
            return None
        return self._within_years(day, element, what)

    def _within_years(self, day: dt.date, element: etree._Element, what: str) -> str | None:
        if YEAR_MIN <= day.year <= YEAR_MAX:
            return day.isoformat()
        self.errors.append(
            _("%(what)s: %(value)s is outside the years %(low)d to %(high)d at %(where)s.")
            % {
                "what": _(what),
                "value": day.isoformat(),
                "low": YEAR_MIN,
                "high": YEAR_MAX,
                "where": self._where(element),
            }
        )
        return None

    def _missing(self, element: etree._Element, what: str) -> None:
        self.errors.append(
            _("%(what)s has no iso-date at %(where)s.") % {"what": _(what), "where": self._where(element)}
        )

    def value_date(self, element: etree._Element, fallback: str | None, what: str) -> str | None:
        raw = (element.get("value-date") or "").strip()
        if not raw:
            return fallback
        try:
            day = dt.date.fromisoformat(raw[:10])
        except ValueError:
            self.errors.append(
                _("%(what)s: value-date %(value)r is not a date at %(where)s.")
                % {"what": _(what), "value": raw, "where": self._where(element)}
            )
            return None
        return self._within_years(day, element, what)

    def amount(self, element: etree._Element | None, what: str) -> str | None:
        if element is None:
            self.errors.append(
                _("%(what)s has no value (line %(line)d).") % {"what": _(what), "line": self.line}
            )
            return None
        raw = (element.text or "").strip().replace(" ", "")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or abs(value) >= AMOUNT_BOUND:
            self.errors.append(
                _("%(what)s: %(value)r is not an amount at %(where)s.")
                % {"what": _(what), "value": raw, "where": self._where(element)}
            )
            return None
        return str(value)

    def percentage(self, element: etree._Element) -> str | None:
        raw = (element.get("percentage") or "").strip()
        if not raw:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
            self.errors.append(
                _("percentage %(value)r is not a number from 0 to 100 at %(where)s.")
                % {"value": raw, "where": self._where(element)}
            )
            return None
        return str(value)


def _org(element: etree._Element) -> dict[str, Any]:
    return {
        "ref": (element.get("ref") or "").strip(),
        "type": element.get("type", ""),
        "narratives": _narratives(element),
    }


def read_activity(element: etree._Element, line: int) -> ActivityRecord:
    """The supported content of an <iati-activity> element; `errors` lists what makes it unusable."""
    reader = _Reader(line)
    identifier_element = element.find("iati-identifier")
    identifier = None if identifier_element is None else (identifier_element.text or "").strip()
    if identifier_element is None:
        reader.errors.append(
            _("The activity at line %(line)d has no <iati-identifier> element.") % {"line": line}
        )
    default_currency = (element.get("default-currency") or "").strip().upper()
    data: dict[str, Any] = {
        "lang": element.get(XML_LANG, ""),
        "default_currency": default_currency,
        "hierarchy": element.get("hierarchy", ""),
        "last_updated": element.get("last-updated-datetime", ""),
        "reporting_org": None,
        "titles": [],
        "descriptions": [],
        "participating_orgs": [],
        "status": "",
        "dates": [],
        "recipient_countries": [],
        "recipient_regions": [],
        "sectors": [],
        "budgets": [],
        "transactions": [],
        "results": [],
    }
    for child in element:
        tag = child.tag
        if tag == "reporting-org":
            data["reporting_org"] = _org(child)
        elif tag == "title":
            data["titles"] = _narratives(child)
        elif tag == "description":
            data["descriptions"].append({"type": child.get("type", ""), "narratives": _narratives(child)})
        elif tag == "participating-org":
            data["participating_orgs"].append(
                {**_org(child), "role": child.get("role", ""), "activity_id": child.get("activity-id", "")}
            )
        elif tag == "activity-status":
            data["status"] = child.get("code", "")
        elif tag == "activity-date":
            iso = reader.date(child, N_("activity-date"))
            if iso:
                data["dates"].append({"type": child.get("type", ""), "iso_date": iso})
        elif tag == "recipient-country":
            data["recipient_countries"].append(
                {"code": (child.get("code") or "").strip().upper(), "percentage": reader.percentage(child)}
            )
        elif tag == "recipient-region":
            data["recipient_regions"].append(
                {
                    "code": child.get("code", ""),
                    "vocabulary": child.get("vocabulary", ""),
                    "percentage": reader.percentage(child),
                }
            )
        elif tag == "sector":
            data["sectors"].append(
                {
                    "code": child.get("code", ""),
                    "vocabulary": child.get("vocabulary", ""),
                    "percentage": reader.percentage(child),
                    "narratives": _narratives(child),
                }
            )
        elif tag == "budget":
            data["budgets"].append(_budget(reader, child, default_currency))
        elif tag == "transaction":
            data["transactions"].append(_transaction(reader, child, default_currency))
        elif tag == "result":
            data["results"].append(_result(reader, child))
    record = ActivityRecord(line=line, identifier=identifier, data=data, errors=reader.errors)
    for item in data["budgets"] + data["transactions"]:
        if not item["currency"]:
            record.warnings.append(
                _(
                    "An amount at line %(line)d has no currency and the activity no default-currency; "
                    "it is kept in the IATI record but not added to the portfolio."
                )
                % {"line": item["line"]}
            )
    return record


def _children(element: etree._Element) -> dict[str, etree._Element]:
    """The first child element of each tag, in one walk (several `find` calls each walk the children)."""
    found: dict[str, etree._Element] = {}
    for child in element:
        tag = child.tag
        if tag not in found and isinstance(tag, str):
            found[tag] = child
    return found


def _budget(reader: _Reader, element: etree._Element, default_currency: str) -> dict[str, Any]:
    what = N_("budget")
    children = _children(element)
    start = reader.date(children.get("period-start"), N_("budget period-start"))
    end = reader.date(children.get("period-end"), N_("budget period-end"))
    value = children.get("value")
    return {
        "line": element.sourceline or reader.line,
        "type": element.get("type", ""),
        "status": element.get("status", ""),
        "period_start": start,
        "period_end": end,
        "value": reader.amount(value, what),
        "currency": _currency(value, default_currency),
        "value_date": reader.value_date(value, start, what) if value is not None else None,
    }


def _currency(value: etree._Element | None, default_currency: str) -> str:
    given = "" if value is None else (value.get("currency") or "").strip().upper()
    return (given or default_currency)[:3]


def _transaction(reader: _Reader, element: etree._Element, default_currency: str) -> dict[str, Any]:
    what = N_("transaction")
    children = _children(element)
    kind = children.get("transaction-type")
    if kind is None or not kind.get("code"):
        reader.errors.append(
            _("A transaction at line %(line)d has no transaction-type code.")
            % {"line": element.sourceline or reader.line}
        )
    date = reader.date(children.get("transaction-date"), N_("transaction-date"))
    value = children.get("value")
    description = children.get("description")
    provider = children.get("provider-org")
    receiver = children.get("receiver-org")
    return {
        "line": element.sourceline or reader.line,
        "ref": element.get("ref", ""),
        "type": "" if kind is None else kind.get("code", ""),
        "date": date,
        "value": reader.amount(value, what),
        "currency": _currency(value, default_currency),
        "value_date": reader.value_date(value, date, what) if value is not None else None,
        "description": " ".join(n["text"] for n in _narratives(description)[:1]),
        "provider": None
        if provider is None
        else {**_org(provider), "activity_id": provider.get("provider-activity-id", "")},
        "receiver": None
        if receiver is None
        else {**_org(receiver), "activity_id": receiver.get("receiver-activity-id", "")},
    }


def _result(reader: _Reader, element: etree._Element) -> dict[str, Any]:
    indicators = []
    for indicator in element.findall("indicator"):
        baseline = indicator.find("baseline")
        periods = []
        for period in indicator.iterchildren("period"):
            parts = _children(period)
            target = parts.get("target")
            actual = parts.get("actual")
            periods.append(
                {
                    "start": reader.date(parts.get("period-start"), N_("result period-start")),
                    "end": reader.date(parts.get("period-end"), N_("result period-end")),
                    "target": None if target is None else target.get("value", ""),
                    "actual": None if actual is None else actual.get("value", ""),
                }
            )
        indicators.append(
            {
                "measure": indicator.get("measure", ""),
                "ascending": indicator.get("ascending", ""),
                "titles": _narratives(indicator.find("title")),
                "descriptions": _narratives(indicator.find("description")),
                "baseline": None
                if baseline is None
                else {
                    "year": baseline.get("year", ""),
                    "iso_date": baseline.get("iso-date", ""),
                    "value": baseline.get("value", ""),
                },
                "periods": periods,
            }
        )
    return {
        "type": element.get("type", ""),
        "aggregation_status": element.get("aggregation-status", ""),
        "titles": _narratives(element.find("title")),
        "descriptions": _narratives(element.find("description")),
        "indicators": indicators,
    }


def pick(narratives: Narratives, lang: str) -> str:
    """The narrative in the activity's language (or English, or the first one)."""
    for wanted in (lang, "", "en"):
        for narrative in narratives:
            if narrative["lang"] == wanted and narrative["text"]:
                return narrative["text"]
    return next((n["text"] for n in narratives if n["text"]), "")
