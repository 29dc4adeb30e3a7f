"""The dashboard in a browser: each demo role, filters, drill-downs, accessibility, member-state view."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from presence.org.demo import DEMO_USERS
from presence.resilience.models import Finding
from presence.staffing.models import Post
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e

PAGES = {
    "overview": "/dashboard/?year=2024",
    "region-AFR": "/dashboard/regions/AFR/?year=2024",
    "office-dakar": "/dashboard/offices/dakar/?year=2024",
}


def tile_value(page: Any, key: str) -> int:
    return int(page.locator(f'[data-figure="{key}"]').first.inner_text().replace(",", ""))


def list_total(page: Any) -> int:
    """The count a list page states in its table caption ("12 projects ...")."""
    caption = page.locator("main table caption").first.inner_text()
    match = re.match(r"\s*([\d,]+)", caption)
    assert match, caption
    return int(match.group(1).replace(",", ""))


def test_every_role_sees_overview_region_and_office_pages(
    session: Callable[..., Any], demo_site: str
) -> None:
    for username, *_rest in DEMO_USERS:
        page = session(username)
        for name, path in PAGES.items():
            response = page.goto(demo_site + path)
            assert response is not None
            assert response.status == 200, (username, path)
            assert page.locator('[data-figure="projects"]').count() == 1
            screenshot(page, f"{name}-{username}")
    phone = session("afr.editor", width=390)
    for name, path in PAGES.items():
        phone.goto(demo_site + path)
        screenshot(phone, f"{name}-phone")


def test_filters_and_drill_downs_from_a_tile_and_a_chart_match_the_lists(
    session: Callable[..., Any], demo_site: str
) -> None:
    page = session("admin")
    page.goto(demo_site + "/dashboard/")
    page.fill("#id_year", "2024")
    page.select_option("#id_region", "AFR")
    page.click("form.filters button[type=submit]")
    assert "year=2024" in page.url
    assert "region=AFR" in page.url
    projects = tile_value(page, "projects")
    assert projects > 0
    page.click('[data-figure="projects"]')
    page.wait_for_load_state()
    assert "/portfolio/projects/" in page.url
    assert list_total(page) == projects

    page.goto(demo_site + "/dashboard/?year=2024")
    bar = page.locator('#chart-projects svg a[aria-label^="ASP"]')
    expected = int(bar.get_attribute("aria-label").split(":")[1].strip().replace(",", ""))
    bar.click()
    page.wait_for_load_state()
    assert "region=ASP" in page.url
    assert list_total(page) == expected

    page.goto(demo_site + "/dashboard/?year=2024")
    staff = tile_value(page, "staff")
    page.click('[data-figure="staff"]')
    page.wait_for_load_state()
    assert list_total(page) == staff


def test_dashboard_pages_have_no_serious_accessibility_violations(
    session: Callable[..., Any], demo_site: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = session("admin")
    problems = []
    for name, path in PAGES.items():
        page.goto(demo_site + path)
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                problems.append((name, violation["id"], violation["help"], len(violation["nodes"])))
    assert problems == []


def test_member_state_pages_and_downloads_show_no_names_and_no_finding_text(
    session: Callable[..., Any], demo_site: str
) -> None:
    names = list(Post.objects.exclude(incumbent="").values_list("incumbent", flat=True))
    texts = list(Finding.objects.values_list("title", flat=True))
    texts += list(Finding.objects.exclude(details="").values_list("details", flat=True))
    assert names
    assert texts
    page = session("delegate")
    seen = []
    for name, path in PAGES.items():
        page.goto(demo_site + path)
        seen.append(page.content())
        screenshot(page, f"{name}-member-state")
        for link in page.locator(".downloads a").all():
            response = page.request.get(demo_site + path.split("?")[0] + link.get_attribute("href"))
            assert response.status == 200
            seen.append(response.body().decode("utf-8", errors="ignore"))
    content = "\n".join(seen)
    leaked = [value for value in [*names, *texts] if value in content]
    assert leaked == []
