"""The summaries read without a record per office equal the figures computed from each office's rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from presence.resilience import selectors
from presence.resilience.rules import compliance


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
