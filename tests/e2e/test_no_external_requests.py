"""Every page type, the admin and /api/docs load everything from the site itself, within its CSP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.e2e

LOOPBACK = {"127.0.0.1", "localhost"}
# Links that end the session or start a file download rather than show a page.
SKIPPED_WORDS = ("logout", "download", "export", "format=", "/print", ".pdf", ".xlsx", ".csv", ".docx")
ADMIN_KINDS = ("changelist", "change", "add", "history", "delete")
MAX_PAGES = 250


def page_type(path: str) -> str | None:
    """One key per kind of page: the URL name, with the admin's model pages folded into five kinds."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name
    if name.startswith("admin:"):
        kind = next((kind for kind in ADMIN_KINDS if name.endswith(f"_{kind}")), None)
        return f"admin:{kind}" if kind else name
    return name


def site_links(page: Any) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
    return [str(href) for href in hrefs]


def test_every_page_type_loads_nothing_from_another_host_and_violates_no_csp(
    session: Callable[..., Any], demo_site: str
) -> None:
    page = session("admin")
    outside: list[str] = []
    violations: list[str] = []
    page.context.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if urlsplit(request.url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(request.url).hostname not in LOOPBACK
            else None
        ),
    )
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )

    queue = [f"{demo_site}/", f"{demo_site}/dashboard/", f"{demo_site}/reports/", f"{demo_site}/admin/"]
    seen_types: set[str] = set()
    visited: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.hostname not in LOOPBACK or any(word in url for word in SKIPPED_WORDS):
            continue
        kind = page_type(parts.path)
        if kind is None or kind in seen_types:
            continue
        seen_types.add(kind)
        response = page.goto(url)
        assert response is not None
        if "html" not in (response.headers.get("content-type") or ""):
            continue
        assert response.status < 500, url
        visited.append(parts.path)
        queue += site_links(page)

    page.goto(f"{demo_site}/api/docs", wait_until="networkidle")
    assert outside == []
    page.wait_for_selector(".swagger-ui .opblock", timeout=60_000)  # Swagger UI ran, within the CSP
    visited.append("/api/docs")

    expected = {"/dashboard/", "/reports/", "/admin/", "/api/docs"}
    assert expected <= set(visited)
    for prefix in ("/org/", "/portfolio/", "/results/", "/staffing/", "/engagement/", "/resilience/"):
        assert sum(path.startswith(prefix) for path in visited) >= 3, f"too few pages under {prefix}"
    assert {"admin:changelist", "admin:change", "admin:add"} <= seen_types
    print(f"{len(visited)} pages of {len(seen_types)} types visited")
    assert outside == []
    assert violations == []
