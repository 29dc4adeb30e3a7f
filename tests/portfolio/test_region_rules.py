"""A project's lead office belongs to its region, and a grant must cover both, before and after a change.

Each test is one of the defects reproduced on the earlier release: an AFR editor placing a project in
ASP (and funding it), the Dakar editor moving a Dakar project to ASP, a project of AFR led by Bangkok,
through the API, the web forms and the services' common write path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from presence.core.errors import AccessDenied
from presence.core.models import AuditEntry
from presence.core.services import tracked_update
from presence.org.models import Office, Region
from presence.portfolio import services
from presence.portfolio.models import Funding, Project
from tests.kit.steps import patch_json, post_json

PAYLOAD = {
    "code": "9RAS23999",
    "title": "Digital skills in the Pacific",
    "status": "implementation",
    "planned_start": "2023-01-01",
    "planned_end": "2025-12-31",
    "manager_location": "hq",
    "currency": "CHF",
}


def _state() -> tuple[list[tuple[Any, ...]], int, int]:
    projects = list(
        Project.objects.order_by("code").values_list("code", "region__code", "lead_office__code", "version")
    )
    # Logging in is audited too; what must not change is the record trail.
    sessions = (AuditEntry.Action.LOGIN, AuditEntry.Action.LOGOUT, AuditEntry.Action.LOGIN_FAILED)
    return projects, Funding.objects.count(), AuditEntry.objects.exclude(action__in=sessions).count()


@pytest.fixture
def afr_editor(make_user: Callable[..., Any], reference: None) -> Any:
    return make_user("afr.editor", ("editor", "AFR"), ("viewer",))


@pytest.fixture
def dakar_editor(make_user: Callable[..., Any], reference: None) -> Any:
    return make_user("dakar.editor", ("editor", "office:dakar"), ("viewer",))


@pytest.fixture
def hq_editor(make_user: Callable[..., Any], reference: None) -> Any:
    return make_user("hq.editor", ("editor",))


def _etag(client: Any, code: str) -> str:
    return str(client.get(f"/api/portfolio/projects/{code}")["ETag"])


def _patch(client: Any, project: Project, changes: dict[str, Any]) -> Any:
    """PATCH the project through the API with the ETag the client reads first."""
    url = f"/api/portfolio/projects/{project.code}"
    return patch_json(client, url, changes, _etag(client, project.code))


# The rule itself ----------------------------------------------------------------------------------------


def test_project_in_afr_led_by_bangkok_is_refused_on_the_lead_office(hq_editor: Any) -> None:
    before = _state()
    with pytest.raises(ValidationError) as refused:
        services.project_create(
            actor=hq_editor,
            code="9RAF24001",
            title="Schools online",
            planned_start=dt.date(2024, 1, 1),
            planned_end=dt.date(2025, 12, 31),
            region=Region.objects.get(code="AFR"),
            lead_office=Office.objects.get(code="bangkok"),
        )
    message = refused.value.message_dict["lead_office"][0]
    assert "Regional Office for Asia and the Pacific is in ASP" in message
    assert "not of AFR" in message
    assert _state() == before


def test_project_in_afr_led_by_bangkok_is_refused_through_the_api_at_the_lead_office(
    hq_editor: Any, login: Any, sources: Any
) -> None:
    response = login(hq_editor).post(
        "/api/portfolio/projects/",
        {**PAYLOAD, "code": "9RAF24001", "region": "AFR", "lead_office": "bangkok"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "lead_office" in response.json()["errors"]
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("region", "office"),
    [("AFR", "dakar"), ("AFR", "addis-ababa"), ("MUL", "bangkok"), ("MUL", "geneva"), ("EUR", "geneva"),
     ("ASP", "geneva")],
)  # fmt: skip
def test_offices_lead_projects_of_their_region_multi_regional_ones_and_headquarters_any(
    hq_editor: Any, region: str, office: str
) -> None:
    project = services.project_create(
        actor=hq_editor,
        code="9TST00001",
        title="Placed",
        planned_start=dt.date(2024, 1, 1),
        planned_end=dt.date(2025, 12, 31),
        region=Region.objects.get(code=region),
        lead_office=Office.objects.get(code=office),
    )
    assert (project.region.code, project.lead_office.code) == (region, office)


def test_moving_a_dakar_project_to_asp_keeping_dakar_is_refused_even_for_a_global_editor(
    hq_editor: Any, make_project: Callable[..., Project]
) -> None:
    project = make_project(region="AFR", office="dakar")
    with pytest.raises(ValidationError) as refused:
        services.project_update(
            actor=hq_editor, project=project, expected_version=1, region=Region.objects.get(code="ASP")
        )
    assert "lead_office" in refused.value.message_dict
    project.refresh_from_db()
    assert (project.region.code, project.version) == ("AFR", 1)


# Through the API -----------------------------------------------------------------------------------------


def test_regional_editor_cannot_create_a_project_in_another_region_through_the_api(
    afr_editor: Any, login: Any, sources: Any
) -> None:
    before = _state()
    response = login(afr_editor).post(
        "/api/portfolio/projects/",
        {**PAYLOAD, "region": "ASP", "lead_office": "dakar"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert _state() == before


def test_regional_editor_cannot_fund_a_project_of_another_region_led_by_an_office_of_theirs(
    afr_editor: Any, login: Any, make_project: Callable[..., Project], sources: Any
) -> None:
    # A record stored before the rule existed: region ASP, led by Dakar.
    legacy = make_project(region="ASP", office="dakar")
    before = _state()
    response = post_json(
        login(afr_editor),
        f"/api/portfolio/projects/{legacy.code}/fundings/",
        {"source": "ict-df", "amount": "5000000", "signed_on": "2024-01-01"},
    )
    assert response.status_code == 403
    assert _state() == before


def test_office_editor_cannot_patch_a_dakar_project_to_region_asp(
    dakar_editor: Any, login: Any, make_project: Callable[..., Project]
) -> None:
    project = make_project(region="AFR", office="dakar")
    client = login(dakar_editor)
    before = _state()
    response = _patch(client, project, {"region": "ASP"})
    assert response.status_code == 403
    assert _state() == before


def test_regional_editor_cannot_move_a_project_to_another_region_with_an_office_there(
    afr_editor: Any, login: Any, make_project: Callable[..., Project]
) -> None:
    project = make_project(region="AFR", office="dakar")
    client = login(afr_editor)
    before = _state()
    response = _patch(client, project, {"region": "ASP", "lead_office": "bangkok"})
    assert response.status_code == 403
    assert _state() == before


def test_regional_editor_cannot_make_a_project_of_theirs_multi_regional(
    afr_editor: Any, login: Any, make_project: Callable[..., Project]
) -> None:
    project = make_project(region="AFR", office="dakar")
    client = login(afr_editor)
    response = _patch(client, project, {"region": "MUL"})
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.region.code == "AFR"


def test_regional_editor_still_moves_a_project_between_offices_of_their_region(
    afr_editor: Any, login: Any, make_project: Callable[..., Project]
) -> None:
    project = make_project(region="AFR", office="dakar")
    client = login(afr_editor)
    response = _patch(client, project, {"lead_office": "harare"})
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.lead_office.code == "harare"


# Through the web forms ----------------------------------------------------------------------------------


def _form(region: str, office: str, **extra: Any) -> dict[str, Any]:
    return {
        **PAYLOAD,
        "region": str(Region.objects.get(code=region).pk),
        "lead_office": str(Office.objects.get(code=office).pk),
        **extra,
    }


def test_regional_editor_cannot_create_a_project_in_another_region_through_the_web_form(
    afr_editor: Any, login: Any, sources: Any
) -> None:
    before = _state()
    response = login(afr_editor).post("/portfolio/projects/new/", _form("ASP", "dakar"))
    assert response.status_code == 403
    assert _state() == before


def test_office_editor_cannot_move_a_dakar_project_to_asp_through_the_web_form(
    dakar_editor: Any, login: Any, make_project: Callable[..., Project]
) -> None:
    project = make_project(region="AFR", office="dakar")
    before = _state()
    response = login(dakar_editor).post(
        f"/portfolio/projects/{project.code}/edit/",
        _form("ASP", "dakar", code=project.code, title=project.title, version=project.version),
    )
    assert response.status_code == 403
    assert _state() == before


def test_project_in_afr_led_by_bangkok_is_refused_at_the_lead_office_field_of_the_web_form(
    hq_editor: Any, login: Any, sources: Any
) -> None:
    response = login(hq_editor).post("/portfolio/projects/new/", _form("AFR", "bangkok", code="9RAF24001"))
    assert response.status_code in (200, 400, 422)
    assert "lead_office" in response.context["form"].errors
    assert not Project.objects.exists()


# The common write path -----------------------------------------------------------------------------------


def test_tracked_update_refuses_a_move_out_of_the_actors_scope_whatever_service_calls_it(
    afr_editor: Any, make_project: Callable[..., Project]
) -> None:
    project = make_project(region="AFR", office="dakar")
    before = _state()
    with pytest.raises(AccessDenied):
        tracked_update(
            instance=project,
            actor=afr_editor,
            data={
                "region": Region.objects.get(code="ASP"),
                "lead_office": Office.objects.get(code="bangkok"),
            },
            expected_version=1,
        )
    assert _state() == before


def test_tracked_update_refuses_moving_a_funding_to_a_project_of_another_region(
    afr_editor: Any, make_project: Callable[..., Project]
) -> None:
    ours = make_project(region="AFR", office="dakar", funding=Decimal(1000))
    theirs = make_project(region="ASP", office="bangkok")
    funding = Funding.objects.get(project=ours)
    before = _state()
    with pytest.raises(AccessDenied):
        tracked_update(instance=funding, actor=afr_editor, data={"project": theirs}, expected_version=1)
    assert _state() == before
    assert Funding.objects.get().project == ours
