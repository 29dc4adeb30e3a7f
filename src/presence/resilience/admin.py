"""Admin for the non-confidential resilience records; writes go through the resilience services.

Results, evidence, findings and remediation actions are deliberately not in the admin: they are
confidential and are only handled through the pages and API, which apply the security rules.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from presence.core.admin import AuditedAdmin, AuditedInline, RecordServices
from presence.core.services import Actor
from presence.resilience import services as resilience_services
from presence.resilience.models import (
    AssessmentTemplate,
    CrisisCommsRegistration,
    Installation,
    PlanningDocument,
    Requirement,
    ResilienceSettings,
)


class RequirementInline(AuditedInline):
    model = Requirement
    fields = ("sort_order", "code", "category", "text", "weight")
    services = RecordServices(
        "requirement",
        create=resilience_services.requirement_create,
        update=resilience_services.requirement_update,
        delete=resilience_services.requirement_delete,
        parent="template",
    )


@admin.register(AssessmentTemplate)
class AssessmentTemplateAdmin(AuditedAdmin):
    list_display = ("name", "kind", "edition", "is_current")
    list_filter = ("kind", "is_current")
    inlines = [RequirementInline]
    fields = resilience_services.TEMPLATE_FIELDS
    services = RecordServices(
        "template", create=resilience_services.template_create, update=resilience_services.template_update
    )


@admin.register(PlanningDocument)
class PlanningDocumentAdmin(AuditedAdmin):
    list_display = ("office", "kind", "edition", "approved_on", "next_review_on")
    list_filter = ("kind", "office__region")
    fields = resilience_services.PLAN_FIELDS
    services = RecordServices(
        "plan",
        create=resilience_services.plan_create,
        update=resilience_services.plan_update,
        delete=resilience_services.plan_delete,
    )


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
    fields = resilience_services.INSTALLATION_FIELDS
    services = RecordServices(
        "installation",
        create=resilience_services.installation_create,
        update=resilience_services.installation_update,
        delete=resilience_services.installation_delete,
    )


@admin.register(CrisisCommsRegistration)
class CrisisCommsRegistrationAdmin(AuditedAdmin):
    list_display = ("office", "counted_on", "registered", "staff_in_office", "source")
    list_filter = ("source", "office__region")
    fields = resilience_services.REGISTRATION_FIELDS
    services = RecordServices(
        "registration",
        create=resilience_services.registration_create,
        update=resilience_services.registration_update,
        delete=resilience_services.registration_delete,
    )


def _settings_update(
    *, actor: Actor, settings: ResilienceSettings, expected_version: int | None, **data: Any
) -> ResilienceSettings:
    # There is one settings record; the service finds it itself.
    return resilience_services.settings_update(actor=actor, expected_version=expected_version, **data)


@admin.register(ResilienceSettings)
class ResilienceSettingsAdmin(AuditedAdmin):
    list_display = ("workdays_per_month", "coverage_threshold", "plan_warning_days")
    fields = resilience_services.SETTINGS_FIELDS
    services = RecordServices("settings", update=_settings_update)
