"""The dashboard's offices a page at a time: the office table, a region's charts by office, the map.

An organization with a thousand offices gets the same page as one with a dozen: the office table and,
on a region page, the charts by office show one page of offices (every figure still counts them all),
and past a limit the map marks each country with its count of offices instead of each office.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

import pytest
from django import forms
from django.core.cache import cache
from django.test import Client
from django.test.html import parse_html
from openpyxl import load_workbook

from presence.core.forms import QuickSelect
from presence.dashboard.selectors import overview
from presence.org.models import Office

YEAR = "year=2024"


def _rows(content: bytes) -> list[str]:
    """The office codes of the page's office table, in order."""
    table = content.split(b'id="offices-heading"', 1)[1]
    return re.findall(r'href="/dashboard/offices/([^/]+)/', table.decode())


def _open(**filters: Any) -> list[Office]:
    return list(
        Office.objects.filter(closed_on__isnull=True, **filters).order_by(
            "region__sort_order", "kind", "city"
        )
    )


@pytest.fixture
def admin_client(demo_user: Any, client: Client) -> Client:
    client.force_login(demo_user("admin"))
    return client


@pytest.fixture
def three_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(overview, "OFFICES_PER_PAGE", 3)


def test_the_office_table_lists_one_page_of_offices_and_the_pages_cover_every_office(
    admin_client: Client, three_a_page: None
) -> None:
    everyone = [o.code for o in _open()]
    assert len(everyone) > 6
    seen: list[str] = []
    for number in range(1, (len(everyone) + 2) // 3 + 1):
        response = admin_client.get(f"/dashboard/?{YEAR}&page={number}")
        assert response.status_code == 200
        rows = _rows(response.content)
        assert 1 <= len(rows) <= 3
        seen += rows
    assert seen == everyone
    first = admin_client.get(f"/dashboard/?{YEAR}").content.decode()
    assert f"{len(everyone)} open offices" in first
    assert "Page 1 of" in first
    # A page past the last is the last; a page that is not a number is the first.
    assert _rows(admin_client.get(f"/dashboard/?{YEAR}&page=999").content) == _rows(
        admin_client.get(f"/dashboard/?{YEAR}&page={(len(everyone) + 2) // 3}").content
    )
    assert _rows(admin_client.get(f"/dashboard/?{YEAR}&page=x").content) == everyone[:3]


def test_a_region_page_charts_the_offices_of_its_page_and_counts_every_office(
    admin_client: Client, three_a_page: None
) -> None:
    africa = [o.code for o in _open(region__code="AFR")]
    assert len(africa) > 3
    api = admin_client.get(f"/api/dashboard/?{YEAR}&region=AFR&page=2").json()
    assert (api["offices_count"], api["offices_page"], api["offices_per_page"]) == (len(africa), 2, 3)
    offices_tile = next(f for s in api["sections"] if s["key"] == "offices" for f in s["figures"])
    assert offices_tile["value"] == len(africa)
    staff = next(c for s in api["sections"] for c in s["charts"] if c["key"] == "posts")
    assert staff["categories"] == africa[3:6]
    page = admin_client.get(f"/dashboard/regions/AFR/?{YEAR}&page=2")
    assert page.status_code == 200
    assert _rows(page.content) == africa[3:6]
    assert "The charts by office show the offices of this page" in page.content.decode()
    # The figures are those of every office, whatever the page.
    first = admin_client.get(f"/api/dashboard/?{YEAR}&region=AFR").json()

    def values(answer: dict[str, Any]) -> list[tuple[str, Any]]:
        return [(f["key"], f["value"]) for s in answer["sections"] for f in s["figures"]]

    assert values(first) == values(api)
    assert admin_client.get(f"/api/dashboard/?{YEAR}&region=AFR&page=0").status_code == 422


def test_a_document_of_a_region_charts_every_office(admin_client: Client, three_a_page: None) -> None:
    africa = _open(region__code="AFR")
    response = admin_client.get(f"/reports/dashboard.xlsx?{YEAR}&region=AFR")
    assert response.status_code == 200
    text = " ".join(
        str(cell)
        for sheet in load_workbook(BytesIO(response.content), read_only=True).worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )
    for office in africa:
        assert office.localized_city in text, office.code


def test_past_the_marker_limit_the_map_marks_each_country_with_its_offices(
    admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    every = _open()
    by_office = admin_client.get(f"/dashboard/?{YEAR}").content.decode()
    for office in every:
        assert f'href="/dashboard/offices/{office.code}/"' in by_office
    monkeypatch.setattr(overview, "MARKER_LIMIT", 2)
    cache.clear()  # the figures computed with the former limit
    by_country = admin_client.get(f"/dashboard/?{YEAR}").content.decode()
    countries: dict[str, list[str]] = {}
    for office in every:
        countries.setdefault(office.country.iso2, []).append(office.code)
    links = re.findall(r'href="(/org/offices/\?country=([A-Z]{2})[^"]*)"', by_country.replace("&amp;", "&"))
    assert {iso2 for _url, iso2 in links} == set(countries)
    assert "offices in a country" in by_country
    assert "offices in a country" not in by_office
    for url, iso2 in links:
        listed = admin_client.get(f"{url}&format=csv")
        assert listed.status_code == 200
        codes = {line.split(",")[0] for line in listed.content.decode().splitlines()[1:]}
        assert codes == set(countries[iso2]), iso2


def test_the_office_list_refuses_an_unknown_country(admin_client: Client) -> None:
    assert admin_client.get("/org/offices/?country=SN").status_code == 200
    refused = admin_client.get("/org/offices/?country=XX")
    assert refused.status_code == 400
    assert admin_client.get("/api/org/offices/?country=XX").status_code in (400, 422)


def test_quick_select_writes_the_markup_of_djangos_select() -> None:
    choices = [("", "All"), ("AFR", "Africa"), ("ARB", "Arab States & <others>")]

    class Plain(forms.Form):
        region = forms.ChoiceField(choices=choices, required=False)

    class Quick(forms.Form):
        region = forms.ChoiceField(choices=choices, required=False, widget=QuickSelect)

    for data in ({"region": "ARB"}, {}, {"region": "nowhere"}):
        plain, quick = str(Plain(data)["region"]), str(Quick(data)["region"])
        assert parse_html(plain) == parse_html(quick), data
