"""Admin for the governing bodies' requests; writes go through the services."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from presence.core.admin import AuditedAdmin, RecordServices
from presence.mandates import services as mandate_services
from presence.mandates.models import Mandate


@admin.register(Mandate)
class MandateAdmin(AuditedAdmin):
    list_display = ["session", "reference", "body", "kind", "status", "evidence", "assessment", "published"]
    list_filter = ["body", "kind", "status", "assessment", "published"]
    search_fields = ["text", "reference", "session"]
    fields = mandate_services.MANDATE_FIELDS
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    services = RecordServices(
        "mandate",
        create=mandate_services.mandate_create,
        update=mandate_services.mandate_update,
        delete=mandate_services.mandate_delete,
    )
