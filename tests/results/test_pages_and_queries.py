"""Pages render for the right people, exports work, and query counts do not grow with the data."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from presence.results import services
from presence.results.models import Indicator, IndicatorValue, QuarterlyReview
from presence.results.selectors import framework_tree
from tests.results.conftest import Plan


def _grow(plan: Plan, n: int, editor: Any) -> None:
    for index in range(n):
        activity = plan.make_activity(office=plan.dakar)
        indicator = Indicator.objects.create(
            code=f"{activity.code}-K",
            name="Participants",
            activity=activity,
            region=activity.region,
            office=activity.responsible_office,
        )
        IndicatorValue.objects.create(
            indicator=indicator, year=2024, quarter=0, target=Decimal(10), actual=Decimal(5)
        )
        review = QuarterlyReview.objects.create(
            period=plan.q1,
            activity=activity,
            region=activity.region,
            office=activity.responsible_office,
            rating="on_track",
            progress="ok",
        )
        if index % 2 == 0:
            services.review_submit(actor=editor, review=review, expected_version=1, today=dt.date(2024, 4, 1))


@pytest.fixture
def people(make_user: Callable[..., Any], plan: Plan) -> dict[str, Any]:
    return {
        "editor": make_user("afr-editor", ("editor", "AFR")),
        "approver": make_user("afr-approver", ("approver", "AFR"), ("viewer",)),
    }


@pytest.mark.parametrize("url", ["/results/", "/results/activities/?year=2024", "/results/reviews/"])
def test_query_count_does_not_grow_with_activities(
    plan: Plan,
    people: dict[str, Any],
    login: Callable[[Any], Any],
    count_queries: Callable[[Callable[[], Any]], int],
    url: str,
) -> None:
    client = login(people["approver"])
    _grow(plan, 3, people["editor"])
    small = count_queries(lambda: client.get(url))
    _grow(plan, 12, people["editor"])
    large = count_queries(lambda: client.get(url))
    assert small == large


def test_framework_tree_selector_query_count_is_constant(
    plan: Plan, people: dict[str, Any], admin_user: Any, count_queries: Callable[[Callable[[], Any]], int]
) -> None:
    _grow(plan, 2, people["editor"])
    framework_tree(user=admin_user, framework=plan.framework, year=2024)  # reads the user's roles once
    small = count_queries(lambda: framework_tree(user=admin_user, framework=plan.framework, year=2024))
    _grow(plan, 10, people["editor"])
    assert (
        count_queries(lambda: framework_tree(user=admin_user, framework=plan.framework, year=2024)) == small
    )


def test_activity_list_filters_and_exports(plan: Plan, admin_user: Any, login: Callable[[Any], Any]) -> None:
    plan.make_activity(region=plan.afr, budget="1000")
    plan.make_activity(region=plan.asp, budget="2500")
    client = login(admin_user)
    page = client.get("/results/activities/?year=2024&region=ASP")
    assert page.status_code == 200
    assert [a.region.code for a in page.context["activities"]] == ["ASP"]
    csv = client.get("/results/activities/?year=2024&region=ASP&format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().strip().splitlines()
    assert len(lines) == 2
    assert "2500.00" in lines[1]
    xlsx = client.get("/results/activities/?format=xlsx")
    assert xlsx["Content-Disposition"].endswith('.xlsx"')


def test_inbox_and_home_panel_show_my_reviews(
    plan: Plan, people: dict[str, Any], login: Callable[[Any], Any]
) -> None:
    _grow(plan, 2, people["editor"])
    client = login(people["approver"])
    inbox = client.get("/results/reviews/")
    assert inbox.status_code == 200
    assert len(inbox.context["groups"]["approve"]) == 1
    home = client.get("/")
    assert "My reviews" in home.content.decode()


def test_review_pages_walk_the_workflow(
    plan: Plan, people: dict[str, Any], login: Callable[[Any], Any], admin_user: Any
) -> None:
    activity = plan.make_activity(office=plan.dakar)
    indicator = Indicator.objects.create(
        code="K",
        name="Participants",
        activity=activity,
        region=activity.region,
        office=activity.responsible_office,
    )
    editor = login(people["editor"])
    # The Q1 2024 deadline is long past today, so only an administrator may write it now.
    refused = editor.post(
        f"/results/reviews/new/{plan.q1.pk}/activity/{activity.pk}/", {"rating": "on_track", "progress": "ok"}
    )
    assert "closed for editors" in refused.content.decode()
    assert not QuarterlyReview.objects.exists()
    admin = login(admin_user)
    created = admin.post(
        f"/results/reviews/new/{plan.q1.pk}/activity/{activity.pk}/",
        {"rating": "on_track", "progress": "Workshop held", f"actual_{indicator.pk}": "12"},
    )
    review = QuarterlyReview.objects.get()
    assert created.status_code == 302
    assert IndicatorValue.objects.get(indicator=indicator, quarter=1).actual == Decimal(12)
    admin.post(f"/results/reviews/{review.pk}/submit/", {"version": review.version})
    review.refresh_from_db()
    assert review.status == "submitted"
    approver = login(people["approver"])
    detail = approver.get(f"/results/reviews/{review.pk}/")
    assert "Approve" in detail.content.decode()
    approver.post(f"/results/reviews/{review.pk}/return/", {"version": review.version, "comment": ""})
    review.refresh_from_db()
    assert review.status == "submitted"  # a return needs a comment
    approver.post(f"/results/reviews/{review.pk}/approve/", {"version": review.version})
    review.refresh_from_db()
    assert review.status == "approved"


def test_indicator_page_has_a_chart_and_a_table(
    plan: Plan, admin_user: Any, login: Callable[[Any], Any]
) -> None:
    activity = plan.make_activity()
    indicator = Indicator.objects.create(
        code="K",
        name="Participants",
        activity=activity,
        region=activity.region,
        office=activity.responsible_office,
    )
    IndicatorValue.objects.create(indicator=indicator, year=2024, quarter=0, target=Decimal(100))
    IndicatorValue.objects.create(indicator=indicator, year=2024, quarter=1, actual=Decimal(30))
    content = login(admin_user).get(f"/results/indicators/{indicator.pk}/").content.decode()
    assert "<svg" in content
    assert 'role="img"' in content
    assert "<table" in content
    assert "2024 Q1" in content


def test_quarter_overview_counts_states_and_overdue(
    plan: Plan, people: dict[str, Any], admin_user: Any, login: Callable[[Any], Any]
) -> None:
    _grow(plan, 4, people["editor"])
    plan.make_activity()  # never reviewed
    response = login(admin_user).get("/results/quarters/2024/1/")
    rows = {row.region.code if row.region else "": row for row in response.context["rows"]}
    afr = rows["AFR"]
    assert afr.expected == 5
    assert afr.missing == 1
    assert afr.submitted + afr.draft == 4
    assert afr.overdue == afr.missing + afr.draft  # Q1 2024 closed long ago
    assert sum(n for _label, n in afr.rating_list) == afr.submitted
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', response.content.decode())
    assert len(headers) == len(set(headers)), headers  # "Not started" was once two columns' heading
    assert "Not written" in headers
    assert "Not started" in headers  # the status rating


def test_budget_page_compares_methods_that_each_add_up(
    plan: Plan, admin_user: Any, login: Callable[[Any], Any]
) -> None:
    plan.make_activity(region=plan.afr, budget="600")
    plan.make_activity(region=plan.asp, budget="400")
    response = login(admin_user).get("/results/budget/?year=2024")
    assert response.status_code == 200
    context = response.context
    assert context["amount"] == Decimal(1000)
    for total in context["totals"].values():
        assert total in (Decimal(1000), Decimal(0))  # portfolio may be empty
    rows = {row.region.code: row for row in context["rows"]}
    assert rows["AFR"].actual == Decimal(600)
    assert rows["AFR"].shares["straight_line"] == Decimal("166.67") or rows["AFR"].shares[
        "straight_line"
    ] == Decimal("166.66")
    assert rows["AFR"].shares["member_states"] > rows["EUR"].shares["straight_line"] * 0  # computed
