"""Events and participants, stakeholder follow-ups, the weighted pipeline and conversion into a project."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from presence.core.errors import AccessDenied, InvalidTransition, VersionConflict
from presence.engagement import selectors, services
from presence.engagement import views as engagement_views
from presence.engagement.models import Event, Opportunity, StakeholderEngagement
from presence.org.models import Office, Region
from presence.portfolio.models import ExchangeRate, Funding, FundingSource, Partner, Project
from tests.kit.steps import post_json

D = dt.date


@pytest.fixture
def partner(reference):
    return Partner.objects.create(name="Example Donor Agency", organisation_type="10")


@pytest.fixture
def source(reference):
    return FundingSource.objects.create(code="partners", name="Funding from partners", kind="partner")


@pytest.fixture
def usd(reference):
    return ExchangeRate.objects.create(currency="USD", valid_from=D(2020, 1, 1), rate_to_chf=Decimal("0.9"))


def make_event(actor, *, office="dakar", total=100, **extra) -> Event:
    data = {
        "kind": "workshop",
        "title": "Spectrum workshop",
        "start_date": D(2024, 3, 4),
        "end_date": D(2024, 3, 6),
        "participants_total": total,
    }
    data.update(extra)
    return services.event_create(actor=actor, office=Office.objects.get(code=office), **data)


def make_opportunity(
    actor,
    partner,
    *,
    office="dakar",
    amount="100000",
    currency="CHF",
    stage="proposal",
    probability=50,
    **extra,
) -> Opportunity:
    return services.opportunity_create(
        actor=actor,
        title=extra.pop("title", "Broadband for schools"),
        partner=partner,
        office=Office.objects.get(code=office),
        amount=Decimal(amount),
        currency=currency,
        stage=stage,
        probability=probability,
        **extra,
    )


# --- Events ---------------------------------------------------------------------------------------


def test_an_event_takes_its_region_from_the_office_and_counts_unknowns(admin_user):
    event = make_event(
        admin_user, total=120, participants_government=50, participants_regulator=30, participants_women=40
    )
    assert event.region.code == "AFR"
    assert event.participants_type_unknown == 40
    assert event.participants_gender_unknown == 80


def test_participants_by_type_above_the_total_is_a_field_error_and_nothing_is_saved(admin_user, login):
    with pytest.raises(ValidationError) as caught:
        make_event(admin_user, total=50, participants_government=40, participants_private_sector=20)
    assert "participants_total" in caught.value.message_dict
    assert "60" in caught.value.message_dict["participants_total"][0]

    client = login(admin_user)
    dakar = Office.objects.get(code="dakar")
    response = client.post(
        reverse("engagement:event-create"),
        {
            "kind": "forum",
            "title": "Forum",
            "start_date": "2024-01-01",
            "end_date": "2024-01-02",
            "region": dakar.region_id,
            "office": dakar.pk,
            "participants_total": 10,
            "participants_academia": 11,
            "participants_government": 0,
            "participants_regulator": 0,
            "participants_private_sector": 0,
            "participants_civil_society": 0,
            "participants_international_organization": 0,
            "participants_women": 0,
            "participants_men": 0,
        },
    )
    assert response.status_code == 422
    assert "participants_total" in response.context["form"].errors

    response = post_json(
        client,
        "/api/engagement/events/",
        {
            "kind": "forum",
            "title": "Forum",
            "start_date": "2024-01-01",
            "end_date": "2024-01-02",
            "office": "dakar",
            "participants_total": 5,
            "participants_regulator": 6,
        },
    )
    assert response.status_code == 422
    assert "participants_total" in response.json()["errors"]
    assert not Event.objects.exists()


def test_participation_totals_per_region(admin_user):
    make_event(admin_user, kind="forum", total=300, participants_government=100)
    make_event(
        admin_user, office="bangkok", kind="forum", total=250, participants_women=100, participants_men=120
    )
    make_event(admin_user, office="bangkok", kind="workshop", total=40)
    make_event(
        admin_user, office="cairo", kind="forum", total=999, start_date=D(2022, 1, 1), end_date=D(2022, 1, 2)
    )  # outside the period
    rows = selectors.participation_summary(
        user=admin_user, start=D(2023, 1, 1), end=D(2024, 12, 31), kind="forum"
    )
    by_region = {row.region: row for row in rows}
    assert by_region["AFR"].participants == 300
    assert by_region["AFR"].by_type["government"] == 100
    assert by_region["ASP"].gender_unknown == 30
    assert "ARB" not in by_region
    assert by_region[""].events == 2
    assert by_region[""].participants == 550


def test_an_editor_of_another_office_cannot_add_an_event_there(reference, make_user):
    editor = make_user("harare-ed", ("editor", "office:harare"))
    with pytest.raises(AccessDenied):
        make_event(editor, office="dakar")
    assert make_event(editor, office="harare").office.code == "harare"


# --- Stakeholder engagements ----------------------------------------------------------------------


def test_overdue_follow_ups_are_listed(admin_user, login):
    dakar = Office.objects.get(code="dakar")
    common = {
        "organization_type": "regulator",
        "kind": "meeting",
        "date": D(2024, 1, 10),
        "office": dakar,
        "topic": "Numbering plan",
    }
    late = services.engagement_create(
        actor=admin_user, organization="ARTP", follow_up_on=D(2024, 2, 1), **common
    )
    services.engagement_create(
        actor=admin_user, organization="Done", follow_up_on=D(2024, 2, 1), follow_up_done=True, **common
    )
    services.engagement_create(actor=admin_user, organization="Later", follow_up_on=D(2099, 1, 1), **common)
    services.engagement_create(actor=admin_user, organization="None", **common)
    assert list(selectors.overdue_follow_ups(user=admin_user, today=D(2024, 6, 1))) == [late]

    page = login(admin_user).get(reverse("engagement:engagement-list") + "?overdue=on")
    assert list(page.context["page"]) == [late]
    reminders = selectors.follow_up_reminders(today=D(2024, 6, 1))
    assert [r.subject for r in reminders] == ["ARTP: Numbering plan"]


def test_a_follow_up_before_the_engagement_is_a_field_error(admin_user):
    with pytest.raises(ValidationError) as caught:
        services.engagement_create(
            actor=admin_user,
            organization="X",
            organization_type="donor",
            kind="call",
            date=D(2024, 5, 1),
            office=Office.objects.get(code="dakar"),
            topic="t",
            follow_up_on=D(2024, 4, 1),
        )
    assert "follow_up_on" in caught.value.message_dict
    assert not StakeholderEngagement.objects.exists()


# --- Pipeline -------------------------------------------------------------------------------------


def test_pipeline_value_is_weighted_by_probability_per_region_in_chf(admin_user, partner, usd):
    make_opportunity(admin_user, partner, amount="100000", probability=50)  # AFR: 50 000 weighted
    make_opportunity(
        admin_user,
        partner,
        office="harare",
        amount="200000",
        currency="USD",
        probability=25,
        expected_signature_on=D(2025, 1, 1),
    )  # AFR: 180 000 CHF, 45 000 weighted
    make_opportunity(admin_user, partner, office="bangkok", amount="80000", probability=10)  # ASP: 8 000
    make_opportunity(
        admin_user, partner, office="bangkok", amount="500000", stage="signed", signed_on=D(2024, 1, 1)
    )
    make_opportunity(admin_user, partner, office="cairo", amount="900000", stage="lost")
    rows = {row.region: row for row in selectors.opportunity_pipeline(user=admin_user)}
    assert rows["AFR"].open_count == 2
    assert rows["AFR"].open_chf == Decimal("280000.00")
    assert rows["AFR"].weighted_chf == Decimal("95000.00")
    assert rows["ASP"].weighted_chf == Decimal("8000.00")
    assert rows["ASP"].signed_chf == Decimal("500000.00")
    assert rows["ARB"].weighted_chf == Decimal("0.00")
    assert rows["ARB"].lost_count == 1
    assert rows[""].weighted_chf == Decimal("103000.00")


def test_the_opportunities_page_lists_a_page_under_figures_over_all_of_them(
    admin_user, partner, login, monkeypatch
):
    monkeypatch.setattr(engagement_views, "OPPORTUNITIES_PER_PAGE", 2)
    for index, amount in enumerate(("100000", "20000", "3000", "400")):
        make_opportunity(admin_user, partner, title=f"Opportunity {index}", amount=amount, probability=50)
    client = login(admin_user)
    page = client.get(reverse("engagement:opportunity-list"))
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 2
    assert page.context["page"].paginator.count == Opportunity.objects.count() == 4
    # The figures above the list count every opportunity, not the page's.
    assert page.context["total"].open_count == 4
    assert page.context["total"].open_chf == Decimal("123400.00")
    assert "4 opportunities" in page.content.decode()
    second = client.get(reverse("engagement:opportunity-list"), {"page": 2})
    titles = {o.title for o in [*page.context["page"], *second.context["page"]]}
    assert titles == {f"Opportunity {index}" for index in range(4)}


def test_signed_and_lost_opportunities_take_the_probability_of_their_stage(admin_user, partner):
    signed = make_opportunity(admin_user, partner, stage="signed", probability=40, signed_on=D(2024, 1, 1))
    lost = make_opportunity(admin_user, partner, stage="lost", probability=40)
    assert (signed.probability, lost.probability) == (100, 0)
    with pytest.raises(ValidationError) as caught:
        make_opportunity(admin_user, partner, stage="signed")
    assert "signed_on" in caught.value.message_dict


# --- Conversion into a project --------------------------------------------------------------------


def test_a_signed_opportunity_becomes_a_project_with_its_funding_keeps_the_link_and_stays(
    admin_user, partner, source, login
):
    opportunity = make_opportunity(
        admin_user, partner, stage="signed", signed_on=D(2024, 4, 1), amount="750000", title="Smart villages"
    )
    project = services.opportunity_convert(
        actor=admin_user,
        opportunity=opportunity,
        expected_version=opportunity.version,
        code="9RAF24001",
        planned_start=D(2024, 5, 1),
        planned_end=D(2026, 4, 30),
    )
    opportunity.refresh_from_db()
    assert opportunity.project == project
    assert (project.title, project.region.code, project.lead_office.code) == (
        "Smart villages",
        "AFR",
        "dakar",
    )
    funding = Funding.objects.get(project=project)
    assert (funding.amount, funding.currency, funding.partner, funding.source) == (
        Decimal("750000.00"),
        "CHF",
        partner,
        source,
    )
    assert funding.signed_on == D(2024, 4, 1)
    with pytest.raises(InvalidTransition):
        services.opportunity_convert(
            actor=admin_user,
            opportunity=opportunity,
            expected_version=opportunity.version,
            code="9RAF24002",
            planned_start=D(2024, 5, 1),
            planned_end=D(2026, 4, 30),
        )
    client = login(admin_user)
    detail = client.get(reverse("engagement:opportunity-detail", args=[opportunity.pk]))
    assert b"9RAF24001" in detail.content
    # It stays: no Delete button, and the page and the API refuse to delete it.
    delete_url = reverse("engagement:opportunity-delete", args=[opportunity.pk])
    assert delete_url not in detail.content.decode()
    response = client.post(delete_url, {"version": opportunity.version})
    assert response.status_code == 409
    assert "became a project" in response.content.decode()
    api = client.delete(
        f"/api/engagement/opportunities/{opportunity.pk}",
        headers={"If-Match": f'"{opportunity.pk}-{opportunity.version}"'},
    )
    assert api.status_code == 409
    assert Opportunity.objects.filter(pk=opportunity.pk).exists()


def test_a_failed_conversion_leaves_neither_project_nor_funding(admin_user, partner, source):
    # No exchange rate for EUR: the funding is refused after the project was created, so both roll back.
    opportunity = make_opportunity(
        admin_user, partner, stage="signed", signed_on=D(2024, 4, 1), currency="EUR"
    )
    with pytest.raises(ValidationError) as caught:
        services.opportunity_convert(
            actor=admin_user,
            opportunity=opportunity,
            expected_version=opportunity.version,
            code="9RAF24003",
            planned_start=D(2024, 5, 1),
            planned_end=D(2026, 4, 30),
        )
    assert "currency" in caught.value.message_dict
    assert not Project.objects.exists()
    assert not Funding.objects.exists()
    opportunity.refresh_from_db()
    assert opportunity.project is None

    # A stale version is refused at the last step: again nothing remains.
    good = make_opportunity(admin_user, partner, stage="signed", signed_on=D(2024, 4, 1))
    with pytest.raises(VersionConflict):
        services.opportunity_convert(
            actor=admin_user,
            opportunity=good,
            expected_version=good.version - 1 or 99,
            code="9RAF24004",
            planned_start=D(2024, 5, 1),
            planned_end=D(2026, 4, 30),
        )
    assert not Project.objects.exists()
    assert not Funding.objects.exists()


def test_only_a_signed_opportunity_can_be_converted(admin_user, partner, source):
    opportunity = make_opportunity(admin_user, partner, stage="negotiation")
    with pytest.raises(InvalidTransition):
        services.opportunity_convert(
            actor=admin_user,
            opportunity=opportunity,
            expected_version=opportunity.version,
            code="9RAF24005",
            planned_start=D(2024, 5, 1),
            planned_end=D(2026, 4, 30),
        )
    assert not Project.objects.exists()


def test_conversion_through_the_page_and_the_api(admin_user, partner, source, login):
    client = login(admin_user)
    first = make_opportunity(admin_user, partner, stage="signed", signed_on=D(2024, 4, 1))
    response = client.post(
        reverse("engagement:opportunity-convert", args=[first.pk]),
        {
            "code": "9RAF24010",
            "planned_start": "2024-05-01",
            "planned_end": "2025-12-31",
            "status": "implementation",
            "version": first.version,
        },
    )
    assert response.status_code == 302
    assert Opportunity.objects.get(pk=first.pk).project.code == "9RAF24010"
    # The same code again: a field error on the form, nothing saved.
    second = make_opportunity(admin_user, partner, stage="signed", signed_on=D(2024, 4, 1))
    response = client.post(
        reverse("engagement:opportunity-convert", args=[second.pk]),
        {
            "code": "9RAF24010",
            "planned_start": "2024-05-01",
            "planned_end": "2025-12-31",
            "status": "implementation",
            "version": second.version,
        },
    )
    assert response.status_code == 422
    assert "code" in response.context["form"].errors
    etag = client.get(f"/api/engagement/opportunities/{second.pk}").headers["ETag"]
    response = client.post(
        f"/api/engagement/opportunities/{second.pk}/convert",
        data=json.dumps(
            {
                "code": "9RAF24011",
                "planned_start": "2024-05-01",
                "planned_end": "2025-12-31",
            }
        ),
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert response.status_code == 201, response.content
    assert response.json()["project"] == "9RAF24011"
    assert Project.objects.count() == 2


# --- Pages, exports, access -----------------------------------------------------------------------


def test_lists_and_exports_render(admin_user, partner, make_user, login):
    make_event(admin_user)
    make_opportunity(admin_user, partner)
    services.engagement_create(
        actor=admin_user,
        organization="ARTP",
        organization_type="regulator",
        kind="meeting",
        date=D(2024, 1, 10),
        office=Office.objects.get(code="dakar"),
        topic="QoS",
    )
    client = login(make_user("delegate", ("member_state",)))
    for name in ("engagement:event-list", "engagement:engagement-list", "engagement:opportunity-list"):
        for suffix in ("", "?format=csv", "?format=xlsx", "?region=AFR&format=csv"):
            assert client.get(reverse(name) + suffix).status_code == 200, (name, suffix)
    csv = client.get(reverse("engagement:event-list") + "?format=csv").content.decode()
    assert "Spectrum workshop,Workshop,2024-03-04" in csv
    event = Event.objects.get()
    assert b"History" in client.get(reverse("engagement:event-detail", args=[event.pk])).content
    assert client.get(reverse("engagement:event-edit", args=[event.pk])).status_code == 403


def test_api_lists_respect_the_office_scope(admin_user, make_user, login):
    make_event(admin_user, office="dakar")
    make_event(admin_user, office="bangkok")
    client = login(make_user("dk", ("editor", "office:dakar")))
    items = client.get("/api/engagement/events/").json()["items"]
    assert [item["office"] for item in items] == ["dakar"]


# --- Query counts ---------------------------------------------------------------------------------


def _populate(actor, partner, n: int) -> None:
    offices = ["dakar", "bangkok", "cairo", "moscow", "brasilia", "harare"]
    for i in range(n):
        make_event(actor, office=offices[i % len(offices)], title=f"Event {i}", kap_priority=None)
        make_opportunity(actor, partner, office=offices[i % len(offices)], title=f"Opportunity {i}")
        services.engagement_create(
            actor=actor,
            organization=f"Org {i}",
            organization_type="government",
            kind="meeting",
            date=D(2024, 1, 1),
            office=Office.objects.get(code="dakar"),
            topic="t",
            follow_up_on=D(2024, 2, 1),
        )


def test_event_list_pipeline_and_engagement_list_query_counts_do_not_grow(
    admin_user, partner, make_user, login, count_queries
):
    client = login(make_user("v", ("viewer",)))
    pages = [
        reverse("engagement:event-list"),
        reverse("engagement:opportunity-list"),
        reverse("engagement:engagement-list"),
    ]
    _populate(admin_user, partner, 2)
    small = [count_queries(lambda url=url: client.get(url)) for url in pages]
    _populate(admin_user, partner, 15)
    large = [count_queries(lambda url=url: client.get(url)) for url in pages]
    assert small == large
    assert Region.objects.exists()
