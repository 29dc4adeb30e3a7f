"""Writing a batch of validated IATI activities with a fixed number of multi-row statements.

The audit trail gets one entry per project created or updated (action *imported*, reason naming the
file and line) and one per partner created.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.core.models import AuditEntry
from presence.core.services import Actor, to_json_value
from presence.interchange.iati.bulk import EncodedJSON, Inserter
from presence.interchange.iati.mapping import pick
from presence.interchange.iati.plan import (
    ORG_TYPES,
    PROJECT_AUDITED,
    PROJECT_FIELDS,
    Lookups,
    Plan,
    _day,
    _user,
)
from presence.interchange.models import IatiActivity
from presence.portfolio.models import (
    Budget,
    Funding,
    Partner,
    Project,
    ProjectCountry,
    Transaction,
)
from presence.results.models import Indicator, IndicatorValue


def _ensure_partners(plans: list[Plan], user: Any, lookups: Lookups, reason: str) -> dict[str, Partner]:
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
                created_by=user,
                updated_by=user,
            )
        )
    Partner.objects.bulk_create(made)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=user,
            action=AuditEntry.Action.CREATE,
            content_type=lookups.partner_type,
            object_id=str(partner.pk),
            object_repr=str(partner)[:300],
            changes={"name": [None, partner.name], "iati_identifier": [None, partner.iati_identifier]},
            reason=reason,
        )
        for partner in made
    )
    found.update({partner.iati_identifier: partner for partner in made})
    return found


def _linked(activities: list[IatiActivity], name: str) -> list[int]:
    return [pk for activity in activities for pk in (activity.links or {}).get(name, []) if pk is not None]


def _remove_derived(plans: list[Plan]) -> None:
    """Before an update: remove what the previous import of these activities made."""
    activities = [plan.existing for plan in plans if plan.existing is not None]
    Budget.objects.filter(pk__in=_linked(activities, "budgets")).delete()
    Transaction.objects.filter(pk__in=_linked(activities, "transactions")).delete()
    Funding.objects.filter(pk__in=_linked(activities, "fundings")).delete()
    Indicator.objects.filter(pk__in=_linked(activities, "indicators")).delete()
    ProjectCountry.objects.filter(project_id__in=[a.project_id for a in activities]).delete()


def _write(plans: list[Plan], *, actor: Actor, lookups: Lookups, source: str) -> None:
    """Write validated plans with a fixed number of multi-row statements (call inside a transaction)."""
    user = _user(actor)
    now = timezone.now()
    reason = _("IATI import of %(source)s") % {"source": source or "?"}
    partners = _ensure_partners(plans, user, lookups, reason)
    updating = [plan for plan in plans if plan.existing is not None]
    if updating:
        _remove_derived(updating)
    uid = user.pk if user is not None else None
    stamp = {"created_at": now, "updated_at": now, "created_by_id": uid, "updated_by_id": uid, "version": 1}

    def inserter(model: type[models.Model], *columns: str) -> Inserter:
        return Inserter(model, columns, stamp)

    # Projects: new ones inserted, changed ones updated.
    new = [plan for plan in plans if plan.existing is None]
    project_columns = (
        "code",
        *(f"{name}_id" if name in ("region", "lead_office") else name for name in PROJECT_FIELDS),
    )
    new_ids = inserter(Project, *project_columns).insert(
        [(plan.code, *(_column(plan.fields[name]) for name in PROJECT_FIELDS)) for plan in new]
    )
    ids_of_new = iter(new_ids)
    project_ids = [next(ids_of_new) if plan.existing is None else plan.existing.project_id for plan in plans]
    changed = []
    for plan in updating:
        if plan.existing is None or not plan.changed:
            continue
        project = copy.copy(plan.existing.project)
        for name, value in plan.changed.items():
            setattr(project, name, value)
        project.version += 1
        project.updated_by = user
        project.updated_at = now
        changed.append(project)
    if changed:
        names = sorted({name for plan in updating for name in plan.changed})
        Project.objects.bulk_update(changed, [*names, "version", "updated_by", "updated_at"])

    inserter(ProjectCountry, "project_id", "country_id", "percentage").insert(
        [
            (project_id, country.pk, percentage)
            for plan, project_id in zip(plans, project_ids, strict=True)
            for country, percentage in plan.countries
        ]
    )
    budget_keys, budget_rows = [], []
    move_keys, move_rows = [], []
    funding_keys, funding_rows = [], []
    indicator_keys, indicator_rows = [], []
    source_id = lookups.partner_source.pk if lookups.partner_source is not None else None
    for n, (plan, project_id) in enumerate(zip(plans, project_ids, strict=True)):
        for year, (amount, currency) in plan.budgets.items():
            budget_keys.append((n, year))
            budget_rows.append((project_id, year, amount, currency))
        items = plan.record.data["transactions"]
        for index, (what, code, amount) in plan.transactions.items():
            item = items[index]
            if what == "transaction":
                move_keys.append((n, index))
                move_rows.append(
                    (
                        project_id,
                        code,
                        _day(item["date"]),
                        amount,
                        item["currency"],
                        item["description"][:300],
                    )
                )
            else:
                funding_keys.append(n)
                funding_rows.append(
                    (project_id, source_id, partners[code].pk, amount, item["currency"], _day(item["date"]))
                )
        region_id, office_id = plan.fields["region"].pk, plan.fields["lead_office"].pk
        for each in plan.indicators:
            indicator_keys.append((n, each.result_index, each.indicator_index))
            f = each.fields
            indicator_rows.append(
                (
                    project_id, region_id, office_id, f["code"], f["name"], f["measure"], f["direction"],
                    f["baseline_year"], f["baseline_value"],
                )
            )  # fmt: skip
    budgets = dict(
        zip(
            budget_keys,
            inserter(Budget, "project_id", "year", "amount", "currency").insert(budget_rows),
            strict=True,
        )
    )
    moves = dict(
        zip(
            move_keys,
            inserter(Transaction, "project_id", "kind", "date", "amount", "currency", "description").insert(
                move_rows
            ),
            strict=True,
        )
    )
    fundings: dict[int, list[int]] = defaultdict(list)
    funding_ids = inserter(
        Funding, "project_id", "source_id", "partner_id", "amount", "currency", "signed_on"
    ).insert(funding_rows)
    for n, pk in zip(funding_keys, funding_ids, strict=True):
        fundings[n].append(pk)
    indicators = dict(
        zip(
            indicator_keys,
            inserter(
                Indicator, "project_id", "region_id", "office_id", "code", "name", "measure", "direction",
                "baseline_year", "baseline_value",
            ).insert(indicator_rows),
            strict=True,
        )
    )  # fmt: skip

    # The IATI record of each activity, with the ids of what the import made.
    new_rows = []
    updated_records = []
    for n, (plan, project_id) in enumerate(zip(plans, project_ids, strict=True)):
        data = plan.record.data
        links = {
            "budgets": [
                None if (linked := plan.budget_years.get(index)) is None else budgets[n, linked]
                for index in range(len(data["budgets"]))
            ],
            "transactions": [moves.get((n, index)) for index in range(len(data["transactions"]))],
            "fundings": fundings.get(n, []),
            "indicators": [indicators[n, i.result_index, i.indicator_index] for i in plan.indicators],
        }
        values = {
            "fingerprint": plan.fingerprint,
            "default_currency": data["default_currency"][:3],
            "language": data["lang"][:10],
            "data": data,
            "links": links,
            "source": source[:500],
            "source_line": plan.record.line,
        }
        if plan.existing is None:
            values["data"] = EncodedJSON(plan.record.text, data)
            new_rows.append((project_id, plan.identifier, plan.given, *values.values()))
        else:
            record = copy.copy(plan.existing)
            for name, value in values.items():
                setattr(record, name, value)
            record.version += 1
            record.updated_by = user
            record.updated_at = now
            updated_records.append(record)
    inserter(IatiActivity, "project_id", "identifier", "identifier_given", *ACTIVITY_VALUES).insert(new_rows)
    if updated_records:
        IatiActivity.objects.bulk_update(
            updated_records, [*ACTIVITY_VALUES, "version", "updated_by", "updated_at"]
        )

    value_rows = []
    for n, plan in enumerate(plans):
        for each in plan.indicators:
            indicator_id = indicators[n, each.result_index, each.indicator_index]
            for _period, _start, _end, value in each.periods:
                if value is not None:
                    year, target, actual = value
                    value_rows.append((indicator_id, year, 0, target, actual))
    inserter(IndicatorValue, "indicator_id", "year", "quarter", "target", "actual").insert(value_rows)
    Inserter(
        AuditEntry,
        ("actor_id", "action", "content_type_id", "object_id", "object_repr", "changes", "reason"),
        {"at": now},
    ).insert(
        [
            _audit(plan, project_id, uid, lookups, source)
            for plan, project_id in zip(plans, project_ids, strict=True)
        ]
    )


ACTIVITY_VALUES = ("fingerprint", "default_currency", "language", "data", "links", "source", "source_line")


def _column(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _audit(plan: Plan, project_id: int, uid: int | None, lookups: Lookups, source: str) -> tuple[Any, ...]:
    data = plan.record.data
    if plan.existing is None:
        fields = {"code": plan.code, **plan.fields}
        changes = {name: [None, to_json_value(fields[name])] for name in PROJECT_AUDITED}
        label = f"{plan.code} {plan.fields['title']}"
    else:
        before = plan.existing.project
        changes = {
            name: [to_json_value(getattr(before, name)), to_json_value(value)]
            for name, value in plan.changed.items()
        }
        label = f"{before.code} {plan.fields['title']}"
    changes["iati_identifier"] = [None if plan.existing is None else plan.identifier, plan.identifier]
    changes["budgets"] = [None, len(data["budgets"])]
    changes["transactions"] = [None, len(data["transactions"])]
    changes["result_periods"] = [
        None,
        sum(len(i["periods"]) for r in data["results"] for i in r["indicators"]),
    ]
    reason = _("IATI import of %(source)s, line %(line)d") % {
        "source": source or "?",
        "line": plan.record.line,
    }
    return (
        uid,
        AuditEntry.Action.IMPORT,
        lookups.project_type.pk,
        str(project_id),
        label[:300],
        changes,
        reason,
    )
