"""Validation of IATI activities in Python: each becomes a Plan of plain values, or is refused.

The rules are those of the portfolio and results services (access through `presence.org.access.can`,
project dates, exchange rates, amounts that fit their fields, one value per indicator and year), checked
against reference data loaded once per import and records loaded once per batch, so nothing is written
for an activity that is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied
from presence.core.services import Actor
from presence.core.years import YEAR_MAX, YEAR_MIN
from presence.interchange.iati.mapping import ActivityRecord, pick
from presence.interchange.models import IatiActivity
from presence.org.access import Action, can, denial
from presence.org.models import Country, Office, Region
from presence.portfolio.models import (
    Budget,
    Funding,
    FundingSource,
    Partner,
    Project,
    ProjectCountry,
    Transaction,
)
from presence.portfolio.rates import RateBook, rate_problem
from presence.portfolio.services import country_share_problem
from presence.results.models import Indicator
from presence.results.services import indicator_problems, indicator_value_problems

BATCH = 200
STATUS = {
    "1": Project.Status.PIPELINE,
    "2": Project.Status.IMPLEMENTATION,
    "3": Project.Status.FINALISATION,
    "4": Project.Status.CLOSED,
    "5": Project.Status.CANCELLED,
    "6": Project.Status.SUSPENDED,
}
TRANSACTION_KIND = {
    "2": Transaction.Kind.COMMITMENT,
    "3": Transaction.Kind.DISBURSEMENT,
    "4": Transaction.Kind.EXPENDITURE,
}
# Incoming commitments from a provider organisation become the project's funding.
FUNDING_TYPES = ("11",)
MEASURE = {
    "1": Indicator.Measure.NUMBER,
    "2": Indicator.Measure.PERCENTAGE,
    "3": Indicator.Measure.QUALITATIVE,
    "4": Indicator.Measure.QUALITATIVE,
    "5": Indicator.Measure.QUALITATIVE,
}
ORG_TYPES = {choice.value for choice in Partner.OrganisationType}
DERIVED_PREFIX = "ZZ-PRESENCE-"
CODE_MAX = 30
IDENTIFIER_MAX = IatiActivity._meta.get_field("identifier").max_length or 255
# (max digits, decimal places) of the portfolio's money fields and of indicator values.
MONEY = (16, 2)
MEASUREMENT = (14, 2)
PERCENTAGE = (5, 2)
CURRENCY = re.compile(r"[A-Z]{3}")
PROJECT_FIELDS = (
    "title", "description", "status", "planned_start", "planned_end", "actual_start", "actual_end",
    "region", "lead_office", "currency",
)  # fmt: skip
PROJECT_AUDITED = (
    "code", "title", "status", "planned_start", "planned_end", "actual_start", "actual_end",
    "region", "lead_office", "currency",
)  # fmt: skip


class Lookups:
    """Reference data read once per import: countries, offices, regions, funding source, exchange rates."""

    def __init__(self, *, office: Office | None = None) -> None:
        self.countries = {c.iso2: c for c in Country.objects.select_related("region")}
        self.regions = {r.code: r for r in Region.objects.all()}
        self.office = office
        covering: dict[int, Office] = {}
        for each in Office.objects.filter(closed_on__isnull=True).prefetch_related("covered_countries"):
            for country in each.covered_countries.all():
                current = covering.get(country.pk)
                # Prefer an area office over the regional office that also covers the country.
                if current is None or (
                    current.kind == Office.Kind.REGIONAL and each.kind == Office.Kind.AREA
                ):
                    covering[country.pk] = each
        self.covering = covering
        self.regional = {
            o.region_id: o for o in Office.objects.filter(kind=Office.Kind.REGIONAL, closed_on__isnull=True)
        }
        self.headquarters = Office.objects.filter(kind=Office.Kind.HEADQUARTERS).order_by("pk").first()
        self.partner_source = (
            FundingSource.objects.filter(kind=FundingSource.Kind.PARTNER)
            .order_by("sort_order", "code")
            .first()
        )
        self.rates = RateBook.load()
        self.project_type = ContentType.objects.get_for_model(Project)
        self.partner_type = ContentType.objects.get_for_model(Partner)

    def has_rate(self, currency: str, on: dt.date) -> bool:
        """The services' rule (`presence.portfolio.rates.rate_problem`) on the rates read once."""
        return len(currency) == 3 and rate_problem(self.rates, currency, on) is None


def _project_code(identifier: str) -> str:
    code = re.sub(r"[^0-9A-Z]+", "-", identifier.upper()).strip("-") or "IATI"
    if len(code) > CODE_MAX:
        digest = hashlib.sha1(identifier.encode()).hexdigest()[:6].upper()  # noqa: S324 - a short label
        code = f"{code[: CODE_MAX - 7].rstrip('-')}-{digest}"
    return code


def _clash_code(identifier: str) -> str:
    code = _project_code(identifier)
    digest = hashlib.sha1(identifier.encode()).hexdigest()[:8].upper()  # noqa: S324 - a short label
    return f"{code[: CODE_MAX - 9].rstrip('-')}-{digest}"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _day(value: str | None) -> dt.date:
    """A date the reader has checked: activities with a missing or bad date were rejected before."""
    if not value:
        raise ValidationError({"__all__": _("A required date is missing.")})
    return dt.date.fromisoformat(value)


def _decimal(value: str | None) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


# (max digits, decimal places) -> (quantum, first value too large), computed once per size.
_FIT_LIMITS: dict[tuple[int, int], tuple[Decimal, Decimal]] = {}


def _fit(value: Decimal, size: tuple[int, int]) -> Decimal | None:
    """The value as a field of (max digits, decimal places) stores it, or None when it does not fit."""
    limits = _FIT_LIMITS.get(size)
    if limits is None:
        digits, places = size
        limits = _FIT_LIMITS[size] = (Decimal(1).scaleb(-places), Decimal(10) ** (digits - places))
    quantum, bound = limits
    try:
        fitted = value.quantize(quantum)
    except InvalidOperation:
        return None
    if fitted != value or abs(fitted) >= bound:
        return None
    return fitted


def _user(actor: Actor) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _project_fields(record: ActivityRecord, lookups: Lookups, identifier: str) -> dict[str, Any]:
    data = record.data
    lang = data["lang"] or "en"
    by_type: dict[str, dt.date] = {}
    every: list[dt.date] = []
    for item in data["dates"]:
        day = dt.date.fromisoformat(item["iso_date"])
        every.append(day)
        by_type.setdefault(item["type"], day)
    if not every:
        raise ValidationError({"planned_start": _("The activity has no activity-date, so it has no period.")})
    planned_start = by_type.get("1") or by_type.get("2") or min(every)
    planned_end = by_type.get("3") or by_type.get("4") or max(every)
    planned_end = (
        max(planned_end, planned_start) if "3" not in by_type and "4" not in by_type else planned_end
    )
    actual_start, actual_end = by_type.get("2"), by_type.get("4")
    if actual_end and not actual_start:
        record.warnings.append(
            _("%(id)s: an actual end without an actual start was not kept.") % {"id": identifier}
        )
        actual_end = None
    status = STATUS.get(data["status"])
    if status is None:
        status = Project.Status.PIPELINE
        record.warnings.append(
            _("%(id)s: activity-status %(code)r is not an IATI status; the project is in the pipeline.")
            % {"id": identifier, "code": data["status"]}
        )
    countries = [
        lookups.countries[c["code"]] for c in data["recipient_countries"] if c["code"] in lookups.countries
    ]
    regions = {c.region_id for c in countries}
    region = next(c.region for c in countries) if len(regions) == 1 else lookups.regions.get("MUL")
    if region is None:
        raise ValidationError(
            {"region": _("The reference data has no MUL region; load the reference data first.")}
        )
    office = lookups.office
    if office is None and countries:
        office = lookups.covering.get(countries[0].pk)
    if office is None:
        office = lookups.regional.get(region.pk) or lookups.headquarters
    if office is None:
        raise ValidationError(
            {"lead_office": _("No office can lead the project; load the reference data first.")}
        )
    descriptions = [d for d in data["descriptions"] if d["type"] in ("1", "")] or data["descriptions"]
    currency = data["default_currency"] if CURRENCY.fullmatch(data["default_currency"] or "") else "CHF"
    return {
        "title": (pick(data["titles"], lang) or identifier)[:300],
        "description": pick(descriptions[0]["narratives"], lang) if descriptions else "",
        "status": status,
        "planned_start": planned_start,
        "planned_end": planned_end,
        "actual_start": actual_start,
        "actual_end": actual_end,
        "region": region,
        "lead_office": office,
        "currency": currency,
    }


def _countries(
    record: ActivityRecord, lookups: Lookups, identifier: str
) -> list[tuple[Country, Decimal | None]]:
    chosen: list[tuple[Country, Decimal | None]] = []
    seen: set[str] = set()
    for item in record.data["recipient_countries"]:
        country = lookups.countries.get(item["code"])
        if country is None:
            record.warnings.append(
                _(
                    "%(id)s: recipient-country %(code)r is not in the country list; "
                    "kept in the IATI record only."
                )
                % {"id": identifier, "code": item["code"]}
            )
            continue
        if item["code"] in seen:
            continue
        seen.add(item["code"])
        chosen.append((country, _decimal(item["percentage"])))
    shares = [(country, None if p is None else _fit(p, PERCENTAGE)) for country, p in chosen]
    if country_share_problem(shares) is not None:
        # Shares the portfolio would refuse stay in the IATI record; the countries are kept.
        return [(country, None) for country, _p in shares]
    return shares


@dataclass
class IndicatorPlan:
    result_index: int
    indicator_index: int
    fields: dict[str, Any]
    # (IATI period, start, end, (year, target, actual) of the indicator value made from it, or None)
    periods: list[tuple[dict[str, Any], dt.date, dt.date, tuple[int, Decimal | None, Decimal | None] | None]]


@dataclass
class Plan:
    """One validated activity, ready to be written: plain values only, so a batch can be written again."""

    record: ActivityRecord
    identifier: str
    given: bool
    fingerprint: str
    existing: IatiActivity | None
    code: str
    fields: dict[str, Any]
    changed: dict[str, Any]
    countries: list[tuple[Country, Decimal | None]]
    # IATI budget index -> portfolio year, and year -> (amount, currency)
    budget_years: dict[int, int] = field(default_factory=dict)
    budgets: dict[int, tuple[Decimal, str]] = field(default_factory=dict)
    # IATI transaction index -> ("transaction", kind, amount) or ("funding", provider ref, amount)
    transactions: dict[int, tuple[str, str, Decimal]] = field(default_factory=dict)
    indicators: list[IndicatorPlan] = field(default_factory=list)
    partners: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def outcome(self) -> str:
        return "created" if self.existing is None else "updated"


@dataclass
class Batch:
    """What one batch needs from the database, read in one query each, and the access decisions made."""

    existing: dict[str, IatiActivity]
    partner_refs: set[str]
    taken_codes: set[str]
    decisions: dict[tuple[Action, type[models.Model], int, int], bool] = field(default_factory=dict)

    def allowed(
        self, actor: Actor, action: Action, model: type[models.Model], region: Region, office: Office
    ) -> None:
        """AccessDenied unless `presence.org.access.can` allows the action on such a record there."""
        key = (action, model, region.pk, office.pk)
        decision = self.decisions.get(key)
        if decision is None:
            place = Project(region=region, lead_office=office)
            if model is Project:
                draft: models.Model = place
            elif model is Indicator:
                draft = Indicator(region=region, office=office)
            elif model is Partner:
                draft = Partner()
            else:
                draft = model(project=place)
            decision = self.decisions[key] = can(actor, action, draft)
        if not decision:
            raise AccessDenied(denial(action, model))


def _identifier(record: ActivityRecord, fingerprint: str) -> tuple[str, bool]:
    if record.identifier:
        return record.identifier, True
    return DERIVED_PREFIX + fingerprint[:16].upper(), False


def _org_refs(record: ActivityRecord) -> dict[str, dict[str, Any]]:
    refs = {org["ref"][:100]: org for org in record.data["participating_orgs"] if org["ref"]}
    for item in record.data["transactions"]:
        provider = item["provider"]
        if item["type"] in FUNDING_TYPES and provider and provider["ref"]:
            refs.setdefault(provider["ref"][:100], provider)
    return refs


def _load_batch(items: list[tuple[ActivityRecord, str, bool, str]]) -> Batch:
    identifiers = [identifier for _r, identifier, _g, _f in items]
    existing = {
        a.identifier: a
        for a in IatiActivity.objects.select_related("project__region", "project__lead_office").filter(
            identifier__in=identifiers
        )
    }
    refs = {ref for record, *_rest in items for ref in _org_refs(record)}
    partner_refs = set(
        Partner.objects.filter(iati_identifier__in=list(refs)).values_list("iati_identifier", flat=True)
    )
    codes = [_project_code(identifier) for identifier in identifiers if identifier not in existing]
    taken = set(Project.objects.filter(code__in=codes).values_list("code", flat=True))
    return Batch(existing=existing, partner_refs=partner_refs, taken_codes=taken)


def _plan_budgets(plan: Plan, lookups: Lookups) -> None:
    """IATI budgets as published; the portfolio gets one budget per calendar year where that is exact."""
    items = plan.record.data["budgets"]
    by_year: dict[int, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        start, end = _date(item["period_start"]), _date(item["period_end"])
        if start and end and start.year == end.year and item["currency"]:
            by_year[start.year].append(index)
    for year, indexes in by_year.items():
        # A revised budget replaces the original one for the same year.
        chosen = [i for i in indexes if items[i]["type"] == "2"] or indexes
        currencies = {items[i]["currency"] for i in chosen}
        total = sum((Decimal(items[i]["value"]) for i in chosen), Decimal(0))
        currency = currencies.pop() if len(currencies) == 1 else ""
        amount = _fit(total, MONEY) if total >= 0 else None
        if not currency or amount is None or not lookups.has_rate(currency, dt.date(year, 1, 1)):
            plan.record.warnings.append(
                _(
                    "%(id)s: the %(year)d budget stays in the IATI record only "
                    "(no exchange rate for %(currency)s, mixed currencies, a negative amount "
                    "or an amount with more than 2 decimals)."
                )
                % {"id": plan.identifier, "year": year, "currency": currency or "?"}
            )
            continue
        plan.budgets[year] = (amount, currency)
        for i in chosen:
            plan.budget_years[i] = year


def _plan_transactions(plan: Plan, lookups: Lookups) -> None:
    for index, item in enumerate(plan.record.data["transactions"]):
        date = _date(item["date"])
        if date is None:
            continue
        value = Decimal(item["value"])
        amount = _fit(value, MONEY) if value >= 0 else None
        convertible = amount is not None and lookups.has_rate(item["currency"], date)
        if not convertible or amount is None:
            continue
        kind = TRANSACTION_KIND.get(item["type"])
        provider = item["provider"]
        if kind is not None:
            plan.transactions[index] = ("transaction", kind, amount)
        elif (
            item["type"] in FUNDING_TYPES
            and provider
            and provider["ref"]
            and lookups.partner_source is not None
        ):
            plan.transactions[index] = ("funding", provider["ref"][:100], amount)


def _plan_results(plan: Plan, code: str) -> None:
    """Result indicators become the project's indicators; each period's year its target and actual."""
    data = plan.record.data
    lang = data["lang"] or "en"
    for r_index, result in enumerate(data["results"], start=1):
        for i_index, item in enumerate(result["indicators"], start=1):
            measure = MEASURE.get(item["measure"], Indicator.Measure.NUMBER)
            baseline = item["baseline"] or {}
            baseline_value = _decimal(baseline.get("value"))
            year_text = str(baseline.get("year", ""))
            baseline_year = (
                int(year_text) if year_text.isdigit() and YEAR_MIN <= int(year_text) <= YEAR_MAX else None
            )
            if baseline_value is not None:
                baseline_value = _fit(baseline_value, MEASUREMENT)
            if baseline_year is None:
                baseline_value = None
            # A baseline the results services would refuse stays in the IATI record only.
            if indicator_problems(
                {"measure": measure, "baseline_year": baseline_year, "baseline_value": baseline_value}
            ):
                baseline_value = None
            name = pick(item["titles"], lang) or pick(result["titles"], lang) or _("Result indicator")
            indicator = IndicatorPlan(
                result_index=r_index,
                indicator_index=i_index,
                fields={
                    "code": f"{code[:22]}-R{r_index}I{i_index}"[:30],
                    "name": name[:300],
                    "measure": measure,
                    "direction": Indicator.Direction.DECREASE
                    if item["ascending"] in ("0", "false")
                    else Indicator.Direction.INCREASE,
                    "baseline_year": baseline_year if baseline_value is not None else None,
                    "baseline_value": baseline_value,
                },
                periods=[],
            )
            years_used: set[int] = set()
            for period in item["periods"]:
                start, end = _date(period["start"]), _date(period["end"])
                if start is None or end is None:  # rejected while reading
                    continue
                target, actual = _decimal(period["target"]), _decimal(period["actual"])
                target = None if target is None else _fit(target, MEASUREMENT)
                actual = None if actual is None else _fit(actual, MEASUREMENT)
                numbers_fit = not indicator_value_problems(measure, {"target": target, "actual": actual})
                value = None
                if (
                    start.year == end.year
                    and start.year not in years_used
                    and numbers_fit
                    and (target is not None or actual is not None)
                ):
                    years_used.add(start.year)
                    value = (start.year, target, actual)
                indicator.periods.append((period, start, end, value))
            plan.indicators.append(indicator)


def prepare(
    *,
    actor: Actor,
    record: ActivityRecord,
    identifier: str,
    given: bool,
    fingerprint: str,
    batch: Batch,
    lookups: Lookups,
) -> Plan:
    """Validate one activity completely in Python: a Plan to write, or ValidationError/AccessDenied."""
    if record.errors:
        raise ValidationError({"__all__": record.errors})
    if len(identifier) > IDENTIFIER_MAX:
        raise ValidationError(
            {"iati_identifier": _("The identifier is longer than %(n)d characters.") % {"n": IDENTIFIER_MAX}}
        )
    if not given:
        record.warnings.append(
            _("The activity at line %(line)d has an empty iati-identifier; it was stored as %(id)s.")
            % {"line": record.line, "id": identifier}
        )
    existing = batch.existing.get(identifier)
    fields = _project_fields(record, lookups, identifier)
    Project(**fields).clean()  # the project's own rules: dates, where its office may lead it
    countries = _countries(record, lookups, identifier)
    region, office = fields["region"], fields["lead_office"]
    allow = batch.allowed
    if existing is None:
        allow(actor, Action.ADD, Project, region, office)
        code = _project_code(identifier)
        if code in batch.taken_codes:
            code = _clash_code(identifier)
        batch.taken_codes.add(code)
        changed: dict[str, Any] = {}
    else:
        project = existing.project
        allow(actor, Action.CHANGE, Project, project.region, project.lead_office)
        code = project.code
        changed = {name: value for name, value in fields.items() if getattr(project, name) != value}
        if "region" in changed or "lead_office" in changed:
            allow(actor, Action.CHANGE, Project, region, office)
        # What the previous import made is replaced.
        for model in (Budget, Transaction, Funding, ProjectCountry, Indicator):
            allow(actor, Action.DELETE, model, project.region, project.lead_office)
    plan = Plan(
        record=record,
        identifier=identifier,
        given=given,
        fingerprint=fingerprint,
        existing=existing,
        code=code,
        fields=fields,
        changed=changed,
        countries=countries,
    )
    _plan_budgets(plan, lookups)
    _plan_transactions(plan, lookups)
    _plan_results(plan, code)
    plan.partners = _org_refs(record)
    if any(ref not in batch.partner_refs for ref in plan.partners):
        allow(actor, Action.ADD, Partner, region, office)
    for model, wanted in (
        (ProjectCountry, plan.countries),
        (Budget, plan.budgets),
        (Transaction, [t for t in plan.transactions.values() if t[0] == "transaction"]),
        (Funding, [t for t in plan.transactions.values() if t[0] == "funding"]),
        (Indicator, plan.indicators),
    ):
        if wanted:
            allow(actor, Action.ADD, model, region, office)
    return plan
