"""Admin for projects and the portfolio's shared lists; writes go through the portfolio services."""

from __future__ import annotations

from django.contrib import admin

from presence.core.admin import AuditedAdmin, RecordServices
from presence.portfolio import services as portfolio_services
from presence.portfolio.models import (
    ExchangeRate,
    FundingAgreement,
    FundingSource,
    Partner,
    Project,
    RegionalInitiative,
)


@admin.register(FundingSource)
class FundingSourceAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "sort_order")
    fields = portfolio_services.SOURCE_FIELDS
    services = RecordServices(
        "source",
        create=portfolio_services.funding_source_create,
        update=portfolio_services.funding_source_update,
        delete=portfolio_services.funding_source_delete,
    )


@admin.register(Partner)
class PartnerAdmin(AuditedAdmin):
    list_display = ("name", "organisation_type", "iati_identifier", "country")
    search_fields = ("name", "iati_identifier")
    fields = portfolio_services.PARTNER_FIELDS
    services = RecordServices(
        "partner",
        create=portfolio_services.partner_create,
        update=portfolio_services.partner_update,
        delete=portfolio_services.partner_delete,
    )


@admin.register(ExchangeRate)
class ExchangeRateAdmin(AuditedAdmin):
    list_display = ("currency", "valid_from", "rate_to_chf")
    list_filter = ("currency",)
    fields = portfolio_services.RATE_FIELDS
    services = RecordServices(
        "rate",
        create=portfolio_services.exchange_rate_create,
        update=portfolio_services.exchange_rate_update,
        delete=portfolio_services.exchange_rate_delete,
    )


@admin.register(RegionalInitiative)
class RegionalInitiativeAdmin(AuditedAdmin):
    list_display = ("cycle", "region", "code", "title")
    list_filter = ("cycle", "region")
    fields = portfolio_services.INITIATIVE_FIELDS
    services = RecordServices(
        "initiative",
        create=portfolio_services.regional_initiative_create,
        update=portfolio_services.regional_initiative_update,
        delete=portfolio_services.regional_initiative_delete,
    )


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    list_display = ("code", "title", "region", "lead_office", "status", "is_demo")
    list_filter = ("region", "status", "is_demo")
    search_fields = ("code", "title")
    fields = portfolio_services.PROJECT_FIELDS
    services = RecordServices(
        "project",
        create=portfolio_services.project_create,
        update=portfolio_services.project_update,
        delete=portfolio_services.project_delete,
    )


@admin.register(FundingAgreement)
class FundingAgreementAdmin(AuditedAdmin):
    list_display = ("reference", "title", "partner", "status", "signed_on", "amount", "currency")
    list_filter = ("status", "reporting_frequency")
    search_fields = ("reference", "title", "partner__name")
    fields = portfolio_services.AGREEMENT_FIELDS
    filter_horizontal = ("projects",)
    services = RecordServices(
        "agreement",
        create=portfolio_services.agreement_create,
        update=portfolio_services.agreement_update,
        delete=portfolio_services.agreement_delete,
    )
