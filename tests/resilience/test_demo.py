"""The demo data covers every office and matches the report's figures; loading it twice changes nothing."""

from __future__ import annotations

import io
from decimal import Decimal

from django.contrib.auth import get_user_model

from presence.org import demo as org_demo
from presence.org.models import Office
from presence.resilience import demo, selectors
from presence.resilience.models import (
    Assessment,
    CrisisCommsRegistration,
    Finding,
    Installation,
    PlanningDocument,
    RemediationAction,
)

# Coverage reads staff counts through this function; tests replace it to leave staffing out.
STAFF_COUNTS = "presence.resilience.selectors.coverage.staff_counts_from_staffing"


def _counts() -> list[int]:
    """How many records of each resilience record type there are."""
    models = (Assessment, Finding, PlanningDocument, Installation, CrisisCommsRegistration, RemediationAction)
    return [model.objects.count() for model in models]


def test_demo_covers_every_office_with_the_report_totals(reference, monkeypatch):
    monkeypatch.setattr(STAFF_COUNTS, lambda dates, offices=None: {})
    org_demo.load()
    demo.load(stdout=io.StringIO())
    offices = list(Office.objects.all())
    assert len(offices) == 14
    for office in offices:
        statuses = set(Assessment.objects.filter(office=office).values_list("status", flat=True))
        assert {"archived", "completed"} <= statuses, office.code
        assert len(statuses) >= 3, office.code
        assert Finding.objects.filter(assessment__office=office).exists(), office.code
        assert PlanningDocument.objects.filter(office=office).exists(), office.code
        assert Installation.objects.filter(office=office).exists(), office.code
        assert CrisisCommsRegistration.objects.filter(office=office).exists(), office.code
    admin = get_user_model().objects.get(username="admin")
    summary = selectors.resilience_summary(user=admin)
    assert summary.installations.remaining_workdays == Decimal(195)
    assert summary.coverage.registered == 750
    assert RemediationAction.objects.exists()
    assert summary.overdue_actions > 0
    assert summary.plans_expiring > 0

    counts = _counts()
    demo.load(stdout=io.StringIO())
    assert _counts() == counts


def test_demo_coverage_counts_against_the_staffing_demo_stay_within_each_offices_staff(reference):
    from presence.staffing import demo as staffing_demo

    org_demo.load()
    staffing_demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    admin = get_user_model().objects.get(username="admin")
    rows = selectors.coverage_by_office(user=admin)
    assert len(rows) == 14
    for row in rows:
        assert row.staff_source == "staffing", row.office.code
        assert row.registered is not None
        assert row.staff is not None
        assert row.registered <= row.staff, row.office.code
    summary = selectors.coverage_summary(rows)
    assert summary.registered == 750
    assert summary.percent is not None
    assert Decimal(80) < summary.percent <= Decimal(100)
    assert set(summary.offices_below) == {"harare", "moscow", "yaounde"}
    # The entered fallback agrees with the staffing register on the day of each count.
    for registration in CrisisCommsRegistration.objects.select_related("office"):
        assert registration.registered <= (registration.staff_in_office or 0), registration
