"""The form for a governing body's request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from presence.core.forms import VersionedModelForm
from presence.mandates.models import Mandate
from presence.mandates.services import MANDATE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})


class MandateForm(VersionedModelForm):
    url = forms.URLField(label=_("document address"), required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Mandate
        fields = list(MANDATE_FIELDS)
        widgets = {
            "due_on": DATE,
            "text": forms.Textarea(attrs={"rows": 4}),
            "comment": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "assessment": _("Your judgement, shown next to the evidence computed from records."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")  # type: ignore[attr-defined]
