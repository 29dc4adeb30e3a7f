"""The summaries read without a record per office equal the figures computed from each office's rows."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from presence.resilience import selectors
from presence.resilience.models import Finding, RemediationAction
from presence.resilience.rules import RiskLevel, compliance, risk_level
from presence.resilience.selectors import coverage
from presence.resilience.selectors.findings import _level_of_product


@pytest.mark.parametrize("place", [{}, {"region": "AFR"}, {"region": "ASP"}, {"office": "dakar"}])
def test_the_average_and_the_offices_assessed_are_those_of_each_latest_assessment(
    demo: Any, place: dict[str, str]
) -> None:
    for username in ("admin", "afr.editor", "delegate"):
        user = get_user_model().objects.get(username=username)
        latest = [
            (kind, compliance(Decimal(points), Decimal(possible)))
            for kind, points, possible in selectors.latest_scores(user=user, **place)
        ]
        for row in selectors.compliance_by_kind(user=user, **place):
            scores = [score for kind, score in latest if kind == row.kind and score is not None]
            mean = (sum(scores, Decimal(0)) / len(scores)).quantize(Decimal("0.1")) if scores else None
            assert row.average_compliance == mean, (username, place, row.kind)
            assert row.offices_assessed == sum(1 for kind, _score in latest if kind == row.kind)


@pytest.mark.parametrize("place", [{}, {"region": "AFR"}, {"region": "CIS"}, {"office": "harare"}])
def test_the_coverage_totals_are_the_summary_of_every_office_row(demo: Any, place: dict[str, str]) -> None:
    user = get_user_model().objects.get(username="admin")
    for on in (None, date(2024, 6, 30)):
        expected = selectors.coverage_summary(selectors.coverage_by_office(user=user, on=on, **place))
        assert selectors.coverage_totals(user=user, on=on, **place) == expected, (place, on)


@pytest.mark.parametrize("place", [{}, {"region": "AFR"}, {"office": "harare"}])
def test_the_coverage_totals_of_many_offices_are_those_of_each_office(
    demo: Any, place: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past a page of offices, staff are counted for every office at once: the same figures."""
    for username in ("admin", "afr.editor", "delegate"):
        user = get_user_model().objects.get(username=username)
        expected = selectors.coverage_summary(selectors.coverage_by_office(user=user, **place))
        monkeypatch.setattr(coverage, "MANY_OFFICES", 0)
        assert selectors.coverage_totals(user=user, **place) == expected, (username, place)
        monkeypatch.undo()


@pytest.mark.parametrize("place", [{}, {"region": "AFR"}, {"region": "ASP"}, {"office": "dakar"}])
def test_open_findings_and_overdue_actions_are_counted_from_each_record(
    demo: Any, place: dict[str, str]
) -> None:
    today = timezone.localdate()
    for username in ("admin", "afr.editor", "delegate", "security"):
        user = get_user_model().objects.get(username=username)
        assessments = selectors.visible_assessments(user, place.get("region"), place.get("office"))
        findings = list(Finding.objects.filter(assessment__in=assessments, status__in=Finding.OPEN_STATUSES))
        by_level = Counter(risk_level(f.likelihood, f.impact) for f in findings)
        expected = {level: by_level.get(level, 0) for level in RiskLevel.ORDER}
        assert selectors.findings_by_level(user=user, **place) == expected, (username, place)
        by_office = Counter(
            (f.assessment.office.code, risk_level(f.likelihood, f.impact))
            for f in findings
            if f.assessment.office.closed_on is None
        )
        assert selectors.open_findings_by(user=user, by="code", **place) == dict(by_office), (username, place)
        overdue = sum(
            1
            for action in RemediationAction.objects.filter(finding__assessment__in=assessments)
            if action.status in RemediationAction.OPEN_STATUSES and action.due_on < today
        )
        assert selectors.resilience_summary(user=user, **place).overdue_actions == overdue, (username, place)


def test_the_level_of_each_product_is_that_of_the_matrix() -> None:
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            assert _level_of_product(likelihood * impact) == risk_level(likelihood, impact)


@pytest.mark.parametrize("place", [{}, {"region": "AFR"}, {"office": "dakar"}])
def test_the_dashboards_figures_are_those_of_the_full_summary(demo: Any, place: dict[str, str]) -> None:
    for username in ("admin", "afr.editor", "delegate"):
        user = get_user_model().objects.get(username=username)
        figures = selectors.resilience_figures(user=user, **place)
        summary = selectors.resilience_summary(user=user, **place)
        assert figures.offices == summary.offices
        assert figures.compliance_by_kind == summary.compliance_by_kind
        assert figures.open_findings_by_level == summary.open_findings_by_level
        assert figures.coverage == summary.coverage
