"""IATI import: each activity becomes a project (through the portfolio and results services), atomically.

The file is read twice: a first streaming pass refuses unsafe or malformed files before any write and
counts the activities; the second pass stores each activity in its own transaction. An activity that
cannot be stored is rolled back alone and reported with its identifier, line and reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied, InvalidTransition, VersionConflict
from presence.core.models import AuditEntry
from presence.core.services import Actor, audit_record, tracked_create, tracked_update
from presence.interchange.iati.mapping import ActivityRecord, pick, read_activity
from presence.interchange.iati.reader import activities, inspect
from presence.interchange.models import IatiActivity, IatiBudget, IatiResultPeriod, IatiTransaction
from presence.org.models import Country, Office, Region
from presence.portfolio import services as portfolio
from presence.portfolio.models import Budget, Funding, FundingSource, Partner, Project, Transaction
from presence.portfolio.rates import RateBook
from presence.results import services as results
from presence.results.models import Indicator

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
# Incoming commitments and incoming funds from a provider organisation become the project's funding.
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


@dataclass
class Rejection:
    identifier: str
    line: int
    message: str

    def __str__(self) -> str:
        return _("%(identifier)s (line %(line)d): %(message)s") % {
            "identifier": self.identifier or _("(no identifier)"),
            "line": self.line,
            "message": self.message,
        }


@dataclass
class ImportSummary:
    source: str = ""
    dry_run: bool = False
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    refused: str = ""

    @property
    def exit_code(self) -> int:
        """0 every activity stored, 1 some rejected, 2 the file itself refused."""
        if self.refused:
            return 2
        return 1 if self.rejected else 0

    def line(self) -> str:
        if self.refused:
            return _("%(source)s refused: %(reason)s") % {"source": self.source, "reason": self.refused}
        verb = _("would be") if self.dry_run else ""
        return _(
            "%(source)s: %(total)d activities; %(verb)s created %(created)d, updated %(updated)d, "
            "unchanged %(unchanged)d, rejected %(rejected)d"
        ) % {
            "source": self.source,
            "total": self.total,
            "verb": verb,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "rejections": [
                {"identifier": r.identifier, "line": r.line, "message": r.message} for r in self.rejections
            ],
            "warnings": self.warnings[:500],
            "refused": self.refused,
            "exit_code": self.exit_code,
        }


class _DryRun(Exception):
    pass


class Lookups:
    """Reference data read once per import: countries, offices, regions, partners, funding sources."""

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
        self.forget_partners()
        self.partner_source = (
            FundingSource.objects.filter(kind=FundingSource.Kind.PARTNER)
            .order_by("sort_order", "code")
            .first()
        )
        self.rates = RateBook.load()

    def forget_partners(self) -> None:
        """Reload partners (after a rollback, partners made for the rolled-back activity are gone)."""
        self.partners = {p.iati_identifier: p for p in Partner.objects.exclude(iati_identifier="")}
        self.partner_names = set(Partner.objects.values_list("name", flat=True))

    def has_rate(self, currency: str, on: dt.date) -> bool:
        return len(currency) == 3 and self.rates.rate(currency, on) is not None


def _project_code(identifier: str) -> str:
    code = re.sub(r"[^0-9A-Z]+", "-", identifier.upper()).strip("-") or "IATI"
    if len(code) > CODE_MAX or code != identifier:
        digest = hashlib.sha1(identifier.encode()).hexdigest()[:6].upper()  # noqa: S324 - a short label
        code = f"{code[: CODE_MAX - 7].rstrip('-')}-{digest}" if len(code) > CODE_MAX else code
    return code


def _unique_code(identifier: str) -> str:
    code = _project_code(identifier)
    if Project.objects.filter(code=code).exists():
        digest = hashlib.sha1(identifier.encode()).hexdigest()[:8].upper()  # noqa: S324 - a short label
        code = f"{code[: CODE_MAX - 9].rstrip('-')}-{digest}"
    return code


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
    currency = (
        data["default_currency"] if re.fullmatch(r"[A-Z]{3}", data["default_currency"] or "") else "CHF"
    )
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
    percentages = [p for _c, p in chosen]
    if chosen and (None in percentages or sum(p or Decimal(0) for p in percentages) != Decimal(100)):
        chosen = [(country, None) for country, _p in chosen]
    return chosen


def _partner(ref: str, org: dict[str, Any], actor: Actor, lookups: Lookups) -> Partner:
    partner = lookups.partners.get(ref)
    if partner is not None:
        return partner
    name = (pick(org["narratives"], "en") or ref)[:200]
    if name in lookups.partner_names:
        name = f"{name[: 200 - len(ref) - 3]} ({ref})"
    partner = portfolio.partner_create(
        actor=actor,
        name=name,
        organisation_type=org["type"] if org["type"] in ORG_TYPES else Partner.OrganisationType.OTHER,
        iati_identifier=ref[:100],
        country=None,
    )
    lookups.partners[ref] = partner
    lookups.partner_names.add(name)
    return partner


def _remove_derived(activity: IatiActivity, actor: Actor) -> None:
    """Before an update: remove what the previous import made, through the owners' services."""
    for item in IatiBudget.objects.filter(activity=activity, budget__isnull=False).select_related("budget"):
        if item.budget is not None:
            portfolio.budget_delete(actor=actor, budget=item.budget, expected_version=None)
    for tx in IatiTransaction.objects.filter(activity=activity, transaction__isnull=False).select_related(
        "transaction"
    ):
        if tx.transaction is not None:
            portfolio.transaction_delete(
                actor=actor, transaction_record=tx.transaction, expected_version=None
            )
    links = activity.links or {}
    for funding in Funding.objects.filter(pk__in=links.get("fundings", [])):
        portfolio.funding_delete(actor=actor, funding=funding, expected_version=None)
    for indicator in Indicator.objects.filter(pk__in=links.get("indicators", [])):
        results.indicator_delete(actor=actor, indicator=indicator, expected_version=None)
    IatiBudget.objects.filter(activity=activity).delete()
    IatiTransaction.objects.filter(activity=activity).delete()
    IatiResultPeriod.objects.filter(activity=activity).delete()


def _budgets(record: ActivityRecord, activity: IatiActivity, actor: Actor, lookups: Lookups) -> None:
    """IATI budgets as published; the portfolio gets one budget per calendar year where that is exact."""
    items = record.data["budgets"]
    by_year: dict[int, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        start, end = _date(item["period_start"]), _date(item["period_end"])
        if start and end and start.year == end.year and item["currency"]:
            by_year[start.year].append(index)
    portfolio_budget: dict[int, Budget] = {}
    for year, indexes in by_year.items():
        # A revised budget replaces the original one for the same year.
        revised = [i for i in indexes if items[i]["type"] == "2"]
        chosen = revised or indexes
        currencies = {items[i]["currency"] for i in chosen}
        amount = sum((Decimal(items[i]["value"]) for i in chosen), Decimal(0))
        currency = currencies.pop() if len(currencies) == 1 else ""
        if not currency or amount < 0 or not lookups.has_rate(currency, dt.date(year, 1, 1)):
            record.warnings.append(
                _(
                    "%(id)s: the %(year)d budget stays in the IATI record only "
                    "(no exchange rate for %(currency)s, "
                    "mixed currencies or a negative amount)."
                )
                % {"id": activity.identifier, "year": year, "currency": currency or "?"}
            )
            continue
        budget = portfolio.budget_create(
            actor=actor, project=activity.project, year=year, amount=amount, currency=currency
        )
        for i in chosen:
            portfolio_budget[i] = budget
    IatiBudget.objects.bulk_create(
        [
            IatiBudget(
                activity=activity,
                budget_type=item["type"][:4],
                status=item["status"][:4],
                period_start=_day(item["period_start"]),
                period_end=_day(item["period_end"]),
                value=Decimal(item["value"]),
                currency=item["currency"],
                value_date=_day(item["value_date"]),
                budget=portfolio_budget.get(index),
                created_by=_user(actor),
                updated_by=_user(actor),
            )
            for index, item in enumerate(items)
        ]
    )


def _user(actor: Actor) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _transactions(
    record: ActivityRecord, activity: IatiActivity, actor: Actor, lookups: Lookups
) -> list[int]:
    rows = []
    fundings: list[int] = []
    for item in record.data["transactions"]:
        value = Decimal(item["value"])
        date = _date(item["date"])
        if date is None:  # a transaction without a date was rejected while reading
            continue
        linked = None
        kind = TRANSACTION_KIND.get(item["type"])
        convertible = value >= 0 and lookups.has_rate(item["currency"], date)
        if kind is not None and convertible:
            linked = portfolio.transaction_create(
                actor=actor,
                project=activity.project,
                kind=kind,
                date=date,
                amount=value,
                currency=item["currency"],
                description=item["description"][:300],
            )
        elif (
            item["type"] in FUNDING_TYPES
            and convertible
            and item["provider"]
            and item["provider"]["ref"]
            and lookups.partner_source is not None
        ):
            partner = _partner(item["provider"]["ref"], item["provider"], actor, lookups)
            funding = portfolio.funding_create(
                actor=actor,
                project=activity.project,
                source=lookups.partner_source,
                partner=partner,
                amount=value,
                currency=item["currency"],
                signed_on=date,
            )
            fundings.append(funding.pk)
        provider, receiver = item["provider"] or {}, item["receiver"] or {}
        rows.append(
            IatiTransaction(
                activity=activity,
                ref=item["ref"][:200],
                transaction_type=item["type"][:4],
                date=date,
                value=value,
                currency=item["currency"],
                value_date=_date(item["value_date"]) or date,
                description=item["description"],
                provider_ref=provider.get("ref", "")[:200],
                provider_name=pick(provider.get("narratives", []), "en")[:300],
                receiver_ref=receiver.get("ref", "")[:200],
                receiver_name=pick(receiver.get("narratives", []), "en")[:300],
                transaction=linked,
                created_by=_user(actor),
                updated_by=_user(actor),
            )
        )
    IatiTransaction.objects.bulk_create(rows)
    return fundings


def _results(record: ActivityRecord, activity: IatiActivity, actor: Actor) -> list[int]:
    """Result indicators become the project's indicators; each period's year its target and actual."""
    made: list[int] = []
    rows = []
    project = activity.project
    lang = record.data["lang"] or "en"
    for r_index, result in enumerate(record.data["results"], start=1):
        for i_index, item in enumerate(result["indicators"], start=1):
            measure = MEASURE.get(item["measure"], Indicator.Measure.NUMBER)
            baseline = item["baseline"] or {}
            baseline_value = _decimal(baseline.get("value"))
            baseline_year = int(baseline["year"]) if str(baseline.get("year", "")).isdigit() else None
            if measure == Indicator.Measure.QUALITATIVE or baseline_year is None:
                baseline_value = None
            if (
                measure == Indicator.Measure.PERCENTAGE
                and baseline_value is not None
                and not (0 <= baseline_value <= 100)
            ):
                baseline_value = None
            name = pick(item["titles"], lang) or pick(result["titles"], lang) or _("Result indicator")
            indicator = results.indicator_create(
                actor=actor,
                code=f"{project.code[:22]}-R{r_index}I{i_index}"[:30],
                name=name[:300],
                measure=measure,
                direction=Indicator.Direction.DECREASE
                if item["ascending"] in ("0", "false")
                else Indicator.Direction.INCREASE,
                baseline_year=baseline_year if baseline_value is not None else None,
                baseline_value=baseline_value,
                project=project,
            )
            made.append(indicator.pk)
            years_used: set[int] = set()
            for period in item["periods"]:
                start, end = _date(period["start"]), _date(period["end"])
                if start is None or end is None:  # rejected while reading
                    continue
                value = None
                target, actual = _decimal(period["target"]), _decimal(period["actual"])
                numbers_fit = measure != Indicator.Measure.QUALITATIVE and (
                    measure != Indicator.Measure.PERCENTAGE
                    or all(v is None or 0 <= v <= 100 for v in (target, actual))
                )
                if (
                    start.year == end.year
                    and start.year not in years_used
                    and numbers_fit
                    and (target is not None or actual is not None)
                ):
                    years_used.add(start.year)
                    value = results.indicator_value_set(
                        actor=actor,
                        indicator=indicator,
                        year=start.year,
                        quarter=0,
                        target=target,
                        actual=actual,
                    )
                rows.append(
                    IatiResultPeriod(
                        activity=activity,
                        result_index=r_index,
                        indicator_index=i_index,
                        period_start=start,
                        period_end=end,
                        target=(period["target"] or "")[:100],
                        actual=(period["actual"] or "")[:100],
                        indicator=indicator,
                        value=value,
                        created_by=_user(actor),
                        updated_by=_user(actor),
                    )
                )
    IatiResultPeriod.objects.bulk_create(rows)
    return made


def import_activity(
    *, actor: Actor, record: ActivityRecord, lookups: Lookups, source: str = ""
) -> tuple[str, IatiActivity | None]:
    """Store one activity: ("created" | "updated" | "unchanged", its IATI record).

    Call inside a transaction: a failure part-way leaves the caller to roll the activity back.
    """
    if record.errors:
        raise ValidationError({"__all__": record.errors})
    identifier = record.identifier or ""
    given = bool(identifier)
    if not given:
        identifier = DERIVED_PREFIX + record.fingerprint[:16].upper()
        record.warnings.append(
            _("The activity at line %(line)d has an empty iati-identifier; it was stored as %(id)s.")
            % {"line": record.line, "id": identifier}
        )
    existing = IatiActivity.objects.select_related("project").filter(identifier=identifier).first()
    fingerprint = record.fingerprint
    if existing is not None and existing.fingerprint == fingerprint:
        return "unchanged", existing
    fields = _project_fields(record, lookups, identifier)
    countries = _countries(record, lookups, identifier)
    reason = _("IATI import from %(source)s, line %(line)d") % {"source": source or "?", "line": record.line}
    for org in record.data["participating_orgs"]:
        if org["ref"]:
            _partner(org["ref"], org, actor, lookups)
    if existing is None:
        project = portfolio.project_create(actor=actor, code=_unique_code(identifier), **fields)
        activity = tracked_create(
            model=IatiActivity,
            actor=actor,
            data={
                "project": project,
                "identifier": identifier,
                "identifier_given": given,
                "fingerprint": fingerprint,
                "default_currency": record.data["default_currency"][:3],
                "language": record.data["lang"][:10],
                "data": record.data,
                "source": source[:500],
                "source_line": record.line,
            },
            reason=reason,
        )
        outcome = "created"
    else:
        activity = existing
        project = activity.project
        _remove_derived(activity, actor)
        changed = {name: value for name, value in fields.items() if getattr(project, name) != value}
        if changed:
            project = portfolio.project_update(actor=actor, project=project, expected_version=None, **changed)
        activity = tracked_update(
            instance=activity,
            actor=actor,
            data={
                "fingerprint": fingerprint,
                "data": record.data,
                "source": source[:500],
                "source_line": record.line,
            },
            expected_version=None,
            reason=reason,
        )
        activity.project = project
        outcome = "updated"
    if countries or outcome == "updated":
        portfolio.project_countries_set(actor=actor, project=project, countries=countries)
    _budgets(record, activity, actor, lookups)
    fundings = _transactions(record, activity, actor, lookups)
    indicators = _results(record, activity, actor)
    IatiActivity.objects.filter(pk=activity.pk).update(links={"fundings": fundings, "indicators": indicators})
    audit_record(
        actor=actor,
        action=AuditEntry.Action.IMPORT,
        instance=activity,
        changes={
            "budgets": [None, len(record.data["budgets"])],
            "transactions": [None, len(record.data["transactions"])],
            "result_periods": [
                None,
                sum(len(i["periods"]) for r in record.data["results"] for i in r["indicators"]),
            ],
        },
        reason=reason,
    )
    return outcome, activity


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            parts = []
            for name, errors in error.message_dict.items():
                text = "; ".join(errors)
                parts.append(text if name == "__all__" else f"{name}: {text}")
            return " ".join(parts)
        return "; ".join(error.messages)
    return str(error)


def iati_import(
    *,
    actor: Actor,
    path: Path,
    dry_run: bool = False,
    office: Office | None = None,
    source: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Import an iati-activities file; FileRefused (from the reader) when the file itself is refused."""
    summary = ImportSummary(source=source or path.name, dry_run=dry_run)
    facts = inspect(path)
    summary.total = facts.activities
    lookups = Lookups(office=office)
    for done, (line, element) in enumerate(activities(path), start=1):
        record = read_activity(element, line)
        outcome = "unchanged"
        try:
            with transaction.atomic():
                outcome, _activity = import_activity(
                    actor=actor, record=record, lookups=lookups, source=summary.source
                )
                if dry_run:
                    raise _DryRun
        except _DryRun:
            lookups.forget_partners()
        except (ValidationError, AccessDenied, InvalidTransition, VersionConflict) as error:
            summary.rejected += 1
            summary.rejections.append(Rejection(record.identifier or "", line, _message(error)))
            lookups.forget_partners()
            if progress:
                progress(done, summary.total)
            continue
        summary.warnings.extend(record.warnings)
        if outcome == "created":
            summary.created += 1
        elif outcome == "updated":
            summary.updated += 1
        else:
            summary.unchanged += 1
        if progress:
            progress(done, summary.total)
    return summary
