"""Every overdue financial report reminds someone: the editors of its project's office or region, else
headquarters' global editors and administrators."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.apps import apps
from django.utils import timezone

from presence.portfolio.models import ReportingObligation


def _told(today: Any) -> dict[tuple[str, Any], set[str]]:
    """Who the portfolio app's reminders tell about each overdue report, by (subject, due date)."""
    told: dict[tuple[str, Any], set[str]] = defaultdict(set)
    for item in apps.get_app_config("portfolio").reminders(today):  # type: ignore[attr-defined]
        told[(item.subject, item.due)].add(item.user.username)
    return told


def test_every_overdue_demo_report_reaches_someone(demo: None) -> None:
    today = timezone.localdate()
    overdue = list(
        ReportingObligation.objects.filter(submitted_on__isnull=True, due_on__lt=today).select_related(
            "project__region"
        )
    )
    assert len(overdue) >= 20
    assert {o.project.region.code for o in overdue} >= {"AMS", "ARB", "MUL"}
    told = _told(today)
    unreached = [
        f"{o.project.code}: {o.title}"
        for o in overdue
        if not told[(f"{o.project.code}: {o.title}", o.due_on)]
    ]
    assert unreached == []
    for obligation in overdue:
        people = told[(f"{obligation.project.code}: {obligation.title}", obligation.due_on)]
        if obligation.project.region.code in ("AMS", "ARB", "CIS", "EUR"):
            # No editor of these regions or their offices in the demo: headquarters' administrator.
            assert people == {"admin"}, obligation
        if obligation.project.region.code == "AFR" and obligation.project.lead_office.code == "dakar":
            assert people == {"dakar.editor", "afr.editor"}, obligation
