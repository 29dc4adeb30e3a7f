"""Every quarterly-review transition, allowed and refused; refused ones change nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from presence.core.errors import AccessDenied, InvalidTransition
from presence.core.models import AuditEntry
from presence.results import services
from presence.results.models import Indicator, IndicatorValue, QuarterlyReview
from tests.results.conftest import TODAY, Plan

Status = QuarterlyReview.Status


@pytest.fixture
def people(make_user: Callable[..., Any], plan: Plan) -> dict[str, Any]:
    return {
        "editor": make_user("afr-editor", ("editor", "AFR")),
        "dakar": make_user("dakar-editor", ("editor", "office:dakar")),
        "approver": make_user("afr-approver", ("approver", "AFR")),
        "asp_approver": make_user("asp-approver", ("approver", "ASP")),
        "editor_approver": make_user("afr-both", ("editor", "AFR"), ("approver", "AFR")),
        "admin": make_user("hq-admin", ("admin",)),
    }


def _draft(plan: Plan, author: Any, **extra: Any) -> QuarterlyReview:
    activity = extra.pop("activity", None) or plan.make_activity(office=plan.dakar)
    return services.review_create(
        actor=author,
        period=extra.pop("period", plan.q1),
        activity=activity,
        rating="on_track",
        progress="Two workshops held.",
        today=TODAY,
        **extra,
    )


def _submitted(plan: Plan, author: Any) -> QuarterlyReview:
    review = _draft(plan, author)
    return services.review_submit(actor=author, review=review, expected_version=review.version, today=TODAY)


def _unchanged(review: QuarterlyReview) -> None:
    before = (review.status, review.version)
    review.refresh_from_db()
    assert (review.status, review.version) == before


def test_editor_writes_and_submits_a_review(plan: Plan, people: dict[str, Any]) -> None:
    review = _draft(plan, people["dakar"])
    assert review.status == Status.DRAFT
    assert (review.region, review.office) == (plan.afr, plan.dakar)
    review = services.review_submit(actor=people["dakar"], review=review, expected_version=1, today=TODAY)
    assert review.status == Status.SUBMITTED
    assert review.submitted_by == people["dakar"]


def test_approver_of_the_region_approves_and_the_review_locks(plan: Plan, people: dict[str, Any]) -> None:
    review = _submitted(plan, people["editor"])
    review = services.review_approve(actor=people["approver"], review=review, expected_version=review.version)
    assert review.status == Status.APPROVED
    assert review.decided_by == people["approver"]
    with pytest.raises(InvalidTransition, match="approved and locked"):
        services.review_update(
            actor=people["editor"],
            review=review,
            expected_version=review.version,
            progress="changed",
            today=TODAY,
        )
    _unchanged(review)
    assert review.progress == "Two workshops held."


def test_approver_returns_with_comment_and_editing_puts_it_back_to_draft(
    plan: Plan, people: dict[str, Any]
) -> None:
    review = _submitted(plan, people["editor"])
    review = services.review_return(
        actor=people["approver"],
        review=review,
        expected_version=review.version,
        comment="Add the number of participants.",
    )
    assert review.status == Status.RETURNED
    assert review.return_comment == "Add the number of participants."
    review = services.review_update(
        actor=people["editor"],
        review=review,
        expected_version=review.version,
        progress="Two workshops, 64 participants.",
        today=TODAY,
    )
    assert review.status == Status.DRAFT
    review = services.review_submit(
        actor=people["editor"], review=review, expected_version=review.version, today=TODAY
    )
    assert review.status == Status.SUBMITTED
    assert review.return_comment == ""


def test_a_returned_review_can_be_resubmitted_directly(plan: Plan, people: dict[str, Any]) -> None:
    review = _submitted(plan, people["editor"])
    review = services.review_return(
        actor=people["approver"], review=review, expected_version=review.version, comment="Please confirm."
    )
    review = services.review_submit(
        actor=people["editor"], review=review, expected_version=review.version, today=TODAY
    )
    assert review.status == Status.SUBMITTED


def test_returning_without_a_comment_is_refused_and_changes_nothing(
    plan: Plan, people: dict[str, Any]
) -> None:
    review = _submitted(plan, people["editor"])
    with pytest.raises(ValidationError) as error:
        services.review_return(
            actor=people["approver"], review=review, expected_version=review.version, comment="  "
        )
    assert "return_comment" in error.value.message_dict
    _unchanged(review)
    assert review.status == Status.SUBMITTED


def test_submitting_an_approved_review_is_refused(plan: Plan, people: dict[str, Any]) -> None:
    review = _submitted(plan, people["editor"])
    review = services.review_approve(actor=people["approver"], review=review, expected_version=review.version)
    with pytest.raises(InvalidTransition, match="Only a draft or returned review can be submitted"):
        services.review_submit(
            actor=people["editor"], review=review, expected_version=review.version, today=TODAY
        )
    _unchanged(review)
    assert review.status == Status.APPROVED


def test_submitting_twice_is_refused(plan: Plan, people: dict[str, Any]) -> None:
    review = _submitted(plan, people["editor"])
    with pytest.raises(InvalidTransition):
        services.review_submit(
            actor=people["editor"], review=review, expected_version=review.version, today=TODAY
        )
    _unchanged(review)


def test_submitting_without_rating_or_progress_names_the_fields(plan: Plan, people: dict[str, Any]) -> None:
    activity = plan.make_activity()
    review = services.review_create(actor=people["editor"], period=plan.q1, activity=activity, today=TODAY)
    with pytest.raises(ValidationError) as error:
        services.review_submit(actor=people["editor"], review=review, expected_version=1, today=TODAY)
    assert set(error.value.message_dict) == {"rating", "progress"}
    _unchanged(review)


def test_approving_ones_own_review_is_refused(plan: Plan, people: dict[str, Any]) -> None:
    both = people["editor_approver"]
    review = _submitted(plan, both)
    with pytest.raises(AccessDenied, match="another approver must decide"):
        services.review_approve(actor=both, review=review, expected_version=review.version)
    with pytest.raises(AccessDenied):
        services.review_return(actor=both, review=review, expected_version=review.version, comment="self")
    _unchanged(review)
    assert review.status == Status.SUBMITTED


def test_approving_outside_ones_scope_is_refused(plan: Plan, people: dict[str, Any]) -> None:
    review = _submitted(plan, people["editor"])
    with pytest.raises(AccessDenied, match="not allowed to approve"):
        services.review_approve(actor=people["asp_approver"], review=review, expected_version=review.version)
    _unchanged(review)


def test_an_editor_cannot_approve(plan: Plan, people: dict[str, Any]) -> None:
    review = _submitted(plan, people["dakar"])
    with pytest.raises(AccessDenied):
        services.review_approve(actor=people["editor"], review=review, expected_version=review.version)
    _unchanged(review)


def test_approving_a_draft_is_refused(plan: Plan, people: dict[str, Any]) -> None:
    review = _draft(plan, people["editor"])
    with pytest.raises(InvalidTransition, match="Only a submitted review"):
        services.review_approve(actor=people["approver"], review=review, expected_version=review.version)
    _unchanged(review)


def test_editing_a_closed_period_as_an_editor_is_refused(plan: Plan, people: dict[str, Any]) -> None:
    review = _draft(plan, people["editor"])
    after_deadline = plan.q1.submission_deadline + dt.timedelta(days=1)
    with pytest.raises(InvalidTransition, match="closed for editors"):
        services.review_update(
            actor=people["editor"],
            review=review,
            expected_version=review.version,
            progress="late",
            today=after_deadline,
        )
    with pytest.raises(InvalidTransition, match="closed for editors"):
        services.review_submit(
            actor=people["editor"], review=review, expected_version=review.version, today=after_deadline
        )
    _unchanged(review)
    assert review.progress == "Two workshops held."


def test_creating_a_review_in_a_closed_period_is_refused_for_editors(
    plan: Plan, people: dict[str, Any]
) -> None:
    activity = plan.make_activity(year=2023)
    with pytest.raises(InvalidTransition, match="closed for editors"):
        services.review_create(actor=people["editor"], period=plan.q4_2023, activity=activity, today=TODAY)
    assert not QuarterlyReview.objects.exists()


def test_an_admin_can_still_act_on_a_closed_period(plan: Plan, people: dict[str, Any]) -> None:
    activity = plan.make_activity(year=2023)
    review = services.review_create(
        actor=people["admin"],
        period=plan.q4_2023,
        activity=activity,
        rating="completed",
        progress="Done.",
        today=TODAY,
    )
    review = services.review_submit(actor=people["admin"], review=review, expected_version=1, today=TODAY)
    assert review.status == Status.SUBMITTED


def test_only_an_admin_reopens_an_approved_review_and_the_reason_is_kept(
    plan: Plan, people: dict[str, Any]
) -> None:
    review = _submitted(plan, people["editor"])
    review = services.review_approve(actor=people["approver"], review=review, expected_version=review.version)
    with pytest.raises(AccessDenied, match="Only an administrator"):
        services.review_reopen(
            actor=people["approver"], review=review, expected_version=review.version, reason="typo"
        )
    _unchanged(review)
    with pytest.raises(ValidationError) as error:
        services.review_reopen(
            actor=people["admin"], review=review, expected_version=review.version, reason=""
        )
    assert "reason" in error.value.message_dict
    _unchanged(review)
    review = services.review_reopen(
        actor=people["admin"],
        review=review,
        expected_version=review.version,
        reason="Participants double-counted.",
    )
    assert review.status == Status.DRAFT
    entry = AuditEntry.objects.filter(object_id=str(review.pk), action="transition").first()
    assert entry is not None
    assert entry.reason == "Participants double-counted."
    assert entry.changes["status"] == ["approved", "draft"]


def test_reopening_a_draft_is_refused(plan: Plan, people: dict[str, Any]) -> None:
    review = _draft(plan, people["editor"])
    with pytest.raises(InvalidTransition):
        services.review_reopen(
            actor=people["admin"], review=review, expected_version=review.version, reason="x"
        )
    _unchanged(review)


def test_an_editor_of_another_region_cannot_write_the_review(
    plan: Plan, make_user: Callable[..., Any], people: dict[str, Any]
) -> None:
    outsider = make_user("asp-editor", ("editor", "ASP"))
    with pytest.raises(AccessDenied):
        _draft(plan, outsider)
    assert not QuarterlyReview.objects.exists()


def test_a_second_review_for_the_same_quarter_is_refused(plan: Plan, people: dict[str, Any]) -> None:
    review = _draft(plan, people["editor"])
    with pytest.raises(ValidationError) as error:
        _draft(plan, people["editor"], activity=review.activity)
    assert "period" in error.value.message_dict
    assert QuarterlyReview.objects.count() == 1


def test_a_review_returned_after_the_deadline_can_still_be_corrected_and_resubmitted(
    plan: Plan, people: dict[str, Any]
) -> None:
    review = _submitted(plan, people["editor"])
    indicator = Indicator.objects.create(
        code="K-RET", name="Trained", activity=review.activity, region=plan.afr
    )
    after_deadline = plan.q1.submission_deadline + dt.timedelta(days=10)
    review = services.review_return(
        actor=people["approver"], review=review, expected_version=review.version, comment="Add the figures."
    )
    review = services.review_update(
        actor=people["editor"],
        review=review,
        expected_version=review.version,
        actuals={indicator.pk: "12"},
        progress="Two workshops held; 12 people trained.",
        today=after_deadline,
    )
    assert review.status == Status.DRAFT
    assert IndicatorValue.objects.get(indicator=indicator, quarter=plan.q1.quarter).actual == 12
    review = services.review_submit(
        actor=people["editor"], review=review, expected_version=review.version, today=after_deadline
    )
    assert review.status == Status.SUBMITTED
    # Once resubmitted, the closed quarter holds again for editors.
    with pytest.raises(InvalidTransition, match="closed for editors"):
        services.indicator_value_set(
            actor=people["editor"],
            indicator=indicator,
            year=plan.q1.year,
            quarter=plan.q1.quarter,
            actual="13",
            today=after_deadline,
        )


def test_the_page_of_a_returned_review_offers_its_editor_the_edit_form_after_the_deadline(
    plan: Plan, people: dict[str, Any], login: Callable[[Any], Any]
) -> None:
    review = _submitted(plan, people["editor"])  # 2024 Q1: long closed
    client = login(people["editor"])
    review = services.review_return(
        actor=people["approver"], review=review, expected_version=review.version, comment="Add the figures."
    )
    page = client.get(f"/results/reviews/{review.pk}/").content.decode()
    assert f"/results/reviews/{review.pk}/edit/" in page
    assert "quarter closed for editors" not in page
    edited = client.post(
        f"/results/reviews/{review.pk}/edit/",
        {
            "rating": "on_track",
            "progress": "Corrected.",
            "risks": "",
            "next_steps": "",
            "version": review.version,
        },
    )
    assert edited.status_code == 302, edited.content.decode()[:2000]
    review.refresh_from_db()
    assert (review.status, review.progress) == (Status.DRAFT, "Corrected.")


def test_the_edit_page_of_an_approved_review_shows_no_form(
    plan: Plan, people: dict[str, Any], login: Callable[[Any], Any]
) -> None:
    review = _submitted(plan, people["editor"])
    review = services.review_approve(actor=people["approver"], review=review, expected_version=review.version)
    response = login(people["editor"]).get(f"/results/reviews/{review.pk}/edit/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(f"/results/reviews/{review.pk}/", 302)]
    assert "cannot be edited now" in page
    assert 'name="progress"' not in page
