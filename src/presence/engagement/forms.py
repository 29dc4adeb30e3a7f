"""Forms for events, stakeholder engagements, opportunities and converting one into a project."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from presence.core.forms import VersionedForm, VersionedModelForm
from presence.engagement.models import Event, Opportunity, StakeholderEngagement
from presence.engagement.services import ENGAGEMENT_FIELDS, EVENT_FIELDS, OPPORTUNITY_FIELDS
from presence.portfolio.models import FundingSource, Project

DATE = forms.DateInput(attrs={"type": "date"})


class EventForm(VersionedModelForm):
    class Meta:
        model = Event
        fields = list(EVENT_FIELDS)
        widgets = {"start_date": DATE, "end_date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "participants_total": _(
                "All participants. Counts by stakeholder type and by gender may be left at 0 when unknown; "
                "they may not add up to more than this total."
            ),
        }


class EngagementForm(VersionedModelForm):
    class Meta:
        model = StakeholderEngagement
        fields = list(ENGAGEMENT_FIELDS)
        widgets = {"date": DATE, "follow_up_on": DATE, "outcome": forms.Textarea(attrs={"rows": 4})}


class OpportunityForm(VersionedModelForm):
    class Meta:
        model = Opportunity
        fields = list(OPPORTUNITY_FIELDS)
        widgets = {
            "expected_signature_on": DATE,
            "signed_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"probability": _("Set to 100 when signed and 0 when lost.")}


class ConvertForm(VersionedForm):
    """The project-only facts needed to turn a signed opportunity into a portfolio project."""

    code = forms.CharField(label=_("Project code"), max_length=30, help_text=_("e.g. 9RAF24001"))
    title = forms.CharField(
        label=_("Project title"),
        max_length=300,
        required=False,
        help_text=_("Left empty, the opportunity's title."),
    )
    planned_start = forms.DateField(label=_("Planned start"), widget=DATE)
    planned_end = forms.DateField(label=_("Planned end"), widget=DATE)
    source = forms.ModelChoiceField(
        label=_("Funding source"),
        queryset=FundingSource.objects.all(),
        required=False,
        help_text=_("Left empty, funding from partners."),
    )
    status = forms.ChoiceField(
        label=_("Project status"), choices=Project.Status.choices, initial=Project.Status.IMPLEMENTATION
    )
