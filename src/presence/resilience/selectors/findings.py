"""Findings and remediation actions: detail lists for allowed roles, counts for everyone, reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.urls import reverse
from django.utils import timezone

from presence.core.filtering import ListFilter
from presence.core.reminders import Reminder
from presence.org.models import Office, Region
from presence.resilience.confidential import restrict_confidential, sees_confidential
from presence.resilience.filters import ActionFilter, FindingFilter, PlaceFilter
from presence.resilience.models import (
    Finding,
    RemediationAction,
)
from presence.resilience.rules import RiskLevel, risk_level_case, risk_product
from presence.resilience.selectors._common import (
    global_security_people,
    of_visible_assessments,
    office_list,
    place_values,
    visible_assessments,
)

# Findings and actions -------------------------------------------------------------------------


def finding_list(*, user: Any, filters: ListFilter | None = None, **values: Any) -> QuerySet[Finding]:
    """Findings with their details, narrowed by `filters.FindingFilter` (a bound one, or its values):
    only for the security role and HQ administrators."""
    findings = restrict_confidential(
        Finding.objects.select_related(
            "assessment",
            "assessment__office",
            "assessment__office__region",
            "assessment__template",
            "requirement",
            "owner",
        ).annotate(
            risk_product=risk_product(),
            level=risk_level_case(),
            open_action_count=Count("actions", filter=Q(actions__status__in=RemediationAction.OPEN_STATUSES)),
        ),
        user,
    )
    findings = FindingFilter.apply(findings, filters or place_values(values))
    return findings.order_by("-risk_product", "due_on", "pk")  # type: ignore[misc]


def finding_get(*, user: Any, pk: int) -> Finding:
    return finding_list(user=user).get(pk=pk)


def action_list(
    *, user: Any, filters: ListFilter | None = None, today: dt.date | None = None, **values: Any
) -> QuerySet[RemediationAction]:
    """Remediation actions narrowed by `filters.ActionFilter` (a bound one, or its values; `today`
    decides which are overdue): only for the security role and HQ administrators."""
    actions = restrict_confidential(
        RemediationAction.objects.select_related(
            "finding",
            "finding__assessment",
            "finding__assessment__office",
            "finding__assessment__template",
            "owner",
        ),
        user,
    )
    bound = filters if filters is not None else ActionFilter(place_values(values), queryset=actions)
    if isinstance(bound, PlaceFilter) and today is not None:
        bound.today = today
    return ActionFilter.apply(actions, bound).order_by("due_on", "pk")


def overdue_actions(
    *,
    user: Any,
    today: dt.date | None = None,
    region: Region | str | None = None,
    office: Office | str | None = None,
) -> QuerySet[RemediationAction]:
    return action_list(user=user, today=today, region=region, office=office, overdue=True)


def _open_findings(user: Any, region: Region | str | None, office: Office | str | None) -> QuerySet[Finding]:
    """The open findings of `visible_assessments(user, region, office)`."""
    findings = Finding.objects.filter(status__in=Finding.OPEN_STATUSES)
    return of_visible_assessments(findings, user, region, office)


def _level_of_product(product: int) -> str:
    """`risk_level_case` in Python: the level of a likelihood x impact product."""
    return next((level for upper, level in RiskLevel.UPPER_BOUNDS if product <= upper), RiskLevel.CRITICAL)


def findings_by_level(
    *, user: Any, region: Region | str | None = None, office: Office | str | None = None
) -> dict[str, int]:
    """Counts of open findings per risk level (an aggregate every viewer may see): counted per
    likelihood and impact in the database (25 rows at most), added up per level here."""
    counts = dict.fromkeys(RiskLevel.ORDER, 0)
    for likelihood, impact, n in (
        _open_findings(user, region, office)
        .order_by()
        .values_list("likelihood", "impact")
        .annotate(n=Count("*"))
    ):
        counts[_level_of_product(likelihood * impact)] += n
    return counts


def open_findings_by(
    *, user: Any, by: str, region: Region | str | None = None, office: Office | str | None = None
) -> dict[tuple[str | None, str], int]:
    """(group, risk level) -> open findings of the open offices, grouped in the database by `by`, a
    path from the finding's office ("code", "region__code"): counts only, for every viewer."""
    path = f"assessment__office__{by}"
    rows = (
        _open_findings(user, region, office)
        .filter(assessment__office__closed_on__isnull=True)
        .annotate(risk_product=risk_product(), level=risk_level_case())
        .order_by()
        .values(path, "level")
        .annotate(n=Count("*"))
    )
    return {(row[path], row["level"]): row["n"] for row in rows}


@dataclass
class MatrixCell:
    likelihood: int
    impact: int
    count: int
    level: str


def risk_matrix(
    *, user: Any, region: Region | str | None = None, office: Office | str | None = None
) -> list[list[MatrixCell]]:
    """Open findings counted on the 5x5 matrix; rows from likelihood 5 (top) down to 1."""
    from presence.resilience.rules import risk_level

    counts = {
        (row["likelihood"], row["impact"]): row["n"]
        for row in _open_findings(user, region, office).values("likelihood", "impact").annotate(n=Count("pk"))
    }
    return [
        [
            MatrixCell(
                likelihood, impact, counts.get((likelihood, impact), 0), risk_level(likelihood, impact)
            )
            for impact in range(1, 6)
        ]
        for likelihood in range(5, 0, -1)
    ]


def findings_by_office(
    *,
    user: Any,
    region: Region | str | None = None,
    office: Office | str | None = None,
    offices: Sequence[int] | None = None,
) -> list[dict[str, Any]]:
    """Per office (of the ids `offices` if given): open findings per risk level, closed findings, open
    and overdue actions (counts only)."""
    today = timezone.localdate()
    shown = office_list(user=user, region=region, office=office)
    assessments = visible_assessments(user, region, office)
    if offices is not None:
        shown = shown.filter(pk__in=offices)
        assessments = assessments.filter(office_id__in=offices)
    findings = (
        Finding.objects.filter(assessment__in=assessments)
        .annotate(risk_product=risk_product(), level=risk_level_case())
        .values("assessment__office_id", "level", "status")
        .annotate(n=Count("pk"))
    )
    actions = (
        RemediationAction.objects.filter(
            finding__assessment__in=assessments,
            status__in=RemediationAction.OPEN_STATUSES,
        )
        .values("finding__assessment__office_id")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )
    rows: dict[int, dict[str, Any]] = {
        o.pk: {
            "office": o,
            "closed": 0,
            "open": 0,
            "open_actions": 0,
            "overdue_actions": 0,
            **dict.fromkeys(RiskLevel.ORDER, 0),
        }
        for o in shown
    }
    for item in findings:
        row = rows.get(item["assessment__office_id"])
        if row is None:
            continue
        if item["status"] in Finding.OPEN_STATUSES:
            row[item["level"]] += item["n"]
            row["open"] += item["n"]
        else:
            row["closed"] += item["n"]
    for counted in actions:
        row = rows.get(counted["finding__assessment__office_id"])
        if row is not None:
            row["open_actions"] = counted["n"]
            row["overdue_actions"] = counted["overdue"]
    return list(rows.values())


# Reminders and the home panel -----------------------------------------------------------------


def action_reminders(*, today: dt.date) -> list[Reminder]:
    """Open remediation actions overdue or due within a week, for their owners (else the security role)."""
    soon = today + dt.timedelta(days=7)
    actions = list(
        RemediationAction.objects.filter(status__in=RemediationAction.OPEN_STATUSES, due_on__lte=soon)
        .select_related("owner", "finding__assessment__office", "finding__assessment__template")
        .order_by("due_on", "pk")
    )
    if not actions:
        return []
    security_people = global_security_people()
    items = []
    for action in actions:
        assessment = action.finding.assessment
        people = [action.owner] if action.owner is not None else security_people
        for person in people:
            # The action text is confidential: only people who may read it get it in their email.
            text = action.description[:80] if sees_confidential(person, action) else ""
            subject = f"{assessment.office.name}, {assessment.template.get_kind_display()}: {action}"
            if text:
                subject += f" ({text})"
            items.append(
                Reminder(
                    user=person,
                    kind="remediation action overdue" if action.due_on < today else "remediation action due",
                    subject=subject,
                    due=action.due_on,
                    url=reverse("resilience:finding-detail", args=[action.finding_id]),
                )
            )
    return items
