"""The staffing demo holds the report's measures and loads idempotently."""

from __future__ import annotations

import datetime as dt
import io

from presence.org.demo import load as load_people
from presence.org.models import Office
from presence.staffing import demo, selectors
from presence.staffing.models import Post, PostAction, Recruitment


def test_demo_has_posts_in_every_office_and_the_reports_measures(reference, admin_user):
    load_people()
    demo.load(stdout=io.StringIO())
    counts = (Post.objects.count(), PostAction.objects.count(), Recruitment.objects.count())
    demo.load(stdout=io.StringIO())
    assert (Post.objects.count(), PostAction.objects.count(), Recruitment.objects.count()) == counts

    assert set(Office.objects.values_list("pk", flat=True)) == set(
        Post.objects.values_list("office", flat=True)
    )
    rows = {
        r.region: r
        for r in selectors.measures(user=admin_user, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31))
    }
    assert rows[""].g6_to_p2_upgrades == 5  # one per regional office
    assert rows[""].new_p5_posts == 3
    assert rows[""].relocations_to_field == 4
    assert {code: rows[code].tsb_field_deployments for code in ("AFR", "ARB", "ASP")} == {
        "AFR": 2,
        "ARB": 1,
        "ASP": 2,
    }
    summary = selectors.staffing_summary(user=admin_user, on=dt.date(2024, 10, 1))
    assert 100 <= summary.total <= 200
    assert summary.hq_posts > 0
    assert summary.filled > summary.vacant
    assert selectors.recruitment_pipeline(user=admin_user).total.average_time_to_fill is not None
