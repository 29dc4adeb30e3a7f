"""The indicator list's figures and statuses, computed in the database, are `figures_for`'s (the figures
the indicator's page, the framework tree and reviews compute from its values): for every indicator of
the demo, every year it has values for, every place and progress filter, and three readers."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from presence.results.models import IndicatorValue
from presence.results.selectors import PROGRESS_FILTERS, figures_for, indicator_list, indicator_rows

PLACES = ({}, {"region": "AFR"}, {"region": "ASP"}, {"region": "global"}, {"office": "dakar"})
USERS = ("admin", "delegate", "dakar.editor")


def _status(progress: Any) -> str:
    """The status of a progress (`progress_of`'s): not measured without one, reached at 100 %."""
    if progress is None:
        return "unmeasured"
    return "below" if progress < 1 else "reached"


def _expected(indicators: Any, year: int) -> dict[int, tuple[Any, ...]]:
    """Each indicator's (target, actual, progress, status) for the year, from its values in Python."""
    expected = {}
    for indicator in indicators.prefetch_related(None).prefetch_related("values"):
        figures = figures_for(indicator, list(indicator.values.all()), year)
        figured = (str(figures.target), str(figures.actual), figures.progress, _status(figures.progress))
        expected[indicator.pk] = figured
    return expected


def test_the_demo_has_indicators_of_every_status(demo: None) -> None:
    years = sorted(set(IndicatorValue.objects.values_list("year", flat=True)))
    admin = get_user_model().objects.get(username="admin")
    statuses = {row.status for year in years for row in indicator_rows(user=admin, year=year)}
    assert statuses == set(PROGRESS_FILTERS)


@pytest.mark.parametrize("username", USERS)
def test_every_rows_figures_and_status_are_figures_for_s(demo: None, username: str) -> None:
    user: Any = get_user_model().objects.get(username=username)
    years = sorted(set(IndicatorValue.objects.values_list("year", flat=True)))
    assert len(years) >= 3
    for year in [years[0] - 1, *years]:
        expected = _expected(indicator_list(user=user), year)
        for place in PLACES:
            rows = list(indicator_rows(user=user, year=year, **place))
            shown = {r.indicator.pk: (str(r.target), str(r.actual), r.progress, r.status) for r in rows}
            assert shown == {pk: expected[pk] for pk in shown}, (year, place)
            assert [row.indicator.code for row in rows] == sorted(row.indicator.code for row in rows)
            for status in PROGRESS_FILTERS:
                kept = {
                    row.indicator.pk for row in indicator_rows(user=user, year=year, progress=status, **place)
                }
                assert kept == {pk for pk in shown if expected[pk][3] == status}, (year, place, status)
