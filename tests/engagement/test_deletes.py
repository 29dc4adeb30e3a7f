"""Deleting an opportunity that became a project is refused (page and API); the common delete tests of
events, engagements and opportunities are the kit's (tests/kit/)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from presence.engagement import services
from presence.engagement.models import Opportunity
from presence.portfolio.models import FundingSource
from tests.kit.places import D, office
from tests.kit.records_engagement import partner


def test_a_converted_opportunity_is_not_deleted_and_the_page_says_why(admin_user, login):
    FundingSource.objects.create(code="partners", name="Funding from partners", kind="partner")
    opportunity = services.opportunity_create(
        actor=admin_user,
        title="Broadband for schools",
        partner=partner(),
        office=office(),
        amount=Decimal("100000"),
        currency="CHF",
        stage="signed",
        probability=50,
        signed_on=D(2024, 4, 1),
    )
    services.opportunity_convert(
        actor=admin_user,
        opportunity=opportunity,
        expected_version=opportunity.version,
        code="9RAF24001",
        planned_start=D(2024, 5, 1),
        planned_end=D(2026, 4, 30),
    )
    opportunity.refresh_from_db()
    client = login(admin_user)
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
