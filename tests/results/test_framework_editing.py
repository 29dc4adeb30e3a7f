"""Editing the framework, the reporting calendar and indicators through pages and the API."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from presence.results.models import (
    Framework,
    Indicator,
    IndicatorValue,
    Outcome,
    Output,
    ReportingPeriod,
    StrategicGoal,
)
from tests.kit.steps import send
from tests.results.conftest import Plan


@pytest.fixture
def people(make_user: Callable[..., Any], plan: Plan) -> dict[str, Any]:
    return {
        "editor": make_user("afr-editor", ("editor", "AFR")),
        "global_editor": make_user("hq-editor", ("editor",)),
        "asp_editor": make_user("asp-editor", ("editor", "ASP")),
    }


# API: framework elements --------------------------------------------------------------------------


def test_framework_element_bad_input_gets_field_errors(
    plan: Plan, admin_user: Any, login: Callable[[Any], Any]
) -> None:
    client = login(admin_user)
    duplicate = send(
        client,
        "post",
        "/api/results/outputs/",
        {"outcome": plan.outcome.pk, "code": "1.1.1", "title": "again"},
    )
    assert duplicate.status_code == 422
    assert "code" in duplicate.json()["errors"]
    years = send(
        client,
        "post",
        "/api/results/frameworks/",
        {"code": "SP2028", "name": "x", "start_year": 2031, "end_year": 2028, "priority_cycle": 2025},
    )
    assert years.status_code == 422
    assert "end_year" in years.json()["errors"]
    unknown = send(
        client,
        "post",
        "/api/results/goals/",
        {"framework": plan.framework.pk, "code": "G9", "name": "x", "priorities": ["P9"]},
    )
    assert unknown.status_code == 422
    assert "priorities" in unknown.json()["errors"]
    url = f"/api/results/frameworks/{plan.framework.pk}"
    plan.make_activity()  # a 2024 activity delivers output 1.1.1
    shrink = send(client, "patch", url, {"start_year": 2025}, client.get(url)["ETag"])
    assert shrink.status_code == 422
    assert "start_year" in shrink.json()["errors"]
    assert Framework.objects.get(pk=plan.framework.pk).start_year == 2024


def test_elements_still_in_use_cannot_be_deleted(
    plan: Plan, admin_user: Any, login: Callable[[Any], Any]
) -> None:
    client = login(admin_user)
    plan.make_activity()
    for url in (
        f"/api/results/outputs/{plan.output.pk}",
        f"/api/results/outcomes/{plan.outcome.pk}",
        f"/api/results/frameworks/{plan.framework.pk}",
    ):
        response = send(client, "delete", url, etag=client.get(url)["ETag"])
        assert response.status_code == 409, url
    url = f"/api/results/outputs/{plan.output.pk}"
    assert "1 activities" in send(client, "delete", url, etag=client.get(url)["ETag"]).json()["detail"]
    assert Output.objects.filter(pk=plan.output.pk).exists()


def test_quarters_api_edits_deadlines_with_field_errors(
    plan: Plan, admin_user: Any, login: Callable[[Any], Any]
) -> None:
    client = login(admin_user)
    url = f"/api/results/quarters/{plan.q1.pk}"
    etag = client.get(url)["ETag"]
    bad = send(client, "patch", url, {"submission_deadline": "2024-03-01"}, etag)
    assert bad.status_code == 422
    assert "submission_deadline" in bad.json()["errors"]
    ok = send(client, "patch", url, {"submission_deadline": "2024-05-15"}, etag)
    assert ok.status_code == 200, ok.content
    assert ok.json()["submission_deadline"] == "2024-05-15"
    again = send(
        client,
        "post",
        "/api/results/quarters/",
        {
            "year": 2024,
            "quarter": 1,
            "starts_on": "2024-01-01",
            "ends_on": "2024-03-31",
            "submission_deadline": "2024-04-30",
        },
    )
    assert again.status_code == 422
    assert "quarter" in again.json()["errors"]


# API: indicators ------------------------------------------------------------------------------------


def test_activity_indicators_are_written_by_editors_of_the_activitys_scope(
    plan: Plan, people: dict[str, Any], login: Callable[[Any], Any]
) -> None:
    activity = plan.make_activity()
    body = {"code": "K1", "name": "People trained", "activity": activity.pk, "baseline_value": "5"}
    asp = send(login(people["asp_editor"]), "post", "/api/results/indicators/", body)
    assert asp.status_code == 422  # the ASP editor cannot even see the AFR activity
    client = login(people["editor"])
    bad = send(client, "post", "/api/results/indicators/", body)
    assert bad.status_code == 422
    assert "baseline_year" in bad.json()["errors"]
    ok = send(client, "post", "/api/results/indicators/", {**body, "baseline_year": 2023})
    assert ok.status_code == 201, ok.content
    url = f"/api/results/indicators/{ok.json()['id']}"
    patched = send(client, "patch", url, {"name": "People trained (all)"}, ok["ETag"])
    assert patched.status_code == 200, patched.content
    denied = send(login(people["asp_editor"]), "delete", url, etag=patched["ETag"])
    assert denied.status_code == 404
    client = login(people["editor"])  # one test client: log the AFR editor back in
    assert send(client, "delete", url, etag=patched["ETag"]).status_code == 204
    assert not Indicator.objects.filter(code="K1").exists()


def test_framework_kpis_are_defined_by_administrators_only(
    plan: Plan, people: dict[str, Any], admin_user: Any, login: Callable[[Any], Any]
) -> None:
    body = {"code": "KPI-1", "name": "Countries with maps", "output": plan.output.pk}
    refused = send(login(people["global_editor"]), "post", "/api/results/indicators/", body)
    assert refused.status_code == 403
    assert not Indicator.objects.filter(code="KPI-1").exists()
    created = send(login(admin_user), "post", "/api/results/indicators/", body)
    assert created.status_code == 201, created.content


# Pages ----------------------------------------------------------------------------------------------


def test_an_outcome_edit_page_refuses_a_duplicate_code_and_returns_to_the_framework(
    plan: Plan, admin_user: Any, login: Callable[[Any], Any]
) -> None:
    client = login(admin_user)
    url = f"/results/edit/outcomes/{plan.outcome.pk}/"
    form = {
        "framework": plan.framework.pk,
        "priority": plan.priority.pk,
        "code": "1.1",
        "title": "Networks everywhere",
        "sort_order": 1,
        "version": 1,
    }
    Outcome.objects.create(framework=plan.framework, priority=plan.priority, code="1.2", title="Other")
    bad = client.post(url, {**form, "code": "1.2"})
    assert bad.status_code == 422
    assert bad.context["form"].errors["code"]
    saved = client.post(url, form)
    assert saved.status_code == 302
    assert saved["Location"] == f"/results/frameworks/{plan.framework.pk}/"
    page = client.get(url).content.decode()
    assert "Networks everywhere" in page
    assert "history" in page.lower()
    manage = client.get(saved["Location"]).content.decode()
    assert f"/results/edit/outputs/{plan.output.pk}/" in manage


def test_editor_cannot_open_framework_editing_pages(
    plan: Plan, people: dict[str, Any], login: Callable[[Any], Any]
) -> None:
    client = login(people["global_editor"])
    assert client.get("/results/edit/goals/new/").status_code == 403
    assert client.get(f"/results/edit/outputs/{plan.output.pk}/").status_code == 403
    assert client.post(f"/results/edit/outputs/{plan.output.pk}/delete/", {"version": "1"}).status_code == 403
    assert Output.objects.filter(pk=plan.output.pk).exists()
    manage = client.get(f"/results/frameworks/{plan.framework.pk}/")
    assert manage.status_code == 200
    assert "/results/edit/" not in manage.content.decode()


def test_admin_creates_a_goal_and_a_years_quarters_on_pages(
    plan: Plan, admin_user: Any, login: Callable[[Any], Any]
) -> None:
    client = login(admin_user)
    response = client.post(
        "/results/edit/goals/new/",
        {
            "framework": plan.framework.pk,
            "code": "G2",
            "name": "Digital transformation",
            "priorities": [plan.priority.pk],
            "sort_order": 2,
        },
    )
    assert response.status_code == 302
    assert list(StrategicGoal.objects.get(code="G2").priorities.all()) == [plan.priority]
    quarters = client.post("/results/periods/", {"year": 2025, "days_after": 45})
    assert quarters.status_code == 302
    q4 = ReportingPeriod.objects.get(year=2025, quarter=4)
    assert q4.submission_deadline.isoformat() == "2026-02-14"
    assert "2025 Q4" in client.get("/results/periods/").content.decode()
    bad = client.post("/results/periods/", {"year": 1990, "days_after": 30})
    assert bad.status_code == 422


def test_delete_page_refuses_an_outcome_with_outputs(
    plan: Plan, admin_user: Any, login: Callable[[Any], Any]
) -> None:
    response = login(admin_user).post(f"/results/edit/outcomes/{plan.outcome.pk}/delete/", {"version": "1"})
    assert response.status_code == 409
    assert "1 outputs" in response.content.decode()
    assert Outcome.objects.filter(pk=plan.outcome.pk).exists()


def test_editor_adds_an_activity_indicator_with_a_checked_baseline_and_values_on_pages(
    plan: Plan, people: dict[str, Any], login: Callable[[Any], Any]
) -> None:
    activity = plan.make_activity()
    client = login(people["editor"])
    new_url = f"/results/indicators/new/?activity={activity.pk}"
    assert client.get(new_url).status_code == 200
    form = {
        "code": "K1",
        "name": "People trained",
        "measure": "percentage",
        "direction": "increase",
        "accumulates": "on",
    }
    bad = client.post(new_url, {**form, "baseline_year": 2023, "baseline_value": "120"})
    assert bad.status_code == 422
    assert bad.context["form"].errors["baseline_value"]
    created = client.post(new_url, {**form, "baseline_year": 2023, "baseline_value": "40"})
    assert created.status_code == 302
    indicator = Indicator.objects.get(code="K1")
    assert (indicator.activity, indicator.region) == (activity, plan.afr)
    value = client.post(
        f"/results/indicators/{indicator.pk}/values/",
        {"year": 2024, "quarter": 0, "target": "80", "actual": ""},
    )
    assert value.status_code == 302
    assert IndicatorValue.objects.get(indicator=indicator, year=2024).target == Decimal(80)
    client.post(f"/results/indicators/{indicator.pk}/values/", {"year": 2024, "quarter": 0, "target": "180"})
    assert IndicatorValue.objects.get(indicator=indicator, year=2024).target == Decimal(80)


def test_editor_of_another_region_cannot_add_an_indicator_to_an_activity(
    plan: Plan, people: dict[str, Any], make_user: Callable[..., Any], login: Callable[[Any], Any]
) -> None:
    activity = plan.make_activity()
    reader = make_user("asp-reader", ("editor", "ASP"), ("viewer",))
    client = login(reader)
    assert client.get(f"/results/indicators/new/?activity={activity.pk}").status_code == 403
    response = client.post(
        f"/results/indicators/new/?activity={activity.pk}",
        {"code": "K1", "name": "x", "measure": "number", "direction": "increase"},
    )
    assert response.status_code == 403
    assert not Indicator.objects.exists()


def test_project_results_page_links_outputs_and_lists_indicators(
    plan: Plan, people: dict[str, Any], login: Callable[[Any], Any]
) -> None:
    import datetime as dt

    from presence.org.models import Office
    from presence.portfolio.models import Project

    project = Project.objects.create(
        code="9RAF24100",
        title="Maps",
        status="implementation",
        planned_start=dt.date(2024, 1, 1),
        planned_end=dt.date(2025, 12, 31),
        lead_office=Office.objects.get(code="dakar"),
        region=plan.afr,
    )
    client = login(people["editor"])
    url = f"/results/projects/{project.code}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"outputs": [plan.output.pk]}).status_code == 302
    assert list(project.output_links.values_list("output__code", flat=True)) == ["1.1.1"]
    new = client.post(
        f"/results/indicators/new/?project={project.code}",
        {
            "code": "P1",
            "name": "Maps published",
            "measure": "number",
            "direction": "increase",
            "accumulates": "on",
        },
    )
    assert new.status_code == 302
    assert "Maps published" in client.get(url).content.decode()
    assert url in client.get(f"/portfolio/projects/{project.code}/").content.decode()


def test_a_kpi_value_outside_its_activitys_plan_year_is_refused_on_its_year(
    plan: Plan, people: dict[str, Any], login: Callable[[Any], Any], token_client: Any
) -> None:
    activity = plan.make_activity(year=2024)
    indicator = Indicator.objects.create(code="K9", name="Trained", activity=activity, region=plan.afr)
    client = login(people["editor"])
    page = client.post(
        f"/results/indicators/{indicator.pk}/values/",
        {"year": 2025, "quarter": 0, "target": "5"},
        follow=True,
    )
    assert "2024 operational plan" in page.content.decode()
    api = token_client(people["editor"]).put(
        f"/api/results/indicators/{indicator.pk}/values",
        {"year": 2023, "quarter": 0, "target": "5"},
        content_type="application/json",
    )
    assert api.status_code == 422, api.content
    assert "year" in api.content.decode()
    assert not IndicatorValue.objects.filter(indicator=indicator).exists()
    kept = client.post(
        f"/results/indicators/{indicator.pk}/values/", {"year": 2024, "quarter": 0, "target": "5"}
    )
    assert kept.status_code == 302
    assert IndicatorValue.objects.filter(indicator=indicator, year=2024).count() == 1
