"""One filter definition per list: the page, its CSV/XLSX export and the API read the same fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from presence.core.years import YearField
from presence.org.models import Office, Priority, Region
from presence.portfolio.models import FundingSource, Partner, Project, RegionalInitiative

YEAR_HELP = _("Projects on-going in that year (see the definition in the documentation).")


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, to_field_name="code"
    )
    office = forms.ModelChoiceField(
        label=_("Lead office"), queryset=Office.objects.all(), required=False, to_field_name="code"
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Project.Status.choices], required=False
    )
    source = forms.ModelChoiceField(
        label=_("Funding source"), queryset=FundingSource.objects.all(), required=False, to_field_name="code"
    )
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.all(), required=False)
    year = YearField(label=_("On-going in year"), required=False, help_text=YEAR_HELP)
    initiative = forms.ModelChoiceField(
        label=_("Regional initiative"),
        queryset=RegionalInitiative.objects.select_related("region"),
        required=False,
    )
    priority = forms.ModelChoiceField(
        label=_("KAP priority"), queryset=Priority.objects.all(), required=False, to_field_name="code"
    )

    def selector_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `selectors.project_list` (empty filters when the form is invalid)."""
        values = self.cleaned_data if self.is_valid() else {}
        return {
            "q": values.get("q") or "",
            "region": values["region"].code if values.get("region") else "",
            "office": values["office"].code if values.get("office") else "",
            "status": values.get("status") or "",
            "source": values["source"].code if values.get("source") else "",
            "partner": values["partner"].pk if values.get("partner") else None,
            "year": values.get("year"),
            "initiative": values["initiative"].pk if values.get("initiative") else None,
            "priority": values["priority"].code if values.get("priority") else "",
        }


class FundingFilterForm(forms.Form):
    """The contributions behind a Table 1 cell: year, region, kind of source, one source."""

    year = YearField(label=_("Year"), help_text=YEAR_HELP)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, to_field_name="code"
    )
    kind = forms.ChoiceField(
        label=_("Kind of source"), choices=[("", _("Any")), *FundingSource.Kind.choices], required=False
    )
    source = forms.ModelChoiceField(
        label=_("Funding source"), queryset=FundingSource.objects.all(), required=False, to_field_name="code"
    )

    def selector_kwargs(self) -> dict[str, Any]:
        values = self.cleaned_data
        return {
            "year": values["year"],
            "region": values["region"].code if values.get("region") else "",
            "kind": values.get("kind") or "",
            "source": values["source"].code if values.get("source") else "",
        }
