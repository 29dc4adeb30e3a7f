"""The request list's filters (the API takes the same names)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from presence.core.years import YearField
from presence.mandates.models import Evidence, Mandate

ANY = ("", _("Any"))


class MandateFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    body = forms.ChoiceField(label=_("Governing body"), choices=[ANY, *Mandate.Body.choices], required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[ANY, *Mandate.Kind.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[ANY, *Mandate.Status.choices], required=False)
    evidence = forms.ChoiceField(label=_("Evidence"), choices=[ANY, *Evidence.choices], required=False)
    assessment = forms.ChoiceField(
        label=_("Assessment"), choices=[ANY, *Mandate.Assessment.choices], required=False
    )
    year = YearField(label=_("Year"), required=False)

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False)}
