"""Reads of events, engagements and opportunities: participation totals, overdue follow-ups and the
resource-mobilization pipeline weighted by probability per region (in CHF at portfolio rates)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DateField, DecimalField, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from presence.core.filtering import ListFilter
from presence.core.reminders import Reminder
from presence.engagement.filters import EngagementFilter, EventFilter, OpportunityFilter, overdue
from presence.engagement.models import GENDER_FIELDS, TYPE_FIELDS, Event, Opportunity, StakeholderEngagement
from presence.org.access import Action, restrict
from presence.org.models import Region
from presence.portfolio.rates import BASE, RateBook, rate_valid_from

# Events -------------------------------------------------------------------------------------------


def event_list(*, user: Any, filters: ListFilter | None = None, **values: Any) -> QuerySet[Event]:
    """Events within the user's reach narrowed by `filters.EventFilter` (start/end: began in the period)."""
    events = restrict(
        Event.objects.select_related("region", "office", "host_country", "kap_priority"), user, Action.VIEW
    )
    return EventFilter.apply(events, filters or values)


def event_get(*, user: Any, pk: int) -> Event:
    return event_list(user=user).get(pk=pk)


@dataclass
class ParticipationRow:
    """Events and their participants for one region (region "" is the total)."""

    region: str
    events: int = 0
    participants: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    women: int = 0
    men: int = 0

    @property
    def type_unknown(self) -> int:
        return max(0, self.participants - sum(self.by_type.values()))

    @property
    def gender_unknown(self) -> int:
        return max(0, self.participants - self.women - self.men)


def participation(events: QuerySet[Event]) -> list[ParticipationRow]:
    """Per region, events and participants of `events` (one query); the last row is the total."""
    sums = {name: Sum(name) for name in ("participants_total", *TYPE_FIELDS, *GENDER_FIELDS)}
    rows: list[ParticipationRow] = []
    total = ParticipationRow(region="")
    grouped = (
        events.order_by()
        .values("region__code", "region__sort_order")
        .annotate(n=Count("pk"), **sums)
        .order_by("region__sort_order", "region__code")
    )
    for group in grouped:
        item: dict[str, Any] = dict(group)
        row = ParticipationRow(
            region=item["region__code"],
            events=item["n"],
            participants=item["participants_total"] or 0,
            by_type={name.removeprefix("participants_"): item[name] or 0 for name in TYPE_FIELDS},
            women=item["participants_women"] or 0,
            men=item["participants_men"] or 0,
        )
        rows.append(row)
        total.events += row.events
        total.participants += row.participants
        total.women += row.women
        total.men += row.men
        for key, value in row.by_type.items():
            total.by_type[key] = total.by_type.get(key, 0) + value
    return [*rows, total]


def participation_summary(
    *, user: Any, start: dt.date, end: dt.date, kind: str = "", region: str = ""
) -> list[ParticipationRow]:
    """What the dashboard shows: events that began in the period and their participants, per region."""
    return participation(event_list(user=user, kind=kind, region=region, start=start, end=end))


# Stakeholder engagements --------------------------------------------------------------------------


def engagement_list(
    *, user: Any, filters: ListFilter | None = None, **values: Any
) -> QuerySet[StakeholderEngagement]:
    """Engagements within the user's reach narrowed by `filters.EngagementFilter`."""
    engagements = restrict(
        StakeholderEngagement.objects.select_related("office__region", "country"), user, Action.VIEW
    )
    return EngagementFilter.apply(engagements, filters or values)


def engagement_get(*, user: Any, pk: int) -> StakeholderEngagement:
    return engagement_list(user=user).get(pk=pk)


def overdue_follow_ups(*, user: Any, today: dt.date | None = None) -> QuerySet[StakeholderEngagement]:
    """Engagements whose follow-up date has passed without the follow-up being marked done."""
    return overdue(engagement_list(user=user), today or timezone.localdate())


def follow_up_reminders(*, today: dt.date) -> list[Reminder]:
    """Each overdue or due-this-week follow-up, for the person who recorded the engagement."""
    due = StakeholderEngagement.objects.filter(
        follow_up_done=False, follow_up_on__lte=today + dt.timedelta(days=7), created_by__isnull=False
    ).select_related("created_by")
    return [
        Reminder(
            user=item.created_by,
            kind="stakeholder follow-up",
            subject=f"{item.organization}: {item.topic}",
            due=item.follow_up_on,
            url=reverse("engagement:engagement-detail", args=[item.pk]),
        )
        for item in due
    ]


# Opportunities ------------------------------------------------------------------------------------


def opportunity_list(*, user: Any, filters: ListFilter | None = None, **values: Any) -> QuerySet[Opportunity]:
    """Opportunities within the user's reach narrowed by `filters.OpportunityFilter`."""
    opportunities = restrict(
        Opportunity.objects.select_related("region", "office", "partner", "project", "kap_priority"),
        user,
        Action.VIEW,
    )
    return OpportunityFilter.apply(opportunities, filters or values)


def opportunity_get(*, user: Any, pk: int) -> Opportunity:
    return opportunity_list(user=user).get(pk=pk)


@dataclass
class PipelineRow:
    """One region's opportunities: open value and value weighted by probability, in CHF; signed and lost."""

    region: str
    open_count: int = 0
    open_chf: Decimal = Decimal(0)
    weighted_chf: Decimal = Decimal(0)
    signed_count: int = 0
    signed_chf: Decimal = Decimal(0)
    lost_count: int = 0
    by_stage: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Opportunity.Stage.values, 0))
    unconverted: int = 0  # opportunities without an exchange rate for their currency on their date

    def add(self, stage: str, count: int, chf: Decimal | None, weighted: Decimal | None) -> None:
        """Add `count` opportunities at `stage` worth `chf` together (None: no rate), `weighted` by
        their probabilities."""
        self.by_stage[stage] += count
        if chf is None:
            self.unconverted += count
        if stage in Opportunity.OPEN_STAGES:
            self.open_count += count
            if chf is not None and weighted is not None:
                self.open_chf += chf
                self.weighted_chf += weighted
        elif stage == Opportunity.Stage.SIGNED:
            self.signed_count += count
            if chf is not None:
                self.signed_chf += chf
        else:
            self.lost_count += count

    def rounded(self) -> PipelineRow:
        cent = Decimal("0.01")
        self.open_chf = self.open_chf.quantize(cent)
        self.weighted_chf = self.weighted_chf.quantize(cent)
        self.signed_chf = self.signed_chf.quantize(cent)
        return self


def opportunity_chf(opportunity: Opportunity, book: RateBook, today: dt.date) -> Decimal | None:
    """The amount in CHF at the rate of the signature date (signed), else the expected one or today."""
    on = opportunity.signed_on or opportunity.expected_signature_on or today
    return book.to_chf(opportunity.amount, opportunity.currency, on)


def _with_rate_period(opportunities: QuerySet[Opportunity], today: dt.date) -> QuerySet[Any]:
    """`rate_from`: from when the exchange rate of `opportunity_chf`'s date applies (NULL: none)."""
    on = Coalesce("signed_on", "expected_signature_on", Value(today), output_field=DateField())
    return opportunities.order_by().annotate(rate_on=on).annotate(rate_from=rate_valid_from("rate_on"))


def opportunities_without_rate(*, user: Any, today: dt.date | None = None, **values: Any) -> QuerySet[Any]:
    """The opportunities `opportunity_pipeline` cannot convert: no rate for their currency on their date."""
    day = today or timezone.localdate()
    opportunities = _with_rate_period(opportunity_list(user=user, **values), day)
    return opportunities.exclude(currency=BASE).filter(rate_from__isnull=True)


def opportunity_pipeline(
    *, user: Any, filters: ListFilter | None = None, today: dt.date | None = None, **values: Any
) -> list[PipelineRow]:
    """Per region: open pipeline value and value weighted by probability (CHF); the last row is the total.

    Summed in the database per region, stage, currency and rate period (the rows fetched grow with
    those, not with the opportunities), then converted at the period's rate: the same figures as
    converting each opportunity at the rate of `opportunity_chf`'s date. Three queries: the regions'
    order, the exchange rates and the sums.
    """
    day = today or timezone.localdate()
    book = RateBook.load()
    order = {code: index for index, code in enumerate(Region.objects.values_list("code", flat=True))}
    decimal = DecimalField(max_digits=24, decimal_places=2)
    grouped = (
        _with_rate_period(opportunity_list(user=user, filters=filters, **values), day)
        .values("region__code", "stage", "currency", "rate_from")
        .annotate(
            n=Count("pk"),
            summed=Sum("amount", output_field=decimal),
            by_probability=Sum(F("amount") * F("probability"), output_field=decimal),
        )
        .values_list("region__code", "stage", "currency", "rate_from", "n", "summed", "by_probability")
    )
    # SQLite sums in floating point: back to the amounts' cents, as the records hold them.
    cent = Decimal("0.01")
    rows: dict[str, PipelineRow] = {}
    total = PipelineRow(region="")
    for region, stage, currency, rate_from, count, amount, by_probability in grouped:
        rate = Decimal(1) if currency == BASE else (book.rate(currency, rate_from) if rate_from else None)
        chf = weighted = None
        if rate is not None:
            chf = Decimal(amount).quantize(cent) * rate
            weighted = Decimal(by_probability).quantize(cent) * rate / Decimal(100)
        for row in (rows.setdefault(region, PipelineRow(region=region)), total):
            row.add(stage, count, chf, weighted)
    ordered = sorted(rows.values(), key=lambda r: order.get(r.region, 99))
    return [row.rounded() for row in [*ordered, total]]
