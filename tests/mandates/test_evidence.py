"""Each evidence measure equals the figure the dashboard or the domain's own selectors give for it,
on the demo; and it follows the records when they change."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from presence.core.services import tracked_create, tracked_update
from presence.dashboard.filters import DashboardFilters
from presence.dashboard.selectors import dashboard
from presence.mandates import selectors
from presence.mandates.models import Evidence, Mandate
from presence.org.models import Region
from presence.portfolio import selectors as portfolio
from presence.portfolio.models import ReportingObligation
from presence.resilience import selectors as resilience
from presence.resilience.models import Assessment, AssessmentKind, AssessmentTemplate, PlanningDocument
from presence.results import selectors as results
from presence.staffing import selectors as staffing

YEAR = 2024
GEOGRAPHIC = ("AFR", "AMS", "ARB", "ASP", "CIS", "EUR")


def figure(board: Any, key: str) -> Any:
    return next(f for section in board.sections for f in section.figures if f.key == key)


def counts_in_note(note: str) -> tuple[int, int]:
    """The dashboard's "3 of 13 offices assessed" as (3, 13)."""
    found = re.match(r"(\d+) of (\d+)", note)
    assert found, note
    return int(found[1]), int(found[2])


@pytest.fixture(params=["admin", "afr.editor", "delegate"])
def reader(request: Any, demo_user: Callable[[str], Any]) -> Any:
    return demo_user(request.param)


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        (Evidence.SRM_ASSESSMENT, AssessmentKind.SRM),
        (Evidence.ICT_AUDIT, AssessmentKind.ICT),
        (Evidence.CYBER_AUDIT, AssessmentKind.CYBER),
    ],
)
def test_audited_offices_are_the_dashboards_offices_assessed_summed_over_the_regions(
    reader: Any, key: str, kind: str
) -> None:
    evidence = selectors.measure(user=reader, key=key)
    done = total = 0
    for code in Region.objects.filter(code__in=GEOGRAPHIC).values_list("code", flat=True):
        board = dashboard(user=reader, filters=DashboardFilters(year=YEAR, region=code), mode="office")
        region_done, region_total = counts_in_note(figure(board, f"compliance-{kind}").note)
        done, total = done + region_done, total + region_total
    assert (evidence.value, evidence.total) == (done, total)
    assert evidence.total > 0


def test_ict_and_cyber_audits_are_the_offices_whose_latest_audits_of_both_kinds_are_complete(
    reader: Any,
) -> None:
    evidence = selectors.measure(user=reader, key=Evidence.ICT_CYBER_AUDIT)
    kinds = [k for k, _label in AssessmentKind.choices]
    ict, cyber = kinds.index(AssessmentKind.ICT), kinds.index(AssessmentKind.CYBER)
    rows = [row for row in resilience.region_rows(user=reader) if row["office"].region_id is not None]
    both = [row for row in rows if row["compliance"][ict] and row["compliance"][cyber]]
    assert (evidence.value, evidence.total) == (len(both), len(rows))


def test_plans_current_are_the_offices_neither_missing_a_plan_nor_due_for_review(reader: Any) -> None:
    today = timezone.localdate()
    evidence = selectors.measure(user=reader, key=Evidence.BC_CM_PLANS, today=today)
    field = {o.pk for o in resilience.office_list(user=reader) if o.region_id is not None}
    labels = {str(PlanningDocument.Kind.BCP.label), str(PlanningDocument.Kind.CMP.label)}
    missing = {o.pk for o, kinds in resilience.missing_plans(user=reader) if labels & set(kinds)}
    due = {
        p.office_id
        for p in resilience.expiring_plans(user=reader, today=today, within_days=0)
        if p.kind in (PlanningDocument.Kind.BCP, PlanningDocument.Kind.CMP)
    }
    assert evidence.total == len(field)
    assert evidence.value == len(field - missing - due)


def test_reports_on_time_is_the_dashboards_reporting_figure(reader: Any) -> None:
    evidence = selectors.measure(user=reader, key=Evidence.REPORTS_ON_TIME, year=YEAR)
    shown = figure(dashboard(user=reader, filters=DashboardFilters(year=YEAR)), "reporting")
    assert evidence.percent == shown.value
    assert counts_in_note(shown.note) == (evidence.value, evidence.total)
    if reader.username == "admin":
        assert evidence.total > 0


def test_activities_aligned_count_the_dashboards_activities(reader: Any) -> None:
    evidence = selectors.measure(user=reader, key=Evidence.ACTIVITIES_ALIGNED, year=YEAR)
    shown = figure(dashboard(user=reader, filters=DashboardFilters(year=YEAR)), "activities")
    assert evidence.total == shown.value
    # An activity counts when it has an output and a KPI (its own or an output's) with a target for the year.
    aligned = 0
    for activity in results.activity_list(user=reader, year=YEAR).prefetch_related(
        "indicators__values", "outputs__indicators__values"
    ):
        outputs = list(activity.outputs.all())
        kpis = [*activity.indicators.all(), *(i for o in outputs for i in o.indicators.all())]
        targets = [v for i in kpis for v in i.values.all() if v.year == YEAR and v.target is not None]
        aligned += bool(outputs and targets)
    assert evidence.value == aligned
    if reader.username == "admin":
        assert 0 < evidence.value <= evidence.total


def test_recruitments_in_time_are_the_pipelines_selections_within_the_target(reader: Any) -> None:
    evidence = selectors.measure(user=reader, key=Evidence.RECRUITMENTS_IN_TIME, year=YEAR)
    pipeline = staffing.recruitment_pipeline(
        user=reader, opened_from=dt.date(YEAR, 1, 1), opened_to=dt.date(YEAR, 12, 31)
    )
    assert evidence.total == (pipeline.total.selections if pipeline.total else 0)
    days = [
        recruitment.time_to_fill
        for recruitment in staffing.recruitment_list(
            user=reader, opened_from=dt.date(YEAR, 1, 1), opened_to=dt.date(YEAR, 12, 31)
        )
        if recruitment.time_to_fill is not None
    ]
    assert evidence.total == len(days)
    assert evidence.value == sum(1 for d in days if d <= selectors.RECRUITMENT_TARGET_DAYS)


def test_every_demo_request_with_evidence_shows_a_computed_progress(demo_user: Callable[[str], Any]) -> None:
    rows = selectors.tracker_rows(user=demo_user("admin"), published_only=False)
    assert len(rows) == Mandate.objects.count() >= 9
    measured = [row for row in rows if row["evidence_label"]]
    assert {row["evidence_label"] for row in measured} >= {
        str(Evidence.SRM_ASSESSMENT.label),
        str(Evidence.BC_CM_PLANS.label),
        str(Evidence.ICT_CYBER_AUDIT.label),
        str(Evidence.REPORTS_ON_TIME.label),
        str(Evidence.ACTIVITIES_ALIGNED.label),
        str(Evidence.RECRUITMENTS_IN_TIME.label),
    }
    for row in measured:
        expected = round(100 * row["evidence_value"] / row["evidence_total"], 1)
        assert float(row["progress"]) == pytest.approx(expected)


# --- The evidence follows the records -----------------------------------------------------------


def _ict_missing_office(user: Any) -> Any:
    done = set(
        Assessment.objects.filter(
            template__kind=AssessmentKind.ICT, status__in=Assessment.LOCKED
        ).values_list("office_id", flat=True)
    )
    return next(o for o in resilience.office_list(user=user) if o.region_id is not None and o.pk not in done)


def test_completing_an_ict_audit_raises_the_evidence_by_one(demo_user: Callable[[str], Any]) -> None:
    admin = demo_user("admin")
    before = selectors.measure(user=admin, key=Evidence.ICT_AUDIT)
    office = _ict_missing_office(admin)
    template = AssessmentTemplate.objects.filter(kind=AssessmentKind.ICT).first()
    assert template is not None
    today = timezone.localdate()
    tracked_create(
        model=Assessment,
        actor=admin,
        data={
            "office": office,
            "template": template,
            "status": Assessment.Status.COMPLETED,
            "planned_start": today - dt.timedelta(days=10),
            "planned_end": today - dt.timedelta(days=5),
            "actual_start": today - dt.timedelta(days=10),
            "actual_end": today - dt.timedelta(days=5),
        },
    )
    after = selectors.measure(user=admin, key=Evidence.ICT_AUDIT)
    assert (after.value, after.total) == (before.value + 1, before.total)
    assert after.percent is not None
    assert before.percent is not None
    assert after.percent > before.percent


def test_submitting_an_outstanding_report_on_time_raises_the_evidence(
    demo_user: Callable[[str], Any],
) -> None:
    admin = demo_user("admin")
    mandate = Mandate.objects.get(evidence=Evidence.REPORTS_ON_TIME)
    before = selectors.evidence_for(user=admin, mandate=mandate)
    assert before is not None
    outstanding = ReportingObligation.objects.filter(due_on__year=YEAR, submitted_on__isnull=True).first()
    assert outstanding is not None
    tracked_update(
        instance=outstanding,
        actor=admin,
        data={"submitted_on": outstanding.due_on},
        expected_version=outstanding.version,
    )
    after = selectors.evidence_for(user=admin, mandate=mandate)
    assert after is not None
    assert (after.value, after.total) == (before.value + 1, before.total)
    timeliness = portfolio.reporting_timeliness(user=admin, year=YEAR).total
    assert after.percent == timeliness.on_time_rate


def _timely_over_the_records(user: Any) -> tuple[int, int]:
    """Selections of the year's recruitments made within the target, counted record by record."""
    days = [
        r.time_to_fill
        for r in staffing.recruitment_list(user=user)
        if r.opened_on.year == YEAR and r.time_to_fill is not None
    ]
    return sum(1 for d in days if d <= selectors.RECRUITMENT_TARGET_DAYS), len(days)


def test_recruitments_in_time_equal_a_count_over_the_records(reader: Any) -> None:
    evidence = selectors.measure(user=reader, key=Evidence.RECRUITMENTS_IN_TIME, year=YEAR)
    assert (evidence.value, evidence.total) == _timely_over_the_records(reader)


@pytest.mark.parametrize(("days", "timely"), [(selectors.RECRUITMENT_TARGET_DAYS, 1), (121, 0)])
def test_a_selection_on_the_targets_last_day_is_in_time_and_the_next_day_is_late(
    demo_user: Callable[[str], Any], days: int, timely: int
) -> None:
    """Counted in the database from the dates: the boundary is the same as `time_to_fill`'s days."""
    admin = demo_user("admin")
    assert selectors.RECRUITMENT_TARGET_DAYS == 120
    recruitment = (
        staffing.recruitment_list(user=admin)
        .filter(opened_on__year=YEAR, selected_on__isnull=False)
        .order_by("pk")
        .first()
    )
    assert recruitment is not None
    before = selectors.measure(user=admin, key=Evidence.RECRUITMENTS_IN_TIME, year=YEAR)
    was_timely = int(recruitment.time_to_fill <= selectors.RECRUITMENT_TARGET_DAYS)
    selected_on = recruitment.opened_on + dt.timedelta(days=days)
    tracked_update(
        instance=recruitment,
        actor=admin,
        data={"closed_on": recruitment.opened_on, "selected_on": selected_on, "on_board_on": None},
        expected_version=recruitment.version,
    )
    after = selectors.measure(user=admin, key=Evidence.RECRUITMENTS_IN_TIME, year=YEAR)
    assert (after.value, after.total) == (before.value - was_timely + timely, before.total)
    assert (after.value, after.total) == _timely_over_the_records(admin)
