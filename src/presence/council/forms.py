from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from presence.core.forms import VersionedModelForm
from presence.council.models import CouncilDocument, DocumentVersion
from presence.council.services import VERSION_FIELDS


class DocumentForm(VersionedModelForm):
    class Meta:
        model = CouncilDocument
        fields = ["number", "title", "governing_body", "session", "year_from", "year_to", "languages"]


class VersionForm(VersionedModelForm):
    class Meta:
        model = DocumentVersion
        fields = list(VERSION_FIELDS)
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "action_required": forms.Textarea(attrs={"rows": 2}),
            "references": forms.Textarea(attrs={"rows": 4}),
            "body": forms.Textarea(attrs={"rows": 30, "class": "council-body"}),
        }
        help_texts = {
            "body": _(
                "# starts a numbered section; - a dash paragraph; [[kind arg=value]] alone on a line "
                "inserts a block; {{name arg=value}} is a live figure; [^text] a footnote. See the list of "
                "fields."
            )
        }


class NewVersionForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"))
    copy_from = forms.ModelChoiceField(
        label=_("Copy the text of"), queryset=DocumentVersion.objects.none(), required=False
    )

    def __init__(self, *args: Any, document: CouncilDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        languages = dict(DocumentVersion._meta.get_field("language").choices or [])
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            (code, languages.get(code, code)) for code in document.language_list
        ]
        self.fields["copy_from"].queryset = document.versions.order_by("language", "-number")  # type: ignore[attr-defined]


class CompareForm(forms.Form):
    a = forms.ModelChoiceField(label=_("Version"), queryset=DocumentVersion.objects.none())
    b = forms.ModelChoiceField(label=_("with version"), queryset=DocumentVersion.objects.none())

    def __init__(self, *args: Any, versions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["a"].queryset = versions  # type: ignore[attr-defined]
        self.fields["b"].queryset = versions  # type: ignore[attr-defined]
