"""Forms of the resilience pages; services validate, forms only parse input."""

from __future__ import annotations

from typing import Any, TypedDict

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from presence.core.forms import QuickSelect, VersionedModelForm
from presence.core.models import localized
from presence.org.models import Office
from presence.resilience.models import (
    Assessment,
    AssessmentTemplate,
    CrisisCommsRegistration,
    Finding,
    Installation,
    PlanningDocument,
    RemediationAction,
    Requirement,
    RequirementResult,
    ResilienceSettings,
)
from presence.resilience.rules import EVIDENCE_MAX_BYTES, EVIDENCE_TYPES
from presence.resilience.services.assessments import ASSESSMENT_FIELDS
from presence.resilience.services.configuration import REQUIREMENT_FIELDS, TEMPLATE_FIELDS
from presence.resilience.services.findings import ACTION_FIELDS, FINDING_FIELDS
from presence.resilience.services.plans import INSTALLATION_FIELDS, PLAN_FIELDS
from presence.resilience.services.registrations import REGISTRATION_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _people() -> Any:
    return get_user_model().objects.filter(is_active=True).order_by("username")


class TemplateForm(VersionedModelForm):
    class Meta:
        model = AssessmentTemplate
        fields = list(TEMPLATE_FIELDS)


class RequirementForm(VersionedModelForm):
    class Meta:
        model = Requirement
        fields = list(REQUIREMENT_FIELDS)
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class AssessmentForm(VersionedModelForm):
    class Meta:
        model = Assessment
        fields = list(ASSESSMENT_FIELDS)
        widgets = dict.fromkeys(("planned_start", "planned_end", "actual_start", "actual_end"), DATE)

    def __init__(self, *args: Any, offices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if offices is not None:
            self.fields["office"].queryset = offices  # type: ignore[attr-defined]
        templates = AssessmentTemplate.objects.filter(is_current=True)
        if self.instance.pk:
            templates = AssessmentTemplate.objects.filter(pk=self.instance.template_id) | templates
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]


class ResultForm(VersionedModelForm):
    class Meta:
        model = RequirementResult
        fields = ["result", "observation"]
        widgets = {"observation": forms.Textarea(attrs={"rows": 4})}


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence file"),
        help_text=_("At most %(mb)d MB; types: %(types)s.")
        % {"mb": EVIDENCE_MAX_BYTES // 1024 // 1024, "types": ", ".join(EVIDENCE_TYPES)},
    )


class FindingForm(VersionedModelForm):
    class Meta:
        model = Finding
        fields = list(FINDING_FIELDS)
        widgets = {"due_on": DATE, "closed_on": DATE, "details": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, assessment: Assessment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = assessment.template.requirements.all()  # type: ignore[attr-defined]
        self.fields["owner"].queryset = _people()  # type: ignore[attr-defined]


class ActionForm(VersionedModelForm):
    class Meta:
        model = RemediationAction
        fields = list(ACTION_FIELDS)
        widgets = {"due_on": DATE, "completed_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()  # type: ignore[attr-defined]


class _OfficeForm(VersionedModelForm):
    def __init__(self, *args: Any, offices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if offices is not None:
            self.fields["office"].queryset = offices  # type: ignore[attr-defined]


class PlanForm(_OfficeForm):
    class Meta:
        model = PlanningDocument
        fields = list(PLAN_FIELDS)
        widgets = {"approved_on": DATE, "next_review_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()  # type: ignore[attr-defined]


class InstallationForm(_OfficeForm):
    class Meta:
        model = Installation
        fields = list(INSTALLATION_FIELDS)
        widgets = dict.fromkeys(("planned_start", "planned_end", "actual_start", "actual_end"), DATE)


class RegistrationForm(_OfficeForm):
    class Meta:
        model = CrisisCommsRegistration
        fields = list(REGISTRATION_FIELDS)
        widgets = {"counted_on": DATE}


class RegistrationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: office (code, e.g. dakar), counted_on (YYYY-MM-DD), registered, "
            "staff_in_office (optional)."
        ),
    )


class SettingsForm(VersionedModelForm):
    class Meta:
        model = ResilienceSettings
        fields = ["workdays_per_month", "coverage_threshold", "plan_warning_days"]


class Place(TypedDict):
    region: str
    office: str


class PlaceFilterForm(forms.Form):
    """Region and office: the filter shared by every resilience page, its export and the API."""

    region = forms.ChoiceField(label=_("Region"), required=False, widget=QuickSelect)
    office = forms.ChoiceField(label=_("Office"), required=False, widget=QuickSelect)

    def __init__(self, *args: Any, offices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read as values: a large organization has a thousand offices, and records cost 0.1 s to build.
        rows = list(
            offices.values_list(
                "code",
                "name",
                "name_translations",
                "region__sort_order",
                "region__code",
                "region__name",
                "region__name_translations",
            )
        )
        regions = sorted(
            {(order, code, localized(name, names)) for *_o, order, code, name, names in rows if code}
        )
        self.fields["region"].choices = [("", _("All"))] + [(code, name) for _s, code, name in regions]  # type: ignore[attr-defined]
        self.fields["office"].choices = [("", _("All"))] + [  # type: ignore[attr-defined]
            (code, localized(name, names)) for code, name, names, *_r in rows
        ]

    def place(self) -> Place:
        if not self.is_bound or not self.is_valid():
            return {"region": "", "office": ""}
        return {
            "region": self.cleaned_data.get("region") or "",
            "office": self.cleaned_data.get("office") or "",
        }


__all__ = ["Office"]
