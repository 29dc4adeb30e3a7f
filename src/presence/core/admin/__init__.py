"""The admin writes through the same versioned, audited path as the pages and the API.

`AuditedAdmin` creates, changes and deletes (one record or a bulk action) through the app's own
services when it declares them (`RecordServices`), else through `core.services.tracked_*`: each
write is checked, validated, versioned and leaves one audit entry. Its forms carry the version they
were shown in a hidden field; a stale save, or any refusal by a service, is shown on the form
(409 for a conflict) and nothing is written, inline rows included. `AuditedInline` rows go the same
way. `ReadOnlyAdmin` and `ReadOnlyInline` show records whose writes belong to a workflow of their
own (the audit trail, tokens, post actions...). Accounts and groups, Django's own records without
a version, are audited (`accounts`).
"""

from __future__ import annotations

from django.contrib import admin

from presence.core.admin import accounts as accounts
from presence.core.admin.records import REFUSALS as REFUSALS
from presence.core.admin.records import AuditedAdmin as AuditedAdmin
from presence.core.admin.records import AuditedInline as AuditedInline
from presence.core.admin.records import ReadOnlyAdmin as ReadOnlyAdmin
from presence.core.admin.records import ReadOnlyInline as ReadOnlyInline
from presence.core.admin.records import RecordServices as RecordServices
from presence.core.admin.records import VersionedAdminForm as VersionedAdminForm
from presence.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit trail is readable in the admin and never editable."""

    list_display = ("at", "actor", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "reason")
