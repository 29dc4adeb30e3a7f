"""Deleting events, stakeholder engagements and opportunities: confirmation page with the version, API
with If-Match, access-checked and audited; a converted opportunity stays."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from presence.engagement import services
from presence.engagement.models import Opportunity
from presence.org.models import Office
from presence.portfolio.models import FundingSource, Partner
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


@pytest.fixture
def partner(reference):
    return Partner.objects.create(name="Example Donor Agency", organisation_type="10")


def make_event(actor):
    return services.event_create(
        actor=actor,
        office=Office.objects.get(code="dakar"),
        kind="workshop",
        title="Spectrum workshop",
        start_date=D(2024, 3, 4),
        end_date=D(2024, 3, 6),
        participants_total=40,
    )


def make_engagement(actor):
    return services.engagement_create(
        actor=actor,
        organization="ARTP",
        organization_type="regulator",
        kind="meeting",
        date=D(2024, 1, 10),
        office=Office.objects.get(code="dakar"),
        topic="Numbering plan",
    )


def make_opportunity(actor, partner, **extra):
    data = {"stage": "proposal", "probability": 50, **extra}
    return services.opportunity_create(
        actor=actor,
        title="Broadband for schools",
        partner=partner,
        office=Office.objects.get(code="dakar"),
        amount=Decimal("100000"),
        currency="CHF",
        **data,
    )


KINDS = {
    "event": ("events", lambda people, partner: make_event(people["admin"])),
    "engagement": ("engagements", lambda people, partner: make_engagement(people["admin"])),
    "opportunity": ("opportunities", lambda people, partner: make_opportunity(people["admin"], partner)),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_an_office_editor_deletes_through_the_detail_page(people, partner, login, kind):
    record = KINDS[kind][1](people, partner)
    deletes_through_page(
        login(people["dakar_editor"]),
        record,
        record.get_absolute_url(),
        reverse(f"engagement:{kind}-delete", args=[record.pk]),
    )


@pytest.mark.parametrize("via", ["session", "token"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_records_are_deleted_through_the_api_with_if_match(people, partner, login, token_client, kind, via):
    record = KINDS[kind][1](people, partner)
    editor = people["dakar_editor"]
    client = login(editor) if via == "session" else token_client(editor)
    deletes_through_api(client, record, f"/api/engagement/{KINDS[kind][0]}/{record.pk}")


@pytest.mark.parametrize("who", ["viewer", "cairo_editor"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_a_viewer_or_another_offices_editor_cannot_delete(people, partner, login, kind, who):
    record = KINDS[kind][1](people, partner)
    url = reverse(f"engagement:{kind}-delete", args=[record.pk])
    page_delete_refused(login(people[who]), record, record.get_absolute_url(), url)
    api_delete_refused(login(people[who]), record, f"/api/engagement/{KINDS[kind][0]}/{record.pk}")


def test_a_converted_opportunity_is_not_deleted_and_the_page_says_why(people, partner, login):
    FundingSource.objects.create(code="partners", name="Funding from partners", kind="partner")
    opportunity = make_opportunity(people["admin"], partner, stage="signed", signed_on=D(2024, 4, 1))
    services.opportunity_convert(
        actor=people["admin"],
        opportunity=opportunity,
        expected_version=opportunity.version,
        code="9RAF24001",
        planned_start=D(2024, 5, 1),
        planned_end=D(2026, 4, 30),
    )
    opportunity.refresh_from_db()
    client = login(people["admin"])
    url = reverse("engagement:opportunity-delete", args=[opportunity.pk])
    assert url not in client.get(opportunity.get_absolute_url()).content.decode()
    response = client.post(url, {"version": opportunity.version})
    assert response.status_code == 409
    assert "became a project" in response.content.decode()
    api = client.delete(
        f"/api/engagement/opportunities/{opportunity.pk}",
        headers={"If-Match": f'"{opportunity.pk}-{opportunity.version}"'},
    )
    assert api.status_code == 409
    assert Opportunity.objects.filter(pk=opportunity.pk).exists()
