"""Requests and decisions of ITU's governing bodies (Council, PP, WTDC, TDAG, CWG-FHR) and how far
the secretariat has got with each: the evidence is a measure computed from records (selectors.py),
never a typed number; a person's assessment and comment stand next to it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from presence.core.models import TrackedModel, person
from presence.core.years import year_validators
from presence.org.models import Scope


class Evidence(models.TextChoices):
    """The fixed vocabulary of evidence measures; each is computed by `selectors.evidence_for`."""

    SRM_ASSESSMENT = "srm_assessment", _("Field offices with a completed security (SRM) assessment")
    BC_CM_PLANS = (
        "bc_cm_plans",
        _("Field offices whose business-continuity and crisis-management plans are current"),
    )
    ICT_AUDIT = "ict_audit", _("Field offices with a completed ICT infrastructure audit")
    CYBER_AUDIT = "cyber_audit", _("Field offices with a completed cybersecurity audit")
    ICT_CYBER_AUDIT = (
        "ict_cyber_audit",
        _("Field offices with completed ICT infrastructure and cybersecurity audits"),
    )
    REPORTS_ON_TIME = "reports_on_time", _("Financial reports submitted on time")
    ACTIVITIES_ALIGNED = (
        "activities_aligned",
        _("Operational-plan activities linked to a KAP output with a KPI target"),
    )
    RECRUITMENTS_IN_TIME = "recruitments_in_time", _("Recruitments completed within the target time")


# Measures counted over a year (the request's evidence year, else the current year).
YEARLY = frozenset({Evidence.REPORTS_ON_TIME, Evidence.ACTIVITIES_ALIGNED, Evidence.RECRUITMENTS_IN_TIME})


class Mandate(TrackedModel):
    """A decision, resolution, request or proposal of a governing body, with its owner and evidence."""

    class Body(models.TextChoices):
        PP = "pp", _("Plenipotentiary Conference")
        COUNCIL = "council", _("Council")
        CWG_FHR = "cwg_fhr", _("Council Working Group on financial and human resources")
        WTDC = "wtdc", _("World Telecommunication Development Conference")
        TDAG = "tdag", _("Telecommunication Development Advisory Group")

    class Kind(models.TextChoices):
        DECISION = "decision", _("Decision")
        RESOLUTION = "resolution", _("Resolution")
        REQUEST = "request", _("Request")
        PROPOSAL = "proposal", _("Proposal")

    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        IMPLEMENTED = "implemented", _("Implemented")
        CLOSED = "closed", _("Closed by the body")

    class Assessment(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        OFF_TRACK = "off_track", _("Off track")
        DONE = "done", _("Done")

    body = models.CharField(_("governing body"), max_length=10, choices=Body.choices)
    session = models.CharField(_("session"), max_length=40, help_text=_("e.g. C24, PP-22, WTDC-22"))
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    reference = models.CharField(
        _("document reference"), max_length=100, blank=True, help_text=_("e.g. C24/79, Resolution 25")
    )
    url = models.URLField(_("document address"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("text"))
    owner_unit = models.CharField(
        _("owner (office or unit)"), max_length=150, blank=True, help_text=_("e.g. ORMS Unit, BDT")
    )
    owner = person(
        _("owner (person)"),
        help_text=_("Hidden from member-state viewers."),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    evidence = models.CharField(
        _("evidence"),
        max_length=24,
        choices=Evidence.choices,
        blank=True,
        help_text=_("The measure computed from records; empty where the system holds no evidence."),
    )
    evidence_year = models.PositiveSmallIntegerField(
        _("evidence year"),
        null=True,
        blank=True,
        validators=year_validators(),
        help_text=_("For yearly measures (reports, activities, recruitments); empty for the current year."),
    )
    assessment = models.CharField(_("assessment"), max_length=10, choices=Assessment.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Member-state viewers see published requests only.")
    )

    # Read by every role (member-state viewers: published ones, selectors.py); written by global
    # editors and administrators only, since a request sits in no region or office.
    scope = Scope()
    unscoped_actions = ("view",)
    personal_fields = ("owner",)

    class Meta:
        ordering = ["year", "body", "session", "pk"]
        verbose_name = _("governing-body request")
        verbose_name_plural = _("governing-body requests")

    def __str__(self) -> str:
        head = f"{self.session} {self.reference}".strip()
        return f"{head}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("mandates:mandate-detail", args=[self.pk])

    def clean(self) -> None:
        if self.evidence_year is not None and self.evidence not in YEARLY:
            raise ValidationError(
                {
                    "evidence_year": _(
                        "Only the yearly measures (reports, activities, recruitments) take a year."
                    )
                }
            )
