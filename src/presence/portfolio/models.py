"""Projects, their funding, budgets, transactions and reporting obligations; partners, their funding
agreements and exchange rates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from presence.core.models import TrackedModel, TranslatedNameMixin
from presence.core.years import year_validators
from presence.org.models import REFERENCE_POLICY, Country, Office, Priority, Region, Scope
from presence.org.placement import placement_problem

currency_code = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code in capitals, e.g. CHF."))
non_negative = MinValueValidator(0, _("An amount cannot be negative."))

# Lists everybody reads and any editor may extend (partners, exchange rates): no region or office.
SHARED_LIST_ACTIONS = ("view", "add", "change", "delete")


def money_field(verbose_name: StrOrPromise) -> models.DecimalField[Any, Any]:
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=2, validators=[non_negative])


def currency_field() -> models.CharField[Any, Any]:
    return models.CharField(_("currency"), max_length=3, default="CHF", validators=[currency_code])


class FundingSource(TranslatedNameMixin, TrackedModel):
    """Where project money comes from, as Table 1 groups it (partners, ICT-DF, RIs, other ITU funds)."""

    class Kind(models.TextChoices):
        PARTNER = "partner", _("Funding from partners")
        ICTDF = "ictdf", _("ITU funds from the ICT Development Fund")
        RI = "ri", _("ITU funds for Regional Initiatives")
        OTHER = "other", _("Other ITU funds")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope = Scope()
    access_policy = REFERENCE_POLICY
    unscoped_actions = ("view", "add", "change", "delete")

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")

    def __str__(self) -> str:
        return self.localized_name


class Partner(TrackedModel):
    """A donor, funding agency or implementing partner."""

    class OrganisationType(models.TextChoices):
        # IATI OrganisationType codelist.
        GOVERNMENT = "10", _("Government")
        LOCAL_GOVERNMENT = "11", _("Local Government")
        OTHER_PUBLIC = "15", _("Other Public Sector")
        INTERNATIONAL_NGO = "21", _("International NGO")
        NATIONAL_NGO = "22", _("National NGO")
        REGIONAL_NGO = "23", _("Regional NGO")
        PARTNER_COUNTRY_NGO = "24", _("Partner Country based NGO")
        PPP = "30", _("Public Private Partnership")
        MULTILATERAL = "40", _("Multilateral")
        FOUNDATION = "60", _("Foundation")
        PRIVATE = "70", _("Private Sector")
        PRIVATE_PROVIDER = "71", _("Private Sector in Provider Country")
        PRIVATE_RECIPIENT = "72", _("Private Sector in Aid Recipient Country")
        PRIVATE_THIRD = "73", _("Private Sector in Third Country")
        ACADEMIC = "80", _("Academic, Training and Research")
        OTHER = "90", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    organisation_type = models.CharField(
        _("organisation type"), max_length=2, choices=OrganisationType.choices
    )
    iati_identifier = models.CharField(_("IATI organisation identifier"), max_length=100, blank=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("country")
    )

    scope = Scope()
    unscoped_actions = SHARED_LIST_ACTIONS
    access_policy = {"delete": frozenset({"admin"})}

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portfolio:partner-detail", args=[self.pk])


class RegionalInitiative(TrackedModel):
    """A Regional Initiative adopted by a WTDC for a region; codes repeat across cycles."""

    cycle = models.PositiveSmallIntegerField(
        _("WTDC cycle"), help_text=_("Year of the WTDC, e.g. 2022 for 2023-2025.")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)

    scope = Scope(region="region")
    unscoped_actions = ("view",)

    class Meta:
        ordering = ["cycle", "region__sort_order", "code"]
        verbose_name = _("regional initiative")
        verbose_name_plural = _("regional initiatives")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "region", "code"], name="regional_initiative_unique_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.code} ({self.cycle}): {self.title}"


class Project(TrackedModel):
    class Status(models.TextChoices):
        PIPELINE = "pipeline", _("Pipeline")
        IMPLEMENTATION = "implementation", _("Implementation")
        FINALISATION = "finalisation", _("Finalisation")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")
        SUSPENDED = "suspended", _("Suspended")

    class ManagerLocation(models.TextChoices):
        FIELD = "field", _("Field")
        HQ = "hq", _("Headquarters")

    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        validators=[
            RegexValidator(r"^[0-9A-Z][0-9A-Z-]*$", _("Use capitals, digits and hyphens, e.g. 9RAF10084-04."))
        ],
        error_messages={"unique": _("A project with this code already exists.")},
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PIPELINE)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    lead_office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="led_projects", verbose_name=_("lead office")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("region"),
        help_text=_("One of the six regions, or MUL for projects that benefit all regions."),
    )
    kap_priority = models.ForeignKey(
        Priority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("KAP priority"),
    )
    regional_initiative = models.ForeignKey(
        RegionalInitiative,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("regional initiative"),
    )
    manager_name = models.CharField(_("project manager"), max_length=150, blank=True)
    manager_location = models.CharField(
        _("manager based"), max_length=5, choices=ManagerLocation.choices, default=ManagerLocation.HQ
    )
    currency = currency_field()
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)

    scope = Scope(region="region", office="lead_office")
    # Names of people, hidden from readers without personal data (presence.org.personal).
    personal_fields = ("manager_name",)

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("portfolio:project-detail", args=[self.code])

    @property
    def start(self) -> dt.date:
        return self.actual_start or self.planned_start

    @property
    def end(self) -> dt.date:
        return self.actual_end or self.planned_end

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = str(_("The planned end cannot be before the planned start."))
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = str(_("The actual end cannot be before the actual start."))
        if self.actual_end and not self.actual_start:
            errors["actual_start"] = str(_("Give the actual start when the project has an actual end."))
        placement = placement_problem(self)
        if placement is not None:
            errors[placement[0]] = placement[1]
        if errors:
            raise ValidationError(errors)


class ProjectScoped(TrackedModel):
    """A record that belongs to one project and sits where the project sits."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, verbose_name=_("project"))

    scope = Scope(region="project__region", office="project__lead_office")

    class Meta:
        abstract = True


class ProjectCountry(ProjectScoped):
    """A recipient country of a project and its share (percentages total 100 when given)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="countries", verbose_name=_("project")
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    percentage = models.DecimalField(
        _("percentage"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        ordering = ["project", "-percentage", "country__name"]
        verbose_name = _("recipient country")
        verbose_name_plural = _("recipient countries")
        constraints = [models.UniqueConstraint(fields=["project", "country"], name="project_country_unique")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.country}"


class Funding(ProjectScoped):
    """A contribution of a funding source (and partner) to a project, in its own currency."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="fundings", verbose_name=_("project")
    )
    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="fundings", verbose_name=_("funding source")
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fundings",
        verbose_name=_("partner"),
    )
    amount = money_field(_("amount"))
    currency = currency_field()
    signed_on = models.DateField(_("signed on"))

    class Meta:
        ordering = ["project", "signed_on", "pk"]
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")

    def __str__(self) -> str:
        return f"{self.project.code} {self.source}: {self.amount} {self.currency}"


class Budget(ProjectScoped):
    """A project's budget for one calendar year."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="budgets", verbose_name=_("project")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    amount = money_field(_("amount"))
    currency = currency_field()

    class Meta:
        ordering = ["project", "year"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="budget_unique_year")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.year}: {self.amount} {self.currency}"


class Transaction(ProjectScoped):
    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("Commitment")
        DISBURSEMENT = "disbursement", _("Disbursement")
        EXPENDITURE = "expenditure", _("Expenditure")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="transactions", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))
    amount = money_field(_("amount"))
    currency = currency_field()
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["project", "date", "pk"]
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_kind_display()} {self.date}: {self.amount} {self.currency}"


class ExchangeRate(TrackedModel):
    """How many CHF one unit of a currency is worth from a date until the next rate."""

    currency = models.CharField(_("currency"), max_length=3, validators=[currency_code])
    valid_from = models.DateField(_("valid from"))
    rate_to_chf = models.DecimalField(
        _("rate to CHF"),
        max_digits=14,
        decimal_places=6,
        validators=[MinValueValidator(0.000001, _("A rate must be greater than zero."))],
    )

    scope = Scope()
    unscoped_actions = SHARED_LIST_ACTIONS

    class Meta:
        ordering = ["currency", "-valid_from"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"], name="exchange_rate_unique_date")
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.valid_from}: {self.rate_to_chf} CHF"


class ReportingObligation(ProjectScoped):
    """A financial report owed to a partner: due date and the date it was submitted."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="reporting_obligations", verbose_name=_("project")
    )
    title = models.CharField(_("report"), max_length=200, default="Financial report")
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("owed to")
    )
    due_on = models.DateField(_("due on"))
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("reporting obligation")
        verbose_name_plural = _("reporting obligations")

    def __str__(self) -> str:
        return f"{self.project.code} {self.title} due {self.due_on}"

    @property
    def on_time(self) -> bool | None:
        if self.submitted_on is None:
            return None
        return self.submitted_on <= self.due_on


class FundingAgreement(TrackedModel):
    """A partner's signed commitment to fund ITU work: amount, reporting owed, projects it finances.

    Everybody reads agreements, as they read partners; writing one is a change of each project it
    links (`services.agreement_*`), so an editor links only the projects they may change. Its rules:
    `services.agreement_problems`.
    """

    class Status(models.TextChoices):
        NEGOTIATION = "negotiation", _("In negotiation")
        SIGNED = "signed", _("Signed")
        CLOSED = "closed", _("Closed")

    class Frequency(models.TextChoices):
        ANNUAL = "annual", _("Annual")
        SEMIANNUAL = "semiannual", _("Every six months")
        QUARTERLY = "quarterly", _("Quarterly")
        FINAL = "final", _("Final report only")

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("partner")
    )
    reference = models.CharField(
        _("reference"),
        max_length=60,
        unique=True,
        error_messages={"unique": _("An agreement with this reference already exists.")},
    )
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SIGNED)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    amount = money_field(_("amount"))
    currency = currency_field()
    reporting_obligations = models.TextField(
        _("reporting obligations"),
        blank=True,
        help_text=_("The reports the agreement requires: narrative, financial, audit, and when."),
    )
    reporting_frequency = models.CharField(
        _("reporting frequency"), max_length=12, choices=Frequency.choices, blank=True
    )
    next_report_due = models.DateField(_("next report due"), null=True, blank=True)
    projects = models.ManyToManyField(
        Project, blank=True, related_name="agreements", verbose_name=_("projects")
    )

    scope = Scope()
    unscoped_actions = SHARED_LIST_ACTIONS

    class Meta:
        ordering = ["-signed_on", "reference"]
        verbose_name = _("funding agreement")
        verbose_name_plural = _("funding agreements")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("portfolio:agreement-detail", args=[self.pk])
