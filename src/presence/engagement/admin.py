from django.contrib import admin

from presence.engagement.models import Event, Opportunity, StakeholderEngagement


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "start_date", "region", "participants_total"]
    list_filter = ["kind", "region"]
    search_fields = ["title"]


@admin.register(StakeholderEngagement)
class StakeholderEngagementAdmin(admin.ModelAdmin):
    list_display = ["organization", "kind", "date", "office", "follow_up_on", "follow_up_done"]
    list_filter = ["kind", "organization_type"]


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["title", "partner", "region", "stage", "amount", "currency", "probability"]
    list_filter = ["stage", "region"]
