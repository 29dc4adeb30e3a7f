"""Admin for events, stakeholder engagements and opportunities; writes go through the services.

An opportunity becomes a project only through its page (the conversion creates the project and its
funding together), so its project link is shown read-only.
"""

from __future__ import annotations

from django.contrib import admin

from presence.core.admin import AuditedAdmin, RecordServices
from presence.engagement import services as engagement_services
from presence.engagement.models import Event, Opportunity, StakeholderEngagement


@admin.register(Event)
class EventAdmin(AuditedAdmin):
    list_display = ["title", "kind", "start_date", "region", "participants_total"]
    list_filter = ["kind", "region"]
    search_fields = ["title"]
    fields = engagement_services.EVENT_FIELDS
    services = RecordServices(
        "event",
        create=engagement_services.event_create,
        update=engagement_services.event_update,
        delete=engagement_services.event_delete,
    )


@admin.register(StakeholderEngagement)
class StakeholderEngagementAdmin(AuditedAdmin):
    list_display = ["organization", "kind", "date", "office", "follow_up_on", "follow_up_done"]
    list_filter = ["kind", "organization_type"]
    fields = engagement_services.ENGAGEMENT_FIELDS
    services = RecordServices(
        "engagement",
        create=engagement_services.engagement_create,
        update=engagement_services.engagement_update,
        delete=engagement_services.engagement_delete,
    )


@admin.register(Opportunity)
class OpportunityAdmin(AuditedAdmin):
    list_display = ["title", "partner", "region", "stage", "amount", "currency", "probability"]
    list_filter = ["stage", "region"]
    fields = (*engagement_services.OPPORTUNITY_FIELDS, "project")
    readonly_fields = ("project",)
    services = RecordServices(
        "opportunity",
        create=engagement_services.opportunity_create,
        update=engagement_services.opportunity_update,
        delete=engagement_services.opportunity_delete,
    )
