"""The dashboard's figures through the API."""

from __future__ import annotations

from typing import Any

from django.test import Client


def test_api_returns_the_same_figures_as_the_page(demo_user: Any, client: Client) -> None:
    client.force_login(demo_user("delegate"))
    response = client.get("/api/dashboard/?year=2024&region=AFR")
    assert response.status_code == 200
    body = response.json()
    figures = {f["key"]: f for s in body["sections"] for f in s["figures"]}
    page = client.get("/dashboard/regions/AFR/?year=2024").content.decode()
    assert (
        f'data-figure="projects" aria-describedby="figure-projects-label">{figures["projects"]["value"]}<'
        in page
    )
    assert body["year"] == 2024


def test_api_rejects_an_unknown_region_on_its_field(demo_user: Any, client: Client) -> None:
    client.force_login(demo_user("admin"))
    response = client.get("/api/dashboard/?region=XYZ")
    assert response.status_code == 422
    assert "region" in response.content.decode()


def test_api_needs_a_login(demo: None, client: Client) -> None:
    assert client.get("/api/dashboard/").status_code in (401, 403)
