"""Writes to events, stakeholder engagements and opportunities, and the conversion of a signed
opportunity into a portfolio project with its funding (one transaction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from presence.core.errors import InvalidTransition
from presence.core.models import AuditEntry
from presence.core.services import Actor, only_fields, tracked_create, tracked_delete, tracked_update
from presence.engagement.models import GENDER_FIELDS, TYPE_FIELDS, Event, Opportunity, StakeholderEngagement
from presence.org.access import Action, check
from presence.org.writes import checked_create, checked_delete
from presence.portfolio import services as portfolio_services
from presence.portfolio.models import FundingSource, Project

EVENT_FIELDS = (
    "kind",
    "title",
    "start_date",
    "end_date",
    "region",
    "office",
    "host_country",
    "city",
    "kap_priority",
    "participants_total",
    *TYPE_FIELDS,
    *GENDER_FIELDS,
    "notes",
)
ENGAGEMENT_FIELDS = (
    "organization",
    "organization_type",
    "country",
    "kind",
    "date",
    "office",
    "topic",
    "outcome",
    "follow_up_on",
    "follow_up_done",
)
OPPORTUNITY_FIELDS = (
    "title",
    "partner",
    "office",
    "region",
    "kap_priority",
    "amount",
    "currency",
    "stage",
    "probability",
    "expected_signature_on",
    "signed_on",
    "notes",
)


def _default_region(data: dict[str, Any]) -> None:
    office = data.get("office")
    if not data.get("region") and office is not None and office.region_id:
        data["region"] = office.region


# Events -------------------------------------------------------------------------------------------


@transaction.atomic
def event_create(*, actor: Actor, **data: Any) -> Event:
    only_fields(data, EVENT_FIELDS)
    _default_region(data)
    check(actor, Action.ADD, Event(region=data.get("region"), office=data.get("office")))
    return tracked_create(model=Event, actor=actor, data=data)


@transaction.atomic
def event_update(*, actor: Actor, event: Event, expected_version: int | None, **data: Any) -> Event:
    only_fields(data, EVENT_FIELDS)
    check(actor, Action.CHANGE, event)
    if "region" in data or "office" in data:
        check(
            actor,
            Action.CHANGE,
            Event(
                region=data.get("region", event.region), office=data.get("office", event.office), pk=event.pk
            ),
        )
    return tracked_update(instance=event, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def event_delete(*, actor: Actor, event: Event, expected_version: int | None) -> None:
    checked_delete(event, actor=actor, expected_version=expected_version)


# Stakeholder engagements --------------------------------------------------------------------------


@transaction.atomic
def engagement_create(*, actor: Actor, **data: Any) -> StakeholderEngagement:
    return checked_create(
        StakeholderEngagement,
        actor=actor,
        data=data,
        fields=ENGAGEMENT_FIELDS,
        draft=lambda: StakeholderEngagement(office=data.get("office")),
    )


@transaction.atomic
def engagement_update(
    *, actor: Actor, engagement: StakeholderEngagement, expected_version: int | None, **data: Any
) -> StakeholderEngagement:
    only_fields(data, ENGAGEMENT_FIELDS)
    check(actor, Action.CHANGE, engagement)
    if "office" in data:
        check(actor, Action.CHANGE, StakeholderEngagement(office=data["office"], pk=engagement.pk))
    return tracked_update(instance=engagement, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def engagement_delete(
    *, actor: Actor, engagement: StakeholderEngagement, expected_version: int | None
) -> None:
    checked_delete(engagement, actor=actor, expected_version=expected_version)


# Opportunities ------------------------------------------------------------------------------------


def _stage_probability(data: dict[str, Any], current: Opportunity | None = None) -> None:
    """A signed opportunity is certain and a lost one has no chance: their probability follows the stage."""
    stage = data.get("stage", current.stage if current else None)
    if stage == Opportunity.Stage.SIGNED:
        data["probability"] = 100
    elif stage == Opportunity.Stage.LOST:
        data["probability"] = 0


@transaction.atomic
def opportunity_create(*, actor: Actor, **data: Any) -> Opportunity:
    only_fields(data, OPPORTUNITY_FIELDS)
    _default_region(data)
    _stage_probability(data)
    check(actor, Action.ADD, Opportunity(region=data.get("region"), office=data.get("office")))
    return tracked_create(model=Opportunity, actor=actor, data=data)


@transaction.atomic
def opportunity_update(
    *, actor: Actor, opportunity: Opportunity, expected_version: int | None, **data: Any
) -> Opportunity:
    only_fields(data, OPPORTUNITY_FIELDS)
    check(actor, Action.CHANGE, opportunity)
    if opportunity.project_id and any(
        name in data and data[name] != getattr(opportunity, name) for name in ("stage", "amount", "currency")
    ):
        raise InvalidTransition(
            _("This opportunity became project %(p)s; change the project's funding instead.")
            % {"p": opportunity.project}
        )
    if "region" in data or "office" in data:
        check(
            actor,
            Action.CHANGE,
            Opportunity(
                region=data.get("region", opportunity.region),
                office=data.get("office", opportunity.office),
                pk=opportunity.pk,
            ),
        )
    _stage_probability(data, opportunity)
    return tracked_update(instance=opportunity, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def opportunity_delete(*, actor: Actor, opportunity: Opportunity, expected_version: int | None) -> None:
    check(actor, Action.DELETE, opportunity)
    if opportunity.project_id:
        raise InvalidTransition(_("This opportunity became a project; it stays as the project's origin."))
    tracked_delete(instance=opportunity, actor=actor, expected_version=expected_version)


def default_funding_source() -> FundingSource | None:
    return (
        FundingSource.objects.filter(kind=FundingSource.Kind.PARTNER).order_by("sort_order", "code").first()
    )


@transaction.atomic
def opportunity_convert(
    *,
    actor: Actor,
    opportunity: Opportunity,
    expected_version: int | None,
    code: str,
    planned_start: dt.date,
    planned_end: dt.date,
    title: str = "",
    source: FundingSource | None = None,
    status: str = Project.Status.IMPLEMENTATION,
) -> Project:
    """Create the project and its funding from a signed opportunity and link them; all or nothing.

    Any refusal (access, a project code in use, no exchange rate for the currency, a stale version)
    rolls back both the project and the funding.
    """
    check(actor, Action.CHANGE, opportunity)
    if opportunity.stage != Opportunity.Stage.SIGNED:
        raise InvalidTransition(
            _("Only a signed opportunity can become a project (this one is %(s)s).")
            % {"s": opportunity.get_stage_display()}
        )
    if opportunity.project_id:
        raise InvalidTransition(
            _("This opportunity already became project %(p)s.") % {"p": opportunity.project}
        )
    source = source or default_funding_source()
    if source is None:
        raise ValidationError(
            {"source": _("Choose the funding source (no partner funding source exists yet).")}
        )
    if opportunity.signed_on is None:
        raise ValidationError({"signed_on": _("Give the date the agreement was signed.")})
    project = portfolio_services.project_create(
        actor=actor,
        code=code,
        title=title or opportunity.title,
        description=opportunity.notes,
        status=status,
        planned_start=planned_start,
        planned_end=planned_end,
        lead_office=opportunity.office,
        region=opportunity.region,
        kap_priority=opportunity.kap_priority,
        currency=opportunity.currency,
    )
    portfolio_services.funding_create(
        actor=actor,
        project=project,
        source=source,
        amount=opportunity.amount,
        currency=opportunity.currency,
        signed_on=opportunity.signed_on,
        partner=opportunity.partner,
    )
    tracked_update(
        instance=opportunity,
        actor=actor,
        data={"project": project},
        expected_version=expected_version,
        action=AuditEntry.Action.TRANSITION,
        reason=str(_("Converted into project %(code)s") % {"code": project.code}),
    )
    return project
