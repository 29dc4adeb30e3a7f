"""Personal data: declared once on each model, hidden by one rule everywhere.

A model lists the fields that hold people's names in `personal_fields` (a project's manager,
a review's submitter and decider, an assessment's assessors, owners, incumbents, candidates).
Every tracked record also names its authors (`created_by`, `updated_by`) and every audit entry
its actor. Pages, History blocks, exports, the API and documents ask `sees_personal` whether the
reader may see them, and `personal_value`/`history_for` to read them as that reader may.

The rule: names are hidden from member-state viewers and the public. Records whose names are
staff data (posts, recruitments: `personal_needs_grant = True`) further need `view_personal`
(HR, administrators) on that record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from presence.core.models import AuditEntry, TrackedModel
from presence.core.selectors import audit_for_record
from presence.org.access import Action, can, is_superuser, sees_personal_data

AUTHORSHIP_FIELDS = ("created_by", "updated_by")
# What a hidden name reads as, on pages and in History.
HIDDEN = "•••"


def personal_fields(model: type[models.Model] | models.Model) -> tuple[str, ...]:
    """The fields of `model` that hold people's names: its own declaration and its authors."""
    cls = model if isinstance(model, type) else type(model)
    declared = tuple(getattr(cls, "personal_fields", ()))
    authors = AUTHORSHIP_FIELDS if issubclass(cls, TrackedModel) else ()
    return declared + tuple(name for name in authors if name not in declared)


def sees_personal(user: Any, record: models.Model | None = None) -> bool:
    """Whether `user` may read people's names (on `record`, when given): the one rule."""
    if is_superuser(user):
        return True
    if not sees_personal_data(user):
        return False
    if record is not None and getattr(type(record), "personal_needs_grant", False):
        return can(user, Action.VIEW_PERSONAL, record)
    return True


def person_name(user: Any) -> str:
    """How a person (a user account) is written: full name, else username."""
    if user is None:
        return ""
    return str(user.get_full_name() or user.username)


def shown_person(reader: Any, record: models.Model, field: str) -> str | None:
    """A personal field of `record` as `reader` may read it (an account as its full name).

    None when the field is empty or hidden from the reader.
    """
    if field in personal_fields(record) and not sees_personal(reader, record):
        return None
    value = getattr(record, field)
    if isinstance(value, models.Model):
        return person_name(value)
    return str(value) if value not in (None, "") else None


def shown_people(reader: Any, record: models.Model) -> dict[str, str | None]:
    """Every personal field of `record` (authors included) as `reader` may read it, for a page."""
    return {name: shown_person(reader, record, name) for name in personal_fields(record)}


def api_person(context: Any, record: models.Model, field: str) -> str | None:
    """For an API schema's resolver: the field's value (an account as its username), null when hidden."""
    request = (context or {}).get("request")
    reader = getattr(request, "user", None)
    if field in personal_fields(record) and not sees_personal(reader, record):
        return None
    value = getattr(record, field)
    if isinstance(value, models.Model):
        return str(getattr(value, "username", value))
    return None if value is None else str(value)


@dataclass
class HistoryEntry:
    """An audit entry as one reader may read it: the actor and personal values masked if need be."""

    entry: AuditEntry
    actor_label: str
    changed_fields: list[tuple[str, Any, Any]]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.entry, name)


def _actor_label(reader: Any, entry: AuditEntry) -> str:
    """Who made the change: their name, "system" for no one, or a neutral word when names are hidden."""
    if entry.actor_id is None:
        return _("system")
    return shown_person(reader, entry, "actor") or _("a staff member")


def masked_entry(reader: Any, record: models.Model, entry: AuditEntry) -> HistoryEntry:
    """One audit entry of `record` as `reader` may read it."""
    hidden = set() if sees_personal(reader, record) else set(personal_fields(record))

    def mask(name: str, value: Any) -> Any:
        return HIDDEN if name in hidden and value not in (None, "", []) else value

    return HistoryEntry(
        entry=entry,
        actor_label=_actor_label(reader, entry),
        changed_fields=[
            (name, mask(name, before), mask(name, after)) for name, before, after in entry.changed_fields
        ],
    )


def history_for(*, user: Any, record: models.Model, limit: int = 50) -> list[HistoryEntry]:
    """The History block of `record`: its latest audit entries, as `user` may read them."""
    return [masked_entry(user, record, entry) for entry in audit_for_record(record)[:limit]]
