"""Reads of the framework tree: indicator figures and progress rolled up through outputs, outcomes, goals."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from presence.core.derived import count_over
from presence.org.access import Action, restrict
from presence.org.models import Priority, Region
from presence.portfolio.models import Project
from presence.portfolio.selectors import ongoing_in_year
from presence.results.models import (
    Activity,
    Framework,
    Indicator,
    Outcome,
    Output,
    ProjectOutput,
    StrategicGoal,
)
from presence.results.selectors.progress import _mean, progress_of


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


def framework_for_year(year: int) -> Framework | None:
    return Framework.objects.filter(start_year__lte=year, end_year__gte=year).order_by("-start_year").first()


# An indicator's contribution to a node's mean: its progress (None when it has none) and how many
# indicators share these figures.
Share = tuple[Decimal | None, int]


def _mean_of(shares: Iterable[Share]) -> Decimal | None:
    """`_mean` of the progresses, each counted as many times as indicators have it."""
    present = [(progress, n) for progress, n in shares if progress is not None]
    if not present:
        return None
    return sum((progress * n for progress, n in present), Decimal(0)) / sum(n for _progress, n in present)


def _shares(
    rows: Any, keys: Sequence[str], *, from_zero: bool = False
) -> list[tuple[tuple[Any, ...], Share]]:
    """The indicators' progress grouped in the database: each distinct (keys, measure, direction, base,
    target, actual) of the `year_figures` rows `rows` once, with the number of indicators having it, so
    the rows read do not grow with the indicators. `from_zero` measures from zero (a region's share)."""
    found = []
    columns = [*keys, "measure", "direction", "base", "year_target", "year_actual"]
    for row, n in count_over(rows, by=columns):
        measure, direction, base, target, actual = row[len(keys) :]
        indicator = Indicator(measure=measure, direction=direction)
        baseline = Decimal(0) if from_zero or base is None else base
        found.append((row[: len(keys)], (progress_of(indicator, target, actual, baseline), n)))
    return found


def framework_tree(*, user: Any, framework: Framework, year: int, region: Region | None = None) -> list[Node]:
    """Goals -> priorities -> outcomes -> outputs, each with progress rolled up from indicators.

    An output's progress is the mean of its own indicators, the indicators of the year's activities
    delivering it and the indicators of the projects contributing to it that are on-going in the year
    (`portfolio.selectors.ongoing_in_year`); an outcome's is the mean of its own indicators and its
    outputs; a priority's the mean of its outcomes; a goal's the mean of its priorities. Items without
    a computable progress are left out of the mean (equal weights). With a region, framework-level
    indicators use their region breakdown and only that region's activities and projects count.

    Computed in the database: the indicators' year figures (`year_figures`) are counted by node and
    distinct figures (`_shares`), the activities and projects under each node are counted by node; the
    queries and rows read do not grow with the activities, projects, indicators and values.
    """
    # year_figures reads this module's progress rule: imported here, the modules import each other.
    from presence.results.selectors.indicators import year_figures

    region_id = region.pk if region is not None else None
    visible = restrict(Indicator.objects.all(), user, Action.VIEW)
    outputs = Output.objects.filter(outcome__framework=framework)
    projects = ongoing_in_year(restrict(Project.objects.all(), user, Action.VIEW), year)
    if region_id is not None:
        projects = projects.filter(region_id=region_id)
    activities = restrict(Activity.objects.filter(year=year), user, Action.VIEW).exclude(
        status=Activity.Status.CANCELLED
    )
    if region_id is not None:
        activities = activities.filter(region_id=region_id)

    own: dict[tuple[str, int], list[Share]] = defaultdict(list)
    counts: Counter[tuple[str, int]] = Counter()

    def add(key: tuple[str, int], share: Share) -> None:
        own[key].append(share)
        counts[key] += share[1]

    # The framework's own indicators (on an outcome or an output), with a region: its breakdown cell.
    framework_level = visible.filter(
        Q(outcome__framework=framework) | Q(output__outcome__framework=framework)
    )
    if region_id is not None:
        framework_level = framework_level.filter(by_region=True)
    rows = year_figures(framework_level, year, keys=("outcome", "output"), breakdown_region=region_id)
    by_region = region_id is not None
    for (outcome_id, output_id), share in _shares(rows, ("outcome", "output"), from_zero=by_region):
        add(("outcome", outcome_id) if outcome_id else ("output", output_id or 0), share)
    # The indicators of the year's activities and of the on-going projects, once for each framework
    # output their record serves.
    delivered = {
        "activity": visible.filter(activity__in=activities.order_by().values("pk")).annotate(
            node=F("activity__outputs")
        ),
        "project": visible.filter(project__in=projects.order_by().values("pk")).annotate(
            node=F("project__output_links__output")
        ),
    }
    for indicators in delivered.values():
        rows = year_figures(indicators.filter(node__in=outputs.values("pk")), year, keys=("node",))
        for (output_id,), share in _shares(rows, ("node",)):
            add(("output", output_id), share)

    links = Activity.outputs.through.objects.filter(
        activity_id__in=activities.order_by().values("pk"), output__outcome__framework=framework
    )
    activities_of_output = {
        row["output_id"]: row["n"]
        for row in links.order_by().values("output_id").annotate(n=Count("activity_id"))
    }
    contributions = ProjectOutput.objects.filter(
        project__in=projects.order_by().values("pk"), output__outcome__framework=framework
    ).order_by()

    def projects_by(path: str, among: QuerySet[ProjectOutput] = contributions) -> dict[int, int]:
        """Projects contributing under each node (by the path from a link to it), each counted once."""
        counted = among.values(node=F(path)).annotate(n=Count("project_id", distinct=True))
        return {row["node"]: row["n"] for row in counted.values("node", "n") if row["node"] is not None}

    projects_of_output = projects_by("output_id")
    projects_of_outcome = projects_by("output__outcome_id")
    projects_of_priority = projects_by("output__outcome__priority_id")
    projects_of_goal = projects_by(
        "output__outcome__priority__strategic_goals",
        contributions.filter(output__outcome__priority__cycle=framework.priority_cycle),
    )

    outputs_by_outcome: dict[int, list[Node]] = defaultdict(list)
    for output in Output.objects.filter(outcome__framework=framework):
        key = ("output", output.pk)
        outputs_by_outcome[output.outcome_id].append(
            Node(
                output.code,
                output.title,
                _mean_of(own[key]),
                counts[key],
                activities_of_output.get(output.pk, 0),
                record=output,
                kind="output",
                project_count=projects_of_output.get(output.pk, 0),
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
                _mean_of([*own[key], *((c.progress, 1) for c in children)]),
                counts[key] + sum(c.indicator_count for c in children),
                sum(c.activity_count for c in children),
                children,
                outcome,
                "outcome",
                projects_of_outcome.get(outcome.pk, 0),
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
            projects_of_priority.get(priority.pk, 0),
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
                projects_of_goal.get(goal.pk, 0),
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
