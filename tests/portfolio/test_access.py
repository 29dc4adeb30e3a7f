"""Scopes: an AFR editor edits AFR projects only, through the forms and the API; an HQ admin edits all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from presence.org.models import Office, Region
from presence.portfolio.models import Project

FORM = {
    "code": "9RAS23999",
    "title": "Digital skills in the Pacific",
    "status": "implementation",
    "planned_start": "2023-01-01",
    "planned_end": "2025-12-31",
    "manager_location": "hq",
    "currency": "CHF",
}


@pytest.fixture
def afr_editor(make_user: Callable[..., Any], reference: None) -> Any:
    return make_user("afr-editor", ("editor", "AFR"), ("viewer",))


@pytest.fixture
def asp_project(make_project: Callable[..., Project]) -> Project:
    return make_project(region="ASP", office="bangkok", code="9RAS22001", title="Pacific connectivity")


def _asp_form(**extra: str) -> dict[str, str]:
    return {
        **FORM,
        "lead_office": str(Office.objects.get(code="bangkok").pk),
        "region": str(Region.objects.get(code="ASP").pk),
        **extra,
    }


def test_afr_editor_cannot_create_an_asp_project_through_the_form(
    afr_editor: Any, login: Any, sources: Any
) -> None:
    response = login(afr_editor).post("/portfolio/projects/new/", _asp_form())
    assert response.status_code == 403
    assert not Project.objects.filter(code="9RAS23999").exists()


def test_afr_editor_cannot_change_or_delete_an_asp_project_through_the_forms(
    afr_editor: Any, login: Any, asp_project: Project
) -> None:
    client = login(afr_editor)
    response = client.post(
        f"/portfolio/projects/{asp_project.code}/edit/", _asp_form(code=asp_project.code, title="x")
    )
    assert response.status_code == 403
    response = client.post(f"/portfolio/projects/{asp_project.code}/delete/", {"version": "1"})
    assert response.status_code == 403
    asp_project.refresh_from_db()
    assert asp_project.title == "Pacific connectivity"
    assert asp_project.version == 1


def test_afr_editor_cannot_create_change_or_delete_an_asp_project_through_the_api(
    afr_editor: Any, login: Any, asp_project: Project
) -> None:
    client = login(afr_editor)
    payload = {**FORM, "lead_office": "bangkok", "region": "ASP"}
    assert (
        client.post("/api/portfolio/projects/", payload, content_type="application/json").status_code == 403
    )
    assert not Project.objects.filter(code="9RAS23999").exists()
    url = f"/api/portfolio/projects/{asp_project.code}"
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"title": "x"}, content_type="application/json", headers={"If-Match": etag})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert client.delete(url, headers={"If-Match": etag}).status_code == 403
    asp_project.refresh_from_db()
    assert (asp_project.title, asp_project.version) == ("Pacific connectivity", 1)


def test_afr_editor_cannot_move_an_afr_project_to_asp(
    afr_editor: Any, login: Any, make_project: Callable[..., Project]
) -> None:
    project = make_project(region="AFR", office="dakar")
    client = login(afr_editor)
    url = f"/api/portfolio/projects/{project.code}"
    etag = client.get(url)["ETag"]
    response = client.patch(
        url,
        {"region": "ASP", "lead_office": "bangkok"},
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.region.code == "AFR"


def test_afr_editor_can_create_and_edit_an_afr_project(afr_editor: Any, login: Any, sources: Any) -> None:
    client = login(afr_editor)
    data = {
        **FORM,
        "code": "9RAF23001",
        "lead_office": str(Office.objects.get(code="dakar").pk),
        "region": str(Region.objects.get(code="AFR").pk),
    }
    response = client.post("/portfolio/projects/new/", data)
    assert response.status_code == 302
    project = Project.objects.get(code="9RAF23001")
    response = client.post(
        f"/portfolio/projects/{project.code}/edit/", {**data, "title": "Renamed", "version": "1"}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.version) == ("Renamed", 2)


def test_hq_admin_can_create_change_and_delete_an_asp_project(
    admin_user: Any, login: Any, asp_project: Project
) -> None:
    client = login(admin_user)
    assert client.post("/portfolio/projects/new/", _asp_form()).status_code == 302
    assert Project.objects.filter(code="9RAS23999").exists()
    url = f"/api/portfolio/projects/{asp_project.code}"
    etag = client.get(url)["ETag"]
    response = client.patch(
        url, {"title": "Renamed"}, content_type="application/json", headers={"If-Match": etag}
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Renamed"
    assert client.delete(url, headers={"If-Match": response["ETag"]}).status_code == 204
    assert not Project.objects.filter(code=asp_project.code).exists()


def test_regional_viewer_sees_only_projects_of_their_region(
    make_user: Callable[..., Any], login: Any, make_project: Callable[..., Project]
) -> None:
    make_project(region="AFR", office="dakar", planned_start=dt.date(2023, 1, 1))
    make_project(region="ASP", office="bangkok")
    viewer = make_user("afr-viewer", ("viewer", "AFR"))
    codes = [row["region"] for row in login(viewer).get("/api/portfolio/projects/").json()["items"]]
    assert codes == ["AFR"]
