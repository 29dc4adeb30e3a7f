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


def test_demo_covers_every_office_with_the_report_totals(reference, monkeypatch):
    monkeypatch.setattr(selectors, "staff_counts_from_staffing", lambda on: None)
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

    counts = [
        model.objects.count()
        for model in (
            Assessment,
            Finding,
            PlanningDocument,
            Installation,
            CrisisCommsRegistration,
            RemediationAction,
        )
    ]
    demo.load(stdout=io.StringIO())
    assert [
        model.objects.count()
        for model in (
            Assessment,
            Finding,
            PlanningDocument,
            Installation,
            CrisisCommsRegistration,
            RemediationAction,
        )
    ] == counts
