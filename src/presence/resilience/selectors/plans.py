"""Planning documents (business continuity, crisis management, ICT disaster recovery) and their reviews."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import (
    Exists,
    OuterRef,
    QuerySet,
)
from django.utils import timezone

from presence.org.access import Action, restrict
from presence.org.models import Office, Region
from presence.resilience.models import (
    PlanningDocument,
)
from presence.resilience.selectors._common import current_settings, in_place, office_list


def plan_list(
    *,
    user: Any,
    region: Region | str | None = None,
    office: Office | str | None = None,
    kind: str = "",
    current_only: bool = False,
) -> QuerySet[PlanningDocument]:
    newer = PlanningDocument.objects.filter(
        office=OuterRef("office"), kind=OuterRef("kind"), approved_on__gt=OuterRef("approved_on")
    )
    plans = restrict(
        PlanningDocument.objects.select_related("office", "office__region"), user, Action.VIEW
    ).annotate(superseded=Exists(newer))
    plans = in_place(plans, region=region, office=office)
    if kind:
        plans = plans.filter(kind=kind)
    if current_only:
        plans = plans.filter(superseded=False)
    return plans


def plan_get(*, user: Any, pk: int) -> PlanningDocument:
    return plan_list(user=user).get(pk=pk)


def expiring_plans(
    *,
    user: Any,
    today: dt.date | None = None,
    within_days: int | None = None,
    region: Region | str | None = None,
    office: Office | str | None = None,
) -> QuerySet[PlanningDocument]:
    """Current plans whose next review falls within the warning window (or is already past)."""
    today = today or timezone.localdate()
    days = within_days if within_days is not None else current_settings().plan_warning_days
    return (
        plan_list(user=user, region=region, office=office, current_only=True)
        .filter(next_review_on__lte=today + dt.timedelta(days=days))
        .order_by("next_review_on", "office__code")
    )


def missing_plans(
    *, user: Any, region: Region | str | None = None, office: Office | str | None = None
) -> list[tuple[Office, list[str]]]:
    """Offices lacking one or more of the three plans, with the kinds missing."""
    have: dict[int, set[str]] = defaultdict(set)
    for office_id, kind in plan_list(user=user, region=region, office=office).values_list(
        "office_id", "kind"
    ):
        have[office_id].add(kind)
    result = []
    for o in office_list(user=user, region=region, office=office):
        missing = [label for value, label in PlanningDocument.Kind.choices if value not in have[o.pk]]
        if missing:
            result.append((o, [str(label) for label in missing]))
    return result
