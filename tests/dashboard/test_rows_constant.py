"""Figures computed in the database: a page's queries and rows fetched do not grow with the records.

The demo is measured, then every record its apps scale (`SCALED`) is copied once more onto the same
offices (`presence.core.scale.build_copies` without new offices: the organisation stays, the work it
records doubles), and each page is measured again. Pages that list every office keep one row per office,
so the offices are not copied. The pages named below are measured as given; besides them, every page of
the domain apps that takes no argument (found in the URL conf, so a new page is measured without being
named here) must read the same queries and rows either way.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from presence.core.dbwork import database_work
from presence.core.scale import build_copies
from presence.engagement import views as engagement_views
from presence.portfolio import views as portfolio_views
from presence.resilience.views import installations as installation_views
from presence.results import selectors as results_selectors
from tests import demo_db

DEMO_APPS = ("portfolio", "results", "staffing", "engagement", "resilience")
SCALED = [label for app in DEMO_APPS for label in importlib.import_module(f"presence.{app}.demo").SCALED]
YEAR = 2024
# Pages whose figures are all computed in the database and whose lists are paginated: the same queries
# and rows at either size.
CONSTANT = (
    ("admin", f"/dashboard/?year={YEAR}"),
    ("admin", f"/dashboard/regions/AFR/?year={YEAR}"),
    ("admin", f"/dashboard/offices/dakar/?year={YEAR}"),
    ("delegate", f"/dashboard/?year={YEAR}"),
    ("admin", f"/api/dashboard/?year={YEAR}"),
    ("admin", f"/reports/dashboard.pdf?year={YEAR}"),
    ("admin", "/resilience/"),
    ("admin", "/staffing/"),
    ("admin", "/portfolio/projects/"),
    ("admin", "/portfolio/table1/?year=2023"),
    ("admin", "/portfolio/table1/?year=2023&format=xlsx"),
    ("dakar.editor", "/results/reviews/"),
    ("afr.approver", "/results/reviews/"),
    ("delegate", "/results/reviews/"),
    ("dakar.editor", "/"),
    ("afr.approver", "/"),
    ("delegate", "/"),
    ("admin", "/results/indicators/"),
    ("admin", f"/results/indicators/?year={YEAR}&progress=below"),
    ("admin", "/api/results/indicators/?limit=1"),
    ("admin", f"/api/results/indicators/?year={YEAR}&progress=below&limit=1"),
    ("admin", "/api/portfolio/projects/"),
    ("admin", "/api/results/reviews/"),
    ("admin", "/api/staffing/posts/"),
    ("admin", "/api/resilience/assessments/?limit=20"),
)
# An API list whose records carry lists of their own (an indicator's values): the same queries at either
# size, none per record; its rows are those of the records on the page (the copies of the first
# indicators join them on it), so CONSTANT measures it a record a page (`?limit=1`), where the page
# holds the same indicator at either size.
NESTED = (("admin", "/api/results/indicators/"),)
APPS = ("portfolio", "results", "staffing", "engagement", "resilience", "org", "mandates", "council")


def _every_plain_page() -> tuple[tuple[str, str], ...]:
    """Every page of the domain apps that takes no argument, as the administrator: a list page, an
    overview or a form, each must read no more when the records double."""
    pages = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace in APPS:
            for pattern in entry.url_patterns:
                if isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groups:
                    pages.append(("admin", reverse(f"{entry.namespace}:{pattern.name}")))
    return tuple(page for page in sorted(set(pages)) if page not in CONSTANT)


EVERY = _every_plain_page()
PAGES = CONSTANT + NESTED + EVERY


def _work(username: str, url: str) -> tuple[int, int, int]:
    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username=username))
    client.get(url)  # content types, map geometry and other per-process caches filled once
    with database_work() as work:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return response.status_code, work.queries, work.rows


@pytest.fixture(scope="module")
def measured(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, dict[Any, Any]]]:
    """Each page's (status, queries, rows) on the demo, then with its records there twice."""
    # What computing each page costs: the figure cache is off (it is tested in tests/figures).
    # The review inbox lists at most INBOX_LIMIT tasks of each kind, the home page PANEL_LIMIT: with a
    # limit the demo's tasks fill, its rows show whether anything but the listed tasks is read.
    with (
        django_db_blocker.unblock(),
        demo_db.demo_loaded(),
        override_settings(FIGURE_CACHE_SECONDS=0),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(results_selectors, "INBOX_LIMIT", 1)
        patch.setattr(results_selectors, "PANEL_LIMIT", 1)
        # Lists of fewer demo records than a page (21 opportunities, some 30 overdue reports, 14
        # installations) are measured with a page the demo fills, so that their rows show whether
        # anything but the page is read.
        patch.setattr(engagement_views, "OPPORTUNITIES_PER_PAGE", 10)
        patch.setattr(portfolio_views.lists, "OVERDUE_PER_PAGE", 10)
        patch.setattr(installation_views, "INSTALLATIONS_PER_PAGE", 10)
        once = {page: _work(*page) for page in PAGES}
        written = build_copies(SCALED, range(2, 3))
        twice = {page: _work(*page) for page in PAGES}
        yield {"once": once, "twice": twice, "written": written}


def test_the_records_were_copied(measured, db):
    written = measured["written"]
    for label in ("staffing.Post", "results.IndicatorValue", "portfolio.Funding", "resilience.Assessment"):
        assert written[label] > 0, label


@pytest.mark.parametrize("page", CONSTANT, ids=[f"{user} {url}" for user, url in CONSTANT])
def test_queries_and_rows_fetched_do_not_grow_with_the_records(measured, db, page):
    status, queries, rows = measured["once"][page]
    assert status == 200
    assert measured["twice"][page] == (status, queries, rows)


@pytest.mark.parametrize("page", CONSTANT + NESTED, ids=[f"{user} {url}" for user, url in CONSTANT + NESTED])
def test_queries_do_not_grow_with_the_records(measured, db, page):
    status, queries, _rows = measured["once"][page]
    assert status == 200
    assert measured["twice"][page][:2] == (status, queries)


def test_the_nested_api_list_reads_no_query_per_record(measured, db):
    one = measured["once"][("admin", "/api/results/indicators/?limit=1")]
    page = measured["once"][("admin", "/api/results/indicators/")]
    assert page[0] == 200
    assert page[1] == one[1]


@pytest.mark.parametrize("page", EVERY, ids=[url for _user, url in EVERY])
def test_no_page_reads_more_when_the_records_double(measured, db, page):
    status, queries, rows = measured["once"][page]
    # A form that needs a parameter (a new indicator's activity) answers 404 without it; a page that
    # moved redirects.
    assert status in (200, 302, 404), (page, status)
    assert measured["twice"][page] == (status, queries, rows)
