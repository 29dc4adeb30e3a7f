"""`latest_ratings` counts each activity's latest review (of the latest year and quarter among the
reviews given) by rating, as reading the reviews one by one does; the dashboard's implementation figure
is its share of completed or on-track activities."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from presence.dashboard import selectors as dashboard
from presence.dashboard.filters import DashboardFilters
from presence.results.models import QuarterlyReview
from presence.results.selectors import latest_ratings, review_list

PLACES = ({}, {"region": "AFR"}, {"region": "global"}, {"office": "dakar"})


def _read_one_by_one(reviews: Any) -> Counter[str]:
    latest: dict[int, QuarterlyReview] = {}
    for review in reviews.filter(activity__isnull=False):
        key = (review.period.year, review.period.quarter)
        seen = latest.get(review.activity_id)
        if seen is None or key > (seen.period.year, seen.period.quarter):
            latest[review.activity_id] = review
    return Counter(review.rating for review in latest.values())


@pytest.mark.parametrize("year", [2024, 2025, 2026, None])
def test_each_activitys_latest_review_is_counted_by_its_rating(demo: None, year: int | None) -> None:
    for username in ("admin", "delegate", "dakar.editor"):
        user = get_user_model().objects.get(username=username)
        for place in PLACES:
            for status in ("approved", ""):
                values = {"year": year or "", "status": status, "kind": "activity", **place}
                reviews = review_list(user=user, **values)
                assert latest_ratings(reviews) == _read_one_by_one(reviews), (username, place, status)
    everyone = review_list(user=get_user_model().objects.get(username="admin"), year=year or "")
    assert sum(latest_ratings(everyone).values()) > 0


@pytest.mark.parametrize(("region", "office"), [("", ""), ("AFR", ""), ("AFR", "dakar")])
def test_the_implementation_figure_is_the_share_of_latest_approved_ratings(
    demo: None, region: str, office: str
) -> None:
    user = get_user_model().objects.get(username="admin")
    place = {"region": region, "office": office}
    data = dashboard.dashboard(
        user=user, filters=DashboardFilters(year=2024, **place), mode="office" if region else "region"
    )
    figure = next(f for s in data.sections for f in s.figures if f.key == "implementation")
    reviews = review_list(user=user, year=2024, status="approved", kind="activity", **place)
    ratings = _read_one_by_one(reviews)
    rated = sum(n for rating, n in ratings.items() if rating)
    good = ratings["completed"] + ratings["on_track"]
    expected = (Decimal(good) * 100 / rated).quantize(Decimal("0.1")) if rated else None
    assert figure.value == expected
    assert f"{good} of {rated} activities rated" in str(figure.note)
