"""Admin for all reference data; edits through the admin are recorded in the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from presence.core.services import audit_record, diff, snapshot
from presence.org.models import Country, Office, PersonalAccessToken, Priority, Region, RoleAssignment


class AuditedAdmin(admin.ModelAdmin):
    """Saves made in the admin bump the version and leave an audit entry, like the services."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else {}
        if change:
            obj.version += 1
        else:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        self._before = before

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        audit_record(
            actor=request.user,
            action="update" if change else "create",
            instance=obj,
            changes=diff(getattr(self, "_before", {}), snapshot(obj)),
            reason="admin",
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(
            actor=request.user, action="delete", instance=obj, changes=diff(snapshot(obj), {}), reason="admin"
        )
        super().delete_model(request, obj)


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ("code", "name", "is_geographic", "sort_order")
    readonly_fields = ("version",)


@admin.register(Country)
class CountryAdmin(AuditedAdmin):
    list_display = ("iso2", "iso3", "name", "region", "is_ldc", "is_lldc", "is_sids")
    list_filter = ("region", "is_ldc", "is_lldc", "is_sids")
    search_fields = ("name", "iso2", "iso3")
    readonly_fields = ("version",)


@admin.register(Office)
class OfficeAdmin(AuditedAdmin):
    list_display = ("name", "kind", "region", "city", "country", "opened_on", "closed_on")
    list_filter = ("kind", "region")
    search_fields = ("name", "city")
    filter_horizontal = ("covered_countries",)
    readonly_fields = ("version",)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("user", "role", "region", "office")
    list_filter = ("role", "region")
    search_fields = ("user__username",)
    readonly_fields = ("version",)


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "access", "created_at", "expires_at", "revoked_at")
    # Access is chosen by the owner at creation; nobody widens it afterwards.
    readonly_fields = ("user", "prefix", "token_hash", "access", "created_at", "last_used_at")


@admin.register(Priority)
class PriorityAdmin(AuditedAdmin):
    list_display = ("cycle", "code", "name", "kind", "sort_order")
    list_filter = ("cycle", "kind")
    readonly_fields = ("version",)
