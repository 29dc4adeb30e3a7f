"""Which records a security grant opens is the access rule itself (org.access), not a looser one.

A grant covers a record when it covers its region AND its office: the confidential check used to accept
either, so a security officer of Africa read the details of a record of Africa led by Bangkok. Projects
are used as the placed records because their region and office are independent fields (records of
misplaced, pre-rule placements included); the resilience models derive both from one office.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from presence.core.errors import AccessDenied
from presence.org.access import Action, can, restrict
from presence.org.models import Office, Region
from presence.portfolio.models import Project
from presence.resilience.confidential import check_confidential, restrict_confidential, sees_confidential

PLACES = (
    ("AFR", "dakar"),
    ("AFR", "geneva"),
    ("AFR", "bangkok"),  # misplaced: stored before the placement rule
    ("ASP", "bangkok"),
    ("ASP", "dakar"),  # misplaced
    ("MUL", "dakar"),
    ("MUL", "geneva"),
    ("EUR", "geneva"),
)


def _project(region: str, office: str, n: int) -> Project:
    return Project.objects.create(
        code=f"9TEST{n:03d}",
        title=f"{region} led by {office}",
        planned_start=dt.date(2024, 1, 1),
        planned_end=dt.date(2024, 12, 31),
        region=Region.objects.get(code=region),
        lead_office=Office.objects.get(code=office),
    )


@pytest.fixture
def security_officers(make_user: Callable[..., Any], reference: None) -> list[Any]:
    return [
        make_user("security.afr", ("security", "AFR")),
        make_user("security.asp", ("security", "ASP")),
        make_user("security.dakar", ("security", "office:dakar")),
        make_user("security.hq", ("security", "office:geneva")),
        make_user("admin.afr", ("admin", "AFR")),
    ]


def test_afr_security_officer_does_not_see_confidential_details_of_a_record_in_afr_led_by_bangkok(
    security_officers: list[Any],
) -> None:
    officer = security_officers[0]
    record = _project("AFR", "bangkok", 1)

    assert not sees_confidential(officer, record)
    assert not restrict_confidential(Project.objects.all(), officer).exists()
    with pytest.raises(AccessDenied, match="Only the security role and HQ administrators"):
        check_confidential(officer, record)
    assert sees_confidential(officer, _project("AFR", "dakar", 2))


def test_confidential_rule_agrees_with_the_access_rule_for_security_grants_on_every_placement(
    security_officers: list[Any],
) -> None:
    records = [_project(region, office, n) for n, (region, office) in enumerate(PLACES)]
    for user in security_officers:
        security = user.username.startswith("security.")
        expected = {r.code for r in records if security and can(user, Action.VIEW, r)}
        assert {r.code for r in records if sees_confidential(user, r)} == expected, user.username
        assert (
            set(restrict_confidential(Project.objects.all(), user).values_list("code", flat=True)) == expected
        )
        if security:
            assert expected == set(
                restrict(Project.objects.all(), user, Action.VIEW).values_list("code", flat=True)
            )
