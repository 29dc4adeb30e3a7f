"""The resilience overview lists its offices a page at a time; its download and its figures have them all."""

from __future__ import annotations

import csv
import importlib
import io
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from presence.resilience import selectors

# The module (the package exports its view function under the same name).
overview_views = importlib.import_module("presence.resilience.views.overview")


@pytest.fixture
def admin(demo: None, client: Client) -> Client:
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def _listed(content: bytes) -> list[str]:
    table = content.decode().split("<caption>Offices</caption>", 1)[1]
    return re.findall(r'href="/resilience/offices/([^/]+)/"', table)


def test_the_pages_list_every_office_once_with_the_rows_of_all_offices(
    admin: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(overview_views, "OFFICES_PER_PAGE", 4)
    user = get_user_model().objects.get(username="admin")
    every = selectors.region_rows(user=user)
    codes = [row["office"].code for row in every]
    assert len(codes) > 8
    seen: list[str] = []
    for number in range(1, (len(codes) + 3) // 4 + 1):
        response = admin.get(f"/resilience/?page={number}")
        assert response.status_code == 200
        seen += _listed(response.content)
    assert seen == codes
    first = admin.get("/resilience/").content.decode()
    assert f"{len(codes)} offices" in first
    assert "Page 1 of" in first
    # Each page's rows are those the whole list has for its offices.
    for start in range(0, len(codes), 4):
        ids = [row["office"].pk for row in every[start : start + 4]]
        assert selectors.region_rows(user=user, offices=ids) == every[start : start + 4]
    # The download has every office, whatever the page.
    download = admin.get("/resilience/?page=2&format=csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8"))))
    assert [row["office"] for row in rows] == [row["office"].name for row in every]


def test_a_region_and_an_office_narrow_the_pages(admin: Client) -> None:
    user = get_user_model().objects.get(username="admin")
    africa = [row["office"].code for row in selectors.region_rows(user=user, region="AFR")]
    assert _listed(admin.get("/resilience/?region=AFR").content) == africa
    assert _listed(admin.get(f"/resilience/?office={africa[0]}").content) == africa[:1]


def test_the_offices_missing_plans_are_counted_as_listed(demo: None) -> None:
    user: Any = get_user_model().objects.get(username="admin")
    for place in ({}, {"region": "AFR"}, {"region": "EUR"}):
        listed = selectors.missing_plans(user=user, **place)
        assert selectors.offices_missing_plans(user=user, **place) == len(listed), place
