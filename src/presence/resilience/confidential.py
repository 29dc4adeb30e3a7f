"""Who may read confidential resilience details: the security role (in its scope) and HQ administrators.

The confidential models also declare `access_policy = {"view": {"security", "admin"}}`, so the
generic `restrict` already hides them from every other role; this module is stricter still and
leaves regional administrators out, as the issue asks ("security role and HQ admins"). Which records
a security grant covers is the access rule itself (`org.access`: a region grant covers its region's
records led from that region or headquarters, an office grant its office's records in its region).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied
from presence.org.access import Grant, covered_by, grants, is_superuser, restrict_to_grants
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
    return restrict_to_grants(queryset, _confidential_grants(user))


def sees_confidential(user: Any, record: models.Model) -> bool:
    """Whether `user` may read the record's confidential details."""
    return is_superuser(user) or covered_by(_confidential_grants(user), record)


def check_confidential(user: Any, record: models.Model) -> None:
    if not sees_confidential(user, record):
        raise AccessDenied(
            _("Only the security role and HQ administrators may work with this %(model)s.")
            % {"model": type(record)._meta.verbose_name}
        )
