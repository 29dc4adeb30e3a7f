"""Posts in the offices, the actions that shaped them (creation, grade changes, relocations,
abolition) and the recruitments that fill them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from presence.core.models import TrackedModel
from presence.org.models import Office, Scope

# Staffing records are written by editors of the office, by HR and by administrators.
STAFFING_POLICY = {
    "add": frozenset({"editor", "hr", "admin"}),
    "change": frozenset({"editor", "hr", "admin"}),
    "delete": frozenset({"editor", "hr", "admin"}),
}


class Grade(models.TextChoices):
    G1 = "G1", "G1"
    G2 = "G2", "G2"
    G3 = "G3", "G3"
    G4 = "G4", "G4"
    G5 = "G5", "G5"
    G6 = "G6", "G6"
    G7 = "G7", "G7"
    NOA = "NO-A", "NO-A"
    NOB = "NO-B", "NO-B"
    NOC = "NO-C", "NO-C"
    NOD = "NO-D", "NO-D"
    NOE = "NO-E", "NO-E"
    P1 = "P1", "P1"
    P2 = "P2", "P2"
    P3 = "P3", "P3"
    P4 = "P4", "P4"
    P5 = "P5", "P5"
    D1 = "D1", "D1"
    D2 = "D2", "D2"


GRADE_ORDER = {grade.value: index for index, grade in enumerate(Grade)}


class Category(models.TextChoices):
    GENERAL_SERVICE = "GS", _("General Service")
    NATIONAL_PROFESSIONAL = "NO", _("National Professional Officer")
    PROFESSIONAL = "P", _("Professional")
    DIRECTOR = "D", _("Director")


GRADES_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    Category.GENERAL_SERVICE: ("G1", "G2", "G3", "G4", "G5", "G6", "G7"),
    Category.NATIONAL_PROFESSIONAL: ("NO-A", "NO-B", "NO-C", "NO-D", "NO-E"),
    Category.PROFESSIONAL: ("P1", "P2", "P3", "P4", "P5"),
    Category.DIRECTOR: ("D1", "D2"),
}


def category_of(grade: str) -> str:
    for category, grades in GRADES_BY_CATEGORY.items():
        if grade in grades:
            return category
    return ""


class Sector(models.TextChoices):
    BDT = "BDT", _("BDT (development)")
    TSB = "TSB", _("TSB (standardization)")
    BR = "BR", _("BR (radiocommunication)")
    GS = "GS", _("General Secretariat")


class Funding(models.TextChoices):
    REGULAR = "regular", _("Regular budget")
    EXTRA_BUDGETARY = "extra_budgetary", _("Extra-budgetary")
    PROJECT = "project", _("Project")


class Post(TrackedModel):
    class Status(models.TextChoices):
        FILLED = "filled", _("Filled")
        VACANT = "vacant", _("Vacant")
        FROZEN = "frozen", _("Frozen")
        ABOLISHED = "abolished", _("Abolished")

    number = models.CharField(_("post number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="posts", verbose_name=_("office")
    )
    unit = models.CharField(_("unit"), max_length=150, blank=True, help_text=_("Department or division."))
    category = models.CharField(_("category"), max_length=2, choices=Category.choices)
    grade = models.CharField(_("grade"), max_length=4, choices=Grade.choices)
    sector = models.CharField(_("sector"), max_length=3, choices=Sector.choices, default=Sector.BDT)
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices, default=Funding.REGULAR)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VACANT)
    incumbent = models.CharField(
        _("incumbent"),
        max_length=150,
        blank=True,
        help_text=_("Visible only to human resources and administrators."),
    )
    start_date = models.DateField(
        _("occupied from"), null=True, blank=True, help_text=_("When the current incumbent took up the post.")
    )
    end_date = models.DateField(
        _("occupied until"),
        null=True,
        blank=True,
        help_text=_("When the current incumbent leaves, if known."),
    )
    notes = models.TextField(_("notes"), blank=True)

    scope = Scope(region="office__region", office="office")
    access_policy = STAFFING_POLICY
    # Never shown to roles without Action.VIEW_PERSONAL, nor kept readable in their History tab.
    personal_fields = ("incumbent",)
    personal_needs_grant = True

    class Meta:
        ordering = ["office__code", "number"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [models.Index(fields=["office", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title} ({self.grade})"

    def get_absolute_url(self) -> str:
        return reverse("staffing:post-detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.category and self.grade and self.grade not in GRADES_BY_CATEGORY.get(self.category, ()):
            errors["grade"] = str(
                _("Grade %(grade)s is not a grade of the %(category)s category (valid: %(valid)s).")
                % {
                    "grade": self.grade,
                    "category": self.get_category_display(),
                    "valid": ", ".join(GRADES_BY_CATEGORY.get(self.category, ())),
                }
            )
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = str(_("The incumbent cannot leave before taking up the post."))
        if self.status == self.Status.FILLED and not self.incumbent.strip():
            errors["incumbent"] = str(_("A filled post needs the incumbent's name."))
        if self.status != self.Status.FILLED and self.incumbent.strip():
            errors["incumbent"] = str(
                _("Only a filled post has an incumbent; clear the name or mark it filled.")
            )
        if errors:
            raise ValidationError(errors)

    def is_filled_on(self, on: dt.date) -> bool:
        return (
            self.status == self.Status.FILLED
            and (self.start_date is None or self.start_date <= on)
            and (self.end_date is None or self.end_date >= on)
        )


class PostAction(TrackedModel):
    """A dated change to a post; the post's grade and office on any date are replayed from these."""

    class Kind(models.TextChoices):
        CREATION = "creation", _("Creation")
        UPGRADE = "upgrade", _("Upgrade")
        DOWNGRADE = "downgrade", _("Downgrade")
        RELOCATION = "relocation", _("Relocation")
        ABOLITION = "abolition", _("Abolition")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="actions", verbose_name=_("post"))
    kind = models.CharField(_("action"), max_length=12, choices=Kind.choices)
    effective_on = models.DateField(_("effective on"))
    from_grade = models.CharField(_("from grade"), max_length=4, choices=Grade.choices, blank=True)
    to_grade = models.CharField(_("to grade"), max_length=4, choices=Grade.choices, blank=True)
    from_office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from office"),
    )
    to_office = models.ForeignKey(
        Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("to office")
    )
    reference = models.CharField(_("decision reference"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    scope = Scope(region="post__office__region", office="post__office")
    access_policy = STAFFING_POLICY

    class Meta:
        ordering = ["post", "effective_on", "id"]
        verbose_name = _("post action")
        verbose_name_plural = _("post actions")
        indexes = [models.Index(fields=["kind", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on:%Y-%m-%d}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        kind = self.kind
        if kind in (self.Kind.CREATION, self.Kind.UPGRADE, self.Kind.DOWNGRADE) and not self.to_grade:
            errors["to_grade"] = str(_("Say which grade the post has after this action."))
        if kind in (self.Kind.UPGRADE, self.Kind.DOWNGRADE):
            if not self.from_grade:
                errors["from_grade"] = str(_("Say which grade the post had before this action."))
            elif self.to_grade:
                higher = GRADE_ORDER[self.to_grade] > GRADE_ORDER[self.from_grade]
                if kind == self.Kind.UPGRADE and not higher:
                    errors["to_grade"] = str(
                        _("An upgrade goes to a higher grade than %(g)s.") % {"g": self.from_grade}
                    )
                if kind == self.Kind.DOWNGRADE and higher:
                    errors["to_grade"] = str(
                        _("A downgrade goes to a lower grade than %(g)s.") % {"g": self.from_grade}
                    )
                if self.to_grade == self.from_grade:
                    errors["to_grade"] = str(_("The grade does not change."))
        if kind == self.Kind.CREATION and not self.to_office_id:
            errors["to_office"] = str(_("Say in which office the post is created."))
        if kind == self.Kind.RELOCATION:
            if not self.from_office_id:
                errors["from_office"] = str(_("Say which office the post leaves."))
            if not self.to_office_id:
                errors["to_office"] = str(_("Say which office the post moves to."))
            elif self.to_office_id == self.from_office_id:
                errors["to_office"] = str(_("The post moves to a different office."))
        if errors:
            raise ValidationError(errors)


class Recruitment(TrackedModel):
    """A vacancy announcement for a post, from opening to the selected candidate's arrival."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for applications")
        CLOSED = "closed", _("Applications closed (assessment)")
        SELECTED = "selected", _("Candidate selected")
        ON_BOARD = "on_board", _("On board")
        CANCELLED = "cancelled", _("Cancelled")

    vacancy_number = models.CharField(_("vacancy number"), max_length=40, unique=True)
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, related_name="recruitments", verbose_name=_("post")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    selected_on = models.DateField(_("selected on"), null=True, blank=True)
    on_board_on = models.DateField(_("on board on"), null=True, blank=True)
    selected_candidate = models.CharField(
        _("selected candidate"),
        max_length=150,
        blank=True,
        help_text=_("Visible only to human resources and administrators."),
    )
    notes = models.TextField(_("notes"), blank=True)

    scope = Scope(region="post__office__region", office="post__office")
    access_policy = STAFFING_POLICY
    personal_fields = ("selected_candidate",)
    # Staff names: only for readers with view_personal on the record (presence.org.personal).
    personal_needs_grant = True

    class Meta:
        ordering = ["-opened_on", "vacancy_number"]
        verbose_name = _("recruitment")
        verbose_name_plural = _("recruitments")

    def __str__(self) -> str:
        return self.vacancy_number

    def get_absolute_url(self) -> str:
        return reverse("staffing:recruitment-detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.opened_on and self.closed_on and self.closed_on < self.opened_on:
            errors["closed_on"] = str(
                _("A vacancy cannot close before it opened (%(d)s).") % {"d": self.opened_on}
            )
        start = self.closed_on or self.opened_on
        if start and self.selected_on and self.selected_on < start:
            errors["selected_on"] = str(
                _("Selection comes after the vacancy opened and closed (%(d)s).") % {"d": start}
            )
        if self.on_board_on and self.selected_on and self.on_board_on < self.selected_on:
            errors["on_board_on"] = str(
                _("The candidate arrives after being selected (%(d)s).") % {"d": self.selected_on}
            )
        needs: tuple[str, ...] = {
            str(self.Status.CLOSED): ("closed_on",),
            str(self.Status.SELECTED): ("closed_on", "selected_on"),
            str(self.Status.ON_BOARD): ("closed_on", "selected_on", "on_board_on"),
        }.get(self.status, ())
        for name in needs:
            if getattr(self, name) is None and name not in errors:
                errors[name] = str(
                    _("Give this date for the status %(s)s.") % {"s": self.get_status_display()}
                )
        if errors:
            raise ValidationError(errors)

    @property
    def time_to_fill(self) -> int | None:
        """Days from the vacancy's opening to the selection decision (the UN's time-to-fill)."""
        if self.selected_on is None:
            return None
        return (self.selected_on - self.opened_on).days

    @property
    def time_to_on_board(self) -> int | None:
        if self.on_board_on is None:
            return None
        return (self.on_board_on - self.opened_on).days


class PostPeriod(models.Model):
    """A stretch of days over which a post's office, grade and occupancy stayed the same.

    Derived data, stored so that "posts per office on a date" reads one row per post: the periods of a
    post are rebuilt from the post and its actions by `staffing.periods.rebuild_periods`, which every
    service writing a post or a post action calls in its transaction. A post has no period while it
    does not exist (before its creation action, from its abolition).
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="periods", verbose_name=_("post"))
    # `BEGINNING` (the first day a date can hold) for a post that existed from the start.
    # Not shown anywhere (no form, page or admin), so the verbose names are not translated.
    valid_from = models.DateField("valid from")
    valid_to = models.DateField("valid until (exclusive)", null=True, blank=True)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("office"))
    grade = models.CharField(_("grade"), max_length=4, choices=Grade.choices)
    filled = models.BooleanField("filled")
    # The post's own values, the same in all its periods, kept here so that the staffing table and
    # summary count periods without reading the posts.
    sector = models.CharField(_("sector"), max_length=3, choices=Sector.choices)
    category = models.CharField(_("category"), max_length=2, choices=Category.choices)
    funding = models.CharField(_("funding"), max_length=20, choices=Funding.choices)
    frozen = models.BooleanField("frozen")

    # No place of its own for the access rules (only global grants reach the rows directly): readers
    # reach periods through the posts they may see (`selectors._existing_posts`).
    scope = Scope()

    class Meta:
        verbose_name = "post period"
        verbose_name_plural = "post periods"
        constraints = [models.UniqueConstraint(fields=["post", "valid_from"], name="staffing_period_once")]
        indexes = [
            models.Index(fields=["valid_from", "valid_to"], name="staffing_period_dates"),
            models.Index(fields=["office", "valid_from", "valid_to"], name="staffing_period_office"),
            # Staff per office on a date (crisis-comms coverage): the filled periods counted from the
            # index alone, in office order.
            models.Index(
                fields=["office", "valid_from", "valid_to"],
                condition=models.Q(filled=True),
                name="staffing_period_filled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} {self.valid_from}..{self.valid_to or ''}"
