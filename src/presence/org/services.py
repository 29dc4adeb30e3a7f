"""Writes to offices, regions, countries, role assignments and API tokens."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied
from presence.core.models import AuditEntry
from presence.core.services import (
    Actor,
    audit_record,
    diff,
    only_fields,
    snapshot,
    to_json_value,
    tracked_create,
    tracked_delete,
    tracked_update,
)
from presence.org.access import Action, check, grants, is_superuser
from presence.org.models import Country, Office, PersonalAccessToken, Region, RoleAssignment
from presence.org.writes import checked_create

OFFICE_FIELDS = (
    "code",
    "name",
    "name_translations",
    "city",
    "city_translations",
    "country",
    "kind",
    "region",
    "covered_countries",
    "is_innovation_centre",
    "opened_on",
    "closed_on",
    "notes",
)


@transaction.atomic
def office_create(*, actor: Actor, **data: Any) -> Office:
    return checked_create(
        Office,
        actor=actor,
        data=data,
        fields=OFFICE_FIELDS,
        draft=lambda: Office(**{k: v for k, v in data.items() if k != "covered_countries"}),
    )


@transaction.atomic
def office_update(*, actor: Actor, office: Office, expected_version: int | None, **data: Any) -> Office:
    only_fields(data, OFFICE_FIELDS)
    check(actor, Action.CHANGE, office)
    if "region" in data:
        # Moving an office is a change in both the old and the new region.
        moved = Office(region=data["region"], kind=data.get("kind", office.kind), pk=office.pk)
        check(actor, Action.CHANGE, moved)
    return tracked_update(instance=office, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def office_delete(*, actor: Actor, office: Office, expected_version: int | None) -> None:
    check(actor, Action.DELETE, office)
    try:
        with transaction.atomic():
            tracked_delete(instance=office, actor=actor, expected_version=expected_version)
    except (ProtectedError, RestrictedError):
        raise ValidationError(
            "This office still has records attached (projects, posts, assessments...); "
            "set a closing date instead of deleting it."
        ) from None


@transaction.atomic
def region_update(*, actor: Actor, region: Region, expected_version: int | None, **data: Any) -> Region:
    only_fields(data, ("name", "name_translations", "is_geographic", "sort_order"))
    check(actor, Action.CHANGE, region)
    return tracked_update(instance=region, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def country_update(*, actor: Actor, country: Country, expected_version: int | None, **data: Any) -> Country:
    only_fields(data, ("name", "region", "is_ldc", "is_lldc", "is_sids"))
    check(actor, Action.CHANGE, country)
    return tracked_update(instance=country, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def role_assign(
    *, actor: Actor, user: Any, role: str, region: Region | None = None, office: Office | None = None
) -> RoleAssignment:
    """Grant a role; only administrators may, and only within their own scope."""
    target_scope = office or region
    if target_scope is None:
        _require_global_admin(actor)
    else:
        check(actor, Action.CHANGE, target_scope)
    existing = RoleAssignment.objects.filter(user=user, role=role, region=region, office=office).first()
    if existing:
        return existing
    return tracked_create(
        model=RoleAssignment,
        actor=actor,
        data={"user": user, "role": role, "region": region, "office": office},
    )


def _require_global_admin(actor: Actor) -> None:
    if not (is_superuser(actor) or any(g.role == "admin" and g.is_global for g in grants(actor))):
        raise AccessDenied(_("Only a global administrator can grant a role everywhere."))


# What the audit trail keeps of a token: never the token itself nor its hash.
TOKEN_AUDITED_FIELDS = ("user", "name", "prefix", "access", "expires_at", "revoked_at")


@transaction.atomic
def token_create(
    *, user: Any, name: str, days: int = 90, access: str = PersonalAccessToken.Access.READ
) -> tuple[PersonalAccessToken, str]:
    """Create a token for `user`; returns the record and the token, which is never shown again.

    The audit trail records the token's name, prefix, access and expiry, never the token or its hash.
    """
    if not name.strip():
        raise ValidationError({"name": _("Give the token a name so you can recognise it later.")})
    if not 1 <= days <= 366:
        raise ValidationError({"days": _("A token lasts between 1 and 366 days.")})
    if access not in PersonalAccessToken.Access.values:
        raise ValidationError(
            {
                "access": _("Choose %(choices)s, not %(value)r.")
                % {"choices": " or ".join(PersonalAccessToken.Access.values), "value": access}
            }
        )
    token = "prs_" + secrets.token_urlsafe(32)
    record = PersonalAccessToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=token[:12],
        token_hash=PersonalAccessToken.hash(token),
        access=access,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATE,
        instance=record,
        changes=diff({}, snapshot(record, TOKEN_AUDITED_FIELDS)),
    )
    return record, token


@transaction.atomic
def token_revoke(*, user: Any, token: PersonalAccessToken) -> None:
    if token.user_id != user.pk:
        raise AccessDenied(_("You can revoke only your own tokens."))
    revoked_at = timezone.now()
    # Conditional: two revocations of one token record one audit entry.
    if PersonalAccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=revoked_at):
        token.revoked_at = revoked_at
        audit_record(
            actor=user,
            action=AuditEntry.Action.UPDATE,
            instance=token,
            changes={"revoked_at": [None, to_json_value(revoked_at)]},
            reason="revoked",
        )


def token_authenticate(raw: str) -> PersonalAccessToken | None:
    """The active token (with its user) matching `raw`, or None."""
    token = (
        PersonalAccessToken.objects.select_related("user")
        .filter(
            token_hash=PersonalAccessToken.hash(raw), revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
