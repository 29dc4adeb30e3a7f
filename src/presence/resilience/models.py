"""Resilience records of an office: assessments against templates, findings, plans, installations, coverage.

Confidential records (requirement results with their observations, evidence files, findings and
remediation actions) are readable only by the security role and administrators; every other
role sees them only as counts and percentages computed by the selectors.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from presence.core.models import TrackedModel, person
from presence.org.models import Office, Scope
from presence.resilience.rules import compliance, risk_level

SECURITY_ROLES = frozenset({"security", "admin"})
# Who may write assessments, templates and settings (keys are access actions).
SECURITY_WRITES = {"add": SECURITY_ROLES, "change": SECURITY_ROLES, "delete": SECURITY_ROLES}
# Confidential records: details visible only to the security role and administrators.
CONFIDENTIAL_POLICY = {"view": SECURITY_ROLES, **SECURITY_WRITES}
# Registers kept with the offices (plans, installations, crisis-comms counts): editors may write too.
REGISTER_WRITERS = frozenset({"editor", "security", "admin"})
REGISTER_POLICY = {"add": REGISTER_WRITERS, "change": REGISTER_WRITERS, "delete": REGISTER_WRITERS}

OFFICE_SCOPE = Scope(region="office__region", office="office")


class AssessmentKind(models.TextChoices):
    SRM = "srm", _("Physical security (SRM compliance) assessment")
    BCP = "bcp", _("Business continuity plan review")
    CMP = "cmp", _("Crisis management plan review")
    ICT = "ict", _("ICT infrastructure audit")
    CYBER = "cyber", _("Cybersecurity audit")


class AssessmentTemplate(TrackedModel):
    """A versioned list of requirements an office is assessed against."""

    kind = models.CharField(_("assessment type"), max_length=10, choices=AssessmentKind.choices)
    name = models.CharField(_("name"), max_length=200)
    edition = models.PositiveSmallIntegerField(
        _("template version"),
        default=1,
        help_text=_("Raise it when requirements change; assessments keep theirs."),
    )
    description = models.TextField(_("description"), blank=True)
    is_current = models.BooleanField(_("current"), default=True, help_text=_("Offered for new assessments."))

    scope = Scope()
    access_policy = SECURITY_WRITES
    unscoped_actions = ("view",)

    class Meta:
        ordering = ["kind", "-edition"]
        verbose_name = _("assessment template")
        verbose_name_plural = _("assessment templates")
        constraints = [
            models.UniqueConstraint(fields=["kind", "edition"], name="resilience_template_unique_edition")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.edition}"

    def get_absolute_url(self) -> str:
        return reverse("resilience:template-detail", args=[self.pk])


class Requirement(TrackedModel):
    template = models.ForeignKey(
        AssessmentTemplate, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("template")
    )
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("requirement"))
    category = models.CharField(_("category"), max_length=100)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("How much this requirement counts towards the score."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope = Scope()
    access_policy = SECURITY_WRITES
    unscoped_actions = ("view",)

    class Meta:
        ordering = ["template", "sort_order", "code"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="resilience_requirement_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class Assessment(TrackedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        ARCHIVED = "archived", _("Archived")

    LOCKED = (Status.COMPLETED, Status.ARCHIVED)

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="resilience_assessments", verbose_name=_("office")
    )
    template = models.ForeignKey(
        AssessmentTemplate, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("template")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    assessors = models.CharField(_("assessors"), max_length=300, blank=True)

    scope = OFFICE_SCOPE
    access_policy = SECURITY_WRITES
    # Names of people, hidden from readers without personal data (presence.org.personal).
    personal_fields = ("assessors",)

    class Meta:
        ordering = ["-planned_start", "office__code"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["office", "status"])]

    def __str__(self) -> str:
        office = self.office.code if self.office_id else "?"
        kind = self.template.get_kind_display() if self.template_id else ""
        return f"{kind} - {office} {self.planned_start:%Y-%m}" if self.planned_start else f"{kind} - {office}"

    def get_absolute_url(self) -> str:
        return reverse("resilience:assessment-detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status in self.LOCKED

    @property
    def compliance(self) -> Decimal | None:
        """Compliance % from the selectors' `score_points`/`score_possible` annotations (None if absent)."""
        possible = getattr(self, "score_possible", None)
        if possible is None:
            return None
        return compliance(Decimal(getattr(self, "score_points", 0) or 0), Decimal(possible))

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = str(_("The planned end cannot be before the planned start."))
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = str(_("The actual end cannot be before the actual start."))
        if self.status == self.Status.COMPLETED and not self.actual_end:
            errors["actual_end"] = str(_("A completed assessment needs its actual end date."))
        if self.status in (self.Status.IN_PROGRESS, self.Status.COMPLETED) and not self.actual_start:
            errors["actual_start"] = str(_("An assessment that has started needs its actual start date."))
        if errors:
            raise ValidationError(errors)


class RequirementResult(TrackedModel):
    class Result(models.TextChoices):
        COMPLIANT = "compliant", _("Compliant")
        PARTIAL = "partial", _("Partially compliant")
        NON_COMPLIANT = "non_compliant", _("Non-compliant")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="results", verbose_name=_("assessment")
    )
    requirement = models.ForeignKey(
        Requirement, on_delete=models.PROTECT, related_name="results", verbose_name=_("requirement")
    )
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    observation = models.TextField(_("observation"), blank=True)

    scope = Scope(region="assessment__office__region", office="assessment__office")
    access_policy = CONFIDENTIAL_POLICY

    class Meta:
        ordering = ["assessment", "requirement__sort_order", "requirement__code"]
        verbose_name = _("requirement result")
        verbose_name_plural = _("requirement results")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "requirement"], name="resilience_result_unique_requirement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement.code}: {self.get_result_display()}"

    def clean(self) -> None:
        if (
            self.assessment_id
            and self.requirement_id
            and self.requirement.template_id != self.assessment.template_id
        ):
            raise ValidationError(
                {"requirement": _("This requirement is not part of the assessment's template.")}
            )


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"resilience/evidence/{instance.result.assessment_id}/{filename}"


class Evidence(TrackedModel):
    result = models.ForeignKey(
        RequirementResult,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("requirement result"),
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100, blank=True)

    scope = Scope(region="result__assessment__office__region", office="result__assessment__office")
    access_policy = CONFIDENTIAL_POLICY

    class Meta:
        ordering = ["result", "created_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name


class Finding(TrackedModel):
    class Treatment(models.TextChoices):
        ACCEPT = "accept", _("Accept")
        CONTROL = "control", _("Control")
        AVOID = "avoid", _("Avoid")
        TRANSFER = "transfer", _("Transfer")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("Being treated")
        CLOSED = "closed", _("Closed")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="findings", verbose_name=_("assessment")
    )
    requirement = models.ForeignKey(
        Requirement, on_delete=models.PROTECT, related_name="findings", verbose_name=_("requirement")
    )
    title = models.CharField(_("finding"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (rare) to 5 (almost certain)"),
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (negligible) to 5 (severe)"),
    )
    treatment = models.CharField(
        _("treatment"), max_length=10, choices=Treatment.choices, default=Treatment.CONTROL
    )
    owner = person(_("owner"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    scope = Scope(region="assessment__office__region", office="assessment__office")
    access_policy = CONFIDENTIAL_POLICY
    # Names of people, hidden from readers without personal data (presence.org.personal).
    personal_fields = ("owner",)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="resilience_finding_matrix_bounds",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resilience:finding-detail", args=[self.pk])

    @property
    def risk_level(self) -> str:
        return risk_level(self.likelihood, self.impact)

    @property
    def risk_score(self) -> int:
        return self.likelihood * self.impact

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.assessment_id
            and self.requirement_id
            and self.requirement.template_id != self.assessment.template_id
        ):
            errors["requirement"] = str(_("This requirement is not part of the assessment's template."))
        if self.status == self.Status.CLOSED and not self.closed_on:
            errors["closed_on"] = str(_("A closed finding needs the date it was closed."))
        if errors:
            raise ValidationError(errors)


class RemediationAction(TrackedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS)

    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, related_name="actions", verbose_name=_("finding")
    )
    description = models.TextField(_("action"))
    owner = person(_("owner"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    scope = Scope(region="finding__assessment__office__region", office="finding__assessment__office")
    access_policy = CONFIDENTIAL_POLICY
    # Names of people, hidden from readers without personal data (presence.org.personal).
    personal_fields = ("owner",)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("remediation action")
        verbose_name_plural = _("remediation actions")

    def __str__(self) -> str:
        return f"{_('Remediation action')} #{self.pk}"

    def clean(self) -> None:
        if self.status == self.Status.DONE and not self.completed_on:
            raise ValidationError({"completed_on": _("A done action needs the date it was completed.")})


class PlanningDocument(TrackedModel):
    class Kind(models.TextChoices):
        BCP = "bcp", _("Business continuity plan")
        CMP = "cmp", _("Crisis management plan")
        ICT_DR = "ict_dr", _("ICT disaster recovery plan")

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="planning_documents", verbose_name=_("office")
    )
    kind = models.CharField(_("plan"), max_length=10, choices=Kind.choices)
    edition = models.CharField(_("document version"), max_length=20, help_text=_("e.g. 2.1"))
    approved_on = models.DateField(_("approval date"))
    next_review_on = models.DateField(_("next review date"))
    owner = person(
        _("owner"),
        help_text=_(
            "Reminded before the next review; without an owner the global security focal points are."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)

    scope = OFFICE_SCOPE
    access_policy = REGISTER_POLICY
    # Names of people, hidden from readers without personal data (presence.org.personal).
    personal_fields = ("owner",)

    class Meta:
        ordering = ["office__code", "kind", "-approved_on"]
        verbose_name = _("planning document")
        verbose_name_plural = _("planning documents")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "edition"], name="resilience_plan_unique_edition"
            )
        ]

    def __str__(self) -> str:
        office = self.office.code if self.office_id else "?"
        return f"{self.get_kind_display()} {self.edition} - {office}"

    def get_absolute_url(self) -> str:
        return reverse("resilience:plan-detail", args=[self.pk])

    def clean(self) -> None:
        if self.approved_on and self.next_review_on and self.next_review_on <= self.approved_on:
            raise ValidationError({"next_review_on": _("The next review must come after the approval date.")})


class Installation(TrackedModel):
    """A standardized security equipment installation at an office (monitored from HQ 24/7)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS)

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="installations", verbose_name=_("office")
    )
    title = models.CharField(_("installation"), max_length=200, default="Standardized security equipment")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    estimated_workdays = models.DecimalField(
        _("estimated staff workdays"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0"))],
    )
    actual_workdays = models.DecimalField(
        _("actual staff workdays"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Spent so far."),
    )
    notes = models.TextField(_("notes"), blank=True)

    scope = OFFICE_SCOPE
    access_policy = REGISTER_POLICY

    class Meta:
        ordering = ["planned_start", "office__code"]
        verbose_name = _("installation")
        verbose_name_plural = _("installations")

    def __str__(self) -> str:
        office = self.office.code if self.office_id else "?"
        return f"{self.title} - {office}"

    def get_absolute_url(self) -> str:
        return reverse("resilience:installation-detail", args=[self.pk])

    @property
    def remaining_workdays(self) -> Decimal:
        """Estimated workdays not yet spent; nothing remains once completed or cancelled."""
        if self.status not in self.OPEN_STATUSES:
            return Decimal("0")
        return max(self.estimated_workdays - (self.actual_workdays or Decimal("0")), Decimal("0"))

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = str(_("The planned end cannot be before the planned start."))
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = str(_("The actual end cannot be before the actual start."))
        if self.status == self.Status.COMPLETED and not self.actual_end:
            errors["actual_end"] = str(_("A completed installation needs its actual end date."))
        if self.status == self.Status.COMPLETED and self.actual_workdays is None:
            errors["actual_workdays"] = str(_("A completed installation needs the workdays it took."))
        if errors:
            raise ValidationError(errors)


class CrisisCommsRegistration(TrackedModel):
    """How many of an office's staff were registered in the crisis communications system on a date."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("Entered")
        UPLOADED = "uploaded", _("Uploaded")

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="crisis_comms_registrations", verbose_name=_("office")
    )
    counted_on = models.DateField(_("counted on"))
    registered = models.PositiveIntegerField(_("registered staff"))
    staff_in_office = models.PositiveIntegerField(
        _("staff in the office"),
        null=True,
        blank=True,
        help_text=_("Used when the staffing register does not give the office's staff count."),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ENTERED)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    scope = OFFICE_SCOPE
    access_policy = REGISTER_POLICY

    class Meta:
        ordering = ["office__code", "-counted_on"]
        verbose_name = _("crisis-comms registration count")
        verbose_name_plural = _("crisis-comms registration counts")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "counted_on"], name="resilience_registration_unique_date"
            )
        ]

    def __str__(self) -> str:
        office = self.office.code if self.office_id else "?"
        return f"{office} {self.counted_on}: {self.registered}"

    def get_absolute_url(self) -> str:
        return reverse("resilience:registration-detail", args=[self.pk])


class ResilienceSettings(TrackedModel):
    """Values users set: monthly installation capacity, coverage threshold, plan warning window."""

    workdays_per_month = models.DecimalField(
        _("available installation capacity (staff workdays per month)"),
        max_digits=6,
        decimal_places=1,
        default=Decimal("20"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    coverage_threshold = models.DecimalField(
        _("crisis-comms coverage threshold (%)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("80"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    plan_warning_days = models.PositiveSmallIntegerField(
        _("flag plans due for review within (days)"), default=60, validators=[MinValueValidator(1)]
    )

    scope = Scope()
    access_policy = {"change": SECURITY_ROLES, "add": SECURITY_ROLES, "delete": frozenset({"admin"})}
    unscoped_actions = ("view",)

    class Meta:
        verbose_name = _("resilience settings")
        verbose_name_plural = _("resilience settings")

    def __str__(self) -> str:
        return str(_("Resilience settings"))
