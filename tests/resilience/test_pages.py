"""Writes through the pages: field errors name what is wrong; the timeline takes a capacity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from presence.resilience import services
from presence.resilience.models import CrisisCommsRegistration, PlanningDocument
from tests.kit.records_resilience import make_registration
from tests.kit.types import Ctx


def test_plan_form_shows_a_field_error_for_a_review_before_approval(security, office, login):
    client = login(security)
    response = client.post(
        "/resilience/plans/new/",
        {
            "office": office("dakar").pk,
            "kind": "bcp",
            "edition": "1.0",
            "approved_on": "2024-05-01",
            "next_review_on": "2024-01-01",
        },
    )
    assert response.status_code == 422
    assert "The next review must come after the approval date." in response.content.decode()
    assert not PlanningDocument.objects.exists()


def test_regional_editor_registers_a_plan_for_an_office_of_the_region(make_user, office, login):
    client = login(make_user("afr-ed", ("editor", "AFR")))
    response = client.post(
        "/resilience/plans/new/",
        {
            "office": office("dakar").pk,
            "kind": "cmp",
            "edition": "2.0",
            "approved_on": "2024-05-01",
            "next_review_on": "2025-05-01",
        },
    )
    assert response.status_code == 302
    assert PlanningDocument.objects.get().office.code == "dakar"


def test_regional_editor_cannot_register_a_plan_elsewhere(make_user, office, login):
    client = login(make_user("afr-ed", ("editor", "AFR")))
    response = client.post(
        "/resilience/plans/new/",
        {
            "office": office("bangkok").pk,
            "kind": "cmp",
            "edition": "2.0",
            "approved_on": "2024-05-01",
            "next_review_on": "2025-05-01",
        },
    )
    assert response.status_code == 422  # Bangkok is not among the offices offered
    assert not PlanningDocument.objects.exists()


def test_coverage_upload_page_loads_counts(security, office, login):
    client = login(security)
    upload = SimpleUploadedFile(
        "counts.csv", b"office,counted_on,registered,staff_in_office\ndakar,2024-05-01,9,12\n"
    )
    response = client.post("/resilience/coverage/upload/", {"file": upload})
    assert response.status_code == 302
    assert CrisisCommsRegistration.objects.get().registered == 9
    page = client.get("/resilience/coverage/").content.decode()
    assert "75.0" in page


def test_timeline_flags_months_over_the_capacity_typed_by_the_user(security, office, login):
    services.installation_create(
        actor=security,
        office=office("dakar"),
        planned_start=dt.date(2025, 1, 1),
        planned_end=dt.date(2025, 1, 31),
        estimated_workdays=Decimal(30),
    )
    client = login(security)
    assert (
        "over capacity" not in client.get("/resilience/installations/timeline/?capacity=40").content.decode()
    )
    assert "over capacity" in client.get("/resilience/installations/timeline/?capacity=20").content.decode()
    bad = client.get("/resilience/installations/timeline/?capacity=lots").content.decode()
    assert "Capacity must be a number" in bad


def test_timeline_covers_every_planned_year_by_quarter_with_readable_states(security, office, login):
    for start, end, workdays in (
        (dt.date(2024, 1, 1), dt.date(2024, 3, 31), 30),
        (dt.date(2027, 4, 1), dt.date(2027, 9, 30), 60),
    ):
        services.installation_create(
            actor=security,
            office=office("dakar"),
            planned_start=start,
            planned_end=end,
            estimated_workdays=Decimal(workdays),
        )
    response = login(security).get("/resilience/installations/timeline/?capacity=10")
    page = response.content.decode()
    timeline = response.context["timeline"]
    assert timeline.period == "quarter"  # 45 months: by quarter, so the table fits the page
    assert timeline.months[0] == dt.date(2024, 1, 1)
    assert timeline.months[-1] == dt.date(2027, 7, 1)
    assert "2027 Q3" in page
    assert "2024 Q1" in page
    assert sum(timeline.workload) == Decimal(90)
    (row,) = timeline.rows
    assert row.total == Decimal(90)
    assert timeline.workload[-1] > 29  # 2027 Q3 (92 of the 183 days) is not cut off
    assert "(planned)" not in page
    assert "(Planned)" in page  # the state's label, not its stored value
    assert "30.0" in page  # the capacity of a quarter: three months of 10


def test_assessment_page_transition_refuses_completion_without_results(security, started, login):
    assessment = started()
    client = login(security)
    response = client.post(
        f"/resilience/assessments/{assessment.pk}/status/",
        {"to": "completed", "version": assessment.version},
        follow=True,
    )
    assert "have no result yet" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == "in_progress"


def test_the_settings_button_is_shown_only_to_whoever_may_change_the_settings(security, make_user, login):
    link = 'href="/resilience/settings/"'
    assert link in login(security).get("/resilience/").content.decode()
    editor = login(make_user("afr-ed", ("editor", "AFR")))
    assert link not in editor.get("/resilience/").content.decode()
    assert editor.get("/resilience/settings/").status_code == 403


def test_the_coverage_page_links_each_count_to_its_page_and_the_timeline_route_still_answers(
    reference, make_user, login
):
    record = make_registration(Ctx(make_user))
    client = login(make_user("viewer", ("viewer",)))
    assert record.get_absolute_url() in client.get(reverse("resilience:coverage")).content.decode()
    assert client.get(record.get_absolute_url()).status_code == 200
    assert client.get("/api/resilience/installations/timeline").status_code == 200
    listed = client.get("/api/resilience/registrations/").json()
    assert [item["id"] for item in listed["items"]] == [record.pk]
