"""Project indicators roll up into the framework through the outputs a project contributes to."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from presence.core.models import AuditEntry
from presence.org.models import Office, Region
from presence.portfolio.models import Project
from presence.results import services
from presence.results.models import Framework, Indicator, IndicatorValue, Outcome, Output, ProjectOutput
from presence.results.selectors import Node, framework_tree
from tests.results.conftest import Plan


def _project(code: str, region: str = "AFR", office: str = "dakar", **dates: dt.date) -> Project:
    return Project.objects.create(
        code=code,
        title=code,
        status=Project.Status.IMPLEMENTATION,
        planned_start=dates.get("start", dt.date(2023, 1, 1)),
        planned_end=dates.get("end", dt.date(2025, 12, 31)),
        lead_office=Office.objects.get(code=office),
        region=Region.objects.get(code=region),
    )


def _kpi(
    project: Project, code: str, target: str, actual: str, baseline: str = "0", year: int = 2024
) -> Indicator:
    indicator = Indicator.objects.create(
        code=code,
        name=code,
        project=project,
        baseline_year=2023,
        baseline_value=Decimal(baseline),
        region=project.region,
        office=project.lead_office,
    )
    IndicatorValue.objects.create(
        indicator=indicator, year=year, target=Decimal(target), actual=Decimal(actual)
    )
    return indicator


def _walk(nodes: list[Node]) -> dict[str, Node]:
    found: dict[str, Node] = {}
    stack = list(nodes)
    while stack:
        node = stack.pop()
        found.setdefault(node.code, node)
        stack.extend(node.children)
    return found


@pytest.fixture
def linked(plan: Plan) -> dict[str, Any]:
    """Output 1.1.1 has an own KPI at 0.5 and an AFR project at 0.8; output 1.1.2 an ASP project at 0.2."""
    own = Indicator.objects.create(code="OWN", name="own", output=plan.output)
    IndicatorValue.objects.create(indicator=own, year=2024, target=Decimal(10), actual=Decimal(5))
    second = Output.objects.create(outcome=plan.outcome, code="1.1.2", title="Second output")
    afr = _project("9RAF24001")
    asp = _project("9RAS24001", region="ASP", office="bangkok")
    ProjectOutput.objects.create(project=afr, output=plan.output)
    ProjectOutput.objects.create(project=asp, output=second)
    _kpi(afr, "P-AFR", target="50", actual="42", baseline="10")  # (42-10)/(50-10) = 0.8
    _kpi(asp, "P-ASP", target="10", actual="2")  # 0.2
    return {"afr": afr, "asp": asp, "second": second}


def test_project_progress_rolls_up_to_output_outcome_priority_and_goal(
    plan: Plan, linked: dict[str, Any], admin_user: Any
) -> None:
    nodes = _walk(framework_tree(user=admin_user, framework=plan.framework, year=2024))
    assert nodes["1.1.1"].progress == Decimal("0.65")  # mean(0.5 own, 0.8 project)
    assert nodes["1.1.1"].project_count == 1
    assert nodes["1.1.1"].indicator_count == 2
    assert nodes["1.1.2"].progress == Decimal("0.2")
    assert nodes["1.1"].progress == Decimal("0.425")  # mean of its outputs
    assert nodes["1.1"].project_count == 2
    assert nodes["P1"].progress == Decimal("0.425")
    assert nodes["G1"].progress == Decimal("0.425")
    assert nodes["G1"].project_count == 2


def test_region_filter_counts_only_that_regions_projects(
    plan: Plan, linked: dict[str, Any], admin_user: Any
) -> None:
    nodes = _walk(framework_tree(user=admin_user, framework=plan.framework, year=2024, region=plan.asp))
    # The output's own KPI has no region breakdown, so only the ASP project counts.
    assert nodes["1.1.1"].progress is None
    assert nodes["1.1.2"].progress == Decimal("0.2")
    assert nodes["G1"].progress == Decimal("0.2")


def test_only_projects_on_going_in_the_year_count(
    plan: Plan, linked: dict[str, Any], admin_user: Any
) -> None:
    Project.objects.filter(pk=linked["afr"].pk).update(status=Project.Status.PIPELINE)
    nodes = _walk(framework_tree(user=admin_user, framework=plan.framework, year=2024))
    assert nodes["1.1.1"].progress == Decimal("0.5")
    assert nodes["1.1.1"].project_count == 0


def test_a_project_kpi_without_an_output_link_does_not_count(
    plan: Plan, linked: dict[str, Any], admin_user: Any
) -> None:
    ProjectOutput.objects.filter(project=linked["asp"]).delete()
    nodes = _walk(framework_tree(user=admin_user, framework=plan.framework, year=2024))
    assert nodes["1.1.2"].progress is None
    assert nodes["1.1"].progress == Decimal("0.65")


def test_framework_tree_query_count_does_not_grow_with_projects(
    plan: Plan, admin_user: Any, count_queries: Callable[[Callable[[], Any]], int]
) -> None:
    def grow(n: int, start: int) -> None:
        for i in range(start, start + n):
            project = _project(f"9RAF2{i:04d}")
            ProjectOutput.objects.create(project=project, output=plan.output)
            _kpi(project, f"K{i}", target="10", actual=str(i % 10))

    grow(3, 0)
    framework_tree(user=admin_user, framework=plan.framework, year=2024)  # reads the user's roles once
    small = count_queries(lambda: framework_tree(user=admin_user, framework=plan.framework, year=2024))
    grow(40, 100)
    large = count_queries(lambda: framework_tree(user=admin_user, framework=plan.framework, year=2024))
    assert large == small


def test_project_outputs_set_replaces_the_links_and_audits_them(
    plan: Plan, make_user: Callable[..., Any]
) -> None:
    editor = make_user("afr-editor", ("editor", "AFR"))
    project = _project("9RAF24009")
    second = Output.objects.create(outcome=plan.outcome, code="1.1.2", title="Second")
    services.project_outputs_set(actor=editor, project=project, outputs=[plan.output, second])
    services.project_outputs_set(actor=editor, project=project, outputs=[second])
    assert list(ProjectOutput.objects.filter(project=project).values_list("output__code", flat=True)) == [
        "1.1.2"
    ]
    assert AuditEntry.objects.filter(action="create", object_repr__startswith="9RAF24009").count() == 2
    assert AuditEntry.objects.filter(action="delete", object_repr__startswith="9RAF24009").count() == 1


def test_project_outputs_refuse_other_scopes_and_frameworks_outside_the_projects_years(
    plan: Plan, make_user: Callable[..., Any]
) -> None:
    asp_editor = make_user("asp-editor", ("editor", "ASP"))
    editor = make_user("afr-editor", ("editor", "AFR"))
    project = _project("9RAF24010", end=dt.date(2023, 12, 31))
    from django.core.exceptions import ValidationError

    from presence.core.errors import AccessDenied

    with pytest.raises(AccessDenied):
        services.project_outputs_set(actor=asp_editor, project=project, outputs=[plan.output])
    with pytest.raises(ValidationError) as error:
        services.project_outputs_set(actor=editor, project=project, outputs=[plan.output])
    assert "outputs" in error.value.message_dict
    assert not ProjectOutput.objects.filter(project=project).exists()
    older = Framework.objects.create(
        code="SP2020-2023", name="old", start_year=2020, end_year=2023, priority_cycle=2022
    )
    old_outcome = Outcome.objects.create(framework=older, priority=plan.priority, code="1.1", title="o")
    old_output = Output.objects.create(outcome=old_outcome, code="1.1.1", title="o")
    services.project_outputs_set(actor=editor, project=project, outputs=[old_output])
    assert ProjectOutput.objects.filter(project=project, output=old_output).exists()


def test_project_outputs_api_replaces_the_list(
    plan: Plan, make_user: Callable[..., Any], login: Callable[[Any], Any]
) -> None:
    editor = make_user("afr-editor", ("editor", "AFR"), ("viewer",))
    project = _project("9RAF24011")
    client = login(editor)
    url = f"/api/results/projects/{project.code}/outputs"
    response = client.put(url, json.dumps({"outputs": [plan.output.pk]}), content_type="application/json")
    assert response.status_code == 200, response.content
    assert [o["code"] for o in response.json()] == ["1.1.1"]
    assert client.get(url).json()[0]["framework"] == "SP2024-2027"
    bad = client.put(url, json.dumps({"outputs": [999999]}), content_type="application/json")
    assert bad.status_code == 422
    assert "outputs" in bad.json()["errors"]
    asp = _project("9RAS24011", region="ASP", office="bangkok")
    denied = client.put(
        f"/api/results/projects/{asp.code}/outputs",
        json.dumps({"outputs": [plan.output.pk]}),
        content_type="application/json",
    )
    assert denied.status_code == 403
    assert not ProjectOutput.objects.filter(project=asp).exists()
