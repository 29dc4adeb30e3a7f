"""Base model for every record (timestamps, authors, version) and the audit trail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from presence.core.languages import NAME_TRANSLATION_MAX_LENGTH, translated_languages


def person(verbose_name: Any, **options: Any) -> Any:
    """A link to a user that outlives the account (set to null), optional, with no reverse accessor:
    who submitted, approved or owns a record."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        **options,
    )


class TrackedModel(models.Model):
    """Who created and last changed a record, when, and its version for optimistic locking."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # Fields never shown in the audit trail's before/after values.
    audit_exclude: tuple[str, ...] = ("created_at", "updated_at", "created_by", "updated_by", "version")

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One write made through a service: who, when, what, and the values before and after."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")
        TRANSITION = "transition", _("changed state")
        IMPORT = "import", _("imported")
        LOGIN = "login", _("logged in")
        LOGIN_FAILED = "login_failed", _("failed to log in")
        LOGOUT = "logout", _("logged out")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("record type"))
    object_id = models.CharField(_("record id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("record"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    # Who acted is a person's name, hidden like the records' own personal fields.
    personal_fields = ("actor",)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"

    @property
    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        return [(name, values[0], values[1]) for name, values in sorted(self.changes.items())]


class DataVersion(models.Model):
    """The version of one domain's records: a token changed in the same transaction as every write to
    them, and one more row ("all") changed by every write.

    Cached figures are keyed by the tokens of the domains they read (`presence.core.figures`), so a
    figure computed before a change is never found after it, and a write to one domain leaves the
    figures of the others cached. The token is random, not a counter: a write rolled back leaves the
    old token, and no later write can bring back a token under which the rolled-back data was cached.
    The rows live in the database so that every app server sees the same tokens.
    """

    domain = models.CharField(_("domain"), max_length=40, unique=True)
    token = models.CharField(_("token"), max_length=32)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data version")

    def __str__(self) -> str:
        return f"{self.domain}: {self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


def validate_name_translations(value: Any) -> None:
    """Names by language code: only the site's other languages, each a non-empty text."""
    if not isinstance(value, dict):
        raise ValidationError(
            _('Give the names as an object of language codes and names, e.g. {"fr": "Afrique"}.'),
            code="invalid",
        )
    known = [code for code, _label in translated_languages()]
    unknown = sorted(str(code) for code in value if code not in known)
    if unknown:
        raise ValidationError(
            _("Unknown language code: %(codes)s (use %(known)s)."),
            code="unknown_language",
            params={"codes": ", ".join(unknown), "known": ", ".join(known)},
        )
    empty = sorted(code for code, name in value.items() if not isinstance(name, str) or not name.strip())
    if empty:
        raise ValidationError(
            _("A name cannot be empty (%(codes)s); leave the language out instead."),
            code="empty_name",
            params={"codes": ", ".join(empty)},
        )
    too_long = sorted(code for code, name in value.items() if len(name) > NAME_TRANSLATION_MAX_LENGTH)
    if too_long:
        raise ValidationError(
            _("A name has at most %(limit)d characters (%(codes)s)."),
            code="max_length",
            params={"codes": ", ".join(too_long), "limit": NAME_TRANSLATION_MAX_LENGTH},
        )


class NameTranslationsField(models.JSONField):
    """A record's name in the other languages, {"fr": "...", "es": "..."}; one box per language on forms."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
        if validate_name_translations not in self.validators:
            self.validators.append(validate_name_translations)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("default") is dict:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    def formfield(self, **kwargs: Any) -> Any:
        from presence.core.forms import NameTranslationsFormField

        defaults: dict[str, Any] = {
            "form_class": NameTranslationsFormField,
            "required": False,
            "label": self.verbose_name,
            "help_text": self.help_text,
        }
        defaults.update(kwargs)
        form_class = defaults.pop("form_class")
        for unwanted in ("encoder", "decoder", "max_length"):
            defaults.pop(unwanted, None)
        return form_class(**defaults)


class TranslatedNameMixin(models.Model):
    """A record whose `name` (English, canonical) may also be given in the site's other languages.

    `name` stays the canonical name used for look-ups, sorting and exchange formats (IATI); what a
    reader sees is `localized_name`, the name in the active language, English when none is given.
    """

    name_translations = NameTranslationsField(
        _("name in other languages"),
        help_text=_("The name in French, Spanish, Arabic, Russian and Chinese; empty ones show in English."),
    )

    class Meta:
        abstract = True

    @property
    def localized_name(self) -> str:
        return localized(self.name, self.name_translations)  # type: ignore[attr-defined]

    @property
    def names(self) -> dict[str, str]:
        """The name in every language it is given in, English first."""
        return all_names(self.name, self.name_translations)  # type: ignore[attr-defined]


def localized(name: str, translations: dict[str, str] | None, language: str | None = None) -> str:
    """`name` in `language` (the active one by default) when `translations` give it, else `name`."""
    if not translations:
        return name
    language = (language or get_language() or settings.LANGUAGE_CODE).lower()
    return translations.get(language) or translations.get(language.split("-")[0]) or name


def all_names(name: str, translations: dict[str, str] | None) -> dict[str, str]:
    translations = translations or {}
    names = {settings.LANGUAGE_CODE: name}
    names.update(
        {code: translations[code] for code, _label in translated_languages() if translations.get(code)}
    )
    return names
