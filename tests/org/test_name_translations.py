"""Regions, offices, KAP priorities and funding sources are named in the reader's language.

The English `name` stays the canonical one (look-ups, sorting, exchange formats); the other five
languages are held in `name_translations`, edited on the office form and in the admin, written through
the audited services, checked (known language codes, no empty names) and given by the API as `names`.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from presence.core.models import AuditEntry
from presence.org import services
from presence.org.models import Country, Office, Priority, Region
from presence.org.reference import load_reference_data
from presence.portfolio import services as portfolio_services
from presence.portfolio.models import FundingSource
from tests.kit.steps import patch_json, post_json

pytestmark = pytest.mark.django_db


def in_language(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def admin(reference: None, make_user: Any) -> Any:
    return make_user("names-admin", ("admin",))


@pytest.fixture
def admin_client_of(admin: Any, client: Client) -> Client:
    client.force_login(admin)
    return client


def _office_form(office: Office, **changes: Any) -> dict[str, Any]:
    data = {
        "version": office.version,
        "code": office.code,
        "name": office.name,
        "city": office.city,
        "country": office.country_id,
        "kind": office.kind,
        "region": office.region_id or "",
        "covered_countries": [c.pk for c in office.covered_countries.all()],
        "notes": office.notes,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("language", "region_name", "office_name", "city"),
    [
        ("fr", "Afrique", "Bureau de zone pour l'Afrique de l'Ouest", "Dakar"),
        ("ru", "Африка", "Зональное отделение для Западной Африки", "Дакар"),
        ("ar", "أفريقيا", "مكتب المنطقة لغرب أفريقيا", "داكار"),
        ("zh-hans", "非洲", "西非地区办事处", "达喀尔"),
    ],
)
def test_office_list_and_region_pages_show_the_names_in_the_readers_language(
    admin_client_of: Client, language: str, region_name: str, office_name: str, city: str
) -> None:
    client = in_language(admin_client_of, language)
    offices = client.get("/org/offices/").content.decode()
    assert f'<html lang="{language}"' in offices
    assert office_name.replace("'", "&#x27;") in offices
    assert city in offices
    assert "Area Office for West Africa" not in offices
    region = client.get("/org/regions/AFR/").content.decode()
    assert f"<h1>{region_name} (AFR)</h1>" in region
    assert office_name.replace("'", "&#x27;") in region
    dashboard = client.get("/dashboard/regions/AFR/").content.decode()
    assert region_name in dashboard
    assert city in dashboard  # the offices' rows and charts name them by their cities
    detail = client.get("/org/offices/dakar/").content.decode()
    assert f"<h1>{office_name}</h1>".replace("'", "&#x27;") in detail
    assert region_name in detail


def test_an_office_without_translations_shows_its_english_name(admin: Any, admin_client_of: Client) -> None:
    ivory_coast = Country.objects.get(iso2="CI")
    services.office_create(
        actor=admin,
        code="abidjan",
        name="Office in Abidjan",
        city="Abidjan",
        country=ivory_coast,
        kind="area",
        region=Region.objects.get(code="AFR"),
    )
    page = in_language(admin_client_of, "fr").get("/org/offices/").content.decode()
    assert "Office in Abidjan" in page
    assert "Bureau de zone pour l&#x27;Afrique de l&#x27;Ouest" in page  # its neighbour is translated
    with translation.override("es"):
        office = Office.objects.get(code="abidjan")
        assert str(office) == office.localized_name == "Office in Abidjan"
        assert office.localized_city == "Abidjan"
        assert office.names == {"en": "Office in Abidjan"}


def test_the_canonical_name_stays_english_in_every_language(reference: None) -> None:
    with translation.override("ru"):
        dakar = Office.objects.get(code="dakar")
        assert dakar.name == "Area Office for West Africa"
        assert str(dakar) == "Зональное отделение для Западной Африки"
        assert Office.objects.filter(name="Area Office for West Africa").exists()
        assert str(Priority.objects.get(cycle=2022, code="P2")) == "P2 Цифровая трансформация"
        assert str(Region.objects.get(code="AFR")) == "AFR"  # regions are shown by code where str() is used


def test_the_office_form_saves_the_translations_through_the_audited_service(admin_client_of: Client) -> None:
    dakar = Office.objects.get(code="dakar")
    page = admin_client_of.get("/org/offices/dakar/edit/").content.decode()
    assert 'name="name_translations_fr"' in page
    assert 'name="name_translations_ar"' in page
    assert 'dir="rtl"' in page
    assert 'name="city_translations_zh-hans"' in page
    assert "Bureau de zone pour l&#x27;Afrique de l&#x27;Ouest" in page  # the current value is shown
    entries = AuditEntry.objects.filter(object_id=str(dakar.pk), content_type__model="office")
    audit_before = entries.count()
    form = _office_form(
        dakar,
        name_translations_fr="  Bureau de l'UIT à Dakar ",
        name_translations_es="Oficina de la UIT en Dakar",
        name_translations_ar="",
        name_translations_ru="",
        **{"name_translations_zh-hans": ""},
        city_translations_fr="Dakar",
    )
    response = admin_client_of.post("/org/offices/dakar/edit/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    dakar.refresh_from_db()
    assert dakar.name_translations == {"fr": "Bureau de l'UIT à Dakar", "es": "Oficina de la UIT en Dakar"}
    assert dakar.city_translations == {"fr": "Dakar"}
    assert dakar.name == "Area Office for West Africa"
    assert entries.count() == audit_before + 1
    before, after = entries.first().changes["name_translations"]  # type: ignore[union-attr]
    assert before["fr"] == "Bureau de zone pour l'Afrique de l'Ouest"
    assert after == {"es": "Oficina de la UIT en Dakar", "fr": "Bureau de l'UIT à Dakar"}
    shown = in_language(admin_client_of, "es").get("/org/offices/dakar/").content.decode()
    assert "<h1>Oficina de la UIT en Dakar</h1>" in shown


def test_an_unknown_language_code_is_refused_naming_the_field(admin: Any, admin_client_of: Client) -> None:
    dakar = Office.objects.get(code="dakar")
    with pytest.raises(ValidationError) as refused:
        services.office_update(
            actor=admin, office=dakar, expected_version=dakar.version, name_translations={"de": "Büro Dakar"}
        )
    assert "de" in refused.value.message_dict["name_translations"][0]
    response = patch_json(
        admin_client_of,
        "/api/org/offices/dakar",
        {"name_translations": {"xx": "Dakar", "fr": "Dakar"}},
        f'"{dakar.pk}-{dakar.version}"',
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "name_translations" in errors
    assert "xx" in json.dumps(errors)
    dakar.refresh_from_db()
    assert dakar.name_translations["fr"] == "Bureau de zone pour l'Afrique de l'Ouest"


def test_an_empty_name_is_refused(admin: Any) -> None:
    region = Region.objects.get(code="EUR")
    with pytest.raises(ValidationError) as refused:
        services.region_update(
            actor=admin, region=region, expected_version=region.version, name_translations={"fr": "  "}
        )
    assert "name_translations" in refused.value.message_dict
    region.refresh_from_db()
    assert region.name_translations["fr"] == "Europe"


def test_the_api_gives_the_names_in_every_language(admin_client_of: Client) -> None:
    office = admin_client_of.get("/api/org/offices/cairo").json()
    assert office["name"] == "Regional Office for the Arab States"
    assert office["names"]["en"] == "Regional Office for the Arab States"
    assert office["names"]["ar"] == "المكتب الإقليمي للدول العربية"
    assert office["cities"]["fr"] == "Le Caire"
    regions = {r["code"]: r for r in admin_client_of.get("/api/org/regions/").json()["items"]}
    assert regions["ASP"]["names"] == {
        "en": "Asia and the Pacific",
        "fr": "Asie-Pacifique",
        "es": "Asia-Pacífico",
        "ar": "آسيا والمحيط الهادئ",
        "ru": "Азиатско-Тихоокеанский регион",
        "zh-hans": "亚太",
    }
    priorities = admin_client_of.get("/api/org/priorities/").json()["items"]
    affordable = next(p for p in priorities if (p["cycle"], p["code"]) == (2022, "P1"))
    assert affordable["name"] == "Affordable connectivity"
    assert affordable["names"]["es"] == "Conectividad asequible"
    created = post_json(
        admin_client_of,
        "/api/portfolio/funding-sources/",
        {
            "code": "eu",
            "name": "European Union",
            "kind": "partner",
            "name_translations": {"fr": "Union européenne", "zh-hans": "欧洲联盟"},
        },
    )
    assert created.status_code == 201, created.content
    names = created.json()["names"]
    assert names == {"en": "European Union", "fr": "Union européenne", "zh-hans": "欧洲联盟"}
    with translation.override("zh-hans"):
        assert str(FundingSource.objects.get(code="eu")) == "欧洲联盟"


def test_the_admin_edits_a_regions_names_one_box_per_language(
    reference: None, make_user: Any, client: Client
) -> None:
    client.force_login(make_user("names-root", superuser=True))
    region = Region.objects.get(code="CIS")
    url = f"/admin/org/region/{region.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="name_translations_ru"' in page
    assert "Содружество Независимых Государств" in page
    response = client.post(
        url,
        {
            "version": region.version,
            "code": region.code,
            "name": region.name,
            "name_translations_fr": "CEI",
            "name_translations_ru": "СНГ",
            "is_geographic": "on",
            "sort_order": region.sort_order,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    region.refresh_from_db()
    assert region.name_translations == {"fr": "CEI", "ru": "СНГ"}
    assert AuditEntry.objects.filter(content_type__model="region", object_id=str(region.pk)).exists()


def test_reloading_the_reference_data_keeps_the_translations_users_entered(admin: Any) -> None:
    region = Region.objects.get(code="AMS")
    services.region_update(
        actor=admin, region=region, expected_version=region.version, name_translations={"fr": "Les Amériques"}
    )
    bangkok = Office.objects.get(code="bangkok")
    Office.objects.filter(pk=bangkok.pk).update(name_translations={}, city_translations={})
    load_reference_data()
    region.refresh_from_db()
    bangkok.refresh_from_db()
    assert region.name_translations == {"fr": "Les Amériques"}
    assert bangkok.name_translations["fr"] == "Bureau régional pour l'Asie et le Pacifique"
    assert bangkok.city_translations["zh-hans"] == "曼谷"


def test_funding_source_names_follow_the_language_in_the_dashboard_filter(
    admin: Any, admin_client_of: Client
) -> None:
    portfolio_services.funding_source_create(
        actor=admin,
        code="partners",
        name="Funding from partners",
        kind="partner",
        name_translations={"ru": "Финансирование от партнеров"},
    )
    page = in_language(admin_client_of, "ru").get("/dashboard/").content.decode()
    assert "Финансирование от партнеров" in page
    assert "Funding from partners" not in page
