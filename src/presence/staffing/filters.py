"""Filter forms shared by each list page, its CSV/XLSX export and (by the same names) the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from presence.org.models import Office, Region
from presence.staffing.models import Category, Funding, Grade, Post, Recruitment, Sector
from presence.staffing.selectors import HQ

DATE = forms.DateInput(attrs={"type": "date"})


def _region_choices() -> list[tuple[str, Any]]:
    return [("", _("Any")), (HQ, _("Headquarters"))] + [
        (code, code) for code in Region.objects.filter(is_geographic=True).values_list("code", flat=True)
    ]


def _office_choices() -> list[tuple[str, Any]]:
    return [("", _("Any")), *Office.objects.order_by("code").values_list("code", "name")]


class _FilterForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "region" in self.fields:
            self.fields["region"].choices = _region_choices()  # type: ignore[attr-defined]
        if "office" in self.fields:
            self.fields["office"].choices = _office_choices()  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class StaffingTableFilterForm(_FilterForm):
    on = forms.DateField(label=_("On"), required=False, widget=DATE)
    region = forms.ChoiceField(label=_("Region"), required=False)
    office = forms.ChoiceField(label=_("Office"), required=False)


class PostFilterForm(_FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    office = forms.ChoiceField(label=_("Office"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", _("Any")), *Sector.choices], required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Any")), *Category.choices], required=False
    )
    grade = forms.ChoiceField(label=_("Grade"), choices=[("", _("Any")), *Grade.choices], required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Post.Status.choices], required=False
    )
    funding = forms.ChoiceField(
        label=_("Funding"), choices=[("", _("Any")), *Funding.choices], required=False
    )


class RecruitmentFilterForm(_FilterForm):
    q = forms.CharField(label=_("Search"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    office = forms.ChoiceField(label=_("Office"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any")), *Recruitment.Status.choices], required=False
    )
    opened_from = forms.DateField(label=_("Opened from"), required=False, widget=DATE)
    opened_to = forms.DateField(label=_("Opened until"), required=False, widget=DATE)


class MeasuresFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
