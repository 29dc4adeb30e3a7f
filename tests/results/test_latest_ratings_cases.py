"""`latest_ratings` on reviews written for the case: the latest review counts, rated or not."""

from __future__ import annotations

from collections import Counter
from typing import Any

from presence.results.models import QuarterlyReview, ReportingPeriod
from presence.results.selectors import latest_ratings


def test_a_later_review_without_a_rating_is_the_latest(plan: Any) -> None:
    activity = plan.make_activity()
    start, end, deadline = ReportingPeriod.default_dates(2024, 2)
    q2 = ReportingPeriod.objects.get_or_create(
        year=2024, quarter=2, defaults={"starts_on": start, "ends_on": end, "submission_deadline": deadline}
    )[0]
    placed = {"activity": activity, "region": activity.region, "office": activity.responsible_office}
    QuarterlyReview.objects.create(period=plan.q1, status="approved", rating="on_track", **placed)
    QuarterlyReview.objects.create(period=q2, status="approved", rating="", **placed)
    other = plan.make_activity()
    QuarterlyReview.objects.create(
        period=plan.q1,
        status="approved",
        rating="at_risk",
        activity=other,
        region=other.region,
        office=other.responsible_office,
    )
    reviews = QuarterlyReview.objects.all()
    assert latest_ratings(reviews) == Counter({"": 1, "at_risk": 1})
    assert latest_ratings(reviews.filter(period=plan.q1)) == Counter({"on_track": 1, "at_risk": 1})


def test_the_latest_quarter_is_of_the_latest_year(plan: Any) -> None:
    activity = plan.make_activity()
    placed = {"activity": activity, "region": activity.region, "office": activity.responsible_office}
    QuarterlyReview.objects.create(period=plan.q4_2023, status="approved", rating="completed", **placed)
    QuarterlyReview.objects.create(period=plan.q1, status="approved", rating="at_risk", **placed)
    assert latest_ratings(QuarterlyReview.objects.all()) == Counter({"at_risk": 1})
