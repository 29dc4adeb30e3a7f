"""Progress rolled up from known indicator values: output, outcome, priority and goal levels."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from presence.results.models import Indicator, IndicatorValue, Outcome, Output
from presence.results.selectors import Node, figures_for, framework_tree
from tests.results.conftest import Plan


def _indicator(
    code: str,
    *,
    baseline: str = "0",
    direction: str = "increase",
    accumulates: bool = True,
    by_region: bool = False,
    **attached: Any,
) -> Indicator:
    record = next(iter(attached.values()))
    region = getattr(record, "region", None)
    office = getattr(record, "responsible_office", None)
    return Indicator.objects.create(
        code=code,
        name=code,
        baseline_year=2023,
        baseline_value=Decimal(baseline),
        direction=direction,
        accumulates=accumulates,
        by_region=by_region,
        region=region,
        office=office,
        **attached,
    )


def _value(indicator: Indicator, quarter: int = 0, region: Any = None, **values: str) -> None:
    IndicatorValue.objects.create(
        indicator=indicator,
        year=2024,
        quarter=quarter,
        breakdown_region=region,
        **{k: Decimal(v) for k, v in values.items()},
    )


@pytest.fixture
def known(plan: Plan) -> dict[str, Any]:
    outcome_indicator = _indicator("O", baseline="10", outcome=plan.outcome, by_region=True)
    _value(outcome_indicator, target="30", actual="20")  # (20-10)/(30-10) = 0.5
    _value(outcome_indicator, region=plan.afr, target="10", actual="5")  # AFR: 5/10 = 0.5
    output_indicator = _indicator("X", output=plan.output)
    _value(output_indicator, target="100")
    _value(output_indicator, quarter=1, actual="20")
    _value(output_indicator, quarter=2, actual="30")  # accumulates: 50/100 = 0.5
    afr_activity = plan.make_activity(region=plan.afr)
    afr_indicator = _indicator("A", activity=afr_activity)
    _value(afr_indicator, target="10", actual="10")  # 1.0
    asp_activity = plan.make_activity(region=plan.asp)
    asp_indicator = _indicator(
        "B", baseline="50", direction="decrease", accumulates=False, activity=asp_activity
    )
    _value(asp_indicator, target="30")
    _value(asp_indicator, quarter=1, actual="45")
    _value(asp_indicator, quarter=2, actual="40")  # latest counts: (40-50)/(30-50) = 0.5
    Output.objects.create(outcome=plan.outcome, code="1.1.2", title="No indicators")  # left out of the mean
    second = Outcome.objects.create(
        framework=plan.framework, priority=plan.priority, code="1.2", title="Second"
    )
    over = _indicator("O2", outcome=second)
    _value(over, target="10", actual="15")  # over-achieved: counts as 1.0
    return {"output_indicator": output_indicator, "asp_indicator": asp_indicator}


def _find(nodes: list[Node], code: str) -> Node:
    for node in nodes:
        if node.code == code:
            return node
        try:
            return _find(node.children, code)
        except LookupError:
            continue
    raise LookupError(code)


def test_quarterly_actuals_accumulate_or_the_latest_counts(known: dict[str, Any]) -> None:
    x = known["output_indicator"]
    assert figures_for(x, list(x.values.all()), 2024).actual == Decimal("50")
    b = known["asp_indicator"]
    figures = figures_for(b, list(b.values.all()), 2024)
    assert figures.actual == Decimal("40")
    assert figures.progress == Decimal("0.5")


def test_progress_rolls_up_from_outputs_to_goals(plan: Plan, known: dict[str, Any], admin_user: Any) -> None:
    tree = framework_tree(user=admin_user, framework=plan.framework, year=2024)
    output = _find(tree, "1.1.1")
    assert output.progress == (Decimal("0.5") + Decimal(1) + Decimal("0.5")) / 3
    assert output.activity_count == 2
    assert output.indicator_count == 3
    assert _find(tree, "1.1.2").progress is None
    outcome = _find(tree, "1.1")
    assert outcome.progress == (Decimal("0.5") + (Decimal(2) / 3)) / 2  # own indicator and its output: 7/12
    assert _find(tree, "1.2").progress == Decimal(1)
    priority = _find(tree, "P1")
    assert priority.progress == (outcome.progress + 1) / 2  # 19/24
    goal = _find(tree, "G1")
    assert goal.progress == priority.progress


def test_region_filter_counts_that_regions_activities_and_breakdowns(
    plan: Plan, known: dict[str, Any], admin_user: Any
) -> None:
    tree = framework_tree(user=admin_user, framework=plan.framework, year=2024, region=plan.afr)
    assert _find(tree, "1.1.1").progress == Decimal(1)  # only the AFR activity's indicator
    assert _find(tree, "1.1").progress == (Decimal("0.5") + 1) / 2
    assert _find(tree, "1.2").progress is None  # its indicator has no region breakdown
    assert _find(tree, "P1").progress == Decimal("0.75")


def test_framework_page_shows_rolled_up_progress(
    plan: Plan, known: dict[str, Any], admin_user: Any, login: Callable[[Any], Any]
) -> None:
    response = login(admin_user).get("/results/?year=2024")
    assert response.status_code == 200
    content = response.content.decode()
    assert "G1 Universal connectivity" in content
    assert "79%" in content  # 19/24 at priority and goal level
    assert "67%" in content  # the output
