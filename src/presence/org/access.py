"""The one access mechanism: role assignments (role x scope) decide every read and write.

`restrict(queryset, user, action)` narrows any queryset to the records the user may act on;
`check(user, action, record)` guards every service call. Views, the API, exports and the
dashboard all use these two, so a rule changed here changes everywhere.

A model says where its records sit with a `scope = Scope(region=..., office=...)` attribute
(ORM paths) and may override which roles may do what with `access_policy`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied
from presence.org.models import Role, RoleAssignment, Scope


class Action(StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"
    APPROVE = "approve"
    VIEW_PERSONAL = "view_personal"
    VIEW_CONFIDENTIAL = "view_confidential"


READERS = frozenset(Role)
DEFAULT_POLICY: dict[Action, frozenset[Role]] = {
    Action.VIEW: READERS,
    Action.ADD: frozenset({Role.EDITOR, Role.ADMIN}),
    Action.CHANGE: frozenset({Role.EDITOR, Role.ADMIN}),
    Action.DELETE: frozenset({Role.EDITOR, Role.ADMIN}),
    Action.APPROVE: frozenset({Role.APPROVER, Role.ADMIN}),
    Action.VIEW_PERSONAL: frozenset({Role.HR, Role.ADMIN}),
    Action.VIEW_CONFIDENTIAL: frozenset({Role.SECURITY, Role.ADMIN}),
}
# Reference data (offices, regions, countries) is read by everyone and written by administrators.
REFERENCE_POLICY: dict[Action, frozenset[Role]] = {
    Action.ADD: frozenset({Role.ADMIN}),
    Action.CHANGE: frozenset({Role.ADMIN}),
    Action.DELETE: frozenset({Role.ADMIN}),
}

ModelT = TypeVar("ModelT", bound=models.Model)


@dataclass(frozen=True)
class Grant:
    role: str
    region_id: int | None
    office_id: int | None

    @property
    def is_global(self) -> bool:
        return self.region_id is None and self.office_id is None


def grants(user: Any) -> list[Grant]:
    """The user's role assignments, read once per user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        if settings.PUBLIC_DASHBOARD:
            return [Grant(Role.MEMBER_STATE, None, None)]
        return []
    cached: list[Grant] | None = getattr(user, "_presence_grants", None)
    if cached is None:
        cached = [
            Grant(role, region_id, office_id)
            for role, region_id, office_id in RoleAssignment.objects.filter(user=user).values_list(
                "role", "region_id", "office_id"
            )
        ]
        user._presence_grants = cached
    return cached


def audience(user: Any) -> str:
    """Who may see what, as a cache key part: equal for two users only when their rights are equal.

    A superuser; else whether logged in (pages link to lists for users only) and the sorted grants
    (role, region, office). Anonymous visitors of the public dashboard share the member-state grant.
    """
    if is_superuser(user):
        return "superuser"
    signed_in = "user" if getattr(user, "is_authenticated", False) else "anonymous"
    held = sorted({(g.role, g.region_id or 0, g.office_id or 0) for g in grants(user)})
    return signed_in + ";" + ";".join(f"{role}:{region}:{office}" for role, region, office in held)


def forget_grants(user: Any) -> None:
    if hasattr(user, "_presence_grants"):
        del user._presence_grants


def is_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_superuser", False))


def allowed_roles(model: type[models.Model], action: Action) -> frozenset[Role]:
    policy: dict[Action, frozenset[Role]] = getattr(model, "access_policy", {})
    return policy.get(action, DEFAULT_POLICY[action])


def scope_of(model: type[models.Model]) -> Scope:
    scope = getattr(model, "scope", None)
    if scope is None:
        raise TypeError(f"{model.__name__} declares no access scope.")
    return scope


def _matching_grants(user: Any, action: Action, model: type[models.Model]) -> list[Grant]:
    roles = allowed_roles(model, action)
    return [grant for grant in grants(user) if grant.role in roles]


def _unscoped(model: type[models.Model], action: Action) -> bool:
    return action in getattr(model, "unscoped_actions", ())


def restrict(queryset: QuerySet[ModelT], user: Any, action: Action) -> QuerySet[ModelT]:
    """The records of `queryset` on which `user` may perform `action`."""
    model = queryset.model
    if is_superuser(user):
        return queryset
    matching = _matching_grants(user, action, model)
    if not matching:
        return queryset.none()
    if _unscoped(model, action):
        return queryset
    return restrict_to_grants(queryset, matching)


def restrict_to_grants(queryset: QuerySet[ModelT], matching: Iterable[Grant]) -> QuerySet[ModelT]:
    """The records of `queryset` that one of the grants `matching` covers (`covered_by`)."""
    matching = list(matching)
    if not matching:
        return queryset.none()
    if any(grant.is_global for grant in matching):
        return queryset
    scope = scope_of(queryset.model)
    region_ids = {grant.region_id for grant in matching if grant.region_id is not None}
    office_ids = {grant.office_id for grant in matching if grant.office_id is not None}
    return queryset.filter(_covered(scope, region_ids, office_ids))


def _covered(scope: Scope, region_ids: set[int], office_ids: set[int]) -> Q:
    """The records that region grants on `region_ids` or office grants on `office_ids` cover (`_covers`)."""
    condition = Q(pk__in=[])
    region, office = scope.region, scope.office
    office_region = ("region" if office == "pk" else f"{office}__region") if office else ""
    # The record's office is headquarters (no region), or sits in the record's region.
    office_fits = Q()
    if region and office:
        office_fits = (
            Q(**{f"{region}__isnull": True})
            | Q(**{f"{office_region}__isnull": True})
            | Q(**{region: F(office_region)})
        )
    if region_ids:
        if region and office:
            condition |= Q(**{f"{region}__in": region_ids}) & office_fits
            condition |= Q(**{f"{region}__isnull": True}) & Q(**{f"{office_region}__in": region_ids})
        elif region:
            condition |= Q(**{f"{region}__in": region_ids})
        elif office:
            condition |= Q(**{f"{office_region}__in": region_ids})
    if office_ids and office:
        condition |= Q(**{f"{office}__in": office_ids}) & office_fits
    return condition


def _follow(record: Any, path: str) -> Any:
    """Walk an ORM path on an instance; the last step yields an id, not an object."""
    if path == "pk":
        return record.pk
    *parents, last = path.split("__")
    target = record
    for part in parents:
        target = getattr(target, part, None)
        if target is None:
            return None
    if hasattr(target, f"{last}_id"):
        return getattr(target, f"{last}_id")
    value = getattr(target, last, None)
    return value.pk if isinstance(value, models.Model) else value


def _office_region_id(record: Any, scope: Scope) -> int | None:
    if not scope.office:
        return None
    if scope.office == "pk":
        return getattr(record, "region_id", None)
    office = record
    for part in scope.office.split("__"):
        office = getattr(office, part, None)
        if office is None:
            return None
    return getattr(office, "region_id", None)


def record_scope(record: models.Model) -> tuple[int | None, int | None, int | None]:
    """(region id, office id, office's region id) of a record, saved or not."""
    scope = scope_of(type(record))
    region_id = _follow(record, scope.region) if scope.region else None
    office_id = _follow(record, scope.office) if scope.office else None
    return region_id, office_id, _office_region_id(record, scope)


def _covers(grant: Grant, region_id: int | None, office_id: int | None, office_region_id: int | None) -> bool:
    """Whether a regional or office grant covers a record's region AND its office (when it has both).

    A region grant covers records of its region whose office is in that region or is headquarters
    (which belongs to no region), and records without a region led by an office of the region. An
    office grant covers its office's records in that office's region (any region for headquarters).
    """
    if grant.office_id is not None:
        return office_id == grant.office_id and (
            region_id is None or office_region_id is None or region_id == office_region_id
        )
    if region_id is not None:
        return region_id == grant.region_id and (office_id is None or office_region_id in (None, region_id))
    return office_id is not None and office_region_id == grant.region_id


def can(user: Any, action: Action, record: models.Model) -> bool:
    """Whether `user` may perform `action` on `record` (an unsaved record for "add")."""
    if is_superuser(user):
        return True
    model = type(record)
    matching = _matching_grants(user, action, model)
    if not matching:
        return False
    if _unscoped(model, action):
        return True
    return covered_by(matching, record)


def covered_by(matching: Iterable[Grant], record: models.Model) -> bool:
    """Whether one of the grants `matching` covers the record's region and office (a global one does)."""
    matching = list(matching)
    if any(grant.is_global for grant in matching):
        return True
    region_id, office_id, office_region_id = record_scope(record)
    return any(_covers(grant, region_id, office_id, office_region_id) for grant in matching)


def denial(action: Action, model: type[models.Model]) -> str:
    """The reason given when `action` on a record of `model` is refused, in the reader's language."""
    sentences = {
        Action.VIEW: _("You are not allowed to view this %(model)s."),
        Action.ADD: _("You are not allowed to add this %(model)s."),
        Action.CHANGE: _("You are not allowed to change this %(model)s."),
        Action.DELETE: _("You are not allowed to delete this %(model)s."),
        Action.APPROVE: _("You are not allowed to approve this %(model)s."),
        Action.VIEW_PERSONAL: _("You are not allowed to view the personal data of this %(model)s."),
        Action.VIEW_CONFIDENTIAL: _(
            "You are not allowed to view the confidential details of this %(model)s."
        ),
    }
    return sentences[action] % {"model": model._meta.verbose_name}


def check(user: Any, action: Action, record: models.Model) -> None:
    """Raise AccessDenied unless `user` may perform `action` on `record`."""
    if not can(user, action, record):
        raise AccessDenied(denial(action, type(record)))


def moves(model: type[models.Model], fields: Iterable[str]) -> bool:
    """Whether writing `fields` may put a record of `model` in another region or office."""
    scope = getattr(model, "scope", None)
    if scope is None:
        return False
    heads = {path.split("__")[0] for path in (scope.region, scope.office) if path and path != "pk"}
    return bool(heads & set(fields))


def check_move(user: Any, stored: models.Model, changed: models.Model) -> None:
    """A move is a change where the record was and where it goes: the user must be allowed both."""
    if record_scope(stored)[:2] == record_scope(changed)[:2]:
        return
    check(user, Action.CHANGE, stored)
    check(user, Action.CHANGE, changed)


def can_anywhere(user: Any, action: Action, model: type[models.Model]) -> bool:
    """Whether the user may perform `action` on at least some records of `model` (to show buttons)."""
    return is_superuser(user) or bool(_matching_grants(user, action, model))


def has_role(user: Any, roles: Iterable[Role]) -> bool:
    wanted = set(roles)
    return is_superuser(user) or any(grant.role in wanted for grant in grants(user))


def sees_personal_data(user: Any) -> bool:
    """Names of people (incumbents, managers, owners) are hidden from member-state viewers and the public."""
    if is_superuser(user):
        return True
    roles = {grant.role for grant in grants(user)}
    return bool(roles - {Role.MEMBER_STATE})
