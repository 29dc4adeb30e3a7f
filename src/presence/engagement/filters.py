"""Engagement's lists, each declared once: filters for the page, its CSV/XLSX export and the API, and
the export's columns. See `core/filtering.py`; the selectors apply these after `org.access.restrict`."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presence.core.exports import Column
from presence.core.filtering import CodeFilter, Export, FlagFilter, ListFilter, by_code
from presence.engagement.models import Event, Opportunity, StakeholderEngagement, StakeholderType
from presence.org.filters import priority_codes
from presence.org.models import Office, Priority, Region

DATE = forms.DateInput(attrs={"type": "date"})


def _kap_priorities() -> list[tuple[str, str]]:
    return priority_codes(Priority.Kind.PRIORITY)


class EventFilter(ListFilter):
    q = df.CharFilter(label=_("Search"), method="search")
    region = by_code(Region, _("Region"), field_name="region")
    office = by_code(Office, _("Office"), field_name="office")
    kind = df.ChoiceFilter(
        label=_("Kind"), choices=Event.Kind.choices, field_name="kind", empty_label=_("Any")
    )
    priority = CodeFilter(label=_("KAP priority"), codes=_kap_priorities, field_name="kap_priority__code")
    start = df.DateFilter(label=_("Starting from"), field_name="start_date", lookup_expr="gte", widget=DATE)
    end = df.DateFilter(label=_("Starting until"), field_name="start_date", lookup_expr="lte", widget=DATE)

    class Meta:
        model = Event
        fields: list[str] = []

    export = Export(
        filename="events",
        title=_("Events"),
        columns=[
            Column("title", _("Title")),
            Column("kind", _("Kind")),
            Column("start_date", _("Start")),
            Column("end_date", _("End")),
            Column("region", _("Region")),
            Column("office", _("Office")),
            Column("host_country", _("Host country")),
            Column("city", _("City")),
            Column("kap_priority", _("KAP priority")),
            Column("participants_total", _("Participants")),
            *[Column(f"participants_{value}", label) for value, label in StakeholderType.choices],
            Column("type_unknown", _("Stakeholder type unknown")),
            Column("participants_women", _("Women")),
            Column("participants_men", _("Men")),
            Column("gender_unknown", _("Gender unknown")),
        ],
    )

    def search(self, queryset: QuerySet[Event], name: str, value: str) -> QuerySet[Event]:
        return queryset.filter(
            Q(title__icontains=value) | Q(city__icontains=value) | Q(host_country__name__icontains=value)
        )


class EngagementFilter(ListFilter):
    q = df.CharFilter(label=_("Search"), method="search")
    region = by_code(Region, _("Region"), field_name="office__region")
    office = by_code(Office, _("Office"), field_name="office")
    organization_type = df.ChoiceFilter(
        label=_("Organization type"),
        choices=StakeholderEngagement.OrganizationType.choices,
        field_name="organization_type",
        empty_label=_("Any"),
    )
    kind = df.ChoiceFilter(
        label=_("Kind"), choices=StakeholderEngagement.Kind.choices, field_name="kind", empty_label=_("Any")
    )
    start = df.DateFilter(label=_("From"), field_name="date", lookup_expr="gte", widget=DATE)
    end = df.DateFilter(label=_("To"), field_name="date", lookup_expr="lte", widget=DATE)
    overdue = FlagFilter(label=_("Overdue follow-ups only"), method="overdue_only")

    class Meta:
        model = StakeholderEngagement
        fields: list[str] = []

    export = Export(
        filename="stakeholder-engagements",
        title=_("Engagements"),
        columns=[
            Column("date", _("Date")),
            Column("organization", _("Organization")),
            Column("organization_type", _("Organization type")),
            Column("country", _("Country")),
            Column("kind", _("Kind")),
            Column("office", _("Office")),
            Column("region", _("Region")),
            Column("topic", _("Topic")),
            Column("outcome", _("Outcome")),
            Column("follow_up_on", _("Follow up by")),
            Column("follow_up_done", _("Follow-up done")),
            Column("overdue", _("Overdue")),
        ],
    )

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(organization__icontains=value) | Q(topic__icontains=value) | Q(outcome__icontains=value)
        )

    def overdue_only(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        return overdue(queryset, timezone.localdate())


def overdue(queryset: QuerySet[Any], today: Any) -> QuerySet[Any]:
    """Engagements whose follow-up date has passed without the follow-up being marked done."""
    return queryset.filter(follow_up_done=False, follow_up_on__lt=today).order_by("follow_up_on")


class OpportunityFilter(ListFilter):
    q = df.CharFilter(label=_("Search"), method="search")
    region = by_code(Region, _("Region"), field_name="region")
    office = by_code(Office, _("Office"), field_name="office")
    stage = df.ChoiceFilter(
        label=_("Stage"),
        choices=[("open", _("Open (not signed or lost)")), *Opportunity.Stage.choices],
        method="at_stage",
        empty_label=_("Any"),
    )
    partner = df.CharFilter(label=_("Donor or partner"), field_name="partner__name", lookup_expr="icontains")
    expected_from = df.DateFilter(
        label=_("Expected signature from"), field_name="expected_signature_on", lookup_expr="gte", widget=DATE
    )
    expected_to = df.DateFilter(
        label=_("Expected signature until"),
        field_name="expected_signature_on",
        lookup_expr="lte",
        widget=DATE,
    )

    class Meta:
        model = Opportunity
        fields: list[str] = []

    export = Export(
        filename="opportunities",
        title=_("Opportunities"),
        columns=[
            Column("title", _("Title")),
            Column("partner", _("Donor or partner")),
            Column("office", _("Office")),
            Column("region", _("Region")),
            Column("stage", _("Stage")),
            Column("amount", _("Amount"), "#,##0.00"),
            Column("currency", _("Currency")),
            Column("probability", _("Probability (%)")),
            Column("weighted_amount", _("Weighted amount"), "#,##0.00"),
            Column("expected_signature_on", _("Expected signature")),
            Column("signed_on", _("Signed on")),
            Column("project", _("Project")),
        ],
    )

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(title__icontains=value) | Q(partner__name__icontains=value))

    def at_stage(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "open":
            return queryset.filter(stage__in=Opportunity.OPEN_STAGES)
        return queryset.filter(stage=value)
