"""Every page of the navigation passes axe-core without serious or critical violations, LTR and RTL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def _links(page: Any, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "links => links.map(link => link.getAttribute('href'))")
    return [href for href in hrefs if href and href.startswith("/") and not href.startswith("/api")]


def _violations(page: Any, axe: Any, url: str) -> list[tuple[str, str, int]]:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, url
    found = axe.run(page).response["violations"]
    return [(url, v["id"], len(v["nodes"])) for v in found if v["impact"] in ("serious", "critical")]


def test_every_navigation_page_has_no_serious_accessibility_violations(
    session: Callable[..., Any], demo_site: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = session("admin")
    page.goto(demo_site + "/")
    sections = list(dict.fromkeys(_links(page, "nav.main-nav a")))
    assert len(sections) >= 8
    pages: list[str] = []
    for section in sections:
        page.goto(demo_site + section)
        pages += [section, *_links(page, "nav.sub-nav a")]
    pages = [p for p in dict.fromkeys(pages) if "logout" not in p and "/admin" not in p]
    assert len(pages) > len(sections)
    problems = [problem for url in pages for problem in _violations(page, axe, demo_site + url)]

    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": demo_site}])
    page.goto(demo_site + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    problems += [problem for url in sections for problem in _violations(page, axe, demo_site + url)]
    assert problems == []
