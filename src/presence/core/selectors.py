"""Reads of the audit trail."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from presence.core.models import AuditEntry


def audit_for_record(instance: models.Model) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    ).select_related("actor")


def audit_log(*, model_label: str = "", actor_id: int | None = None) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("actor", "content_type")
    if model_label:
        app_label, _, model_name = model_label.partition(".")
        entries = entries.filter(content_type__app_label=app_label, content_type__model=model_name)
    if actor_id:
        entries = entries.filter(actor_id=actor_id)
    return entries
