"""Filter forms shared by each list page and its CSV/XLSX export (the API takes the same names)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from presence.engagement.models import Event, Opportunity, StakeholderEngagement
from presence.org.models import Office, Priority, Region

DATE = forms.DateInput(attrs={"type": "date"})
ANY = ("", _("Any"))


class _FilterForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "region" in self.fields:
            self.fields["region"].choices = [ANY, *Region.objects.values_list("code", "code")]  # type: ignore[attr-defined]
        if "office" in self.fields:
            self.fields["office"].choices = [  # type: ignore[attr-defined]
                ANY,
                *Office.objects.order_by("code").values_list("code", "name"),
            ]
        if "priority" in self.fields:
            self.fields["priority"].choices = [  # type: ignore[attr-defined]
                ANY,
                *((p.code, str(p)) for p in Priority.objects.filter(kind=Priority.Kind.PRIORITY)),
            ]

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}


class EventFilterForm(_FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    office = forms.ChoiceField(label=_("Office"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[ANY, *Event.Kind.choices], required=False)
    priority = forms.ChoiceField(label=_("KAP priority"), required=False)
    start = forms.DateField(label=_("Starting from"), required=False, widget=DATE)
    end = forms.DateField(label=_("Starting until"), required=False, widget=DATE)


class EngagementFilterForm(_FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    office = forms.ChoiceField(label=_("Office"), required=False)
    organization_type = forms.ChoiceField(
        label=_("Organization type"),
        choices=[ANY, *StakeholderEngagement.OrganizationType.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[ANY, *StakeholderEngagement.Kind.choices], required=False
    )
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
    overdue = forms.BooleanField(label=_("Overdue follow-ups only"), required=False)


class OpportunityFilterForm(_FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    office = forms.ChoiceField(label=_("Office"), required=False)
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[ANY, ("open", _("Open (not signed or lost)")), *Opportunity.Stage.choices],
        required=False,
    )
    expected_from = forms.DateField(label=_("Expected signature from"), required=False, widget=DATE)
    expected_to = forms.DateField(label=_("Expected signature until"), required=False, widget=DATE)
