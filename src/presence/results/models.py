"""Results framework (goals, outcomes, outputs), operational plan, indicators and quarterly reviews."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from presence.core.models import TrackedModel, person
from presence.core.years import year_validators
from presence.org.models import REFERENCE_POLICY, Country, Office, Priority, Region, Scope
from presence.org.placement import placement_problem, validate_placement

# The framework and the reporting calendar are read by everyone and written by administrators.
FRAMEWORK_POLICY = REFERENCE_POLICY


class Framework(TrackedModel):
    """One planning cycle's results framework, e.g. Strategic Plan 2024-2027 with the Kigali Action Plan."""

    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("e.g. SP2024-2027"))
    name = models.CharField(_("name"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"), validators=year_validators())
    end_year = models.PositiveSmallIntegerField(_("last year"), validators=year_validators())
    priority_cycle = models.PositiveSmallIntegerField(
        _("WTDC cycle of the priorities"),
        help_text=_("Cycle of the ITU-D priorities it uses, e.g. 2022 (Kigali)."),
    )

    scope = Scope()
    access_policy = FRAMEWORK_POLICY
    unscoped_actions = ("view",)

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("results framework")
        verbose_name_plural = _("results frameworks")

    def __str__(self) -> str:
        return self.code

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class StrategicGoal(TrackedModel):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="goals", verbose_name=_("framework")
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    priorities = models.ManyToManyField(
        Priority, blank=True, related_name="strategic_goals", verbose_name=_("ITU-D priorities and enablers")
    )

    scope = Scope()
    access_policy = FRAMEWORK_POLICY
    unscoped_actions = ("view",)

    class Meta:
        ordering = ["framework", "sort_order", "code"]
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="goal_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Outcome(TrackedModel):
    """An outcome under a priority or enabler."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("framework")
    )
    priority = models.ForeignKey(
        Priority, on_delete=models.PROTECT, related_name="outcomes", verbose_name=_("priority or enabler")
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope = Scope()
    access_policy = FRAMEWORK_POLICY
    unscoped_actions = ("view",)

    class Meta:
        ordering = ["framework", "priority__sort_order", "sort_order", "code"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="outcome_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Output(TrackedModel):
    """A product or service delivered towards an outcome."""

    class Kind(models.TextChoices):
        PRODUCT = "product", _("Product")
        SERVICE = "service", _("Service")

    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="outputs", verbose_name=_("outcome")
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PRODUCT)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    scope = Scope()
    access_policy = FRAMEWORK_POLICY
    unscoped_actions = ("view",)

    class Meta:
        ordering = ["outcome__sort_order", "sort_order", "code"]
        verbose_name = _("output")
        verbose_name_plural = _("outputs (products and services)")
        constraints = [models.UniqueConstraint(fields=["outcome", "code"], name="output_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProjectOutput(TrackedModel):
    """A project's contribution to an output: the project's indicators count in that output's progress.

    Written by editors of the project's region or lead office (the link is part of the project's plan);
    the output must belong to a framework whose years overlap the project's period.
    """

    project = models.ForeignKey(
        "portfolio.Project", on_delete=models.CASCADE, related_name="output_links", verbose_name=_("project")
    )
    output = models.ForeignKey(
        Output, on_delete=models.CASCADE, related_name="project_links", verbose_name=_("output")
    )

    scope = Scope(region="project__region", office="project__lead_office")

    class Meta:
        ordering = ["project", "output__outcome__sort_order", "output__sort_order"]
        verbose_name = _("project contribution to an output")
        verbose_name_plural = _("project contributions to outputs")
        constraints = [models.UniqueConstraint(fields=["project", "output"], name="project_output_unique")]

    def __str__(self) -> str:
        return f"{self.project.code} → {self.output.code}"


class Activity(TrackedModel):
    """An operational-plan activity of one year."""

    class Level(models.TextChoices):
        GLOBAL = "global", _("Global")
        REGIONAL = "regional", _("Regional")
        COUNTRY = "country", _("Country")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    year = models.PositiveSmallIntegerField(_("year"), db_index=True, validators=year_validators())
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(_("scope"), max_length=10, choices=Level.choices, default=Level.REGIONAL)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("region"),
        help_text=_("Empty for global activities."),
    )
    responsible_office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="activities", verbose_name=_("responsible office")
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="activities", verbose_name=_("countries")
    )
    outputs = models.ManyToManyField(Output, blank=True, related_name="activities", verbose_name=_("outputs"))
    planned_budget = models.DecimalField(
        _("planned budget (CHF)"), max_digits=14, decimal_places=2, default=0
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)

    scope = Scope(region="region", office="responsible_office")

    class Meta:
        ordering = ["year", "code"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="activity_unique_code_per_year"),
            models.CheckConstraint(condition=Q(planned_budget__gte=0), name="activity_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("results:activity-detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.level == self.Level.GLOBAL and self.region_id is not None:
            errors["region"] = str(_("A global activity belongs to no region; leave the region empty."))
        if self.level != self.Level.GLOBAL and self.region_id is None:
            errors["region"] = str(_("Regional and country activities need a region."))
        placement = placement_problem(self)
        if placement is not None:
            errors[placement[0]] = placement[1]
        if errors:
            raise ValidationError(errors)


class Indicator(TrackedModel):
    """A KPI measuring an outcome, an output, an activity or a project."""

    class Measure(models.TextChoices):
        NUMBER = "number", _("Number (unit)")
        PERCENTAGE = "percentage", _("Percentage")
        QUALITATIVE = "qualitative", _("Qualitative")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")

    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=300)
    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices, default=Measure.NUMBER)
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("e.g. countries, people trained")
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), null=True, blank=True, validators=year_validators()
    )
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    accumulates = models.BooleanField(
        _("actuals accumulate"),
        default=True,
        help_text=_(
            "Quarterly actuals add up to the year (e.g. people trained); otherwise the latest one counts."
        ),
    )
    by_region = models.BooleanField(_("breakdown by region"), default=False)
    by_gender = models.BooleanField(_("breakdown by gender"), default=False)
    outcome = models.ForeignKey(
        Outcome,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("outcome"),
    )
    output = models.ForeignKey(
        Output,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("output"),
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("activity"),
    )
    project = models.ForeignKey(
        "portfolio.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("project"),
    )
    # Where the measured record sits, copied from it by the services so access has one path.
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("office")
    )

    scope = Scope(region="region", office="office")

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        # Lists order and search indicators by code.
        indexes = [models.Index(fields=["code"], name="results_indicator_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("results:indicator-detail", args=[self.pk])

    def clean(self) -> None:
        validate_placement(self)

    @property
    def is_quantitative(self) -> bool:
        return self.measure != self.Measure.QUALITATIVE

    @property
    def measured_record(self) -> models.Model | None:
        for name in ("outcome", "output", "activity", "project"):
            if getattr(self, f"{name}_id", None):
                record: models.Model = getattr(self, name)
                return record
        return None


class IndicatorValue(TrackedModel):
    """A target and/or actual of an indicator for a year (quarter 0) or a quarter, optionally broken down."""

    class Gender(models.TextChoices):
        ALL = "", _("All")
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other / not stated")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), default=0, help_text=_("1 to 4, or 0 for the whole year.")
    )
    breakdown_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region (breakdown)"),
    )
    gender = models.CharField(
        _("gender (breakdown)"), max_length=10, choices=Gender.choices, blank=True, default=""
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField(
        _("note"), blank=True, help_text=_("The result in words for qualitative indicators.")
    )

    scope = Scope(region="indicator__region", office="indicator__office")

    class Meta:
        ordering = ["indicator", "year", "quarter", "breakdown_region__sort_order", "gender"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter", "gender"],
                condition=Q(breakdown_region__isnull=True),
                name="indicator_value_unique_total",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter", "breakdown_region", "gender"],
                condition=Q(breakdown_region__isnull=False),
                name="indicator_value_unique_region",
            ),
            models.CheckConstraint(condition=Q(quarter__lte=4), name="indicator_value_quarter_0_to_4"),
        ]
        indexes = [
            # The year's totals of every indicator (`selectors.year_figures`, the dashboard's counts),
            # read from the index alone, in indicator order.
            models.Index(
                fields=["year", "indicator", "quarter", "target", "actual"],
                condition=Q(breakdown_region__isnull=True, gender=""),
                name="indicator_value_year_totals",
            ),
        ]

    def __str__(self) -> str:
        period = f"{self.year}" if self.quarter == 0 else f"{self.year} Q{self.quarter}"
        return f"{self.indicator.code} {period}"

    def clean(self) -> None:
        """A KPI of an operational-plan activity is measured in the year of that plan, not another."""
        indicator = self.indicator if self.indicator_id else None
        activity = indicator.activity if indicator is not None and indicator.activity_id else None
        if activity is not None and self.year and self.year != activity.year:
            raise ValidationError(
                {
                    "year": _(
                        "This indicator measures an activity of the %(plan)s operational plan: "
                        "its values belong to %(plan)s, not %(year)s."
                    )
                    % {"plan": activity.year, "year": self.year}
                }
            )

    @property
    def is_total(self) -> bool:
        return self.breakdown_region_id is None and not self.gender


class ReportingPeriod(TrackedModel):
    """A quarter of the reporting calendar and its submission deadline."""

    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    submission_deadline = models.DateField(
        _("submission deadline"), help_text=_("After this date the quarter closes for editors.")
    )

    scope = Scope()
    access_policy = FRAMEWORK_POLICY
    unscoped_actions = ("view",)

    class Meta:
        ordering = ["year", "quarter"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="period_unique_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="period_quarter_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors: dict[str, str] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = str(_("A quarter cannot end before it starts."))
        if self.ends_on and self.submission_deadline and self.submission_deadline < self.ends_on:
            errors["submission_deadline"] = str(_("The deadline cannot fall before the quarter ends."))
        if errors:
            raise ValidationError(errors)

    def is_closed(self, today: dt.date) -> bool:
        return today > self.submission_deadline

    @staticmethod
    def default_dates(year: int, quarter: int, days_after: int = 30) -> tuple[dt.date, dt.date, dt.date]:
        """(start, end, deadline) of a calendar quarter; the deadline `days_after` days after its end."""
        start = dt.date(year, 3 * quarter - 2, 1)
        end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
        end -= dt.timedelta(days=1)
        return start, end, end + dt.timedelta(days=days_after)


class QuarterlyReview(TrackedModel):
    """The quarterly results-based review of one activity (or project) for one quarter."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    class Rating(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        OFF_TRACK = "off_track", _("Off track")
        COMPLETED = "completed", _("Completed")

    # The quarter, activity and project are indexed with more columns (Meta.indexes), not alone.
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("quarter"),
        db_index=False,
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("activity"),
        db_index=False,
    )
    project = models.ForeignKey(
        "portfolio.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quarterly_reviews",
        verbose_name=_("project"),
        db_index=False,
    )
    # Where the reviewed record sits, copied from it by the services so access has one path.
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("office")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    rating = models.CharField(_("status rating"), max_length=12, choices=Rating.choices, blank=True)
    progress = models.TextField(_("progress narrative"), blank=True)
    risks = models.TextField(_("risks and issues"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    submitted_by = person(_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = person(_("approved or returned by"))
    decided_at = models.DateTimeField(_("approved or returned at"), null=True, blank=True)
    return_comment = models.TextField(_("comment on return"), blank=True)

    scope = Scope(region="region", office="office")
    # Names of people, hidden from readers without personal data (presence.org.personal).
    personal_fields = ("submitted_by", "decided_by")

    class Meta:
        ordering = ["-period__year", "-period__quarter", "id"]
        verbose_name = _("quarterly review")
        verbose_name_plural = _("quarterly reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "activity"],
                condition=Q(activity__isnull=False),
                name="review_unique_activity",
            ),
            models.UniqueConstraint(
                fields=["period", "project"], condition=Q(project__isnull=False), name="review_unique_project"
            ),
            models.CheckConstraint(
                condition=Q(activity__isnull=True, project__isnull=False)
                | Q(activity__isnull=False, project__isnull=True),
                name="review_of_activity_or_project",
            ),
        ]
        indexes = [
            # A quarter's reviews by status, with what the counts group and filter by (the dashboard's
            # sections, the inbox's reviews to decide): read from the index alone.
            models.Index(
                fields=["period", "status", "region", "office", "activity", "rating"],
                name="review_period_status",
            ),
            # A record's reviews, with their quarter and status (the inbox's reviews to write).
            models.Index(fields=["activity", "period", "status", "submitted_by"], name="review_activity"),
            models.Index(fields=["project", "period", "status", "submitted_by"], name="review_project"),
        ]

    def __str__(self) -> str:
        subject = self.subject
        return f"{self.period} · {subject.code if subject is not None else '?'}"

    def get_absolute_url(self) -> str:
        return reverse("results:review-detail", args=[self.pk])

    def clean(self) -> None:
        validate_placement(self)

    @property
    def subject(self) -> Any:
        """The activity or project reviewed."""
        return self.activity if self.activity_id else self.project

    @property
    def is_editable_state(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)
