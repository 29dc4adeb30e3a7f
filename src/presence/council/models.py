"""Council documents as records: a document (body, session, number, years, languages) and its versions.

Each language of a document has its own numbered versions, each with its own text and status
(draft -> in review -> approved -> published, or returned to draft). The text is a small, documented
markup (`council/markup.py`) holding live figures (`{{name arg=value}}`, `council/fields.py`) and
inserted blocks (`[[kind arg=value]]`, `council/blocks.py`). Approving a version stores every figure
and block it shows (values and the time they were computed) in `frozen`, so an approved or published
version never changes afterwards.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from presence.core.models import TrackedModel, person
from presence.core.years import year_validators
from presence.org.models import Office, Scope

LANGUAGES = [(code, name) for code, name in settings.LANGUAGES]


class CouncilDocument(TrackedModel):
    """A document for a governing body (the Council or one of its working groups)."""

    governing_body = models.CharField(
        _("governing body"),
        max_length=120,
        help_text=_("e.g. Council Working Group on financial and human resources"),
    )
    session = models.CharField(_("session"), max_length=120, help_text=_("e.g. Twentieth meeting, 2024"))
    number = models.CharField(
        _("document number"), max_length=40, unique=True, help_text=_("e.g. CWG-FHR-20/8")
    )
    title = models.CharField(_("title"), max_length=300)
    year_from = models.PositiveSmallIntegerField(_("first year covered"), validators=year_validators())
    year_to = models.PositiveSmallIntegerField(_("last year covered"), validators=year_validators())
    languages = models.CharField(
        _("languages"), max_length=60, default="en", help_text=_("Language codes, separated by commas.")
    )
    # The office responsible for the document: headquarters, so HQ grants (and global ones) cover it.
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible office")
    )

    scope = Scope(office="office")
    unscoped_actions = ("view",)  # every role reads Council documents (member-state viewers: published ones)

    class Meta:
        ordering = ["-year_to", "number"]
        verbose_name = _("Council document")
        verbose_name_plural = _("Council documents")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("council:document-detail", args=[self.pk])

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]

    def covers(self, year: int) -> bool:
        return self.year_from <= year <= self.year_to

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.year_from and self.year_to and self.year_from > self.year_to:
            errors["year_to"] = _("The last year covered cannot come before the first.")
        known = dict(LANGUAGES)
        codes = self.language_list
        unknown = [code for code in codes if code not in known]
        if not codes:
            errors["languages"] = _("Give at least one language.")
        elif unknown:
            errors["languages"] = _("Unknown language %(codes)s; use %(known)s.") % {
                "codes": ", ".join(unknown),
                "known": ", ".join(known),
            }
        elif len(set(codes)) != len(codes):
            errors["languages"] = _("A language is listed twice.")
        else:
            self.languages = ",".join(codes)
        if self.office_id is not None and self.office.region_id is not None:
            errors["office"] = _("Council documents are the responsibility of headquarters.")
        if errors:
            raise ValidationError(errors)


class DocumentVersion(TrackedModel):
    """One version of one language of a Council document: its text, status and, once approved, figures."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    LOCKED = (Status.APPROVED, Status.PUBLISHED)

    document = models.ForeignKey(
        CouncilDocument, on_delete=models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES, default="en")
    number = models.PositiveIntegerField(_("version number"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    date = models.DateField(_("document date"), null=True, blank=True)
    # Each language has its own text, its title included; blank, the document's title is printed.
    title = models.CharField(
        _("title in this language"),
        max_length=300,
        blank=True,
        help_text=_("Leave blank to print the document's title."),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    action_required = models.TextField(_("action required"), blank=True)
    references = models.TextField(
        _("references"), blank=True, help_text=_("One per line: the text, then optionally | and its link.")
    )
    body = models.TextField(_("body"), blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    submitted_by = person(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = person(_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    return_comment = models.TextField(_("return comment"), blank=True)
    # Set on approval: {"computed_at": ISO time, "fields": {token: figure}, "blocks": {token: data}}.
    frozen = models.JSONField(_("frozen figures"), null=True, blank=True, editable=False)

    scope = Scope(office="document__office")
    unscoped_actions = ("view",)
    personal_fields = ("submitted_by", "approved_by")

    class Meta:
        ordering = ["document", "language", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "language", "number"], name="council_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document.number} ({self.language}) v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("council:version-detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status in self.LOCKED

    def clean(self) -> None:
        if self.document_id is not None and self.language not in self.document.language_list:
            raise ValidationError(
                {"language": _("The document is not written in %(language)s.") % {"language": self.language}}
            )
