"""Who may read confidential resilience details: the security role (in its scope) and HQ administrators.

The confidential models also declare `access_policy = {"view": {"security", "admin"}}`, so the
generic `restrict` already hides them from every other role; this module is stricter still and
leaves regional administrators out, as the issue asks ("security role and HQ admins").
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import Q, QuerySet

from presence.core.errors import AccessDenied
from presence.org.access import Grant, grants, is_superuser, record_scope, scope_of
from presence.org.models import Role

ModelT = TypeVar("ModelT", bound=models.Model)


def _confidential_grants(user: Any) -> list[Grant]:
    return [g for g in grants(user) if g.role == Role.SECURITY or (g.role == Role.ADMIN and g.is_global)]


def sees_confidential_anywhere(user: Any) -> bool:
    """Whether the user may read confidential details of at least some offices (to show links)."""
    return is_superuser(user) or bool(_confidential_grants(user))


def restrict_confidential(queryset: QuerySet[ModelT], user: Any) -> QuerySet[ModelT]:
    """The confidential records of `queryset` whose details `user` may read."""
    if is_superuser(user):
        return queryset
    matching = _confidential_grants(user)
    if not matching:
        return queryset.none()
    if any(grant.is_global for grant in matching):
        return queryset
    scope = scope_of(queryset.model)
    region_ids = {g.region_id for g in matching if g.region_id is not None}
    office_ids = {g.office_id for g in matching if g.office_id is not None}
    condition = Q(pk__in=[])
    if region_ids:
        condition |= Q(**{f"{scope.region}__in": region_ids})
    if office_ids:
        condition |= Q(**{f"{scope.office}__in": office_ids})
    return queryset.filter(condition)


def sees_confidential(user: Any, record: models.Model) -> bool:
    if is_superuser(user):
        return True
    matching = _confidential_grants(user)
    if any(grant.is_global for grant in matching):
        return True
    region_id, office_id, office_region_id = record_scope(record)
    return any(
        (g.region_id is not None and g.region_id in (region_id, office_region_id))
        or (g.office_id is not None and g.office_id == office_id)
        for g in matching
    )


def check_confidential(user: Any, record: models.Model) -> None:
    if not sees_confidential(user, record):
        raise AccessDenied(
            "Only the security role and HQ administrators may work with this "
            f"{type(record)._meta.verbose_name}."
        )
