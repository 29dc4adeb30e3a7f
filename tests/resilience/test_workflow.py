"""Locked completed assessments, evidence uploads, overdue and expiring lists, reminders, coverage."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from presence.core.errors import AccessDenied, InvalidTransition
from presence.resilience import rules, selectors, services
from presence.resilience.models import Evidence, Finding, RemediationAction, RequirementResult
from presence.resilience.selectors import action_reminders

R = RequirementResult.Result
# Coverage reads staff counts through this function; tests replace it to leave staffing out.
STAFF_COUNTS = "presence.resilience.selectors.coverage.staff_counts_from_staffing"


def _complete(security, assessment):
    for requirement in assessment.template.requirements.all():
        services.result_record(
            actor=security, assessment=assessment, requirement=requirement, result=R.COMPLIANT
        )
    return services.assessment_transition(
        actor=security, assessment=assessment, to="completed", expected_version=None, on=dt.date(2024, 3, 8)
    )


def test_completing_needs_every_result(security, started):
    assessment = started()
    with pytest.raises(ValidationError, match="have no result yet"):
        services.assessment_transition(
            actor=security, assessment=assessment, to="completed", expected_version=None
        )


def test_completed_assessment_is_locked(security, started):
    assessment = _complete(security, started())
    requirement = assessment.template.requirements.first()
    with pytest.raises(ValidationError, match="locked"):
        services.result_record(
            actor=security, assessment=assessment, requirement=requirement, result=R.PARTIAL
        )
    with pytest.raises(ValidationError, match="locked"):
        services.assessment_update(
            actor=security, assessment=assessment, expected_version=None, assessors="Someone else"
        )
    with pytest.raises(ValidationError, match="locked"):
        services.finding_create(
            actor=security,
            assessment=assessment,
            requirement=requirement,
            title="Late",
            likelihood=2,
            impact=2,
        )
    result = assessment.results.first()
    with pytest.raises(ValidationError, match="locked"):
        services.evidence_add(
            actor=security,
            result=result,
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
        )
    assert not assessment.results.exclude(result=R.COMPLIANT).exists()


def test_locked_assessment_only_moves_on_to_archived(security, started):
    assessment = _complete(security, started())
    with pytest.raises(InvalidTransition):
        services.assessment_transition(
            actor=security, assessment=assessment, to="in_progress", expected_version=None
        )
    archived = services.assessment_transition(
        actor=security, assessment=assessment, to="archived", expected_version=None
    )
    assert archived.status == "archived"


def test_locked_finding_keeps_what_was_found_but_follow_up_continues(security, with_secrets):
    finding = Finding.objects.get()
    assessment = with_secrets
    for requirement in assessment.template.requirements.all():
        services.result_record(
            actor=security, assessment=assessment, requirement=requirement, result=R.PARTIAL
        )
    services.assessment_transition(
        actor=security, assessment=assessment, to="completed", expected_version=None
    )
    finding.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.finding_update(
            actor=security, finding=finding, expected_version=finding.version, title="Rewritten"
        )
    assert "title" in error.value.message_dict
    updated = services.finding_update(
        actor=security,
        finding=finding,
        expected_version=finding.version,
        status="closed",
        closed_on=dt.date(2024, 9, 1),
    )
    assert updated.status == "closed"


@pytest.fixture
def result(security, started):
    assessment = started()
    return services.result_record(
        actor=security,
        assessment=assessment,
        requirement=assessment.template.requirements.first(),
        result=R.PARTIAL,
    )


def test_evidence_of_an_allowed_type_is_stored(security, result):
    evidence = services.evidence_add(
        actor=security,
        result=result,
        upload=SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50),
    )
    assert default_storage.exists(evidence.file.name)
    assert evidence.size == 58


def test_evidence_over_the_limit_is_refused_and_nothing_stored(security, result, monkeypatch):
    monkeypatch.setattr(rules, "EVIDENCE_MAX_BYTES", 1024)
    monkeypatch.setattr(services.assessments, "EVIDENCE_MAX_BYTES", 1024)
    before = default_storage.listdir("")
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.7\n" + b"x" * 2048, content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        services.evidence_add(actor=security, result=result, upload=upload)
    assert "at most" in error.value.message_dict["file"][0]
    assert "report.pdf" in error.value.message_dict["file"][0]
    assert Evidence.objects.count() == 0
    assert default_storage.listdir("") == before


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("tool.exe", b"MZ\x90\x00", "not accepted"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /", "is not a .pdf"),
        ("noext", b"hello", "not accepted"),
    ],
)
def test_evidence_of_a_disallowed_type_is_refused_and_nothing_stored(
    security, result, name, content, expected
):
    before = default_storage.listdir("")
    with pytest.raises(ValidationError) as error:
        services.evidence_add(actor=security, result=result, upload=SimpleUploadedFile(name, content))
    assert expected in error.value.message_dict["file"][0]
    assert Evidence.objects.count() == 0
    assert default_storage.listdir("") == before


def test_evidence_upload_page_shows_the_reason_and_stores_nothing(security, result, login):
    client = login(security)
    url = f"/resilience/assessments/{result.assessment_id}/requirements/{result.requirement_id}/"
    response = client.post(url, {"upload": "1", "evidence-file": SimpleUploadedFile("virus.exe", b"MZ")})
    assert response.status_code == 422
    assert "Files of type .exe are not accepted as evidence" in response.content.decode()
    assert Evidence.objects.count() == 0


def test_overdue_actions_list_only_open_actions_past_due(security, with_secrets):
    finding = Finding.objects.get()
    services.action_create(actor=security, finding=finding, description="later", due_on=dt.date(2024, 7, 1))
    done = services.action_create(
        actor=security, finding=finding, description="done", due_on=dt.date(2024, 4, 1)
    )
    services.action_update(
        actor=security,
        action=done,
        expected_version=done.version,
        status="done",
        completed_on=dt.date(2024, 4, 2),
    )
    overdue = selectors.overdue_actions(user=security, today=dt.date(2024, 6, 1))
    assert [a.due_on for a in overdue] == [dt.date(2024, 5, 1)]


def test_overdue_actions_are_reminded_to_their_owner(security, with_secrets, make_user):
    owner = make_user("owner", ("viewer",))
    action = RemediationAction.objects.get()
    services.action_update(actor=security, action=action, expected_version=action.version, owner=owner)
    items = action_reminders(today=dt.date(2024, 6, 1))
    assert [(i.user, i.kind, i.due) for i in items] == [
        (owner, "remediation action overdue", dt.date(2024, 5, 1))
    ]
    # the owner is not in the security role: the confidential text stays out of the email
    assert "badge reader" not in items[0].subject


def test_action_without_owner_is_reminded_to_the_security_role(security, with_secrets):
    items = action_reminders(today=dt.date(2024, 6, 1))
    assert [i.user for i in items] == [security]
    assert "badge reader" in items[0].subject


def test_expiring_plans_are_current_plans_due_within_the_window(security, office):
    dakar, harare, cairo = office("dakar"), office("harare"), office("cairo")
    today = dt.date(2024, 6, 1)
    services.plan_create(
        actor=security,
        office=dakar,
        kind="bcp",
        edition="1",
        approved_on=dt.date(2022, 1, 1),
        next_review_on=dt.date(2024, 6, 20),
    )  # superseded below: not flagged
    services.plan_create(
        actor=security,
        office=dakar,
        kind="bcp",
        edition="2",
        approved_on=dt.date(2024, 1, 1),
        next_review_on=dt.date(2025, 1, 1),
    )
    services.plan_create(
        actor=security,
        office=harare,
        kind="cmp",
        edition="1",
        approved_on=dt.date(2023, 1, 1),
        next_review_on=dt.date(2024, 7, 30),
    )  # 59 days ahead
    services.plan_create(
        actor=security,
        office=cairo,
        kind="ict_dr",
        edition="1",
        approved_on=dt.date(2022, 1, 1),
        next_review_on=dt.date(2024, 5, 1),
    )  # already overdue
    services.plan_create(
        actor=security,
        office=cairo,
        kind="bcp",
        edition="1",
        approved_on=dt.date(2023, 1, 1),
        next_review_on=dt.date(2024, 8, 1),
    )  # 61 days ahead
    expiring = selectors.expiring_plans(user=security, today=today)
    assert [(p.office.code, p.kind) for p in expiring] == [("cairo", "ict_dr"), ("harare", "cmp")]


def test_plan_review_before_approval_is_a_field_error(security, office):
    with pytest.raises(ValidationError) as error:
        services.plan_create(
            actor=security,
            office=office("dakar"),
            kind="bcp",
            edition="1",
            approved_on=dt.date(2024, 1, 1),
            next_review_on=dt.date(2023, 1, 1),
        )
    assert "next_review_on" in error.value.message_dict


def test_remaining_workdays_count_open_installations_only(security, office):
    common = {"planned_start": dt.date(2025, 1, 1), "planned_end": dt.date(2025, 2, 15)}
    services.installation_create(
        actor=security, office=office("dakar"), estimated_workdays=Decimal(20), **common
    )
    services.installation_create(
        actor=security,
        office=office("harare"),
        status="in_progress",
        actual_start=dt.date(2025, 1, 2),
        estimated_workdays=Decimal(24),
        actual_workdays=Decimal(6),
        **common,
    )
    services.installation_create(
        actor=security,
        office=office("cairo"),
        status="completed",
        actual_start=dt.date(2025, 1, 2),
        actual_end=dt.date(2025, 1, 30),
        estimated_workdays=Decimal(22),
        actual_workdays=Decimal(25),
        **common,
    )
    progress = selectors.installation_progress(user=security)
    assert progress.remaining_workdays == Decimal(38)
    assert (progress.completed, progress.total) == (1, 3)
    timeline = selectors.installation_timeline(user=security, capacity=Decimal(10))
    assert sum(timeline.workload) == Decimal(38) + Decimal(25)
    assert any(timeline.over_capacity)


def test_coverage_uses_entered_staff_when_staffing_has_none_and_flags_low_offices(
    security, office, monkeypatch
):
    monkeypatch.setattr(STAFF_COUNTS, lambda dates: {})
    services.registration_create(
        actor=security,
        office=office("dakar"),
        counted_on=dt.date(2024, 5, 1),
        registered=9,
        staff_in_office=12,
    )
    services.registration_create(
        actor=security,
        office=office("cairo"),
        counted_on=dt.date(2024, 5, 1),
        registered=19,
        staff_in_office=20,
    )
    rows = {r.office.code: r for r in selectors.coverage_by_office(user=security, on=dt.date(2024, 6, 1))}
    assert rows["dakar"].percent == Decimal("75.0")
    assert rows["dakar"].below_threshold  # default threshold 80 %
    assert not rows["cairo"].below_threshold
    summary = selectors.coverage_summary(list(rows.values()))
    assert (summary.registered, summary.staff) == (28, 32)


def test_coverage_prefers_the_staffing_count(security, office, monkeypatch):
    dakar = office("dakar")
    monkeypatch.setattr(STAFF_COUNTS, lambda dates: {on: {dakar.pk: 10} for on in dates})
    services.registration_create(
        actor=security, office=dakar, counted_on=dt.date(2024, 5, 1), registered=9, staff_in_office=30
    )
    (row,) = selectors.coverage_by_office(user=security, office="dakar", on=dt.date(2024, 6, 1))
    assert (row.staff, row.staff_source, row.percent) == (10, "staffing", Decimal("90.0"))


def test_upload_of_counts_is_all_or_nothing_with_line_numbers(security, office):
    bad = b"office,counted_on,registered\ndakar,2024-05-01,9\nnowhere,2024-05-01,3\ncairo,2024-13-01,x\n"
    with pytest.raises(ValidationError) as error:
        services.registrations_import(actor=security, content=bad)
    messages = error.value.message_dict["file"]
    assert any("Line 3: unknown office" in m for m in messages)
    assert any("Line 4: counted_on" in m for m in messages)
    assert not selectors.registration_list(user=security).exists()
    good = b"office,counted_on,registered,staff_in_office\ndakar,2024-05-01,9,12\ncairo,2024-05-01,19,\n"
    assert len(services.registrations_import(actor=security, content=good)) == 2


def test_regional_editor_cannot_record_results(make_user, started, security):
    editor = make_user("afr-ed", ("editor", "AFR"))
    assessment = started()
    with pytest.raises(AccessDenied):
        services.result_record(
            actor=editor,
            assessment=assessment,
            requirement=assessment.template.requirements.first(),
            result=R.COMPLIANT,
        )


def test_coverage_compares_a_count_with_the_staff_on_the_day_it_was_made(security, office, admin_user):
    from presence.staffing import services as staffing_services

    dakar = office("dakar")
    for number, until in (("DAK-A", None), ("DAK-B", dt.date(2024, 5, 31))):
        staffing_services.post_create(
            actor=admin_user,
            number=number,
            title="Programme Officer",
            office=dakar,
            grade="P3",
            status="filled",
            incumbent="Someone",
            start_date=dt.date(2023, 1, 1),
            end_date=until,
        )
    services.registration_create(
        actor=security, office=dakar, counted_on=dt.date(2024, 5, 1), registered=2, staff_in_office=9
    )
    (row,) = selectors.coverage_by_office(user=security, office="dakar", on=dt.date(2024, 9, 1))
    # On 1 May both posts were filled; by September one incumbent had left (today's count would be 1).
    assert (row.staff, row.staff_source, row.percent) == (2, "staffing", Decimal("100.0"))
    assert not row.below_threshold


def test_pages_of_a_locked_assessment_show_no_edit_form(security, started, client):
    assessment = _complete(security, started())
    requirement = assessment.template.requirements.first()
    client.force_login(security)
    edit = client.get(f"/resilience/assessments/{assessment.pk}/edit/")
    assert edit.status_code == 302
    assert edit["Location"] == assessment.get_absolute_url()
    response = client.get(f"/resilience/assessments/{assessment.pk}/requirements/{requirement.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Locked: completed assessments cannot be changed." in page
    assert 'name="save_result"' not in page
    assert 'name="result-result"' not in page
    assert "Compliant" in page
