"""Resilience's lists, each declared once: filters for the page, its CSV/XLSX export and the API, and the
export's columns. See `core/filtering.py`; the selectors apply these after `org.access.restrict` (or
`restrict_confidential`).

Every list takes a region and an office by code: the office's, or for findings and actions their
assessment's office.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters as df
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from presence.core.exports import Column
from presence.core.filtering import Export, FlagFilter, ListFilter, by_code
from presence.org.models import Office, Region
from presence.resilience.models import (
    Assessment,
    AssessmentKind,
    CrisisCommsRegistration,
    Finding,
    Installation,
    PlanningDocument,
    RemediationAction,
    ResilienceSettings,
)
from presence.resilience.rules import RiskLevel


class PlaceFilter(ListFilter):
    """Region and office by code, of the records' office found at `place`."""

    place = "office"
    region = by_code(Region, _("Region"), method="in_region")
    office = by_code(Office, _("Office"), method="at_office")

    today: dt.date | None = None  # the day that decides what is overdue (the local date by default)

    def day(self) -> dt.date:
        return self.today or timezone.localdate()

    def in_region(self, queryset: QuerySet[Any], name: str, value: Region) -> QuerySet[Any]:
        return queryset.filter(**{f"{self.place}__region": value})

    def at_office(self, queryset: QuerySet[Any], name: str, value: Office) -> QuerySet[Any]:
        return queryset.filter(**{self.place: value})


def open_or(statuses: Any, open_label: Any) -> list[tuple[str, Any]]:
    """A status choice with "open" (any open status) first."""
    return [("open", open_label), *statuses]


class AssessmentFilter(PlaceFilter):
    kind = df.ChoiceFilter(
        label=_("Type"), choices=AssessmentKind.choices, field_name="template__kind", empty_label=_("Any")
    )
    status = df.ChoiceFilter(label=_("Status"), choices=Assessment.Status.choices, empty_label=_("Any"))

    class Meta:
        model = Assessment
        fields: list[str] = []

    export = Export(
        filename="resilience-assessments",
        title=_("Assessments"),
        columns=[
            Column("id", _("Id")),
            Column("office", _("Office")),
            Column("region", _("Region")),
            Column("type", _("Assessment type")),
            Column("template_version", _("Template version")),
            Column("status", _("Status")),
            Column("planned_start", _("Planned start")),
            Column("planned_end", _("Planned end")),
            Column("actual_start", _("Actual start")),
            Column("actual_end", _("Actual end")),
            Column("requirements", _("Requirements")),
            Column("compliant", _("Compliant")),
            Column("partial", _("Partially compliant")),
            Column("non_compliant", _("Non-compliant")),
            Column("not_applicable", _("Not applicable")),
            Column("points", _("Score (weighted points)"), "0.00"),
            Column("possible", _("Possible points"), "0.00"),
            Column("compliance", _("Compliance %"), "0.0"),
            Column("open_findings", _("Open findings")),
        ],
    )


# What the roles without access to confidential details get instead of findings and actions.
FINDING_COUNT_EXPORT = Export(
    filename="resilience-findings-by-office",
    title=_("Findings and remediation by office"),
    columns=[
        Column("office", _("Office")),
        Column("region", _("Region")),
        *[
            Column(level, format_lazy(_("Open: {level}"), level=RiskLevel.LABELS[level]))
            for level in RiskLevel.ORDER
        ],
        Column("open", _("Open findings")),
        Column("closed", _("Closed findings")),
        Column("open_actions", _("Open actions")),
        Column("overdue_actions", _("Overdue actions")),
    ],
)


class FindingFilter(PlaceFilter):
    """Findings; `status=open`: open or being treated."""

    place = "assessment__office"
    level = df.ChoiceFilter(
        label=_("Risk level"),
        choices=[
            ("low", _("Low")),
            ("medium", _("Medium")),
            ("high", _("High")),
            ("critical", _("Critical")),
        ],
        field_name="level",
        empty_label=_("Any"),
    )
    status = df.ChoiceFilter(
        label=_("Status"),
        choices=open_or(Finding.Status.choices, _("Open or being treated")),
        method="with_status",
        empty_label=_("Any"),
    )

    class Meta:
        model = Finding
        fields: list[str] = []

    export = Export(
        filename="resilience-findings",
        title=_("Findings"),
        columns=[
            Column("id", _("Id")),
            Column("office", _("Office")),
            Column("assessment", _("Assessment")),
            Column("requirement", _("Requirement")),
            Column("title", _("Finding")),
            Column("details", _("Details")),
            Column("likelihood", _("Likelihood")),
            Column("impact", _("Impact")),
            Column("risk_level", _("Risk level")),
            Column("treatment", _("Treatment")),
            Column("owner", _("Owner")),
            Column("due_on", _("Due on")),
            Column("status", _("Status")),
            Column("open_actions", _("Open actions")),
        ],
    )

    def with_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "open":
            return queryset.filter(status__in=Finding.OPEN_STATUSES)
        return queryset.filter(status=value)


class ActionFilter(PlaceFilter):
    """Remediation actions; `status=open`: planned or in progress; `overdue`: open after their due date."""

    place = "finding__assessment__office"
    status = df.ChoiceFilter(
        label=_("Status"),
        choices=open_or(RemediationAction.Status.choices, _("Open")),
        method="with_status",
        empty_label=_("Any"),
    )
    overdue = FlagFilter(label=_("Overdue only"), method="late")

    class Meta:
        model = RemediationAction
        fields: list[str] = []

    export = Export(
        filename="resilience-actions",
        title=_("Remediation actions"),
        columns=[
            Column("id", _("Id")),
            Column("office", _("Office")),
            Column("finding", _("Finding")),
            Column("action", _("Action")),
            Column("owner", _("Owner")),
            Column("due_on", _("Due on")),
            Column("status", _("Status")),
            Column("days_overdue", _("Days overdue")),
        ],
    )

    def with_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "open":
            return queryset.filter(status__in=RemediationAction.OPEN_STATUSES)
        return queryset.filter(status=value)

    def late(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        return queryset.filter(status__in=RemediationAction.OPEN_STATUSES, due_on__lt=self.day())


class PlanFilter(PlaceFilter):
    """Planning documents; `expiring`: the current plans whose next review falls within the warning
    window of the settings (or has passed), soonest first."""

    expiring = FlagFilter(label=_("Due for review"), method="due")

    class Meta:
        model = PlanningDocument
        fields: list[str] = []

    export = Export(
        filename="resilience-plans",
        title=_("Planning documents"),
        columns=[
            Column("office", _("Office")),
            Column("region", _("Region")),
            Column("plan", _("Plan")),
            Column("version", _("Version")),
            Column("approved_on", _("Approval date")),
            Column("next_review_on", _("Next review date")),
            Column("current", _("Current")),
            Column("flag", _("Flag")),
        ],
    )
    owner_column = Column("owner", _("Owner"))

    within_days: int | None = None  # the warning window (the settings' by default)

    def due(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        days = self.within_days
        if days is None:  # the stored settings' window, else the default (`selectors.current_settings`)
            stored = ResilienceSettings.objects.order_by("pk").first() or ResilienceSettings()
            days = stored.plan_warning_days
        return (
            queryset.filter(superseded=False)
            .filter(next_review_on__lte=self.day() + dt.timedelta(days=days))
            .order_by("next_review_on", "office__code")
        )


class InstallationFilter(PlaceFilter):
    status = df.ChoiceFilter(
        label=_("Status"),
        choices=open_or(Installation.Status.choices, _("Open")),
        method="with_status",
        empty_label=_("Any"),
    )

    class Meta:
        model = Installation
        fields: list[str] = []

    export = Export(
        filename="resilience-installations",
        title=_("Installations"),
        columns=[
            Column("office", _("Office")),
            Column("region", _("Region")),
            Column("installation", _("Installation")),
            Column("status", _("Status")),
            Column("planned_start", _("Planned start")),
            Column("planned_end", _("Planned end")),
            Column("actual_start", _("Actual start")),
            Column("actual_end", _("Actual end")),
            Column("estimated_workdays", _("Estimated staff workdays"), "0.0"),
            Column("actual_workdays", _("Actual staff workdays"), "0.0"),
            Column("remaining_workdays", _("Remaining staff workdays"), "0.0"),
        ],
    )

    def with_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "open":
            return queryset.filter(status__in=Installation.OPEN_STATUSES)
        return queryset.filter(status=value)


class RegistrationFilter(PlaceFilter):
    """Crisis-comms registration counts; the coverage page's export is its coverage per office."""

    class Meta:
        model = CrisisCommsRegistration
        fields: list[str] = []

    export = Export(
        filename="resilience-coverage",
        title=_("Crisis-comms coverage"),
        columns=[
            Column("office", _("Office")),
            Column("region", _("Region")),
            Column("counted_on", _("Counted on")),
            Column("registered", _("Registered staff")),
            Column("staff", _("Staff in office")),
            Column("staff_source", _("Staff count from")),
            Column("coverage", _("Coverage %"), "0.0"),
            Column("below_threshold", _("Below threshold")),
        ],
    )
