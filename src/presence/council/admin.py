"""Admin for Council documents (writes through the services); versions are written by their workflow."""

from __future__ import annotations

from django.contrib import admin

from presence.core.admin import AuditedAdmin, ReadOnlyAdmin, RecordServices
from presence.council import services as council_services
from presence.council.models import CouncilDocument, DocumentVersion


@admin.register(CouncilDocument)
class CouncilDocumentAdmin(AuditedAdmin):
    list_display = ["number", "title", "governing_body", "year_from", "year_to", "languages"]
    search_fields = ["number", "title"]
    fields = council_services.DOCUMENT_FIELDS
    services = RecordServices(
        "document",
        create=council_services.document_create,
        update=council_services.document_update,
        delete=council_services.document_delete,
    )


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ReadOnlyAdmin):
    list_display = ["document", "language", "number", "status", "date", "approved_at"]
    list_filter = ["status", "language"]
    readonly_fields = [
        "document",
        "language",
        "number",
        "status",
        "date",
        "title",
        "purpose",
        "action_required",
        "references",
        "body",
        "note",
        "submitted_at",
        "approved_at",
        "published_at",
        "frozen",
    ]
    exclude = ["submitted_by", "approved_by"]
