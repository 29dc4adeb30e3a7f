"""Planning documents (business continuity, crisis management, ICT disaster recovery) and their reviews."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    QuerySet,
)

from presence.core.filtering import ListFilter
from presence.core.reminders import Reminder
from presence.org import personal
from presence.org.access import Action, restrict
from presence.org.models import Office, Region
from presence.resilience.filters import PlanFilter
from presence.resilience.models import (
    PlanningDocument,
)
from presence.resilience.selectors._common import (
    current_settings,
    global_security_people,
    office_list,
    place_values,
)


def plan_list(
    *,
    user: Any,
    filters: ListFilter | None = None,
    current_only: bool = False,
    today: dt.date | None = None,
    within_days: int | None = None,
    **values: Any,
) -> QuerySet[PlanningDocument]:
    """Planning documents the user may see (`superseded`: a newer one of the office and kind exists),
    narrowed by `filters.PlanFilter` (a bound one, or its values; `today` and `within_days` decide which
    are due for review); `current_only`: none superseded."""
    newer = PlanningDocument.objects.filter(
        office=OuterRef("office"), kind=OuterRef("kind"), approved_on__gt=OuterRef("approved_on")
    )
    plans = restrict(
        PlanningDocument.objects.select_related("office", "office__region", "owner"), user, Action.VIEW
    ).annotate(superseded=Exists(newer))
    if current_only:
        plans = plans.filter(superseded=False)
    bound = filters if filters is not None else PlanFilter(place_values(values), queryset=plans)
    if isinstance(bound, PlanFilter):
        bound.today, bound.within_days = today or bound.today, within_days
    return PlanFilter.apply(plans, bound)


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
    return plan_list(
        user=user, today=today, within_days=within_days, region=region, office=office, expiring=True
    )


def missing_plans(
    *, user: Any, region: Region | str | None = None, office: Office | str | None = None
) -> list[tuple[Office, list[str]]]:
    """Offices lacking one or more of the three plans, with the kinds missing."""
    have: dict[int, set[str]] = defaultdict(set)
    for office_id, kind in (
        plan_list(user=user, region=region, office=office)
        .order_by()
        .values_list("office_id", "kind")
        .distinct()
    ):
        have[office_id].add(kind)
    result = []
    for o in office_list(user=user, region=region, office=office):
        missing = [label for value, label in PlanningDocument.Kind.choices if value not in have[o.pk]]
        if missing:
            result.append((o, [str(label) for label in missing]))
    return result


def offices_missing_plans(
    *, user: Any, region: Region | str | None = None, office: Office | str | None = None
) -> int:
    """How many offices `missing_plans` lists, counted in the database."""
    complete = (
        plan_list(user=user, region=region, office=office)
        .order_by()
        .values("office_id")
        .annotate(kinds=Count("kind", distinct=True))
        .filter(kinds=len(PlanningDocument.Kind.choices))
        .values("office_id")
    )
    return office_list(user=user, region=region, office=office).exclude(pk__in=complete).count()


def plan_reminders(*, today: dt.date) -> list[Reminder]:
    """Current plans whose next review falls within the warning window (60 days by default) or has
    passed: for the plan's owner, else for the global security role."""
    days = current_settings().plan_warning_days
    plans = list(
        PlanningDocument.objects.annotate(
            superseded=Exists(
                PlanningDocument.objects.filter(
                    office=OuterRef("office"), kind=OuterRef("kind"), approved_on__gt=OuterRef("approved_on")
                )
            )
        )
        .filter(superseded=False, next_review_on__lte=today + dt.timedelta(days=days))
        .select_related("office", "owner")
        .order_by("next_review_on", "office__code", "kind")
    )
    if not plans:
        return []
    security_people = global_security_people()
    items = []
    for plan in plans:
        for person in [plan.owner] if plan.owner is not None else security_people:
            items.append(
                Reminder(
                    user=person,
                    kind="plan review overdue" if plan.next_review_on < today else "plan review due",
                    subject=f"{plan.office.name}: {plan.get_kind_display()} {plan.edition}",
                    due=plan.next_review_on,
                    url=plan.get_absolute_url(),
                )
            )
    return items


def plan_history(*, user: Any, plan: PlanningDocument, limit: int = 50) -> list[Any]:
    """The plan's audit trail; the owner's name is hidden from those who may not see names."""
    return personal.history_for(user=user, record=plan, limit=limit)
