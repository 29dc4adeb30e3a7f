"""Demo people: one login per kind of user, each with the role assignments that user would hold."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from presence.org.models import Office, Region, Role, RoleAssignment

DEMO_PASSWORD = "presence-demo"  # noqa: S105 - printed for demo logins, never used in production

# username, full name, description, [(role, region code, office code)], is HQ admin
DEMO_USERS: list[tuple[str, str, str, list[tuple[str, str, str]], bool]] = [
    ("admin", "Hana Admin", "HQ administrator (everything)", [(Role.ADMIN, "", "")], True),
    (
        "afr.editor",
        "Amina Editor",
        "edits Africa's records, reads everything",
        [(Role.EDITOR, "AFR", ""), (Role.VIEWER, "", "")],
        False,
    ),
    (
        "afr.approver",
        "Kwame Approver",
        "approves Africa's reviews, reads everything",
        [(Role.APPROVER, "AFR", ""), (Role.VIEWER, "", "")],
        False,
    ),
    (
        "asp.editor",
        "Li Editor",
        "edits Asia-Pacific's records, reads everything",
        [(Role.EDITOR, "ASP", ""), (Role.VIEWER, "", "")],
        False,
    ),
    (
        "dakar.editor",
        "Moussa Editor",
        "edits the Dakar area office's records, reads everything",
        [(Role.EDITOR, "", "dakar"), (Role.VIEWER, "", "")],
        False,
    ),
    (
        "delegate",
        "Member-State Delegate",
        "member-state viewer: dashboard and reports, no personal data",
        [(Role.MEMBER_STATE, "", "")],
        False,
    ),
    (
        "hr",
        "Helen HR",
        "human resources: staffing, including names",
        [(Role.HR, "", ""), (Role.VIEWER, "", "")],
        False,
    ),
    (
        "security",
        "Sam Security",
        "security and continuity coordinator: resilience details",
        [(Role.SECURITY, "", ""), (Role.VIEWER, "", "")],
        False,
    ),
]


@transaction.atomic
def load(*, stdout: Any = None) -> None:
    user_model = get_user_model()
    regions = {region.code: region for region in Region.objects.all()}
    offices = {office.code: office for office in Office.objects.all()}
    for username, full_name, _description, assignments, is_admin in DEMO_USERS:
        first, _, last = full_name.partition(" ")
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        for role, region_code, office_code in assignments:
            RoleAssignment.objects.get_or_create(
                user=user,
                role=role,
                region=regions.get(region_code) if region_code else None,
                office=offices.get(office_code) if office_code else None,
            )


def describe() -> list[str]:
    return [f"  {username:<22} {description}" for username, _n, description, _a, _s in DEMO_USERS]
