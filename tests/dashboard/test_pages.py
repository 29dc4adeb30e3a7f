"""Dashboard pages on the demo data: every role, drill-down totals, downloads, member-state view."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from presence.dashboard import selectors
from presence.dashboard.filters import DashboardFilters
from presence.org.demo import DEMO_USERS
from presence.resilience.models import Finding
from presence.staffing.models import Post
from tests.dashboard.conftest import csv_rows

PAGES = ("/dashboard/?year=2024", "/dashboard/regions/AFR/?year=2024", "/dashboard/offices/dakar/?year=2024")


def test_every_demo_role_opens_the_overview_region_and_office_pages(demo_user: Any, client: Client) -> None:
    for username, *_rest in DEMO_USERS:
        client.force_login(demo_user(username))
        for url in PAGES:
            response = client.get(url)
            assert response.status_code == 200, (username, url)
            assert b'data-figure="projects"' in response.content


def test_anonymous_visitors_are_sent_to_log_in_unless_the_public_dashboard_is_on(
    demo: None, client: Client, settings: Any
) -> None:
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    settings.PUBLIC_DASHBOARD = True
    public = client.get("/dashboard/?year=2024")
    assert public.status_code == 200
    assert b"Member-State view" in public.content
    assert client.get("/dashboard/offices/dakar/?year=2024").status_code == 200


# Figures that add up a column of their list rather than count its rows.
SUMMED = {"participants": "participants_total"}


def _count_in_list(client: Client, url: str, key: str = "") -> int:
    response = client.get(f"{url}{'&' if '?' in url else '?'}format=csv")
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/csv"), url
    rows = csv_rows(response.content)
    if key in SUMMED:
        return sum(int(row[SUMMED[key]] or 0) for row in rows)
    return len(rows)


@pytest.mark.parametrize(
    ("mode", "region", "office"), [("region", "", ""), ("office", "AFR", ""), ("office", "AFR", "dakar")]
)
def test_every_count_equals_the_total_of_the_list_it_links_to(
    demo_user: Any, client: Client, mode: str, region: str, office: str
) -> None:
    admin = demo_user("admin")
    client.force_login(admin)
    data = selectors.dashboard(
        user=admin, filters=DashboardFilters(year=2024, region=region, office=office), mode=mode
    )
    checked = 0
    for section in data.sections:
        for figure in section.figures:
            if figure.unit or not figure.url:
                continue
            assert _count_in_list(client, figure.url, figure.key) == figure.value, figure.key
            checked += 1
        for chart in section.charts:
            if chart.unit:
                continue
            for series in chart.series:
                for point in series.points:
                    if point.url and point.category in chart.categories and point.value is not None:
                        assert _count_in_list(client, point.url, chart.key) == point.value, (chart.key, point)
                        checked += 1
    assert checked > 10


def test_funding_figures_equal_the_chf_total_of_the_contributions_they_link_to(
    demo_user: Any, client: Client
) -> None:
    admin = demo_user("admin")
    client.force_login(admin)
    data = selectors.dashboard(user=admin, filters=DashboardFilters(year=2023))
    funding = [f for s in data.sections for f in s.figures if f.key.startswith("funding")]
    assert len(funding) >= 2
    for figure in funding:
        rows = csv_rows(client.get(f"{figure.url}{'&' if '?' in figure.url else '?'}format=csv").content)
        total = sum((Decimal(row["chf"]) for row in rows if row["chf"]), Decimal(0)) / 1000
        assert abs(total - Decimal(figure.value or 0)) <= Decimal("0.1"), figure.key


def test_each_chart_downloads_its_data_as_csv_and_xlsx(demo_user: Any, client: Client) -> None:
    client.force_login(demo_user("afr.editor"))
    csv_response = client.get("/dashboard/?year=2024&chart=projects&format=csv")
    rows = csv_rows(csv_response.content)
    assert {row["category"] for row in rows} >= {"AFR", "AMS", "MUL"}
    page = client.get("/dashboard/?year=2024")
    afr = next(row for row in rows if row["category"] == "AFR")
    assert "?year=2024&amp;region=AFR" in page.content.decode()
    xlsx = client.get("/dashboard/regions/AFR/?year=2024&chart=posts&format=xlsx")
    assert xlsx["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(filename=__import__("io").BytesIO(xlsx.content)).active
    assert sheet is not None
    assert sheet.cell(row=1, column=1).value == "Office"
    assert int(afr["projects"]) > 0
    assert client.get("/dashboard/?chart=nonsense&format=csv").status_code == 404


def test_filters_stay_in_the_links_and_a_bad_year_is_reported_on_its_field(
    demo_user: Any, client: Client
) -> None:
    client.force_login(demo_user("admin"))
    page = client.get("/dashboard/?year=2024&region=ASP&source=ict-df").content.decode()
    assert "chart=projects&amp;format=csv" in page
    assert "year=2024&amp;region=ASP&amp;source=ict-df&amp;chart=projects" in page
    bad = client.get("/dashboard/?year=abc")
    assert bad.status_code == 400
    assert 'id="id_year_error"' in bad.content.decode() or "Enter a whole number" in bad.content.decode()


def test_the_member_state_view_shows_no_names_and_no_finding_text(demo_user: Any, client: Client) -> None:
    names = list(Post.objects.exclude(incumbent="").values_list("incumbent", flat=True))
    findings = list(Finding.objects.values_list("title", flat=True))
    details = list(Finding.objects.exclude(details="").values_list("details", flat=True))
    assert names
    assert findings
    client.force_login(demo_user("delegate"))
    bodies = []
    for url in PAGES:
        bodies.append(client.get(url).content.decode())
        base = url + "&chart="
        for key in ("projects", "posts", "findings", "activities", "events", "funding"):
            for fmt in ("csv", "xlsx"):
                response = client.get(f"{base}{key}&format={fmt}")
                if response.status_code == 200:
                    bodies.append(response.content.decode("utf-8", errors="ignore"))
    text = "\n".join(bodies)
    for secret in [*names, *findings, *details]:
        assert secret not in text


def test_each_office_shows_when_its_data_was_last_updated(demo_user: Any, client: Client) -> None:
    admin = demo_user("admin")
    data = selectors.dashboard(user=admin, filters=DashboardFilters(year=2024))
    updated = {status.office.code: status.last_updated for status in data.offices}
    assert updated["dakar"] is not None
    client.force_login(admin)
    page = client.get("/dashboard/offices/dakar/?year=2024").content.decode()
    assert "Data last updated" in page
    assert updated["dakar"].strftime("%Y") in page


def test_the_last_update_is_the_latest_change_to_any_of_the_offices_records(demo_user: Any) -> None:
    from django.db.models import Max

    from presence.engagement.models import Event
    from presence.portfolio.models import Project
    from presence.resilience.models import Installation, PlanningDocument
    from presence.results.models import Activity

    admin = demo_user("admin")
    data = selectors.dashboard(user=admin, filters=DashboardFilters(year=2024), page=None)
    sources = (
        (Project, "lead_office"),
        (Post, "office"),
        (PlanningDocument, "office"),
        (Installation, "office"),
        (Activity, "responsible_office"),
        (Event, "office"),
    )
    for status in data.offices:
        changes = [
            model.objects.filter(**{path: status.office}).aggregate(last=Max("updated_at"))["last"]
            for model, path in sources
        ]
        assert status.last_updated == max((c for c in changes if c), default=None), status.office.code
    assert sum(1 for status in data.offices if status.last_updated) > 5


def _page_queries(client: Client, count_queries: Any) -> list[int]:
    return [count_queries(lambda url=url: client.get(url)) for url in PAGES]


def test_page_query_counts_do_not_grow_with_the_data(
    demo_user: Any, client: Client, count_queries: Any, settings: Any
) -> None:
    from tests.dashboard.growth import grow

    settings.FIGURE_CACHE_SECONDS = 0  # what computing the figures costs (the cache is tested on its own)
    client.force_login(demo_user("admin"))
    _page_queries(client, count_queries)  # warm caches (content types, rates)
    before = _page_queries(client, count_queries)
    grow(times=9)
    after = _page_queries(client, count_queries)
    assert after == before


def test_the_map_shades_regions_by_the_chosen_measure(demo_user: Any, client: Client) -> None:
    admin = demo_user("admin")
    data = selectors.dashboard(user=admin, filters=DashboardFilters(year=2024, measure="staff"))
    posts = data.charts()[[c.key for c in data.charts()].index("posts")]
    filled = next(s for s in posts.series if s.name == "Filled")
    shades = {r.code: r.value for r in data.map_regions}
    assert shades["AFR"] == filled.value_at("AFR")
    assert data.map_measure_label == "Staff in post"
    client.force_login(admin)
    page = client.get("/dashboard/?year=2024&measure=staff").content.decode()
    assert "Regions shaded by: Staff in post" in page
    assert 'class="world-map"' in page


def test_every_region_page_opens_the_multi_regional_one_too(demo_user: Any, client: Client) -> None:
    """MUL (multi-regional projects) has no offices: its page shows its projects and no staff, not an
    error from the staffing filter, which once knew only the geographic regions."""
    from presence.org.models import Region

    codes = list(Region.objects.values_list("code", flat=True))
    assert "MUL" in codes
    for username in ("admin", "delegate"):
        client.force_login(demo_user(username))
        for code in codes:
            assert client.get(f"/dashboard/regions/{code}/?year=2024").status_code == 200, (username, code)
