"""Events and forums with their participants, stakeholder engagements with follow-ups, and the
resource-mobilization pipeline (opportunities that may become portfolio projects)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presence.core.models import TrackedModel
from presence.org.models import Country, Office, Priority, Region, Scope
from presence.org.placement import placement_problem


class StakeholderType(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    REGULATOR = "regulator", _("Regulator")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    ACADEMIA = "academia", _("Academia")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    INTERNATIONAL_ORGANIZATION = "international_organization", _("International organization")


# Participant count fields of an event, one per stakeholder type, in the order above.
TYPE_FIELDS = tuple(f"participants_{value}" for value in StakeholderType.values)
GENDER_FIELDS = ("participants_women", "participants_men")


def _count(label: Any) -> models.PositiveIntegerField[int, int]:
    return models.PositiveIntegerField(label, default=0)


class Event(TrackedModel):
    class Kind(models.TextChoices):
        FORUM = "forum", _("Regional development forum")
        WORKSHOP = "workshop", _("Workshop")
        TRAINING = "training", _("Training")
        SEMINAR = "seminar", _("Seminar")
        MEETING = "meeting", _("Meeting")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=250)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organizing office"),
    )
    host_country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host country"),
    )
    city = models.CharField(_("city"), max_length=100, blank=True, help_text=_("Empty for an online event."))
    kap_priority = models.ForeignKey(
        Priority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("KAP priority"),
    )
    participants_total = models.PositiveIntegerField(_("participants (total)"), default=0)
    participants_government = _count(_("government"))
    participants_regulator = _count(_("regulators"))
    participants_private_sector = _count(_("private sector"))
    participants_academia = _count(_("academia"))
    participants_civil_society = _count(_("civil society"))
    participants_international_organization = _count(_("international organizations"))
    participants_women = _count(_("women"))
    participants_men = _count(_("men"))
    notes = models.TextField(_("notes"), blank=True)

    scope = Scope(region="region", office="office")

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["region", "start_date"]), models.Index(fields=["kind", "start_date"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("engagement:event-detail", args=[self.pk])

    @property
    def participants_by_type(self) -> int:
        return sum(getattr(self, name) or 0 for name in TYPE_FIELDS)

    @property
    def participants_type_unknown(self) -> int:
        return max(0, (self.participants_total or 0) - self.participants_by_type)

    @property
    def participants_gender_unknown(self) -> int:
        known = sum(getattr(self, name) or 0 for name in GENDER_FIELDS)
        return max(0, (self.participants_total or 0) - known)

    @property
    def type_breakdown(self) -> list[tuple[str, int]]:
        return [
            (str(label), getattr(self, f"participants_{value}")) for value, label in StakeholderType.choices
        ]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = [str(_("An event cannot end before it starts."))]
        total = self.participants_total or 0
        by_type = self.participants_by_type
        if by_type > total:
            errors.setdefault("participants_total", []).append(
                str(
                    _("The participants by stakeholder type add up to %(n)d, more than the total of %(t)d.")
                    % {"n": by_type, "t": total}
                )
            )
        by_gender = sum(getattr(self, name) or 0 for name in GENDER_FIELDS)
        if by_gender > total:
            errors.setdefault("participants_total", []).append(
                str(
                    _("Women and men add up to %(n)d, more than the total of %(t)d.")
                    % {"n": by_gender, "t": total}
                )
            )
        placement = placement_problem(self)
        if placement is not None:
            errors[placement[0]] = [placement[1]]
        if errors:
            raise ValidationError(errors)


class StakeholderEngagement(TrackedModel):
    """A contact of an office with a government, regulator, company, donor..., and its follow-up."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        MISSION = "mission", _("Mission or visit")
        CALL = "call", _("Call or video conference")
        CORRESPONDENCE = "correspondence", _("Correspondence")
        AGREEMENT = "agreement", _("Agreement signed")
        UN_COUNTRY_TEAM = "un_country_team", _("UN country team")

    class OrganizationType(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        REGULATOR = "regulator", _("Regulator")
        PRIVATE_SECTOR = "private_sector", _("Private sector")
        ACADEMIA = "academia", _("Academia")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        INTERNATIONAL_ORGANIZATION = "international_organization", _("International organization")
        DONOR = "donor", _("Donor or funding agency")

    organization = models.CharField(_("organization"), max_length=250)
    organization_type = models.CharField(
        _("organization type"), max_length=30, choices=OrganizationType.choices
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("country")
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    date = models.DateField(_("date"))
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    topic = models.CharField(_("topic"), max_length=250)
    outcome = models.TextField(_("outcome"), blank=True)
    follow_up_on = models.DateField(_("follow up by"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)

    scope = Scope(region="office__region", office="office")

    class Meta:
        ordering = ["-date", "organization"]
        verbose_name = _("stakeholder engagement")
        verbose_name_plural = _("stakeholder engagements")
        indexes = [models.Index(fields=["follow_up_done", "follow_up_on"])]

    def __str__(self) -> str:
        return f"{self.organization}: {self.topic} ({self.date:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("engagement:engagement-detail", args=[self.pk])

    def clean(self) -> None:
        if self.follow_up_on and self.date and self.follow_up_on < self.date:
            raise ValidationError(
                {"follow_up_on": _("A follow-up comes after the engagement (%(d)s).") % {"d": self.date}}
            )
        if self.follow_up_done and not self.follow_up_on:
            raise ValidationError({"follow_up_done": _("Give the follow-up date before marking it done.")})

    def is_overdue(self, today: dt.date | None = None) -> bool:
        day = today or timezone.localdate()
        return bool(self.follow_up_on and not self.follow_up_done and self.follow_up_on < day)


class Opportunity(TrackedModel):
    """A funding opportunity from a donor or partner, weighted by its probability until signed."""

    class Stage(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        CONCEPT_NOTE = "concept_note", _("Concept note")
        PROPOSAL = "proposal", _("Proposal")
        NEGOTIATION = "negotiation", _("Negotiation")
        SIGNED = "signed", _("Signed")
        LOST = "lost", _("Lost")

    OPEN_STAGES = ("identified", "concept_note", "proposal", "negotiation")

    title = models.CharField(_("title"), max_length=250)
    partner = models.ForeignKey(
        "portfolio.Partner",
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("donor or partner"),
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("MUL for an opportunity benefiting all regions."),
    )
    kap_priority = models.ForeignKey(
        Priority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("KAP priority"),
    )
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="CHF",
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use the three-letter ISO 4217 code, e.g. CHF or USD."))],
    )
    stage = models.CharField(_("stage"), max_length=15, choices=Stage.choices, default=Stage.IDENTIFIED)
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"), default=10, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    expected_signature_on = models.DateField(_("expected signature"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    project = models.OneToOneField(
        "portfolio.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunity",
        verbose_name=_("project"),
        editable=False,
    )
    notes = models.TextField(_("notes"), blank=True)

    scope = Scope(region="region", office="office")

    class Meta:
        ordering = ["expected_signature_on", "title"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [models.Index(fields=["stage", "region"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:opportunity-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.stage in self.OPEN_STAGES

    @property
    def weighted_amount(self) -> Decimal:
        return (self.amount * self.probability / Decimal(100)).quantize(Decimal("0.01"))

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.stage == self.Stage.SIGNED and not self.signed_on:
            errors["signed_on"] = str(_("Give the date the agreement was signed."))
        if self.stage != self.Stage.SIGNED and self.signed_on:
            errors["signed_on"] = str(_("Only a signed opportunity has a signature date."))
        if self.stage == self.Stage.SIGNED and self.probability != 100:
            errors["probability"] = str(_("A signed opportunity is certain: 100%."))
        if self.stage == self.Stage.LOST and self.probability != 0:
            errors["probability"] = str(_("A lost opportunity has no chance left: 0%."))
        placement = placement_problem(self)
        if placement is not None:
            errors[placement[0]] = placement[1]
        if errors:
            raise ValidationError(errors)
