"""Regions, countries and offices; who holds which role on which scope; API tokens."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presence.core.models import (
    NameTranslationsField,
    TrackedModel,
    TranslatedNameMixin,
    all_names,
    localized,
)

# Reference data is read by every role and written by administrators (keys are access actions).
REFERENCE_POLICY = {
    "add": frozenset({"admin"}),
    "change": frozenset({"admin"}),
    "delete": frozenset({"admin"}),
}


class Scope:
    """Where a model's records sit: ORM paths to their region and office ("" when they have none)."""

    def __init__(self, *, region: str = "", office: str = "") -> None:
        self.region = region
        self.office = office


class Region(TranslatedNameMixin, TrackedModel):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_geographic = models.BooleanField(
        _("geographic"), default=True, help_text=_("Multi-regional (MUL) is not a geographic region.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope = Scope(region="pk")
    access_policy = REFERENCE_POLICY
    unscoped_actions = ("view",)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("org:region-detail", args=[self.code])


class Country(TrackedModel):
    iso2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, unique=True)
    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="countries", verbose_name=_("region")
    )
    is_ldc = models.BooleanField(_("LDC"), default=False, help_text=_("Least developed country"))
    is_lldc = models.BooleanField(_("LLDC"), default=False, help_text=_("Landlocked developing country"))
    is_sids = models.BooleanField(_("SIDS"), default=False, help_text=_("Small island developing State"))

    scope = Scope(region="region")
    access_policy = REFERENCE_POLICY
    unscoped_actions = ("view",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


class Office(TranslatedNameMixin, TrackedModel):
    class Kind(models.TextChoices):
        HEADQUARTERS = "headquarters", _("Headquarters")
        REGIONAL = "regional", _("Regional office")
        AREA = "area", _("Area office")
        LIAISON = "liaison", _("Liaison office")

    code = models.SlugField(
        _("code"), max_length=20, unique=True, help_text=_("Short code used in links, e.g. dakar.")
    )
    name = models.CharField(_("name"), max_length=150)
    city = models.CharField(_("city"), max_length=100)
    city_translations = NameTranslationsField(
        _("city in other languages"),
        help_text=_(
            "The city's name in French, Spanish, Arabic, Russian and Chinese; empty ones show in English."
        ),
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="offices", verbose_name=_("country")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="offices",
        null=True,
        blank=True,
        verbose_name=_("region"),
        help_text=_("Empty for headquarters."),
    )
    covered_countries = models.ManyToManyField(
        Country, blank=True, related_name="covering_offices", verbose_name=_("countries covered")
    )
    is_innovation_centre = models.BooleanField(_("innovation centre"), default=False)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    scope = Scope(region="region", office="pk")
    access_policy = REFERENCE_POLICY
    unscoped_actions = ("view",)

    class Meta:
        ordering = ["region__sort_order", "kind", "city"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=models.F("opened_on")),
                name="office_closed_after_opened",
            )
        ]

    def __str__(self) -> str:
        return self.localized_name

    def get_absolute_url(self) -> str:
        return reverse("org:office-detail", args=[self.code])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors: dict[str, str] = {}
        if self.opened_on and self.closed_on and self.closed_on < self.opened_on:
            errors["closed_on"] = str(_("An office cannot close before it opened."))
        if self.kind == self.Kind.HEADQUARTERS and self.region_id is not None:
            errors["region"] = str(_("Headquarters belongs to no region."))
        elif self.kind != self.Kind.HEADQUARTERS and self.region_id is None:
            errors["region"] = str(_("Regional, area and liaison offices belong to a region."))
        elif self.region is not None and not self.region.is_geographic:
            errors["region"] = str(
                _("%(region)s is not a geographic region; an office belongs to one of the six regions.")
            ) % {"region": self.region}
        if errors:
            raise ValidationError(errors)

    @property
    def localized_city(self) -> str:
        return localized(self.city, self.city_translations)

    @property
    def cities(self) -> dict[str, str]:
        """The city's name in every language it is given in, English first."""
        return all_names(self.city, self.city_translations)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None or self.closed_on > timezone.localdate()


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    MEMBER_STATE = "member_state", _("Member-State viewer")
    EDITOR = "editor", _("Editor")
    APPROVER = "approver", _("Approver")
    HR = "hr", _("Human resources")
    SECURITY = "security", _("Security and continuity coordinator")
    ADMIN = "admin", _("Administrator")


class RoleAssignment(TrackedModel):
    """A role held on a scope: everywhere (no region, no office), one region, or one office."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("region")
    )
    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("office")
    )

    class Meta:
        ordering = ["user__username", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=True) | Q(office__isnull=True), name="role_scope_region_or_office"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(region__isnull=True, office__isnull=True),
                name="role_assignment_unique_global",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(region__isnull=False),
                name="role_assignment_unique_region",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "office"],
                condition=Q(office__isnull=False),
                name="role_assignment_unique_office",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} @ {self.scope_label}"

    @property
    def scope_label(self) -> str:
        if self.office_id:
            return str(self.office)
        if self.region_id:
            return str(self.region)
        return str(_("global"))


class PersonalAccessToken(models.Model):
    """An API token; only its SHA-256 hash is stored, the token itself is shown once.

    A token is read-only or read-write, chosen when it is created; a read-only token is refused
    on every request that writes (POST, PUT, PATCH, DELETE).
    """

    class Access(models.TextChoices):
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    access = models.CharField(_("access"), max_length=10, choices=Access.choices, default=Access.READ)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("personal access token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}...)"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def can_write(self) -> bool:
        return self.access == self.Access.READ_WRITE


class Priority(TranslatedNameMixin, TrackedModel):
    """A Kigali Action Plan priority or enabler; cross-cutting reference data used by every domain app."""

    class Kind(models.TextChoices):
        PRIORITY = "priority", _("ITU-D priority")
        ENABLER = "enabler", _("Enabler")

    cycle = models.PositiveSmallIntegerField(
        _("WTDC cycle"),
        help_text=_("Year of the WTDC that adopted it, e.g. 2022 for the Kigali Action Plan."),
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PRIORITY)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope = Scope()
    access_policy = REFERENCE_POLICY
    unscoped_actions = ("view",)

    class Meta:
        ordering = ["cycle", "kind", "sort_order", "code"]
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="priority_unique_code_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.localized_name}"
