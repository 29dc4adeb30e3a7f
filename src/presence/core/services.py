"""Versioned, audited writes shared by every app's services.

Domain services check access and invariants, then call these helpers inside their own
transaction. The helpers validate the model, refuse stale versions and record the audit trail.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.core import figures
from presence.core.errors import VersionConflict
from presence.core.guards import guards
from presence.core.models import AuditEntry, TrackedModel

M = TypeVar("M", bound=TrackedModel)
Actor = AbstractBaseUser | AnonymousUser | None


def only_fields(data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    """The payload itself, refused when it names a field the service does not take.

    Services accept their fields as keyword arguments; an unknown one is a programming error
    (a form or schema out of step with the service), hence a TypeError rather than a ValidationError.
    """
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    return dict(data)


def to_json_value(value: Any) -> Any:
    """A value as the audit trail stores it: readable and JSON-safe."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(str(item) for item in value)
    if isinstance(value, dict):
        return {str(key): to_json_value(item) for key, item in sorted(value.items())}
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The audited values of a record's fields (and many-to-many fields once saved)."""
    exclude = set(getattr(instance, "audit_exclude", ()))
    wanted = set(fields) if fields is not None else None
    values: dict[str, Any] = {}
    for field in instance._meta.get_fields():
        if not getattr(field, "concrete", False) or field.name in exclude or field.name == "id":
            continue
        if wanted is not None and field.name not in wanted:
            continue
        if field.many_to_many:
            values[field.name] = (
                to_json_value(list(getattr(instance, field.name).all())) if instance.pk else []
            )
        elif isinstance(field, models.FileField):
            file = getattr(instance, field.name)
            values[field.name] = file.name if file else None
        else:
            values[field.name] = to_json_value(getattr(instance, field.name))
    return values


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def _actor_or_none(actor: Actor) -> AbstractBaseUser | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor  # type: ignore[return-value]


def audit_record(
    *,
    actor: Actor,
    action: str,
    instance: models.Model,
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=cast(Any, _actor_or_none(actor)),
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=dict(changes or {}),
        reason=reason,
    )


def _split(model: type[models.Model], data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    plain: dict[str, Any] = {}
    many: dict[str, Any] = {}
    for name, value in data.items():
        field = model._meta.get_field(name)
        (many if field.many_to_many else plain)[name] = value
    return plain, many


@transaction.atomic
def tracked_create(*, model: type[M], actor: Actor, data: Mapping[str, Any], reason: str = "") -> M:
    """Validate and save a new record, then record its creation in the audit trail."""
    plain, many = _split(model, data)
    user = _actor_or_none(actor)
    instance = model(**plain, created_by=user, updated_by=user)
    instance.full_clean()
    instance.save()
    for name, value in many.items():
        getattr(instance, name).set(value)
    after = snapshot(instance)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        instance=instance,
        changes=diff({}, {k: v for k, v in after.items() if v not in (None, "", [])}),
        reason=reason,
    )
    figures.bump(model._meta.app_label)
    return instance


# Rows per INSERT of the bulk helpers: few statements, each within every backend's parameter limit.
BULK_BATCH = 500


def _per_record(value: str | Sequence[str], count: int) -> Sequence[str]:
    return [value] * count if isinstance(value, str) else value


def _check_references(model: type[models.Model], instances: Sequence[models.Model]) -> list[str]:
    """Validate the foreign keys of many records with one query per key (`full_clean` asks one per
    record and key): ValidationError on the field when a required one is empty or one points at
    nothing. Returns the names of the keys checked (and the authors, set by the helper), for
    `full_clean` to leave out."""
    checked = ["created_by", "updated_by"]
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey) or field.name in ("created_by", "updated_by"):
            continue
        checked.append(field.name)
        wanted = {getattr(instance, field.attname) for instance in instances}
        if None in wanted and not field.null:
            raise ValidationError({field.name: field.error_messages["null"]})
        wanted.discard(None)
        target = field.remote_field.model._base_manager
        found = set(
            target.filter(**{f"{field.target_field.attname}__in": wanted}).values_list(
                field.target_field.attname, flat=True
            )
        )
        if wanted - found:
            raise ValidationError(
                {
                    field.name: _("%(model)s %(pk)s does not exist.")
                    % {"model": field.remote_field.model._meta.verbose_name, "pk": sorted(wanted - found)[0]}
                }
            )
    return checked


@functools.cache
def _created_fields(model: type[models.Model]) -> tuple[tuple[str, str, int], ...]:
    """What `snapshot` reads of a new record, by field name in sorted order: (name, attname, kind).

    Kind 0 is a value read as stored on the instance, 1 a relation (the related record), 2 a file.
    Many-to-many fields are left out: a record just created has none, so `snapshot` gives `[]`, which
    the creation entry leaves out anyway.
    """
    exclude = set(getattr(model, "audit_exclude", ()))
    chosen = []
    for field in model._meta.concrete_fields:
        if field.name in exclude or field.name == "id":
            continue
        kind = 1 if field.is_relation else 2 if isinstance(field, models.FileField) else 0
        chosen.append((field.name, field.attname, kind))
    return tuple(sorted(chosen))


def _creation_changes(instance: models.Model, fields: tuple[tuple[str, str, int], ...]) -> dict[str, Any]:
    """`diff({}, snapshot(instance))` without its empty values, for a record just created."""
    changes: dict[str, Any] = {}
    stored = instance.__dict__
    for name, attname, kind in fields:
        if kind == 0:
            value = stored[attname]
            if value is not None and not isinstance(value, str | int):
                value = to_json_value(value)
        elif kind == 1:
            value = to_json_value(getattr(instance, name))
        else:
            file = getattr(instance, name)
            value = file.name if file else None
        if value is None or value == "" or value == []:
            continue
        changes[name] = [None, value]
    return changes


@functools.cache
def _entry_template() -> tuple[list[Any], dict[str, int]]:
    """The column values (by attname, in the model's field order) of an unsaved audit entry, and
    where each column sits: entries are then built positionally, without the per-field keyword
    matching and related-object checks of `AuditEntry(**values)`."""
    fields = AuditEntry._meta.concrete_fields
    return [field.get_default() for field in fields], {field.attname: n for n, field in enumerate(fields)}


def _new_entries(common: Mapping[str, Any], rows: Iterable[Mapping[str, Any]]) -> list[AuditEntry]:
    """Unsaved audit entries: the values in `common` and each row's own (by attname)."""
    template, position = _entry_template()
    base = list(template)
    for name, value in common.items():
        base[position[name]] = value
    # A default made by a callable (a dict, a list) is made again for each entry that does not give it.
    fresh = [
        (n, field)
        for n, field in enumerate(AuditEntry._meta.concrete_fields)
        if field.has_default() and callable(field.default) and field.attname not in common
    ]
    made = []
    for row in rows:
        values = list(base)
        for n, field in fresh:
            if field.attname not in row:
                values[n] = field.get_default()
        for name, value in row.items():
            values[position[name]] = value
        made.append(cast(Any, AuditEntry)(*values))  # positional: every column, in order
    return made


@transaction.atomic
def tracked_bulk_create(
    *,
    model: type[M],
    actor: Actor,
    instances: Sequence[M],
    reason: str | Sequence[str] = "",
    action: str = AuditEntry.Action.CREATE,
    changes: Sequence[Mapping[str, Any]] | None = None,
    batch_size: int = BULK_BATCH,
) -> list[M]:
    """`tracked_create` for many new records of one model, in a few statements.

    Each record is validated as `tracked_create` validates it (`full_clean()`: its fields and the
    model's `clean()`), except uniqueness against stored rows, which the database's constraints
    enforce (a caller wanting a message per record checks it for the whole batch first). Then the
    records are inserted with `bulk_create` and the audit trail gets one entry per record: its values
    (or `changes[i]`), with `reason` (or `reason[i]`). `action` lets an import record *imported*.
    The entries hold what `tracked_create`'s do (`snapshot`, empty values left out), read through a
    field list computed once per model.
    """
    if not instances:
        return []
    user = _actor_or_none(actor)
    references = _check_references(model, instances)
    for instance in instances:
        instance.created_by = user  # type: ignore[assignment]
        instance.updated_by = user  # type: ignore[assignment]
        instance.full_clean(exclude=references, validate_unique=False, validate_constraints=False)
    created = model._default_manager.bulk_create(instances, batch_size=batch_size)
    reasons = _per_record(reason, len(created))
    fields = _created_fields(model)
    common = {
        "actor_id": None if user is None else user.pk,
        "action": action,
        "content_type_id": ContentType.objects.get_for_model(model).pk,
    }
    entries = _new_entries(
        common,
        (
            {
                "object_id": str(instance.pk),
                "object_repr": str(instance)[:300],
                "changes": dict(changes[n]) if changes is not None else _creation_changes(instance, fields),
                "reason": reasons[n],
            }
            for n, instance in enumerate(created)
        ),
    )
    AuditEntry.objects.bulk_create(entries, batch_size=batch_size)
    return created


@transaction.atomic
def tracked_bulk_delete(
    *, queryset: models.QuerySet[Any], actor: Actor, reason: str | Sequence[str] = ""
) -> int:
    """`tracked_delete` for the records of a queryset (no version check: the caller holds them).

    One audit entry per record with its last values, then one DELETE; returns how many were deleted.
    A `reason` sequence gives each record, in primary-key order, its own reason. Select what the
    records' names read (`select_related`), so naming them costs no query each.
    """
    model = queryset.model
    records = list(queryset.order_by("pk"))
    if not records:
        return 0
    user = _actor_or_none(actor)
    reasons = _per_record(reason, len(records))
    content_type = ContentType.objects.get_for_model(model)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=cast(Any, user),
                action=AuditEntry.Action.DELETE,
                content_type=content_type,
                object_id=str(record.pk),
                object_repr=str(record)[:300],
                changes=diff({k: v for k, v in snapshot(record).items() if v not in (None, "", [])}, {}),
                reason=reasons[n],
            )
            for n, record in enumerate(records)
        ],
        batch_size=BULK_BATCH,
    )
    model._default_manager.filter(pk__in=[record.pk for record in records]).delete()
    return len(records)


@transaction.atomic
def tracked_update(
    *,
    instance: M,
    actor: Actor,
    data: Mapping[str, Any],
    expected_version: int | None,
    reason: str = "",
    action: str = AuditEntry.Action.UPDATE,
) -> M:
    """Apply changes if the record is still at `expected_version`; refuse a stale save.

    `expected_version=None` is only for internal writes that hold the current row (workflow steps
    made by the system); every user-facing form and API call passes the version it was shown.
    """
    model = type(instance)
    plain, many = _split(model, data)
    before = snapshot(instance)
    stored = (
        model._default_manager.filter(pk=instance.pk).first()
        if actor is not None and guards().moves(model, plain)
        else None
    )
    for name, value in plain.items():
        setattr(instance, name, value)
    if stored is not None:
        # Whatever service called, a record leaves one scope and enters another only for a user
        # who may change records in both.
        guards().check_move(actor, stored, instance)
    instance.full_clean()
    current = model._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
    if current is None:
        raise model.DoesNotExist(f"{model._meta.verbose_name} {instance.pk} no longer exists.")
    expected = current if expected_version is None else expected_version
    user = _actor_or_none(actor)
    now = timezone.now()
    attnames = [cast(models.Field, model._meta.get_field(name)).attname for name in plain]
    columns = {attname: getattr(instance, attname) for attname in attnames}
    updated = model._default_manager.filter(pk=instance.pk, version=expected).update(
        **columns, version=expected + 1, updated_by=user, updated_at=now
    )
    if updated == 0:
        raise VersionConflict(
            current_version=current,
            expected_version=expected,
            label=str(model._meta.verbose_name).capitalize(),
        )
    instance.version = expected + 1
    instance.updated_by = user  # type: ignore[assignment]
    instance.updated_at = now
    for name, value in many.items():
        getattr(instance, name).set(value)
    changes = diff(before, snapshot(instance))
    if changes or reason:
        audit_record(actor=actor, action=action, instance=instance, changes=changes, reason=reason)
    figures.bump(model._meta.app_label)
    return instance


def tracked_transition(
    *, instance: M, actor: Actor, data: Mapping[str, Any], expected_version: int | None, reason: str = ""
) -> M:
    """A workflow step (submit, approve, return...): `tracked_update` recorded as a transition."""
    return tracked_update(
        instance=instance,
        actor=actor,
        data=data,
        expected_version=expected_version,
        reason=reason,
        action=AuditEntry.Action.TRANSITION,
    )


@transaction.atomic
def tracked_delete(
    *, instance: TrackedModel, actor: Actor, expected_version: int | None, reason: str = ""
) -> None:
    """Delete a record if it is still at `expected_version`, keeping its last values in the audit trail."""
    model = type(instance)
    current = model._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
    if current is None:
        return
    if expected_version is not None and current != expected_version:
        raise VersionConflict(
            current_version=current,
            expected_version=expected_version,
            label=str(model._meta.verbose_name).capitalize(),
        )
    before = snapshot(instance)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        instance=instance,
        changes=diff({k: v for k, v in before.items() if v not in (None, "", [])}, {}),
        reason=reason,
    )
    instance.delete()
    figures.bump(model._meta.app_label)


def audit_authentication(
    *, event: str, user: Any = None, username: str = "", address: str = "", reason: str = ""
) -> AuditEntry:
    """Record a login, a failed login or a logout: who (or which name was tried), from where.

    Called by the handlers of Django's authentication signals (core.auth). A failed login names the
    account tried even when none exists; no password is ever passed here.
    """
    actions = {
        "login": AuditEntry.Action.LOGIN,
        "login_failed": AuditEntry.Action.LOGIN_FAILED,
        "logout": AuditEntry.Action.LOGOUT,
    }
    user_model = get_user_model()
    if user is None and username:
        user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
    name = user.get_username() if user is not None else username
    return AuditEntry.objects.create(
        actor=user if event != "login_failed" else None,
        action=actions[event],
        content_type=ContentType.objects.get_for_model(user_model),
        object_id=str(user.pk) if user is not None else "",
        object_repr=name[:300],
        changes={"address": [None, address]} if address else {},
        reason=reason,
    )
