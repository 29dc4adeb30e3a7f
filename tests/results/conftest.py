"""Fixtures for the results tests: a small framework, quarters and activities in known places."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from presence.org.models import Office, Priority, Region
from presence.results.models import Activity, Framework, Outcome, Output, ReportingPeriod, StrategicGoal

TODAY = dt.date(2024, 4, 15)  # Q1 2024 is open until its deadline, 30 April


@dataclass
class Plan:
    framework: Framework
    goal: StrategicGoal
    priority: Priority
    outcome: Outcome
    output: Output
    q1: ReportingPeriod
    q4_2023: ReportingPeriod
    afr: Region
    asp: Region
    dakar: Office
    make_activity: Callable[..., Activity]


@pytest.fixture
def plan(reference: None) -> Plan:
    framework = Framework.objects.create(
        code="SP2024-2027",
        name="Strategic Plan 2024-2027",
        start_year=2024,
        end_year=2027,
        priority_cycle=2022,
    )
    priority = Priority.objects.get(cycle=2022, code="P1")
    goal = StrategicGoal.objects.create(framework=framework, code="G1", name="Universal connectivity")
    goal.priorities.add(priority)
    outcome = Outcome.objects.create(framework=framework, priority=priority, code="1.1", title="Networks")
    output = Output.objects.create(outcome=outcome, code="1.1.1", title="Broadband maps")
    periods = {}
    for year, quarter in ((2023, 4), (2024, 1), (2024, 2)):
        start, end, deadline = ReportingPeriod.default_dates(year, quarter)
        periods[(year, quarter)] = ReportingPeriod.objects.create(
            year=year, quarter=quarter, starts_on=start, ends_on=end, submission_deadline=deadline
        )
    afr = Region.objects.get(code="AFR")
    asp = Region.objects.get(code="ASP")
    dakar = Office.objects.get(code="dakar")
    counter = {"n": 0}

    def make_activity(
        region: Region | None = None,
        office: Office | None = None,
        year: int = 2024,
        budget: str = "1000",
        **extra: Any,
    ) -> Activity:
        counter["n"] += 1
        region = afr if region is None else region
        activity = Activity.objects.create(
            year=year,
            code=f"A{counter['n']:03d}",
            title=f"Activity {counter['n']}",
            level="regional",
            region=region,
            responsible_office=office or Office.objects.filter(region=region).first(),
            planned_budget=Decimal(budget),
            **extra,
        )
        if year == 2024:
            activity.outputs.add(output)
        return activity

    return Plan(
        framework,
        goal,
        priority,
        outcome,
        output,
        periods[(2024, 1)],
        periods[(2023, 4)],
        afr,
        asp,
        dakar,
        make_activity,
    )
