"""The review list: filters in the URL, a caption total equal to its export, access rules, query count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from presence.org.models import Office
from presence.portfolio.models import Project
from presence.results import selectors
from presence.results.models import Activity, QuarterlyReview, ReportingPeriod
from tests.dashboard.conftest import csv_rows
from tests.results.conftest import Plan

Status = QuarterlyReview.Status


def _review(period: ReportingPeriod, subject: Any, status: str, **extra: Any) -> QuarterlyReview:
    kind = "activity" if isinstance(subject, Activity) else "project"
    office = subject.responsible_office if kind == "activity" else subject.lead_office
    return QuarterlyReview.objects.create(
        period=period,
        region=subject.region,
        office=office,
        status=status,
        rating="on_track",
        progress="Progress as planned.",
        **{kind: subject},
        **extra,
    )


@pytest.fixture
def reviews(plan: Plan, make_user: Callable[..., Any]) -> dict[str, QuarterlyReview]:
    """Six reviews in known places, quarters and states (see each key)."""
    q2 = ReportingPeriod.objects.get(year=2024, quarter=2)
    addis = Office.objects.get(code="addis-ababa")
    submitter = make_user("amina", ("editor", "AFR"))
    submitter.first_name, submitter.last_name = "Amina", "Submitter"
    submitter.save()
    project = Project.objects.create(
        code="9RAF24001",
        title="Smart villages",
        status=Project.Status.IMPLEMENTATION,
        planned_start=dt.date(2023, 1, 1),
        planned_end=dt.date(2025, 12, 31),
        lead_office=plan.dakar,
        region=plan.afr,
    )
    global_activity = Activity.objects.create(
        year=2024,
        code="G001",
        title="Global measurement",
        level="global",
        region=None,
        responsible_office=Office.objects.get(code="geneva"),
    )
    return {
        "afr-dakar-approved": _review(plan.q1, plan.make_activity(office=plan.dakar), Status.APPROVED),
        "afr-dakar-submitted": _review(
            plan.q1, plan.make_activity(office=plan.dakar), Status.SUBMITTED, submitted_by=submitter
        ),
        "afr-addis-returned": _review(plan.q1, plan.make_activity(office=addis), Status.RETURNED),
        "asp-2023-draft": _review(plan.q4_2023, plan.make_activity(region=plan.asp, year=2023), Status.DRAFT),
        "afr-project-submitted": _review(plan.q1, project, Status.SUBMITTED),
        "global-q2-draft": _review(q2, global_activity, Status.DRAFT),
    }


def _listed(client: Client, query: str) -> list[str]:
    """Codes on the list page, after checking its caption and its CSV export give the same total."""
    page = client.get(f"/results/reviews/all/?{query}")
    assert page.status_code == 200
    total = page.context["page"].paginator.count
    caption = f"{total} review" if total == 1 else f"{total} reviews"
    assert f"<caption>{caption}" in page.content.decode()
    exported = csv_rows(client.get(f"/results/reviews/all/?{query}&format=csv").content)
    assert len(exported) == total
    return sorted(row["code"] for row in exported)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"afr-dakar-approved", "afr-dakar-submitted", "afr-addis-returned", "asp-2023-draft",
              "afr-project-submitted", "global-q2-draft"}),
        ("year=2024", {"afr-dakar-approved", "afr-dakar-submitted", "afr-addis-returned",
                       "afr-project-submitted", "global-q2-draft"}),
        ("year=2024&quarter=1", {"afr-dakar-approved", "afr-dakar-submitted", "afr-addis-returned",
                                 "afr-project-submitted"}),
        ("region=AFR", {"afr-dakar-approved", "afr-dakar-submitted", "afr-addis-returned",
                        "afr-project-submitted"}),
        ("region=global", {"global-q2-draft"}),
        ("office=dakar", {"afr-dakar-approved", "afr-dakar-submitted", "afr-project-submitted"}),
        ("status=submitted", {"afr-dakar-submitted", "afr-project-submitted"}),
        ("status=returned&region=AFR", {"afr-addis-returned"}),
        ("kind=project", {"afr-project-submitted"}),
        ("kind=activity&office=dakar", {"afr-dakar-approved", "afr-dakar-submitted"}),
        # Every quarter's deadline is long past: all but the approved review are overdue.
        ("overdue=1", {"afr-dakar-submitted", "afr-addis-returned", "asp-2023-draft",
                       "afr-project-submitted", "global-q2-draft"}),
        ("overdue=1&year=2024&quarter=1&region=AFR&office=dakar&kind=activity", {"afr-dakar-submitted"}),
    ],
)  # fmt: skip
def test_each_filter_narrows_the_list_and_its_export_to_the_same_total(
    reviews: dict[str, QuarterlyReview],
    admin_user: Any,
    login: Callable[[Any], Any],
    query: str,
    expected: set[str],
) -> None:
    client = login(admin_user)
    assert _listed(client, query) == sorted(reviews[key].subject.code for key in expected)


def test_overdue_means_not_approved_after_the_quarters_deadline(
    reviews: dict[str, QuarterlyReview], admin_user: Any
) -> None:
    def overdue(day: dt.date) -> set[int]:
        found = selectors.review_list(user=admin_user, overdue=True, today=day)
        return set(found.values_list("pk", flat=True))

    # 15 April 2024: only Q4 2023 (deadline 30 January 2024) is closed.
    assert overdue(dt.date(2024, 4, 15)) == {reviews["asp-2023-draft"].pk}
    # On Q1's deadline day the quarter is still open; the day after, its unapproved reviews are overdue.
    assert reviews["afr-dakar-submitted"].pk not in overdue(dt.date(2024, 4, 30))
    after = overdue(dt.date(2024, 5, 1))
    assert reviews["afr-dakar-submitted"].pk in after
    assert reviews["afr-addis-returned"].pk in after
    assert reviews["afr-dakar-approved"].pk not in after


def test_the_list_shows_only_the_reviews_the_viewer_may_see(
    reviews: dict[str, QuarterlyReview], make_user: Callable[..., Any], login: Callable[[Any], Any]
) -> None:
    client = login(make_user("dakar-only", ("editor", "office:dakar")))
    codes = _listed(client, "")
    mine = ("afr-dakar-approved", "afr-dakar-submitted", "afr-project-submitted")
    assert codes == sorted(reviews[k].subject.code for k in mine)
    asp_editor = login(make_user("asp-only", ("editor", "ASP")))
    assert _listed(asp_editor, "region=AFR") == []


def test_member_state_viewers_see_reviews_without_peoples_names(
    reviews: dict[str, QuarterlyReview], make_user: Callable[..., Any], login: Callable[[Any], Any]
) -> None:
    client = login(make_user("delegate", ("member_state",)))
    page = client.get("/results/reviews/all/?status=submitted")
    assert page.context["page"].paginator.count == 2
    assert "Amina" not in page.content.decode()
    exported = client.get("/results/reviews/all/?status=submitted&format=csv").content.decode()
    assert "Amina" not in exported
    assert "submitted_by" not in exported
    xlsx = client.get("/results/reviews/all/?status=submitted&format=xlsx")
    assert xlsx["Content-Disposition"].endswith('.xlsx"')
    names = make_user("afr-reader", ("viewer",))
    assert "Amina Submitter" in login(names).get("/results/reviews/all/?status=submitted").content.decode()


def test_a_bad_filter_is_a_400_reported_on_its_field(
    reviews: dict[str, QuarterlyReview], admin_user: Any, login: Callable[[Any], Any]
) -> None:
    client = login(admin_user)
    page = client.get("/results/reviews/all/?year=abc&status=submitted&quarter=7")
    assert page.status_code == 400
    body = page.content.decode()
    assert 'id="id_year_error"' in body
    assert 'id="id_quarter_error"' in body
    assert page.context["page"].paginator.count == 0


def test_the_inbox_links_to_the_review_list(
    reviews: dict[str, QuarterlyReview], admin_user: Any, login: Callable[[Any], Any]
) -> None:
    assert "/results/reviews/all/" in login(admin_user).get("/results/reviews/").content.decode()


def test_review_list_query_count_does_not_grow_with_the_reviews(
    plan: Plan,
    make_user: Callable[..., Any],
    login: Callable[[Any], Any],
    count_queries: Callable[[Callable[[], Any]], int],
) -> None:
    submitter = make_user("submitter", ("editor", "AFR"))
    client = login(make_user("reader", ("viewer", "AFR"), ("approver", "AFR")))

    def grow(n: int) -> None:
        for _index in range(n):
            _review(plan.q1, plan.make_activity(office=plan.dakar), Status.SUBMITTED, submitted_by=submitter)

    urls = ["/results/reviews/all/?year=2024", "/results/reviews/all/?overdue=1&region=AFR&format=csv"]
    grow(3)
    small = [count_queries(lambda url=url: client.get(url)) for url in urls]
    grow(12)
    large = [count_queries(lambda url=url: client.get(url)) for url in urls]
    assert small == large


def test_api_lists_reviews_with_the_same_filters_and_refuses_unknown_values(
    reviews: dict[str, QuarterlyReview], admin_user: Any, login: Callable[[Any], Any]
) -> None:
    client = login(admin_user)
    found = client.get("/api/results/reviews/?office=dakar&kind=activity&overdue=true").json()
    assert [item["id"] for item in found["items"]] == [reviews["afr-dakar-submitted"].pk]
    bad = client.get("/api/results/reviews/?status=finished")
    assert bad.status_code == 422
    assert "status" in bad.content.decode()
    assert client.get("/api/results/reviews/?kind=event").status_code == 422


def test_the_review_quarter_is_the_latest_with_reviews_else_the_current_one(
    reviews: dict[str, QuarterlyReview], admin_user: Any, make_user: Callable[..., Any]
) -> None:
    today = dt.date(2024, 8, 10)
    quarter, period = selectors.review_quarter(user=admin_user, year=2024, today=today)
    assert (quarter, period) == (2, ReportingPeriod.objects.get(year=2024, quarter=2))
    # A viewer who cannot see the global Q2 review gets the latest quarter of their own reviews.
    afr_only = make_user("afr-viewer", ("viewer", "AFR"))
    assert selectors.review_quarter(user=afr_only, year=2024, today=today)[0] == 1
    # No review in the year: the current quarter this year, the 4th of a past year, the 1st of a future one.
    assert selectors.review_quarter(user=admin_user, year=2025, today=dt.date(2025, 8, 10)) == (3, None)
    assert selectors.review_quarter(user=admin_user, year=2022, today=today) == (4, None)
    assert selectors.review_quarter(user=admin_user, year=2030, today=today) == (1, None)
