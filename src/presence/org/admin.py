"""Admin for all reference data and role assignments; edits go through the audited, versioned path."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from presence.core.admin import AuditedAdmin, ReadOnlyAdmin, RecordServices
from presence.org import services as org_services
from presence.org.models import Country, Office, PersonalAccessToken, Priority, Region, RoleAssignment


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    """A region's code is fixed once it exists (records and grants refer to it)."""

    list_display = ("code", "name", "is_geographic", "sort_order")
    services = RecordServices("region", update=org_services.region_update)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("code",) if obj is not None else ()


@admin.register(Country)
class CountryAdmin(AuditedAdmin):
    """A country's ISO codes are fixed once it exists."""

    list_display = ("iso2", "iso3", "name", "region", "is_ldc", "is_lldc", "is_sids")
    list_filter = ("region", "is_ldc", "is_lldc", "is_sids")
    search_fields = ("name", "iso2", "iso3")
    services = RecordServices("country", update=org_services.country_update)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("iso2", "iso3") if obj is not None else ()


@admin.register(Office)
class OfficeAdmin(AuditedAdmin):
    list_display = ("name", "kind", "region", "city", "country", "opened_on", "closed_on")
    list_filter = ("kind", "region")
    search_fields = ("name", "city")
    filter_horizontal = ("covered_countries",)
    fields = org_services.OFFICE_FIELDS
    services = RecordServices(
        "office",
        create=org_services.office_create,
        update=org_services.office_update,
        delete=org_services.office_delete,
    )


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("user", "role", "region", "office")
    list_filter = ("role", "region")
    search_fields = ("user__username",)
    services = RecordServices("assignment", create=org_services.role_assign)


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(ReadOnlyAdmin):
    """Tokens are created and revoked by their owners on the account page (the secret is shown once)."""

    list_display = ("user", "name", "prefix", "access", "created_at", "expires_at", "revoked_at")
    exclude = ("token_hash",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [field.name for field in self.model._meta.fields if field.name != "token_hash"]


@admin.register(Priority)
class PriorityAdmin(AuditedAdmin):
    list_display = ("cycle", "code", "name", "kind", "sort_order")
    list_filter = ("cycle", "kind")
