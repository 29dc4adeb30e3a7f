"""Deleting planning documents, installations and crisis-comms counts: confirmation page with the version,
API with If-Match, access-checked and audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from presence.org.models import Office
from presence.resilience import services
from tests.delete_steps import (
    api_delete_refused,
    deletes_through_api,
    deletes_through_page,
    page_delete_refused,
)

D = dt.date


@pytest.fixture
def people(reference, admin_user, make_user):
    return {
        "admin": admin_user,
        "dakar_editor": make_user("dakar-ed", ("editor", "office:dakar")),
        "cairo_editor": make_user("cairo-ed", ("editor", "office:cairo")),
        "viewer": make_user("viewer", ("viewer",)),
    }


def dakar() -> Office:
    return Office.objects.get(code="dakar")


def make_plan(actor):
    return services.plan_create(
        actor=actor,
        office=dakar(),
        kind="bcp",
        edition="2.0",
        approved_on=D(2024, 1, 10),
        next_review_on=D(2025, 1, 10),
    )


def make_installation(actor):
    return services.installation_create(
        actor=actor,
        office=dakar(),
        status="planned",
        planned_start=D(2025, 3, 1),
        planned_end=D(2025, 4, 10),
        estimated_workdays=Decimal("20"),
    )


def make_registration(actor):
    return services.registration_create(
        actor=actor, office=dakar(), counted_on=D(2024, 5, 1), registered=9, staff_in_office=12
    )


KINDS = {
    "plan": ("plans", make_plan),
    "installation": ("installations", make_installation),
    "registration": ("registrations", make_registration),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_an_office_editor_deletes_through_the_detail_page(people, login, kind):
    record = KINDS[kind][1](people["admin"])
    deletes_through_page(
        login(people["dakar_editor"]),
        record,
        record.get_absolute_url(),
        reverse(f"resilience:{kind}-delete", args=[record.pk]),
    )


@pytest.mark.parametrize("kind", list(KINDS))
def test_records_are_deleted_through_the_api_with_if_match(people, login, kind):
    record = KINDS[kind][1](people["admin"])
    client = login(people["dakar_editor"])
    url = f"/api/resilience/{KINDS[kind][0]}/{record.pk}"
    assert client.get(url).headers["ETag"] == f'"{record.pk}-{record.version}"'
    deletes_through_api(client, record, url)


@pytest.mark.parametrize("who", ["viewer", "cairo_editor"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_a_viewer_or_another_offices_editor_cannot_delete(people, login, kind, who):
    record = KINDS[kind][1](people["admin"])
    url = reverse(f"resilience:{kind}-delete", args=[record.pk])
    page_delete_refused(login(people[who]), record, record.get_absolute_url(), url)
    api_delete_refused(login(people[who]), record, f"/api/resilience/{KINDS[kind][0]}/{record.pk}")


def test_the_coverage_page_links_each_count_to_its_page_and_the_timeline_route_still_answers(people, login):
    record = make_registration(people["admin"])
    client = login(people["viewer"])
    assert record.get_absolute_url() in client.get(reverse("resilience:coverage")).content.decode()
    assert client.get(record.get_absolute_url()).status_code == 200
    assert client.get("/api/resilience/installations/timeline").status_code == 200
    listed = client.get("/api/resilience/registrations/").json()
    assert [item["id"] for item in listed["items"]] == [record.pk]
