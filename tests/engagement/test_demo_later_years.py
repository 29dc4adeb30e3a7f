"""The engagement demo for 2025 and 2026: events up to now, engagements with follow-ups around now,
opportunities expected to sign in 2026-2027; the 2023-2024 records stay as they were."""

from __future__ import annotations

import datetime as dt
import io

from django.db.models import Count, Sum

from presence.engagement import demo, selectors
from presence.engagement.models import Event, Opportunity, StakeholderEngagement
from presence.org.demo import load as load_people

TODAY = dt.date(2026, 11, 28)


def _load(today: dt.date = TODAY) -> None:
    load_people()
    demo.load(stdout=io.StringIO(), today=today)


def test_events_in_2025_and_2026_with_participants_and_the_forums_kept(reference, admin_user):
    _load()
    # The 2023-2024 events are those loaded before later years were added (22 events, 2 386 people).
    earlier = Event.objects.filter(start_date__year__lte=2024).aggregate(
        n=Count("pk"), p=Sum("participants_total")
    )
    assert earlier == {"n": 22, "p": 2386}
    assert not Event.objects.filter(kind="forum", start_date__year__gte=2025).exists()
    for year in (2025, 2026):
        rows = selectors.participation_summary(
            user=admin_user, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), kind=""
        )
        total = rows[-1]
        assert total.events >= 15
        assert total.participants > 700
        regions = {row.region for row in rows[:-1] if row.events}
        assert {"AFR", "AMS", "ARB", "ASP", "CIS", "EUR"} <= regions
        kinds = set(Event.objects.filter(start_date__year=year).values_list("kind", flat=True))
        assert {"workshop", "training", "meeting"} <= kinds
    # Held events have participants; those still to come have none counted yet.
    held = Event.objects.filter(start_date__year=2026, start_date__lte=TODAY)
    assert not held.filter(participants_total=0).exists()
    coming = Event.objects.filter(start_date__gt=TODAY)
    assert coming.count() == 3
    assert set(coming.values_list("participants_total", flat=True)) == {0}


def test_engagements_have_follow_ups_overdue_due_and_coming_around_today(reference, admin_user):
    _load()
    recent = StakeholderEngagement.objects.filter(date__gte=TODAY - dt.timedelta(days=120))
    assert recent.count() == 24
    assert selectors.overdue_follow_ups(user=admin_user, today=TODAY).filter(date__year=2026).exists()
    assert recent.filter(follow_up_done=False, follow_up_on__gte=TODAY).exists()
    assert recent.filter(follow_up_done=True).exists()
    # Recorded by the office's editors, so `presence remind` tells them.
    assert set(recent.values_list("created_by__username", flat=True)) >= {
        "afr.editor",
        "asp.editor",
        "dakar.editor",
    }
    reminders = selectors.follow_up_reminders(today=TODAY)
    assert {r.user.username for r in reminders} >= {"afr.editor", "asp.editor"}


def test_opportunities_expected_to_sign_in_2026_and_2027_weigh_in_the_pipeline(reference):
    _load()
    later = Opportunity.objects.filter(expected_signature_on__year__in=(2026, 2027))
    assert later.filter(stage__in=Opportunity.OPEN_STAGES).count() >= 6
    assert later.filter(stage="signed", signed_on__year=2026).exists()
    assert later.filter(stage="lost").exists()
    # Converted to CHF only where exchange rates are loaded (the portfolio demo); here in their currency.
    assert sum(o.weighted_amount for o in later.filter(stage__in=Opportunity.OPEN_STAGES)) > 1_000_000


def test_loading_twice_on_another_day_changes_nothing(reference):
    _load()
    counts = (Event.objects.count(), StakeholderEngagement.objects.count(), Opportunity.objects.count())
    _load(TODAY + dt.timedelta(days=3))
    assert (
        Event.objects.count(),
        StakeholderEngagement.objects.count(),
        Opportunity.objects.count(),
    ) == counts
