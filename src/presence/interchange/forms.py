"""Upload forms of the interchange pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from presence.interchange import sheets
from presence.org.models import Office


class IatiUploadForm(forms.Form):
    file = forms.FileField(label=_("IATI activity file (XML)"))
    dry_run = forms.BooleanField(label=_("Dry run: report what would change, write nothing"), required=False)
    strict = forms.BooleanField(
        label=_("Strict: refuse the file if it does not follow the IATI 2.03 schema"),
        required=False,
        help_text=_("Otherwise each schema fault is imported with a note naming the element and line."),
    )
    office = forms.ModelChoiceField(
        label=_("Lead office of new projects"),
        queryset=Office.objects.all(),
        required=False,
        to_field_name="code",
        help_text=_("Empty: the office covering the first recipient country, else the regional office."),
    )


class SheetUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Template"), choices=())
    file = forms.FileField(label=_("Filled-in template (XLSX or CSV)"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [(key, spec.label) for key, spec in sheets.REGISTRY.items()]

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an .xlsx or a .csv file."))
        return upload
