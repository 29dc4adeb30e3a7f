"""Accounts and groups in the admin: Django's own records, whose changes the admin audits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse

from presence.core.models import AuditEntry
from presence.core.services import audit_record, diff, snapshot

# The request attribute carrying an account's values before an admin save to the audit entry.
ACCOUNT_BEFORE_ATTRIBUTE = "_presence_account_before"
# Never copied into the audit trail: the password hash (a change is noted as such) and login times.
ACCOUNT_UNAUDITED = ("id", "password", "last_login")


def account_snapshot(record: models.Model) -> dict[str, Any]:
    names = [
        field.name
        for field in record._meta.get_fields()
        if getattr(field, "concrete", False) and field.name not in ACCOUNT_UNAUDITED
    ]
    values = snapshot(record, names)
    for name in names:
        moment = getattr(record, name)
        if isinstance(moment, dt.datetime):
            # The admin's form shows whole seconds in local time: compare the moments, not their spelling.
            values[name] = moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()
    return values


class AuditedAccountsMixin(admin.ModelAdmin):
    """Accounts and groups are Django's own records, without a version column: the admin audits them.

    Who created, changed (roles, staff status, groups, permissions, a new password) or deleted an
    account is in the audit trail; the password hash never is.
    """

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = account_snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else {}
        setattr(request, ACCOUNT_BEFORE_ATTRIBUTE, before)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(request, ACCOUNT_BEFORE_ATTRIBUTE, {})
        after = account_snapshot(obj)
        if not change:  # a new account lists the values it was given, as tracked_create does
            after = {name: value for name, value in after.items() if value not in (None, "", [])}
        changes = diff(before, after)
        if changes or not change:
            audit_record(
                actor=request.user,
                action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
                instance=obj,
                changes=changes,
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            _audit_account_deletion(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                _audit_account_deletion(request, obj)
            super().delete_queryset(request, queryset)


def _audit_account_deletion(request: HttpRequest, obj: Any) -> None:
    values = {name: value for name, value in account_snapshot(obj).items() if value not in (None, "", [])}
    audit_record(actor=request.user, action=AuditEntry.Action.DELETE, instance=obj, changes=diff(values, {}))


User = get_user_model()


class AccountAdmin(AuditedAccountsMixin, UserAdmin):
    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                audit_record(
                    actor=request.user,
                    action=AuditEntry.Action.UPDATE,
                    instance=User._default_manager.get(pk=unquote(id)),
                    changes={"password": [None, "changed"]},
                )
        return response


class GroupAccountsAdmin(AuditedAccountsMixin, GroupAdmin):
    pass


# Django's own registrations (made on importing its admin module) give way to the audited ones.
for _model, _admin_class in ((User, AccountAdmin), (Group, GroupAccountsAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin_class)
