"""IATI 2.03 export: projects as <iati-activity> elements in schema order, streamed to the file.

What the portfolio holds (title in the default language, description, status, dates, recipient
countries, budgets, transactions, funding, indicators) comes from the portfolio; what only the IATI
record holds (other languages, participating organisations, regions, sectors, IATI budget periods
and transaction types, result structure) comes from the record kept at import.

Nothing the 2.03 schema refuses is written: what a record lacks (a sector or recipient region
without a code, say) is left out with a note, and each activity is checked against the schema
(when its files are installed, `schema.py`) before it is written; an element the schema still
refuses is left out with a note naming it, and an activity that cannot be made valid is left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from presence.interchange.iati.mapping import XML_LANG
from presence.interchange.iati.schema import activity_schema
from presence.interchange.models import IatiActivity
from presence.portfolio.models import Project, ProjectCountry, Transaction
from presence.results.models import Indicator, IndicatorValue

VERSION = "2.03"
STATUS_CODE = {
    Project.Status.PIPELINE: "1",
    Project.Status.IMPLEMENTATION: "2",
    Project.Status.FINALISATION: "3",
    Project.Status.CLOSED: "4",
    Project.Status.CANCELLED: "5",
    Project.Status.SUSPENDED: "6",
}
TRANSACTION_CODE = {
    Transaction.Kind.COMMITMENT: "2",
    Transaction.Kind.DISBURSEMENT: "3",
    Transaction.Kind.EXPENDITURE: "4",
}
MEASURE_CODE = {
    Indicator.Measure.NUMBER: "1",
    Indicator.Measure.PERCENTAGE: "2",
    Indicator.Measure.QUALITATIVE: "5",
}


def export_queryset(projects: QuerySet[Project]) -> QuerySet[Project]:
    """The projects with everything the export reads, in a fixed number of queries."""
    return projects.select_related("iati", "region", "lead_office").prefetch_related(
        Prefetch("countries", queryset=ProjectCountry.objects.select_related("country")),
        "budgets",
        "transactions",
        "fundings__partner",
        Prefetch("indicators", queryset=Indicator.objects.prefetch_related("values")),
    )


def _amount(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _sub(parent: etree._Element, tag: str, **attributes: str | None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    for name, value in attributes.items():
        if value not in (None, ""):
            element.set(name.replace("_", "-"), str(value))
    return element


def _narratives(parent: etree._Element, narratives: Iterable[dict[str, str]]) -> None:
    for item in narratives:
        narrative = etree.SubElement(parent, "narrative")
        if item.get("lang"):
            narrative.set(XML_LANG, item["lang"])
        narrative.text = item.get("text", "")


def _with_default(narratives: list[dict[str, str]], lang: str, text: str) -> list[dict[str, str]]:
    """The portfolio's text in the activity language, then the other languages kept from the record."""
    others = [n for n in narratives if n.get("lang") not in ("", lang)]
    return ([{"lang": "", "text": text}] if text else []) + others


def _org(parent: etree._Element, tag: str, org: dict[str, Any], **extra: str | None) -> None:
    element = _sub(parent, tag, ref=org.get("ref"), type=org.get("type"), **extra)
    _narratives(element, org.get("narratives") or [])


def _value(parent: etree._Element, amount: Decimal, currency: str, value_date: dt.date) -> None:
    value = _sub(parent, "value", currency=currency, value_date=value_date.isoformat())
    value.text = _amount(amount)


def activity_element(project: Project, notes: list[str] | None = None) -> etree._Element:
    """The <iati-activity> of a project; what the schema would refuse is left out and told in `notes`."""
    told = notes if notes is not None else []
    record: IatiActivity | None = getattr(project, "iati", None)
    data: dict[str, Any] = record.data if record is not None else {}
    links: dict[str, list[int]] = (record.links or {}) if record is not None else {}
    lang = data.get("lang") or "en"
    activity = etree.Element("iati-activity")
    activity.set(XML_LANG, lang)
    activity.set("default-currency", project.currency)
    activity.set("last-updated-datetime", project.updated_at.isoformat(timespec="seconds"))
    if data.get("hierarchy"):
        activity.set("hierarchy", data["hierarchy"])
    identifier = (
        record.identifier if record is not None else f"{settings.IATI_REPORTING_ORG_REF}-{project.code}"
    )
    etree.SubElement(activity, "iati-identifier").text = identifier
    reporting = _sub(
        activity, "reporting-org", ref=settings.IATI_REPORTING_ORG_REF, type=settings.IATI_REPORTING_ORG_TYPE
    )
    _narratives(reporting, [{"lang": "", "text": settings.IATI_REPORTING_ORG_NAME}])
    _narratives(_sub(activity, "title"), _with_default(data.get("titles", []), lang, project.title))
    descriptions = data.get("descriptions") or []
    general = next((d for d in descriptions if d["type"] in ("1", "")), None)
    # The 2.03 schema wants a description; a project without one repeats its title.
    general_text = project.description or ("" if general else project.title)
    _narratives(
        _sub(activity, "description", type="1"),
        _with_default(general["narratives"] if general else [], lang, general_text),
    )
    for item in descriptions:
        if item is not general:
            _narratives(_sub(activity, "description", type=item["type"]), item["narratives"])
    orgs = data.get("participating_orgs") or []
    for org in orgs:
        _org(
            activity,
            "participating-org",
            org,
            role=org.get("role") or "4",
            activity_id=org.get("activity_id"),
        )
    if not orgs:
        own = {
            "ref": settings.IATI_REPORTING_ORG_REF,
            "type": settings.IATI_REPORTING_ORG_TYPE,
            "narratives": [{"lang": "", "text": settings.IATI_REPORTING_ORG_NAME}],
        }
        _org(activity, "participating-org", own, role="4")
        seen: set[int] = set()
        for funding in project.fundings.all():
            if funding.partner is not None and funding.partner_id not in seen:
                seen.add(funding.partner.pk)
                _org(activity, "participating-org", _partner_org(funding.partner), role="1")
    _sub(activity, "activity-status", code=STATUS_CODE.get(Project.Status(project.status), "1"))
    dates = [
        ("1", project.planned_start),
        ("2", project.actual_start),
        ("3", project.planned_end),
        ("4", project.actual_end),
    ]
    for code, day in dates:
        if day is not None:
            _sub(activity, "activity-date", type=code, iso_date=day.isoformat())
    _countries(activity, project, data)
    for region in data.get("recipient_regions", []):
        if not region["code"]:
            told.append(_left_out(identifier, "recipient-region", "it has no code"))
            continue
        _sub(
            activity,
            "recipient-region",
            code=region["code"],
            vocabulary=region["vocabulary"],
            percentage=region["percentage"],
        )
    for sector in data.get("sectors", []):
        if not sector["code"]:
            told.append(_left_out(identifier, "sector", "it has no code"))
            continue
        element = _sub(
            activity,
            "sector",
            vocabulary=sector["vocabulary"],
            code=sector["code"],
            percentage=sector["percentage"],
        )
        _narratives(element, sector.get("narratives") or [])
    _budgets(activity, project, data, links)
    _transactions(activity, project, data, links)
    _results(activity, project, data, record, links, lang)
    return activity


def _left_out(identifier: str, element: str, why: str) -> str:
    return _("%(identifier)s: a <%(element)s> was left out of the export: %(why)s.") % {
        "identifier": identifier,
        "element": element,
        "why": why,
    }


def _schema_checked(
    schema: etree.XMLSchema | None, activity: etree._Element, notes: list[str]
) -> etree._Element | None:
    """The activity with every element the schema refuses left out (a note each), or None when the
    activity itself stays invalid (then it is left out, with a note)."""
    if schema is None:
        return activity
    identifier = activity.findtext("iati-identifier") or "?"
    tree = activity.getroottree()
    for _round in range(10):
        if schema.validate(activity):
            return activity
        removed = False
        for error in schema.error_log:
            found = tree.xpath(error.path) if error.path else []
            element = found[0] if found and isinstance(found[0], etree._Element) else None
            if element is None or element is activity or element.getparent() is None:
                continue
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
                notes.append(_left_out(identifier, str(element.tag), error.message))
                removed = True
        if not removed:
            break
    notes.append(
        _("%(identifier)s was left out of the export: %(faults)s")
        % {"identifier": identifier, "faults": "; ".join(e.message for e in schema.error_log)}
    )
    return None


def _partner_org(partner: Any) -> dict[str, Any]:
    return {
        "ref": partner.iati_identifier,
        "type": partner.organisation_type,
        "narratives": [{"lang": "", "text": partner.name}],
    }


def _countries(activity: etree._Element, project: Project, data: dict[str, Any]) -> None:
    given = {item["code"]: item["percentage"] for item in data.get("recipient_countries", [])}
    known: set[str] = set()
    for item in project.countries.all():
        known.add(item.country.iso2)
        percentage = _amount(item.percentage) if item.percentage is not None else given.get(item.country.iso2)
        _sub(activity, "recipient-country", code=item.country.iso2, percentage=percentage)
    for code, percentage in given.items():
        if code not in known and code:
            _sub(activity, "recipient-country", code=code, percentage=percentage)


def _budgets(
    activity: etree._Element, project: Project, data: dict[str, Any], links: dict[str, list[Any]]
) -> None:
    """The budgets as published (from the IATI record), then portfolio budgets the import did not make."""
    linked = {pk for pk in links.get("budgets", []) if pk is not None}
    for item in data.get("budgets", []):
        budget = _sub(activity, "budget", type=item["type"], status=item["status"])
        _sub(budget, "period-start", iso_date=item["period_start"])
        _sub(budget, "period-end", iso_date=item["period_end"])
        _value_text(budget, Decimal(item["value"]), item["currency"], item["value_date"])
    for native in project.budgets.all():
        if native.pk in linked:
            continue
        budget = _sub(activity, "budget", type="1", status="2")
        _sub(budget, "period-start", iso_date=f"{native.year}-01-01")
        _sub(budget, "period-end", iso_date=f"{native.year}-12-31")
        _value(budget, native.amount, native.currency, dt.date(native.year, 1, 1))


def _value_text(parent: etree._Element, amount: Decimal, currency: str, value_date: str) -> None:
    value = _sub(parent, "value", currency=currency, value_date=value_date)
    value.text = _amount(amount)


def _transaction(
    activity: etree._Element,
    *,
    code: str,
    day: dt.date,
    amount: Decimal,
    currency: str,
    value_date: dt.date,
    ref: str = "",
    description: str = "",
    provider: dict[str, Any] | None = None,
    receiver: dict[str, Any] | None = None,
) -> None:
    element = _sub(activity, "transaction", ref=ref)
    _sub(element, "transaction-type", code=code)
    _sub(element, "transaction-date", iso_date=day.isoformat())
    _value(element, amount, currency, value_date)
    if description:
        _narratives(_sub(element, "description"), [{"lang": "", "text": description}])
    if provider:
        _org(element, "provider-org", provider, provider_activity_id=provider.get("activity_id"))
    if receiver:
        _org(element, "receiver-org", receiver, receiver_activity_id=receiver.get("activity_id"))


def _transactions(
    activity: etree._Element, project: Project, data: dict[str, Any], links: dict[str, list[Any]]
) -> None:
    linked = {pk for pk in links.get("transactions", []) if pk is not None}
    for item in data.get("transactions", []):
        if not item["date"]:
            continue
        day = dt.date.fromisoformat(item["date"])
        _transaction(
            activity,
            code=item["type"],
            day=day,
            amount=Decimal(item["value"]),
            currency=item["currency"],
            value_date=dt.date.fromisoformat(item["value_date"]) if item["value_date"] else day,
            ref=item["ref"],
            description=item["description"],
            provider=_strip_empty(item["provider"]),
            receiver=_strip_empty(item["receiver"]),
        )
    derived_fundings = set(links.get("fundings", []))
    for funding in project.fundings.all():
        if funding.pk in derived_fundings:
            continue
        _transaction(
            activity,
            code="11",
            day=funding.signed_on,
            amount=funding.amount,
            currency=funding.currency,
            value_date=funding.signed_on,
            description=str(funding.source),
            provider=_partner_org(funding.partner) if funding.partner is not None else None,
        )
    for native in project.transactions.all():
        if native.pk in linked:
            continue
        _transaction(
            activity,
            code=TRANSACTION_CODE[Transaction.Kind(native.kind)],
            day=native.date,
            amount=native.amount,
            currency=native.currency,
            value_date=native.date,
            description=native.description,
        )


def _strip_empty(org: dict[str, Any] | None) -> dict[str, Any] | None:
    if org is None:
        return None
    org = {**org, "narratives": [n for n in org["narratives"] if n["text"]]}
    return org if org["ref"] or org["narratives"] else None


def _results(
    activity: etree._Element,
    project: Project,
    data: dict[str, Any],
    record: IatiActivity | None,
    links: dict[str, list[int]],
    lang: str,
) -> None:
    for result in data.get("results", []):
        element = _sub(
            activity, "result", type=result["type"] or "1", aggregation_status=result["aggregation_status"]
        )
        _narratives(_sub(element, "title"), result["titles"] or [{"lang": "", "text": "Result"}])
        if result["descriptions"]:
            _narratives(_sub(element, "description"), result["descriptions"])
        for item in result["indicators"]:
            indicator = _sub(
                element, "indicator", measure=item["measure"] or "1", ascending=item["ascending"]
            )
            _narratives(_sub(indicator, "title"), item["titles"] or [{"lang": "", "text": "Indicator"}])
            if item["descriptions"]:
                _narratives(_sub(indicator, "description"), item["descriptions"])
            baseline = item.get("baseline")
            if baseline and baseline.get("year"):
                _sub(
                    indicator,
                    "baseline",
                    year=baseline["year"],
                    iso_date=baseline.get("iso_date"),
                    value=baseline.get("value"),
                )
            for period in item["periods"]:
                _period(indicator, period["start"], period["end"], period["target"], period["actual"])
    derived = set(links.get("indicators", []))
    for native in project.indicators.all():
        if native.pk in derived:
            continue
        element = _sub(activity, "result", type="1")
        _narratives(_sub(element, "title"), [{"lang": "", "text": native.name}])
        indicator = _sub(
            element,
            "indicator",
            measure=MEASURE_CODE[Indicator.Measure(native.measure)],
            ascending="0" if native.direction == Indicator.Direction.DECREASE else "1",
        )
        _narratives(_sub(indicator, "title"), [{"lang": "", "text": native.name}])
        if native.baseline_year is not None:
            _sub(
                indicator,
                "baseline",
                year=str(native.baseline_year),
                value=_amount(native.baseline_value) if native.baseline_value is not None else None,
            )
        for value in native.values.all():
            if value.breakdown_region_id is not None or value.gender:
                continue
            start, end = _period_dates(value)
            _period(
                indicator,
                start.isoformat(),
                end.isoformat(),
                _amount(value.target) if value.target is not None else None,
                _amount(value.actual) if value.actual is not None else None,
            )
    del record, lang


def _period_dates(value: IndicatorValue) -> tuple[dt.date, dt.date]:
    if value.quarter == 0:
        return dt.date(value.year, 1, 1), dt.date(value.year, 12, 31)
    start = dt.date(value.year, 3 * value.quarter - 2, 1)
    end = (
        dt.date(value.year + 1, 1, 1) if value.quarter == 4 else dt.date(value.year, 3 * value.quarter + 1, 1)
    )
    return start, end - dt.timedelta(days=1)


def _period(indicator: etree._Element, start: str, end: str, target: str | None, actual: str | None) -> None:
    period = _sub(indicator, "period")
    _sub(period, "period-start", iso_date=start)
    _sub(period, "period-end", iso_date=end)
    if target is not None:
        _sub(period, "target", value=target)
    if actual is not None:
        _sub(period, "actual", value=actual)


def write_activities(
    projects: QuerySet[Project],
    output: Path | IO[bytes],
    *,
    progress: Callable[[int, int], None] | None = None,
    notes: list[str] | None = None,
) -> int:
    """Write an iati-activities 2.03 file of the projects, streaming; returns the number written.

    What was left out for the schema's sake is told in `notes`."""
    told = notes if notes is not None else []
    schema = activity_schema()
    total = projects.count()
    written = 0
    target = str(output) if isinstance(output, Path) else output
    with etree.xmlfile(target, encoding="utf-8") as xf:
        xf.write_declaration()
        attributes = {"version": VERSION, "generated-datetime": timezone.now().isoformat(timespec="seconds")}
        with xf.element("iati-activities", attributes):
            for done, project in enumerate(export_queryset(projects).iterator(chunk_size=200), start=1):
                element = _schema_checked(schema, activity_element(project, told), told)
                if element is not None:
                    xf.write(element, pretty_print=True)
                    written += 1
                if progress and (done % 50 == 0 or done == total):
                    progress(done, total)
    return written
