"""Forms for activities and quarterly reviews (the indicator actuals of the quarter included)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from presence.core.forms import VersionedModelForm
from presence.org.models import Region
from presence.results.models import (
    Activity,
    Framework,
    Indicator,
    IndicatorValue,
    Outcome,
    Output,
    QuarterlyReview,
    ReportingPeriod,
    StrategicGoal,
)
from presence.results.services.activities import ACTIVITY_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityForm(VersionedModelForm):
    class Meta:
        model = Activity
        fields = list(ACTIVITY_FIELDS)
        widgets = {
            "countries": forms.SelectMultiple(attrs={"size": 8}),
            "outputs": forms.SelectMultiple(attrs={"size": 8}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outputs"].queryset = self.fields["outputs"].queryset.select_related("outcome")  # type: ignore[attr-defined]


class ReviewForm(VersionedModelForm):
    """The review's narrative and rating, plus one field per indicator for the quarter's actual."""

    class Meta:
        model = QuarterlyReview
        fields = ["rating", "progress", "risks", "next_steps"]
        widgets = {
            "progress": forms.Textarea(attrs={"rows": 5}),
            "risks": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, indicators: list[Indicator], current: dict[int, IndicatorValue], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            name = f"actual_{indicator.pk}"
            value = current.get(indicator.pk)
            label = _("Actual this quarter: %(code)s %(name)s") % {
                "code": indicator.code,
                "name": indicator.name,
            }
            if indicator.is_quantitative:
                self.fields[name] = forms.DecimalField(
                    label=label,
                    required=False,
                    max_digits=14,
                    decimal_places=2,
                    help_text=indicator.unit or indicator.get_measure_display(),
                )
                if value is not None and not self.is_bound:
                    self.initial[name] = value.actual
            else:
                self.fields[name] = forms.CharField(
                    label=label, required=False, widget=forms.Textarea(attrs={"rows": 2})
                )
                if value is not None and not self.is_bound:
                    self.initial[name] = value.note

    def actuals(self) -> dict[int, Decimal | str | None]:
        """Entered actuals that changed from what was shown, keyed by indicator id."""
        entered: dict[int, Decimal | str | None] = {}
        for indicator in self.indicators:
            name = f"actual_{indicator.pk}"
            value = self.cleaned_data.get(name)
            if value in (None, "") and self.initial.get(name) in (None, ""):
                continue
            if value != self.initial.get(name):
                entered[indicator.pk] = value if value != "" else None
        return entered


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def region_choices(*, include_global: bool = True) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", _("All regions"))]
    if include_global:
        choices.append(("global", _("Global (no region)")))
    return choices + [(r.code, f"{r.code} {r.name}") for r in Region.objects.all()]


class FrameworkFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices(include_global=False)  # type: ignore[attr-defined]


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    total = forms.DecimalField(
        label=_("Amount to allocate (CHF)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("Empty: the planned budgets of the year's regional and country activities."),
    )


# --- Framework elements, reporting periods, indicators (editing pages) --------------------------------


class FrameworkForm(VersionedModelForm):
    class Meta:
        model = Framework
        fields = ["code", "name", "start_year", "end_year", "priority_cycle"]


class GoalForm(VersionedModelForm):
    class Meta:
        model = StrategicGoal
        fields = ["framework", "code", "name", "sort_order", "priorities"]
        widgets = {"priorities": forms.CheckboxSelectMultiple}


class OutcomeForm(VersionedModelForm):
    class Meta:
        model = Outcome
        fields = ["framework", "priority", "code", "title", "sort_order"]


class OutputForm(VersionedModelForm):
    class Meta:
        model = Output
        fields = ["outcome", "code", "title", "kind", "sort_order"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = Outcome.objects.select_related("framework")  # type: ignore[attr-defined]


class PeriodForm(VersionedModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["year", "quarter", "starts_on", "ends_on", "submission_deadline"]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "submission_deadline": DATE,
        }


class PeriodYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    days_after = forms.IntegerField(
        label=_("Deadline (days after each quarter ends)"), min_value=0, max_value=120, initial=30
    )


class IndicatorForm(VersionedModelForm):
    """An indicator's definition; what it measures is fixed by the page it is added from."""

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "measure",
            "unit",
            "direction",
            "baseline_year",
            "baseline_value",
            "accumulates",
            "by_region",
            "by_gender",
        ]


class IndicatorValueForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        choices=[(0, _("Whole year")), (1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")],
        initial=0,
    )
    breakdown_region = forms.ModelChoiceField(
        label=_("Region (breakdown)"), queryset=Region.objects.all(), required=False
    )
    gender = forms.ChoiceField(
        label=_("Gender (breakdown)"), choices=IndicatorValue.Gender.choices, required=False
    )
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2, required=False)
    actual = forms.DecimalField(label=_("Actual"), max_digits=14, decimal_places=2, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProjectOutputsForm(forms.Form):
    outputs = forms.ModelMultipleChoiceField(
        label=_("Outputs this project contributes to"),
        queryset=Output.objects.select_related("outcome__framework"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_(
            "Outputs of a framework covering the project's years; its indicators count in their progress."
        ),
    )

    def __init__(self, *args: Any, first_year: int, last_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["outputs"]
        field.queryset = field.queryset.filter(  # type: ignore[attr-defined]
            outcome__framework__start_year__lte=last_year, outcome__framework__end_year__gte=first_year
        )
        field.label_from_instance = lambda o: f"{o.outcome.framework.code} · {o.code} {o.title}"  # type: ignore[attr-defined]
