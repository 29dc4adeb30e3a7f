"""Quarterly review status on the dashboard: tiles and a chart that drill down to equal review lists."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from presence.dashboard import selectors
from presence.dashboard.filters import DashboardFilters
from presence.results.models import QuarterlyReview
from presence.results.selectors import review_quarter
from tests.dashboard.conftest import csv_rows

REVIEW_FIGURES = ["reviews-submitted", "reviews-approved", "reviews-returned", "reviews-overdue"]


def _reviews_section(
    user: Any, year: int, mode: str, region: str = "", office: str = ""
) -> selectors.Section:
    data = selectors.dashboard(
        user=user, filters=DashboardFilters(year=year, region=region, office=office), mode=mode
    )
    return next(section for section in data.sections if section.key == "reviews")


def _list_total(client: Client, url: str) -> int:
    page = client.get(url)
    assert page.status_code == 200, url
    total: int = page.context["page"].paginator.count
    caption = f"{total} review" if total == 1 else f"{total} reviews"
    assert f"<caption>{caption}" in page.content.decode(), url
    assert len(csv_rows(client.get(f"{url}&format=csv").content)) == total, url
    return total


@pytest.mark.parametrize("username", ["admin", "delegate", "afr.approver"])
@pytest.mark.parametrize(
    ("mode", "region", "office"), [("region", "", ""), ("office", "AFR", ""), ("office", "AFR", "dakar")]
)
def test_each_review_figure_and_chart_bar_equals_the_total_of_the_review_list_it_links_to(
    demo_user: Any, client: Client, username: str, mode: str, region: str, office: str
) -> None:
    user = demo_user(username)
    client.force_login(user)
    year = timezone.localdate().year
    section = _reviews_section(user, year, mode, region, office)
    assert [figure.key for figure in section.figures] == REVIEW_FIGURES
    for figure in section.figures:
        assert figure.url.startswith("/results/reviews/all/?"), figure.key
        assert f"year={year}" in figure.url
        assert _list_total(client, figure.url) == figure.value, figure.key
    (chart,) = section.charts
    checked = 0
    for series in chart.series:
        for point in series.points:
            if point.category in chart.categories:
                assert _list_total(client, point.url) == point.value, (series.name, point.category)
                checked += point.value or 0
    assert checked > 0
    if mode == "region":  # regions, multi-regional and global together hold every review of the quarter
        quarter_list = section.figures[0].url.replace("&status=submitted", "")
        assert _list_total(client, quarter_list) == checked


def test_the_demo_year_under_way_shows_its_latest_reviewed_quarter_with_work_in_every_state(
    demo_user: Any, client: Client
) -> None:
    admin = demo_user("admin")
    year = timezone.localdate().year
    quarter, period = review_quarter(user=admin, year=year, today=timezone.localdate())
    assert period is not None
    assert QuarterlyReview.objects.filter(period__year=year, period__quarter__gt=quarter).count() == 0
    section = _reviews_section(admin, year, "region")
    assert f"{year} Q{quarter}" in section.title
    values = {figure.key: figure.value for figure in section.figures}
    assert values["reviews-approved"]
    # After the deadline every review not approved is overdue: awaiting approval, returned or draft.
    if period.is_closed(timezone.localdate()):
        drafts = QuarterlyReview.objects.filter(period=period, status="draft").count()
        assert values["reviews-overdue"] == values["reviews-submitted"] + values["reviews-returned"] + drafts
    client.force_login(admin)
    page = client.get(f"/dashboard/?year={year}").content.decode()
    assert 'data-figure="reviews-submitted"' in page
    assert 'id="chart-reviews"' in page
    region_page = client.get(f"/dashboard/regions/AFR/?year={year}").content.decode()
    assert "/results/reviews/all/?year=" in region_page
    assert "&amp;region=AFR&amp;office=dakar" in region_page


def test_member_state_viewers_see_the_review_counts_and_the_public_sees_them_without_links(
    demo_user: Any, client: Client, settings: Any
) -> None:
    year = timezone.localdate().year
    admin_values = [f.value for f in _reviews_section(demo_user("admin"), year, "region").figures]
    client.force_login(demo_user("delegate"))
    page = client.get(f"/dashboard/?year={year}").content.decode()
    assert 'data-figure="reviews-approved"' in page
    delegate_values = [f.value for f in _reviews_section(demo_user("delegate"), year, "region").figures]
    assert delegate_values == admin_values
    client.logout()
    settings.PUBLIC_DASHBOARD = True
    public = client.get(f"/dashboard/?year={year}").content.decode()
    assert '<span data-figure="reviews-approved">' in public


def test_the_implementation_share_links_to_the_approved_activity_reviews_of_the_year(demo_user: Any) -> None:
    data = selectors.dashboard(
        user=demo_user("admin"), filters=DashboardFilters(year=2024, region="AFR"), mode="office"
    )
    figure = next(f for s in data.sections for f in s.figures if f.key == "implementation")
    assert figure.url == "/results/reviews/all/?year=2024&status=approved&kind=activity&region=AFR"


def test_the_review_chart_downloads_as_csv(demo_user: Any, client: Client) -> None:
    client.force_login(demo_user("afr.editor"))
    rows = csv_rows(client.get("/dashboard/?year=2024&chart=reviews&format=csv").content)
    afr = next(row for row in rows if row["category"] == "AFR")
    assert int(afr["total"]) > 0
