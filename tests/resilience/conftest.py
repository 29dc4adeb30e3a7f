"""Builders for resilience tests: a weighted template, an assessment in progress, a finding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from presence.resilience import services
from presence.resilience.models import Assessment, AssessmentTemplate, Finding, RequirementResult

SECRET_FINDING = "Broken lock on the server room door"
SECRET_DETAILS = "Key is kept under the mat next to the generator"
SECRET_OBSERVATION = "Guard sleeps at night shift near gate B"
SECRET_ACTION = "Replace the server room lock with a badge reader"


@pytest.fixture
def security(make_user: Callable[..., Any], reference: None) -> Any:
    return make_user("sec", ("security",))


def weighted_template(security: Any) -> AssessmentTemplate:
    """An SRM template of four requirements weighing 3, 2, 1 and 4."""
    template = services.template_create(actor=security, kind="srm", name="SRM compliance", edition=1)
    for order, (code, weight) in enumerate([("R1", "3"), ("R2", "2"), ("R3", "1"), ("R4", "4")], start=1):
        services.requirement_create(
            actor=security,
            template=template,
            code=code,
            text=f"Requirement {code}",
            category="Perimeter",
            weight=Decimal(weight),
            sort_order=order,
        )
    return template


def assessment_started(
    security: Any, template: AssessmentTemplate, office: Any, start: dt.date = dt.date(2024, 3, 4)
) -> Assessment:
    """An assessment of the office on the template, in progress since `start`."""
    assessment = services.assessment_create(
        actor=security,
        office=office,
        template=template,
        planned_start=start,
        planned_end=start + dt.timedelta(days=3),
    )
    return services.assessment_transition(
        actor=security, assessment=assessment, to="in_progress", expected_version=None, on=start
    )


@pytest.fixture
def template(security: Any) -> AssessmentTemplate:
    return weighted_template(security)


@pytest.fixture
def started(
    security: Any, template: AssessmentTemplate, office: Callable[[str], Any]
) -> Callable[..., Assessment]:
    def build(code: str = "dakar", start: dt.date = dt.date(2024, 3, 4)) -> Assessment:
        return assessment_started(security, template, office(code), start)

    return build


@pytest.fixture
def with_secrets(security: Any, started: Callable[..., Assessment]) -> Assessment:
    """A Dakar assessment with a confidential observation, finding and action."""
    assessment = started()
    requirements = list(assessment.template.requirements.all())
    services.result_record(
        actor=security,
        assessment=assessment,
        requirement=requirements[0],
        result=RequirementResult.Result.NON_COMPLIANT,
        observation=SECRET_OBSERVATION,
    )
    finding = services.finding_create(
        actor=security,
        assessment=assessment,
        requirement=requirements[0],
        title=SECRET_FINDING,
        details=SECRET_DETAILS,
        likelihood=4,
        impact=5,
        treatment=Finding.Treatment.CONTROL,
        due_on=dt.date(2024, 6, 1),
    )
    services.action_create(
        actor=security, finding=finding, description=SECRET_ACTION, due_on=dt.date(2024, 5, 1)
    )
    return assessment
