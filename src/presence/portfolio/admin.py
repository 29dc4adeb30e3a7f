"""Admin for the portfolio's shared lists (funding sources, partners, rates, initiatives); audited edits."""

from __future__ import annotations

from django.contrib import admin

from presence.org.admin import AuditedAdmin
from presence.portfolio.models import ExchangeRate, FundingSource, Partner, Project, RegionalInitiative


@admin.register(FundingSource)
class FundingSourceAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "sort_order")


@admin.register(Partner)
class PartnerAdmin(AuditedAdmin):
    list_display = ("name", "organisation_type", "iati_identifier", "country")
    search_fields = ("name", "iati_identifier")


@admin.register(ExchangeRate)
class ExchangeRateAdmin(AuditedAdmin):
    list_display = ("currency", "valid_from", "rate_to_chf")
    list_filter = ("currency",)


@admin.register(RegionalInitiative)
class RegionalInitiativeAdmin(AuditedAdmin):
    list_display = ("cycle", "region", "code", "title")
    list_filter = ("cycle", "region")


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    list_display = ("code", "title", "region", "lead_office", "status", "is_demo")
    list_filter = ("region", "status", "is_demo")
    search_fields = ("code", "title")
