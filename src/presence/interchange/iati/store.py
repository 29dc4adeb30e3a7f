"""Writing a batch of validated IATI activities: the services' audited writes, batched.

`write` is the one place where an import's writes happen. New records go through
`presence.core.services.tracked_bulk_create` (each record's `full_clean()`, a `bulk_create` per model,
one audit entry per record), changed projects through `presence.portfolio.services.project_update`
and changed IATI records through `tracked_update` (versioned, audited), and what a previous import
of an activity made is removed through `tracked_bulk_delete` (an audit entry per record removed).
A project created or updated gets the action *imported* with a reason naming the file and line;
every other record the reason alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from presence.core.models import AuditEntry, TrackedModel
from presence.core.services import (
    Actor,
    to_json_value,
    tracked_bulk_create,
    tracked_bulk_delete,
    tracked_update,
)
from presence.interchange.iati.mapping import pick
from presence.interchange.iati.plan import ORG_TYPES, PROJECT_AUDITED, Lookups, Plan, _day
from presence.interchange.models import IatiActivity
from presence.portfolio.models import Budget, Funding, Partner, Project, ProjectCountry, Transaction
from presence.portfolio.services import project_update
from presence.results.models import Indicator, IndicatorValue

# Rows per INSERT: as many as the backend takes (Django caps it to SQLite's parameter limit; on
# PostgreSQL one UNNEST statement of any length has a parameter per column).
ROWS_PER_INSERT = 5000
ACTIVITY_VALUES = ("fingerprint", "default_currency", "language", "data", "links", "source", "source_line")


def _reason(source: str, plan: Plan | None = None) -> str:
    if plan is None:
        return _("IATI import of %(source)s") % {"source": source or "?"}
    return _("IATI import of %(source)s, line %(line)d") % {"source": source or "?", "line": plan.record.line}


def _ensure_partners(plans: list[Plan], actor: Actor, source: str) -> dict[str, Partner]:
    """The partners the plans name, by IATI organisation identifier; missing ones are created."""
    wanted: dict[str, dict[str, Any]] = {}
    for plan in plans:
        wanted.update(plan.partners)
    found: dict[str, Partner] = {}
    for partner in Partner.objects.filter(iati_identifier__in=list(wanted)).order_by("pk"):
        found.setdefault(partner.iati_identifier, partner)
    missing = [ref for ref in wanted if ref not in found]
    if not missing:
        return found
    names = {ref: (pick(wanted[ref]["narratives"], "en") or ref)[:200] for ref in missing}
    taken = set(Partner.objects.filter(name__in=list(names.values())).values_list("name", flat=True))
    made = []
    for ref in missing:
        name = names[ref]
        if name in taken:
            name = f"{name[: 200 - len(ref) - 3]} ({ref})"
        taken.add(name)
        org_type = wanted[ref]["type"]
        made.append(
            Partner(
                name=name,
                organisation_type=org_type if org_type in ORG_TYPES else Partner.OrganisationType.OTHER,
                iati_identifier=ref,
            )
        )
    tracked_bulk_create(model=Partner, actor=actor, instances=made, reason=_reason(source))
    found.update({partner.iati_identifier: partner for partner in made})
    return found


def _linked(plans: list[Plan], name: str) -> list[int]:
    return [
        pk
        for plan in plans
        if plan.existing is not None
        for pk in (plan.existing.links or {}).get(name, [])
        if pk is not None
    ]


def _remove_derived(plans: list[Plan], actor: Actor, source: str) -> None:
    """Before an update: remove what the previous import of these activities made."""
    reason = _reason(source)
    for model, name in ((Budget, "budgets"), (Transaction, "transactions"), (Funding, "fundings")):
        records = model.objects.filter(pk__in=_linked(plans, name)).select_related("project")
        tracked_bulk_delete(queryset=records, actor=actor, reason=reason)
    tracked_bulk_delete(
        queryset=Indicator.objects.filter(pk__in=_linked(plans, "indicators")), actor=actor, reason=reason
    )
    projects = [plan.existing.project_id for plan in plans if plan.existing is not None]
    tracked_bulk_delete(
        queryset=ProjectCountry.objects.filter(project_id__in=projects).select_related("project", "country"),
        actor=actor,
        reason=reason,
    )


def _project_audit(plan: Plan) -> dict[str, Any]:
    """What the audit entry of a project created by the import records: its values and the IATI counts."""
    data = plan.record.data
    fields = {"code": plan.code, **plan.fields}
    changes: dict[str, Any] = {name: [None, to_json_value(fields[name])] for name in PROJECT_AUDITED}
    changes["iati_identifier"] = [None, plan.identifier]
    changes["budgets"] = [None, len(data["budgets"])]
    changes["transactions"] = [None, len(data["transactions"])]
    changes["result_periods"] = [
        None,
        sum(len(i["periods"]) for r in data["results"] for i in r["indicators"]),
    ]
    return changes


class _Rows:
    """New records of one model and the plan each belongs to (its audit reason)."""

    def __init__(self) -> None:
        self.records: list[TrackedModel] = []
        self.reasons: list[str] = []

    def add(self, record: TrackedModel, reason: str) -> TrackedModel:
        self.records.append(record)
        self.reasons.append(reason)
        return record

    def create(self, model: type[TrackedModel], actor: Actor) -> None:
        tracked_bulk_create(
            model=model, actor=actor, instances=self.records, reason=self.reasons, batch_size=ROWS_PER_INSERT
        )


def _projects(plans: list[Plan], actor: Actor, source: str) -> list[Project]:
    """Each plan's project: new ones created in one statement, changed ones updated by the service."""
    new = [plan for plan in plans if plan.existing is None]
    created = tracked_bulk_create(
        model=Project,
        actor=actor,
        instances=[Project(code=plan.code, **plan.fields) for plan in new],
        action=AuditEntry.Action.IMPORT,
        reason=[_reason(source, plan) for plan in new],
        changes=[_project_audit(plan) for plan in new],
    )
    made = iter(created)
    projects = []
    for plan in plans:
        if plan.existing is None:
            projects.append(next(made))
            continue
        project = plan.existing.project
        project_update(
            actor=actor,
            project=project,
            expected_version=project.version,
            reason=_reason(source, plan),
            action=AuditEntry.Action.IMPORT,
            **plan.changed,
        )
        projects.append(project)
    return projects


def write(plans: list[Plan], *, actor: Actor, lookups: Lookups, source: str) -> None:
    """Write validated plans (call inside a transaction): the one place an IATI import writes."""
    partners = _ensure_partners(plans, actor, source)
    if any(plan.existing is not None for plan in plans):
        _remove_derived(plans, actor, source)
    projects = _projects(plans, actor, source)
    countries, budgets, moves, fundings, indicators = _Rows(), _Rows(), _Rows(), _Rows(), _Rows()
    made: list[dict[str, Any]] = []
    for plan, project in zip(plans, projects, strict=True):
        reason = _reason(source, plan)
        for country, percentage in plan.countries:
            countries.add(ProjectCountry(project=project, country=country, percentage=percentage), reason)
        by_year = {
            year: budgets.add(Budget(project=project, year=year, amount=amount, currency=currency), reason)
            for year, (amount, currency) in plan.budgets.items()
        }
        items = plan.record.data["transactions"]
        by_index: dict[int, TrackedModel] = {}
        funded: list[TrackedModel] = []
        for index, (what, code, amount) in plan.transactions.items():
            item = items[index]
            if what == "transaction":
                by_index[index] = moves.add(
                    Transaction(
                        project=project,
                        kind=code,
                        date=_day(item["date"]),
                        amount=amount,
                        currency=item["currency"],
                        description=item["description"][:300],
                    ),
                    reason,
                )
            else:
                funded.append(
                    fundings.add(
                        Funding(
                            project=project,
                            source=lookups.partner_source,
                            partner=partners[code],
                            amount=amount,
                            currency=item["currency"],
                            signed_on=_day(item["date"]),
                        ),
                        reason,
                    )
                )
        measured = [
            indicators.add(
                Indicator(project=project, region=project.region, office=project.lead_office, **each.fields),
                reason,
            )
            for each in plan.indicators
        ]
        made.append(
            {"budgets": by_year, "transactions": by_index, "fundings": funded, "indicators": measured}
        )
    countries.create(ProjectCountry, actor)
    budgets.create(Budget, actor)
    moves.create(Transaction, actor)
    fundings.create(Funding, actor)
    indicators.create(Indicator, actor)

    values = _Rows()
    for plan, records in zip(plans, made, strict=True):
        reason = _reason(source, plan)
        for each, indicator in zip(plan.indicators, records["indicators"], strict=True):
            for _period, _start, _end, value in each.periods:
                if value is not None:
                    year, target, actual = value
                    values.add(
                        IndicatorValue(
                            indicator=indicator, year=year, quarter=0, target=target, actual=actual
                        ),
                        reason,
                    )
    values.create(IndicatorValue, actor)
    _activities(plans, projects, made, actor=actor, source=source)


def _links(plan: Plan, records: dict[str, Any]) -> dict[str, list[int | None]]:
    """The ids of what the import made for the activity, per IATI budget and transaction index."""
    data = plan.record.data
    budgets = records["budgets"]
    return {
        "budgets": [
            None if (year := plan.budget_years.get(index)) is None else budgets[year].pk
            for index in range(len(data["budgets"]))
        ],
        "transactions": [
            None if (record := records["transactions"].get(index)) is None else record.pk
            for index in range(len(data["transactions"]))
        ],
        "fundings": [record.pk for record in records["fundings"]],
        "indicators": [record.pk for record in records["indicators"]],
    }


def _activities(
    plans: list[Plan], projects: Sequence[Project], made: list[dict[str, Any]], *, actor: Actor, source: str
) -> None:
    """The IATI record of each activity, with the ids of what the import made."""
    new = _Rows()
    for plan, project, records in zip(plans, projects, made, strict=True):
        data = plan.record.data
        values = {
            "fingerprint": plan.fingerprint,
            "default_currency": data["default_currency"][:3],
            "language": data["lang"][:10],
            "data": data,
            "links": _links(plan, records),
            "source": source[:500],
            "source_line": plan.record.line,
        }
        if plan.existing is None:
            record = IatiActivity(
                project=project, identifier=plan.identifier, identifier_given=plan.given, **values
            )
            new.add(record, _reason(source, plan))
        else:
            tracked_update(
                instance=plan.existing,
                actor=actor,
                data=values,
                expected_version=plan.existing.version,
                reason=_reason(source, plan),
            )
    new.create(IatiActivity, actor)
