"""The engagement demo holds the six regional development forums and loads idempotently."""

from __future__ import annotations

import datetime as dt
import io

from presence.engagement import demo, selectors
from presence.engagement.models import Event, Opportunity, StakeholderEngagement
from presence.org.demo import load as load_people


def test_demo_has_six_forums_over_1500_participants_and_opportunities_in_all_stages(reference, admin_user):
    load_people()
    demo.load(stdout=io.StringIO())
    counts = (Event.objects.count(), StakeholderEngagement.objects.count(), Opportunity.objects.count())
    demo.load(stdout=io.StringIO())
    assert (
        Event.objects.count(),
        StakeholderEngagement.objects.count(),
        Opportunity.objects.count(),
    ) == counts

    rows = selectors.participation_summary(
        user=admin_user, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), kind="forum"
    )
    assert [row.region for row in rows[:-1]] == ["AFR", "AMS", "ARB", "ASP", "CIS", "EUR"]
    assert rows[-1].events == 6
    assert rows[-1].participants > 1500
    assert Event.objects.exclude(kind="forum").count() >= 10
    assert set(Opportunity.objects.values_list("stage", flat=True)) == set(Opportunity.Stage.values)
    assert selectors.overdue_follow_ups(user=admin_user, today=dt.date(2024, 10, 1)).exists()
