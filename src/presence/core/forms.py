"""Form helpers: the version a user was shown, and service errors shown on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from presence.core.errors import VersionConflict
from presence.core.languages import NAME_TRANSLATION_MAX_LENGTH, RTL_LANGUAGES, translated_languages


def with_defaults(data: Any, **defaults: Any) -> Any:
    """Query data with `defaults` filled in where the link leaves them out (None stays None).

    A filter form then shows the values actually in use (the current year, say), not empty boxes.
    """
    if data is None:
        return None
    missing = {name: value for name, value in defaults.items() if not data.get(name)}
    if not missing:
        return data
    data = data.copy()
    for name, value in missing.items():
        data[name] = str(value)
    return data


class QuickSelect(forms.Select):
    """A select that writes its options itself instead of rendering a template for each one.

    The markup is the same as Django's `Select` (a selected option marked `selected`); a list of every
    office (a thousand options in a large organization) then costs a few milliseconds, not a third of a
    second.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        chosen = {str(v) for v in self.format_value(value)}
        options = []
        for choice, label in self.choices:
            text = "" if choice is None else str(choice)
            options.append(
                f'<option value="{escape(text)}"{" selected" if text in chosen else ""}>'
                f"{conditional_escape(str(label))}</option>"
            )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            flatatt(final),
            mark_safe("\n".join(options)),  # noqa: S308 - escaped above
        )


class CodeInput(forms.TextInput):
    """A box to type a code in, for references too many to offer as a list (an organization's
    projects: fifteen thousand options would be megabytes of markup on every list page)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "spellcheck": "false", "size": 16, **(attrs or {})})


class CodesField(forms.Field):
    """Several references typed by their unique codes, separated by commas or spaces (`9RAF23001,
    9RAS23001`), for a model with too many records to offer as choices. Cleans to the records in the
    order typed (a code typed twice counts once); a code not in `queryset` (unknown, or outside what
    the form lets the user reach) is refused by name. Shows a record list (a model form's initial
    many-to-many value) as its codes."""

    widget = CodeInput
    default_error_messages = {"unknown": _("Unknown codes: %(codes)s.")}

    def __init__(self, *, queryset: Any, to_field_name: str = "code", **kwargs: Any) -> None:
        kwargs.setdefault("widget", CodeInput({"size": 60}))
        super().__init__(**kwargs)
        self.queryset = queryset
        self.to_field_name = to_field_name

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return ", ".join(str(getattr(item, self.to_field_name, item)) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:
        if value in self.empty_values:
            return []
        codes = str(value).replace(",", " ").split()
        return list(dict.fromkeys(codes))

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def clean(self, value: Any) -> list[Any]:
        codes = self.to_python(value)
        self.validate(codes)
        if not codes:
            return []
        found = {
            getattr(r, self.to_field_name): r
            for r in self.queryset.filter(**{f"{self.to_field_name}__in": codes})
        }
        missing = [code for code in codes if code not in found]
        if missing:
            raise ValidationError(
                self.error_messages["unknown"], code="unknown", params={"codes": ", ".join(missing)}
            )
        return [found[code] for code in codes]

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(self.prepare_value(initial)) != self.to_python(data)


class VersionedForm(forms.Form):
    """Carries the record's version so a stale save is refused instead of overwriting."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def expected_version(self) -> int | None:
        value = self.cleaned_data.get("version")
        return int(value) if value else None


class VersionedModelForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def expected_version(self) -> int | None:
        value = self.cleaned_data.get("version")
        return int(value) if value else None

    def service_data(self) -> dict[str, Any]:
        """The cleaned values of the model's fields, as keyword arguments for a service."""
        return {
            name: self.cleaned_data[name] for name in self._meta.fields or () if name in self.cleaned_data
        }

    def _post_clean(self) -> None:
        # Services validate the model (full_clean) themselves; the form only parses input.
        pass


def add_service_error(form: forms.BaseForm, error: Exception) -> None:
    """Show a service's refusal on the form: field errors at their fields, the rest at the top."""
    if isinstance(error, VersionConflict):
        form.add_error(None, str(error))
        return
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                for message in messages:
                    if field in form.fields:
                        form.add_error(field, message)
                    elif field == "__all__":
                        form.add_error(None, message)
                    else:
                        form.add_error(None, f"{field}: {message}")
        else:
            for message in error.messages:
                form.add_error(None, message)
        return
    form.add_error(None, _("The change was refused: %(error)s") % {"error": error})


class NameTranslationsWidget(forms.MultiWidget):
    """One text box per language, labelled with the language and marked with its code and direction."""

    template_name = "core/widgets/name_translations.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        self.languages = translated_languages()
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            code: forms.TextInput(
                attrs={
                    "lang": code,
                    "dir": "rtl" if code in RTL_LANGUAGES else "ltr",
                    "maxlength": NAME_TRANSLATION_MAX_LENGTH,
                }
            )
            for code, _label in self.languages
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        value = value if isinstance(value, dict) else {}
        return [value.get(code, "") for code, _label in self.languages]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for subwidget, (_code, label) in zip(context["widget"]["subwidgets"], self.languages, strict=True):
            subwidget["language_label"] = label
        return context


class NameTranslationsFormField(forms.MultiValueField):
    """The name in each of the other languages; empty boxes are left out of the stored object."""

    def __init__(self, **kwargs: Any) -> None:
        self.languages = [code for code, _label in translated_languages()]
        fields = [
            forms.CharField(required=False, max_length=NAME_TRANSLATION_MAX_LENGTH)
            for _code in self.languages
        ]
        kwargs.pop("required", None)
        super().__init__(
            fields, required=False, require_all_fields=False, widget=NameTranslationsWidget, **kwargs
        )

    def compress(self, data_list: list[Any]) -> dict[str, str]:
        if not data_list:
            return {}
        return {
            code: value.strip()
            for code, value in zip(self.languages, data_list, strict=True)
            if value and value.strip()
        }

    def has_changed(self, initial: Any, data: Any) -> bool:
        values = data if isinstance(data, list) else self.widget.decompress(data)
        return bool((initial or {}) != self.compress(values))
