"""Admin for the non-confidential resilience records; saves are audited like the services.

Results, evidence, findings and remediation actions are deliberately not in the admin: they are
confidential and are only handled through the pages and API, which apply the security rules.
"""

from __future__ import annotations

from django.contrib import admin

from presence.org.admin import AuditedAdmin
from presence.resilience.models import (
    AssessmentTemplate,
    CrisisCommsRegistration,
    Installation,
    PlanningDocument,
    Requirement,
    ResilienceSettings,
)


class RequirementInline(admin.TabularInline):
    model = Requirement
    fields = ("sort_order", "code", "category", "text", "weight")
    extra = 0


@admin.register(AssessmentTemplate)
class AssessmentTemplateAdmin(AuditedAdmin):
    list_display = ("name", "kind", "edition", "is_current")
    list_filter = ("kind", "is_current")
    readonly_fields = ("version",)
    inlines = [RequirementInline]


@admin.register(PlanningDocument)
class PlanningDocumentAdmin(AuditedAdmin):
    list_display = ("office", "kind", "edition", "approved_on", "next_review_on")
    list_filter = ("kind", "office__region")
    readonly_fields = ("version",)


@admin.register(Installation)
class InstallationAdmin(AuditedAdmin):
    list_display = (
        "office",
        "status",
        "planned_start",
        "planned_end",
        "estimated_workdays",
        "actual_workdays",
    )
    list_filter = ("status", "office__region")
    readonly_fields = ("version",)


@admin.register(CrisisCommsRegistration)
class CrisisCommsRegistrationAdmin(AuditedAdmin):
    list_display = ("office", "counted_on", "registered", "staff_in_office", "source")
    list_filter = ("source", "office__region")
    readonly_fields = ("version",)


@admin.register(ResilienceSettings)
class ResilienceSettingsAdmin(AuditedAdmin):
    list_display = ("workdays_per_month", "coverage_threshold", "plan_warning_days")
    readonly_fields = ("version",)
