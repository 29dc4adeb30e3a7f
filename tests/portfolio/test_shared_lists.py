"""Exchange rates, partners, funding sources and regional initiatives: PATCH/DELETE with If-Match, pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from presence.core.models import AuditEntry
from presence.org.models import Region
from presence.portfolio.models import (
    ExchangeRate,
    Funding,
    FundingSource,
    Partner,
    Project,
    RegionalInitiative,
)
from tests.kit.steps import send


@pytest.fixture
def editor(make_user: Callable[..., Any], reference: None) -> Any:
    return make_user("afr-editor", ("editor", "AFR"))


@pytest.fixture
def partner(reference: None) -> Partner:
    return Partner.objects.create(name="Sida", organisation_type="10")


@pytest.fixture
def used_usd(usd_rate: ExchangeRate, make_project: Callable[..., Project], sources: Any) -> Funding:
    """A USD contribution signed in 2023 that only the 2023 USD rate converts."""
    project = make_project()
    return Funding.objects.create(
        project=project,
        source=sources["partners"],
        amount=Decimal(1000),
        currency="USD",
        signed_on=dt.date(2023, 6, 1),
    )


# Exchange rates -----------------------------------------------------------------------------------


def test_exchange_rate_patch_refuses_a_duplicate_date_with_a_field_error(
    editor: Any, login: Any, usd_rate: ExchangeRate
) -> None:
    other = ExchangeRate.objects.create(currency="USD", valid_from=dt.date(2024, 1, 1), rate_to_chf=1)
    client = login(editor)
    url = f"/api/portfolio/exchange-rates/{other.pk}"
    response = send(client, "patch", url, {"valid_from": "2023-01-01"}, client.get(url)["ETag"])
    assert response.status_code == 422
    assert "valid_from" in response.json()["errors"]
    other.refresh_from_db()
    assert other.valid_from == dt.date(2024, 1, 1)


def test_moving_or_deleting_the_only_rate_behind_recorded_amounts_is_refused(
    editor: Any, login: Any, used_usd: Funding, usd_rate: ExchangeRate
) -> None:
    client = login(editor)
    url = f"/api/portfolio/exchange-rates/{usd_rate.pk}"
    etag = client.get(url)["ETag"]
    moved = send(client, "patch", url, {"valid_from": "2023-07-01"}, etag)
    assert moved.status_code == 422
    assert "1 recorded amounts in USD" in moved.json()["errors"]["valid_from"][0]
    deleted = send(client, "delete", url, etag=etag)
    assert deleted.status_code == 409
    assert ExchangeRate.objects.filter(pk=usd_rate.pk, version=1).exists()
    # With an earlier rate in place, the 2023 rate can go: the amount converts at the earlier one.
    ExchangeRate.objects.create(currency="USD", valid_from=dt.date(2022, 1, 1), rate_to_chf=Decimal("0.95"))
    assert send(client, "delete", url, etag=etag).status_code == 204
    assert not ExchangeRate.objects.filter(pk=usd_rate.pk).exists()


def test_exchange_rate_edit_page_saves_with_history_and_shows_field_errors(
    editor: Any, login: Any, usd_rate: ExchangeRate
) -> None:
    ExchangeRate.objects.create(currency="USD", valid_from=dt.date(2024, 1, 1), rate_to_chf=1)
    client = login(editor)
    url = f"/portfolio/exchange-rates/{usd_rate.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="version"' in page.content.decode()
    bad = client.post(
        url, {"currency": "USD", "valid_from": "2024-01-01", "rate_to_chf": "0.9", "version": 1}
    )
    assert bad.status_code == 422
    assert "already has a rate from this date" in bad.content.decode()
    good = client.post(
        url, {"currency": "USD", "valid_from": "2023-01-01", "rate_to_chf": "0.93", "version": 1}
    )
    assert good.status_code == 302
    usd_rate.refresh_from_db()
    assert usd_rate.rate_to_chf == Decimal("0.93")
    assert AuditEntry.objects.filter(object_id=str(usd_rate.pk), action="update").exists()
    assert "0.930000" in client.get(url).content.decode()  # the History tab shows the change
    listing = client.get("/portfolio/exchange-rates/").content.decode()
    assert url in listing


def test_exchange_rate_delete_page_explains_a_refusal(
    editor: Any, login: Any, used_usd: Funding, usd_rate: ExchangeRate
) -> None:
    response = login(editor).post(f"/portfolio/exchange-rates/{usd_rate.pk}/delete/", {"version": "1"})
    assert response.status_code == 409
    assert "recorded amounts in USD" in response.content.decode()
    assert ExchangeRate.objects.filter(pk=usd_rate.pk).exists()


# Partners -------------------------------------------------------------------------------------------


def test_editor_patches_a_partner_but_only_an_admin_deletes_one(
    editor: Any, admin_user: Any, login: Any, partner: Partner
) -> None:
    url = f"/api/portfolio/partners/{partner.pk}"
    client = login(editor)
    etag = client.get(url)["ETag"]
    ok = send(client, "patch", url, {"iati_identifier": "SE-0", "country": "SE"}, etag)
    assert ok.status_code == 200, ok.content
    assert ok.json()["country"] == "SE"
    assert send(client, "delete", url, etag=ok["ETag"]).status_code == 403
    bad = send(client, "patch", url, {"country": "XX"}, ok["ETag"])
    assert bad.status_code == 422
    assert "country" in bad.json()["errors"]
    admin = login(admin_user)
    assert send(admin, "delete", url, etag=ok["ETag"]).status_code == 204
    assert not Partner.objects.filter(pk=partner.pk).exists()


def test_deleting_a_partner_named_on_contributions_is_refused(
    admin_user: Any, login: Any, partner: Partner, used_usd: Funding
) -> None:
    used_usd.partner = partner
    used_usd.save()
    client = login(admin_user)
    url = f"/api/portfolio/partners/{partner.pk}"
    response = send(client, "delete", url, etag=client.get(url)["ETag"])
    assert response.status_code == 409
    assert "1 contributions" in response.json()["detail"]
    page = client.post(f"/portfolio/partners/{partner.pk}/delete/", {"version": "1"})
    assert page.status_code == 409
    assert Partner.objects.filter(pk=partner.pk).exists()


def test_partner_edit_page_refuses_a_duplicate_name(editor: Any, login: Any, partner: Partner) -> None:
    Partner.objects.create(name="GIZ", organisation_type="10")
    client = login(editor)
    url = f"/portfolio/partners/{partner.pk}/edit/"
    response = client.post(url, {"name": "GIZ", "organisation_type": "10", "version": 1})
    assert response.status_code == 422
    assert response.context["form"].errors["name"]
    partner.refresh_from_db()
    assert partner.name == "Sida"
    saved = client.post(url, {"name": "Sida (Sweden)", "organisation_type": "10", "version": 1})
    assert saved.status_code == 302
    partner.refresh_from_db()
    assert partner.name == "Sida (Sweden)"


# Funding sources and regional initiatives --------------------------------------------------------------


def test_only_admins_change_funding_sources_and_used_ones_cannot_be_deleted(
    editor: Any, admin_user: Any, login: Any, used_usd: Funding, sources: dict[str, FundingSource]
) -> None:
    url = "/api/portfolio/funding-sources/partners"
    client = login(editor)
    etag = client.get(url)["ETag"]
    assert send(client, "patch", url, {"name": "Partners"}, etag).status_code == 403
    admin = login(admin_user)
    ok = send(admin, "patch", url, {"name": "Partners", "sort_order": 9}, etag)
    assert ok.status_code == 200, ok.content
    assert ok.json()["sort_order"] == 9
    assert send(admin, "delete", url, etag=ok["ETag"]).status_code == 409
    unused = "/api/portfolio/funding-sources/ict-df"
    assert send(admin, "delete", unused, etag=admin.get(unused)["ETag"]).status_code == 204
    assert set(FundingSource.objects.values_list("code", flat=True)) == {
        "partners",
        "ri-fund",
        "other-itu-funds",
    }


def test_regional_initiative_patch_and_delete_follow_its_region(
    make_user: Callable[..., Any], editor: Any, login: Any, make_project: Callable[..., Project]
) -> None:
    initiative = RegionalInitiative.objects.create(
        cycle=2022, region=Region.objects.get(code="AFR"), code="AFR1", title="Digital economy"
    )
    url = f"/api/portfolio/regional-initiatives/{initiative.pk}"
    asp = login(make_user("asp-editor", ("editor", "ASP")))
    etag = asp.get(url)["ETag"]
    assert send(asp, "patch", url, {"title": "x"}, etag).status_code == 403
    client = login(editor)
    ok = send(client, "patch", url, {"title": "Digital transformation"}, etag)
    assert ok.status_code == 200, ok.content
    make_project(regional_initiative=initiative)
    moved = send(client, "patch", url, {"region": "ASP"}, ok["ETag"])
    assert moved.status_code == 403  # an AFR editor cannot place it in ASP
    assert send(client, "delete", url, etag=ok["ETag"]).status_code == 409
    initiative.refresh_from_db()
    assert (initiative.region.code, initiative.title, initiative.version) == (
        "AFR",
        "Digital transformation",
        2,
    )


def test_moving_an_initiative_away_from_its_projects_region_is_a_field_error(
    admin_user: Any, login: Any, make_project: Callable[..., Project]
) -> None:
    initiative = RegionalInitiative.objects.create(
        cycle=2022, region=Region.objects.get(code="AFR"), code="AFR1", title="Digital economy"
    )
    make_project(regional_initiative=initiative)
    client = login(admin_user)
    url = f"/api/portfolio/regional-initiatives/{initiative.pk}"
    response = send(client, "patch", url, {"region": "ASP"}, client.get(url)["ETag"])
    assert response.status_code == 422
    assert "region" in response.json()["errors"]
    Project.objects.all().delete()
    assert send(client, "delete", url, etag=client.get(url)["ETag"]).status_code == 204
