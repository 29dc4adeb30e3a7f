"""The framework tree's figures, computed in the database, equal the same figures computed record by
record in Python from every indicator, value, activity and project: progress, indicators, activities and
projects of each goal, priority, outcome and output, for each year and region, as different readers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from presence.org.access import Action, restrict
from presence.org.models import Priority, Region
from presence.portfolio.models import Project
from presence.portfolio.selectors import ongoing_in_year
from presence.results.models import (
    Activity,
    Framework,
    Indicator,
    IndicatorValue,
    Outcome,
    Output,
    ProjectOutput,
    StrategicGoal,
)
from presence.results.selectors import figures_for, framework_for_year, framework_tree

Figures = tuple[Decimal | None, int, int, int]  # progress, indicators, activities, projects


def _mean(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) / len(present) if present else None


def _from_the_records(
    user: Any, framework: Framework, year: int, region_id: int | None
) -> dict[Any, Figures]:
    """Each node's figures (by its kind and record), from every visible indicator with its values and every
    activity and project id, one by one."""
    values = IndicatorValue.objects.filter(year=year)
    indicators = restrict(Indicator.objects.all(), user, Action.VIEW).prefetch_related(
        Prefetch("values", queryset=values)
    )
    projects = ongoing_in_year(restrict(Project.objects.all(), user, Action.VIEW), year)
    activities = restrict(Activity.objects.filter(year=year), user, Action.VIEW).exclude(
        status=Activity.Status.CANCELLED
    )
    if region_id is not None:
        projects = projects.filter(region_id=region_id)
        activities = activities.filter(region_id=region_id)
    project_ids = {p.pk for p in projects}
    activity_ids = {a.pk for a in activities}
    outputs = {o.pk: o for o in Output.objects.filter(outcome__framework=framework)}
    projects_of_output: dict[int, set[int]] = defaultdict(set)
    for link in ProjectOutput.objects.all():
        if link.project_id in project_ids and link.output_id in outputs:
            projects_of_output[link.output_id].add(link.project_id)
    activities_of_output: dict[int, set[int]] = defaultdict(set)
    outputs_of_activity: dict[int, list[int]] = defaultdict(list)
    for link in Activity.outputs.through.objects.all():
        if link.activity_id in activity_ids and link.output_id in outputs:
            activities_of_output[link.output_id].add(link.activity_id)
            outputs_of_activity[link.activity_id].append(link.output_id)
    outcomes = {o.pk: o for o in Outcome.objects.filter(framework=framework)}
    own: dict[tuple[str, int], list[Decimal | None]] = defaultdict(list)
    for indicator in indicators:
        found = list(indicator.values.all())
        if indicator.activity_id:
            if indicator.activity_id in activity_ids:
                for output_id in outputs_of_activity[indicator.activity_id]:
                    own[("output", output_id)].append(figures_for(indicator, found, year).progress)
        elif indicator.project_id:
            if indicator.project_id in project_ids:
                for output_id, ids in projects_of_output.items():
                    if indicator.project_id in ids:
                        own[("output", output_id)].append(figures_for(indicator, found, year).progress)
        elif (indicator.outcome_id in outcomes or indicator.output_id in outputs) and (
            region_id is None or indicator.by_region
        ):
            progress = figures_for(indicator, found, year, region_id=region_id).progress
            if indicator.outcome_id:
                own[("outcome", indicator.outcome_id)].append(progress)
            else:
                own[("output", indicator.output_id)].append(progress)
    shown: dict[Any, Figures] = {}
    nodes: dict[tuple[str, int], tuple[Decimal | None, int, int, set[int]]] = {}
    for output in outputs.values():
        key = ("output", output.pk)
        projects_under = projects_of_output[output.pk]
        nodes[key] = (_mean(own[key]), len(own[key]), len(activities_of_output[output.pk]), projects_under)
    for outcome in outcomes.values():
        key = ("outcome", outcome.pk)
        children = [nodes[("output", o.pk)] for o in outputs.values() if o.outcome_id == outcome.pk]
        nodes[key] = (
            _mean([*own[key], *(c[0] for c in children)]),
            len(own[key]) + sum(c[1] for c in children),
            sum(c[2] for c in children),
            set().union(*(c[3] for c in children)),
        )
    for priority in Priority.objects.filter(cycle=framework.priority_cycle):
        children = [nodes[("outcome", o.pk)] for o in outcomes.values() if o.priority_id == priority.pk]
        nodes[("priority", priority.pk)] = (
            _mean(c[0] for c in children),
            sum(c[1] for c in children),
            sum(c[2] for c in children),
            set().union(*(c[3] for c in children)),
        )
    for goal in StrategicGoal.objects.filter(framework=framework):
        children = [nodes[("priority", p.pk)] for p in goal.priorities.all() if ("priority", p.pk) in nodes]
        nodes[("goal", goal.pk)] = (
            _mean(c[0] for c in children),
            sum(c[1] for c in children),
            sum(c[2] for c in children),
            set().union(*(c[3] for c in children)),
        )
    for key, (progress, indicator_count, activity_count, projects_under) in nodes.items():
        shown[key] = (progress, indicator_count, activity_count, len(projects_under))
    return shown


def _in_the_tree(tree: list[Any]) -> dict[Any, Figures]:
    shown: dict[Any, Figures] = {}
    stack = list(tree)
    while stack:
        node = stack.pop()
        if node.record is not None:
            kind = node.kind if node.kind in ("goal", "outcome", "output") else "priority"
            shown[(kind, node.record.pk)] = (
                node.progress,
                node.indicator_count,
                node.activity_count,
                node.project_count,
            )
        stack.extend(node.children)
    return shown


def _close(a: Decimal | None, b: Decimal | None) -> bool:
    """Equal progress, but for the last of Decimal's 28 digits (a mean summed in another order)."""
    return a is None if b is None else a is not None and abs(a - b) < Decimal("1e-20")


@pytest.mark.parametrize("username", ["admin", "afr.editor", "delegate"])
def test_every_nodes_figures_equal_a_count_over_the_records(demo: None, username: str) -> None:
    user = get_user_model().objects.get(username=username)
    compared = 0
    for year in sorted(set(Activity.objects.values_list("year", flat=True))):
        framework = framework_for_year(year)
        assert framework is not None
        for region in [None, *Region.objects.filter(code__in=["AFR", "ASP", "MUL"])]:
            region_id = region.pk if region is not None else None
            shown = _in_the_tree(framework_tree(user=user, framework=framework, year=year, region=region))
            expected = {
                key: figures
                for key, figures in _from_the_records(user, framework, year, region_id).items()
                if key in shown or key[0] == "priority"
            }
            assert shown.keys() <= expected.keys()
            for key, figures in shown.items():
                assert _close(figures[0], expected[key][0]), (year, region, key, figures, expected[key])
                assert figures[1:] == expected[key][1:], (year, region, key, figures, expected[key])
            compared += len(shown)
    assert compared > 0


def test_the_demo_tree_has_figures_of_every_kind(demo: None) -> None:
    """The comparison above is not vacuous: the demo's tree has progress and counts to compare."""
    admin = get_user_model().objects.get(username="admin")
    framework = framework_for_year(2024)
    assert framework is not None
    shown = _in_the_tree(framework_tree(user=admin, framework=framework, year=2024))
    outputs = [figures for (kind, _pk), figures in shown.items() if kind == "output"]
    assert any(progress is not None for progress, *_counts in outputs)
    assert any(indicators > 1 for _progress, indicators, _a, _p in outputs)
    assert any(activities > 1 for _progress, _i, activities, _p in outputs)
    assert any(projects > 0 for _progress, _i, _a, projects in outputs)
