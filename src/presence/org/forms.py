"""Forms for offices and API tokens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from presence.core.forms import VersionedModelForm
from presence.org.models import Office, PersonalAccessToken
from presence.org.services import OFFICE_FIELDS


class OfficeForm(VersionedModelForm):
    class Meta:
        model = Office
        fields = list(OFFICE_FIELDS)
        widgets = {
            "opened_on": forms.DateInput(attrs={"type": "date"}),
            "closed_on": forms.DateInput(attrs={"type": "date"}),
            "covered_countries": forms.SelectMultiple(attrs={"size": 10}),
        }


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What will use this token?"))
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=366, initial=90)
    access = forms.ChoiceField(
        label=_("Access"),
        choices=PersonalAccessToken.Access.choices,
        initial=PersonalAccessToken.Access.READ,
        help_text=_("A read-only token can only read; give write access only to a script that must write."),
    )
