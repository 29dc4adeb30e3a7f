"""Reads of the framework tree: indicator figures and progress rolled up through outputs, outcomes, goals."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

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


@dataclass
class Figures:
    """An indicator's target, actual and progress for one year (and region, when broken down)."""

    target: Decimal | None
    actual: Decimal | None
    progress: Decimal | None  # 0..1, None when it cannot be computed
    note: str = ""


def _mean(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    return sum(present, Decimal(0)) / len(present)


def progress_of(
    indicator: Indicator, target: Decimal | None, actual: Decimal | None, baseline: Decimal | None = None
) -> Decimal | None:
    """Share of the way from baseline to target, 0..1: (actual - baseline) / (target - baseline).

    Works for "lower is better" too (both differences are negative). Over-achievement counts as 1
    so it cannot hide shortfalls elsewhere in a roll-up; going backwards counts as 0.
    """
    if not indicator.is_quantitative or target is None or actual is None:
        return None
    if baseline is None:
        baseline = indicator.baseline_value or Decimal(0)
    if target == baseline:
        if indicator.direction == Indicator.Direction.DECREASE:
            return Decimal(1) if actual <= target else Decimal(0)
        return Decimal(1) if actual >= target else Decimal(0)
    ratio = (actual - baseline) / (target - baseline)
    return min(Decimal(1), max(Decimal(0), ratio))


def figures_for(
    indicator: Indicator,
    values: Sequence[IndicatorValue],
    year: int,
    *,
    region_id: int | None = None,
    up_to_quarter: int = 4,
) -> Figures:
    """Year figures from the values (already fetched): the annual row wins, else the quarters combine.

    Quarterly actuals add up when the indicator accumulates, else the latest quarter counts.
    Targets likewise. `region_id` reads the region breakdown rows instead of the totals.
    """
    rows = [
        v
        for v in values
        if v.year == year
        and not v.gender
        and v.breakdown_region_id == region_id
        and v.quarter <= up_to_quarter
    ]
    annual = next((v for v in rows if v.quarter == 0), None)
    quarters = sorted((v for v in rows if v.quarter > 0), key=lambda v: v.quarter)

    def combine(name: str) -> Decimal | None:
        if annual is not None and getattr(annual, name) is not None and up_to_quarter == 4:
            value: Decimal = getattr(annual, name)
            return value
        present: list[Decimal] = [getattr(v, name) for v in quarters if getattr(v, name) is not None]
        if not present:
            return getattr(annual, name) if annual is not None else None
        return sum(present, Decimal(0)) if indicator.accumulates else present[-1]

    target, actual = combine("target"), combine("actual")
    notes = [v.note for v in [*quarters, *([annual] if annual else [])] if v.note]
    # A region's share is measured from zero: the baseline is a total, not a per-region figure.
    baseline = Decimal(0) if region_id is not None else None
    progress = progress_of(indicator, target, actual, baseline)
    return Figures(target, actual, progress, notes[-1] if notes else "")


@dataclass
class Node:
    code: str
    title: str
    progress: Decimal | None = None
    indicator_count: int = 0
    activity_count: int = 0
    children: list[Node] = field(default_factory=list)
    record: Any = None
    kind: str = ""
    project_count: int = 0


def _distinct_projects(nodes: Iterable[Node], projects_of_output: dict[int, set[int]]) -> int:
    """Projects contributing under these nodes, each counted once however many outputs it serves."""
    found: set[int] = set()
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if node.kind == "output":
            found |= projects_of_output[node.record.pk]
        stack.extend(node.children)
    return len(found)


def framework_for_year(year: int) -> Framework | None:
    return Framework.objects.filter(start_year__lte=year, end_year__gte=year).order_by("-start_year").first()


def framework_tree(*, user: Any, framework: Framework, year: int, region: Region | None = None) -> list[Node]:
    """Goals -> priorities -> outcomes -> outputs, each with progress rolled up from indicators.

    An output's progress is the mean of its own indicators, the indicators of the year's activities
    delivering it and the indicators of the projects contributing to it that are on-going in the year
    (`portfolio.selectors.ongoing_in_year`); an outcome's is the mean of its own indicators and its
    outputs; a priority's the mean of its outcomes; a goal's the mean of its priorities. Items without
    a computable progress are left out of the mean (equal weights). With a region, framework-level
    indicators use their region breakdown and only that region's activities and projects count.
    """
    region_id = region.pk if region is not None else None
    values_qs = IndicatorValue.objects.filter(year=year)
    indicators = list(
        restrict(Indicator.objects.all(), user, Action.VIEW)
        .filter(
            Q(outcome__framework=framework)
            | Q(output__outcome__framework=framework)
            | Q(activity__year=year, activity__outputs__outcome__framework=framework)
            | Q(project__output_links__output__outcome__framework=framework)
        )
        .distinct()
        .prefetch_related(Prefetch("values", queryset=values_qs))
    )
    projects = ongoing_in_year(restrict(Project.objects.all(), user, Action.VIEW), year)
    if region_id is not None:
        projects = projects.filter(region_id=region_id)
    project_ids = set(projects.values_list("pk", flat=True))
    outputs_of_project: dict[int, list[int]] = defaultdict(list)
    projects_of_output: dict[int, set[int]] = defaultdict(set)
    for project_id, output_id in ProjectOutput.objects.filter(
        project_id__in=project_ids, output__outcome__framework=framework
    ).values_list("project_id", "output_id"):
        outputs_of_project[project_id].append(output_id)
        projects_of_output[output_id].add(project_id)
    activities = restrict(Activity.objects.filter(year=year), user, Action.VIEW).exclude(
        status=Activity.Status.CANCELLED
    )
    if region_id is not None:
        activities = activities.filter(region_id=region_id)
    activity_ids = set(activities.values_list("pk", flat=True))
    links = Activity.outputs.through.objects.filter(
        activity_id__in=activity_ids, output__outcome__framework=framework
    ).values_list("activity_id", "output_id")
    outputs_of_activity: dict[int, list[int]] = defaultdict(list)
    activities_of_output: dict[int, set[int]] = defaultdict(set)
    for activity_id, output_id in links:
        outputs_of_activity[activity_id].append(output_id)
        activities_of_output[output_id].add(activity_id)

    own: dict[tuple[str, int], list[Decimal | None]] = defaultdict(list)
    counts: Counter[tuple[str, int]] = Counter()
    for indicator in indicators:
        values = list(indicator.values.all())
        if indicator.activity_id:
            if indicator.activity_id not in activity_ids:
                continue
            progress = figures_for(indicator, values, year).progress
            for output_id in outputs_of_activity.get(indicator.activity_id, []):
                own[("output", output_id)].append(progress)
                counts[("output", output_id)] += 1
            continue
        if indicator.project_id:
            if indicator.project_id not in project_ids:
                continue
            progress = figures_for(indicator, values, year).progress
            for output_id in outputs_of_project.get(indicator.project_id, []):
                own[("output", output_id)].append(progress)
                counts[("output", output_id)] += 1
            continue
        if region_id is not None and not indicator.by_region:
            continue
        progress = figures_for(indicator, values, year, region_id=region_id).progress
        key = (
            ("outcome", indicator.outcome_id)
            if indicator.outcome_id
            else ("output", indicator.output_id or 0)
        )
        own[key].append(progress)
        counts[key] += 1

    outputs_by_outcome: dict[int, list[Node]] = defaultdict(list)
    for output in Output.objects.filter(outcome__framework=framework):
        key = ("output", output.pk)
        outputs_by_outcome[output.outcome_id].append(
            Node(
                output.code,
                output.title,
                _mean(own[key]),
                counts[key],
                len(activities_of_output[output.pk]),
                record=output,
                kind="output",
                project_count=len(projects_of_output[output.pk]),
            )
        )
    outcomes_by_priority: dict[int, list[Node]] = defaultdict(list)
    for outcome in Outcome.objects.filter(framework=framework):
        key = ("outcome", outcome.pk)
        children = outputs_by_outcome[outcome.pk]
        outcomes_by_priority[outcome.priority_id].append(
            Node(
                outcome.code,
                outcome.title,
                _mean([*own[key], *(c.progress for c in children)]),
                counts[key] + sum(c.indicator_count for c in children),
                sum(c.activity_count for c in children),
                children,
                outcome,
                "outcome",
                len({p for c in children for p in projects_of_output[c.record.pk]}),
            )
        )
    priority_nodes: dict[int, Node] = {}
    for priority in Priority.objects.filter(cycle=framework.priority_cycle):
        children = outcomes_by_priority[priority.pk]
        priority_nodes[priority.pk] = Node(
            priority.code,
            priority.localized_name,
            _mean(c.progress for c in children),
            sum(c.indicator_count for c in children),
            sum(c.activity_count for c in children),
            children,
            priority,
            priority.kind,
            _distinct_projects(children, projects_of_output),
        )
    goals = []
    for goal in StrategicGoal.objects.filter(framework=framework).prefetch_related("priorities"):
        children = [priority_nodes[p.pk] for p in goal.priorities.all() if p.pk in priority_nodes]
        goals.append(
            Node(
                goal.code,
                goal.name,
                _mean(c.progress for c in children),
                sum(c.indicator_count for c in children),
                sum(c.activity_count for c in children),
                children,
                goal,
                "goal",
                _distinct_projects(children, projects_of_output),
            )
        )
    linked = {p.pk for goal in goals for p in goal.record.priorities.all()}
    unlinked = [node for pk, node in priority_nodes.items() if pk not in linked and node.children]
    if unlinked:
        goals.append(
            Node(
                "-",
                _("Priorities and enablers not linked to a goal"),
                _mean(c.progress for c in unlinked),
                children=unlinked,
                kind="goal",
            )
        )
    return goals
