"""Forms for projects and the records attached to them; services do the validation that matters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from presence.core.forms import CodesField, VersionedModelForm
from presence.org.models import Country
from presence.portfolio.models import (
    Budget,
    ExchangeRate,
    Funding,
    FundingAgreement,
    Partner,
    Project,
    ReportingObligation,
    Transaction,
)
from presence.portfolio.services import AGREEMENT_FIELDS, FUNDING_FIELDS, PROJECT_FIELDS, TRANSACTION_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(VersionedModelForm):
    class Meta:
        model = Project
        fields = list(PROJECT_FIELDS)
        widgets = {
            "planned_start": DATE,
            "planned_end": DATE,
            "actual_start": DATE,
            "actual_end": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class FundingForm(VersionedModelForm):
    class Meta:
        model = Funding
        fields = list(FUNDING_FIELDS)
        widgets = {"signed_on": DATE}


class BudgetForm(VersionedModelForm):
    class Meta:
        model = Budget
        fields = ["year", "amount", "currency"]


class TransactionForm(VersionedModelForm):
    class Meta:
        model = Transaction
        fields = list(TRANSACTION_FIELDS)
        widgets = {"date": DATE}


class ObligationForm(VersionedModelForm):
    class Meta:
        model = ReportingObligation
        fields = ["title", "partner", "due_on", "submitted_on"]
        widgets = {"due_on": DATE, "submitted_on": DATE}


class ExchangeRateForm(VersionedModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["currency", "valid_from", "rate_to_chf"]
        widgets = {"valid_from": DATE}


class PartnerForm(VersionedModelForm):
    class Meta:
        model = Partner
        fields = ["name", "organisation_type", "iati_identifier", "country"]


class AgreementForm(VersionedModelForm):
    """A funding agreement. Its projects are typed by their codes (an organization has thousands); the
    view narrows them to those the user may view, so another code is refused as unknown."""

    projects = CodesField(
        queryset=Project.objects.none(),
        required=False,
        label=_("Projects"),
        help_text=_("Project codes, separated by commas or spaces, for example 9RAF23001, 9RAS23002."),
        error_messages={"unknown": _("Unknown project codes: %(codes)s.")},
    )

    class Meta:
        model = FundingAgreement
        fields = list(AGREEMENT_FIELDS)
        widgets = {
            "signed_on": DATE,
            "next_report_due": DATE,
            "reporting_obligations": forms.Textarea(attrs={"rows": 4}),
        }


class CountryShareForm(forms.Form):
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.all())
    percentage = forms.DecimalField(label=_("Percentage"), required=False, max_digits=5, decimal_places=2)


CountryShareFormSet = forms.formset_factory(CountryShareForm, extra=3, can_delete=True)


class ReconcileForm(forms.Form):
    file = forms.FileField(
        label=_("Table (CSV)"),
        help_text=_("A table like Table 1: a label column, part columns, a total column, and a Total row."),
    )
