"""Each cached figure names the domains it reads, and a write to another domain leaves it cached.

The names are checked against the tables the figure's queries read: a figure reading a table of a
domain it does not name would be served stale after a write there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from presence.core import figures
from presence.dashboard import selectors
from presence.dashboard.filters import DashboardFilters
from presence.portfolio import figures as portfolio_figures
from presence.portfolio import selectors as portfolio_selectors
from presence.resilience import selectors as resilience_selectors
from presence.resilience.views.overview import OVERVIEW_DOMAINS
from tests.figures.test_dashboard_cache import WRITES

SECTIONS: dict[str, Callable[[selectors.Context], Any]] = {
    "offices": selectors.offices_section,
    "portfolio": selectors.portfolio_section,
    "trend": selectors.portfolio_trend,
    "results": selectors.results_section,
    "reviews": selectors.reviews_section,
    "staffing": selectors.staffing_section,
    "engagement": selectors.engagement_section,
    "resilience": selectors.resilience_section,
}
# Tables no domain's write changes while figures are read: who is asking and what a content type is.
OUTSIDE = {"auth", "contenttypes", "sessions"}


def _domains_read(action: Callable[[], Any]) -> set[str]:
    """The apps (domains) whose tables `action`'s queries read."""
    tables = {
        model._meta.db_table: model._meta.app_label for model in apps.get_models(include_auto_created=True)
    }
    with CaptureQueriesContext(connection) as captured:
        action()
    found = set()
    for query in captured.captured_queries:
        for table in re.findall(r'(?:FROM|JOIN)\s+"([a-z0-9_]+)"', query["sql"]):
            found.add(tables[table])
    return found - OUTSIDE


def _context(user: Any, mode: str) -> selectors.Context:
    """A page's context as `selectors.dashboard` builds it, with the offices section counted."""
    region = "AFR" if mode == "office" else ""
    contexts: list[selectors.Context] = []

    def keep(name: str, section: Callable[[selectors.Context], Any], ctx: selectors.Context) -> Any:
        contexts.append(ctx)
        return section(ctx)

    selectors.dashboard(user=user, filters=DashboardFilters(year=2024, region=region), mode=mode, run=keep)
    return contexts[0]


@pytest.mark.parametrize("mode", ["region", "office"])
@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_a_section_reads_only_the_domains_it_names(name: str, mode: str, demo_user: Any) -> None:
    admin = demo_user("admin")
    ctx = _context(admin, mode)
    read = _domains_read(lambda: SECTIONS[name](ctx))
    named = {"org", *selectors.SECTION_DOMAINS[name]}
    assert read, f"section {name} read no table"
    assert read <= named, f"section {name} reads {sorted(read - named)} without naming them"
    assert named <= set(figures.DOMAINS)


def test_table1_and_the_resilience_overview_read_only_the_domains_they_name(demo_user: Any) -> None:
    admin = demo_user("admin")
    assert _domains_read(lambda: portfolio_selectors.table1(user=admin, year=2024)) <= set(
        portfolio_figures.DOMAINS
    )
    overview = _domains_read(
        lambda: (
            resilience_selectors.resilience_summary(user=admin, region=None, office=None),
            resilience_selectors.risk_matrix(user=admin, region=None, office=None),
            resilience_selectors.region_rows(user=admin, region=None, office=None),
        )
    )
    assert overview <= set(OVERVIEW_DOMAINS)


@pytest.mark.parametrize("domain", sorted(WRITES))
def test_a_write_computes_again_only_the_sections_reading_its_domain(
    domain: str, demo_user: Any, sees: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = demo_user("admin")
    sees(admin)  # every section cached
    computed: list[str] = []
    real = figures.cached

    def spy(name: str, **kwargs: Any) -> Any:
        compute = kwargs.pop("compute")

        def counted() -> Any:
            computed.append(name.removeprefix("dashboard-section-"))
            return compute()

        return real(name, compute=counted, **kwargs)

    monkeypatch.setattr(figures, "cached", spy)
    WRITES[domain](admin)
    after = sees(admin)
    expected = {name for name, read in selectors.SECTION_DOMAINS.items() if domain == "org" or domain in read}
    assert {name for name in computed if name in SECTIONS} == expected
    # What the sections kept in the cache give is what computing afresh gives.
    assert after == sees(admin, fresh=True)


def test_markup_is_kept_by_content_and_rendered_again_only_when_its_inputs_change(settings: Any) -> None:
    settings.FIGURE_CACHE_SECONDS = 3600
    made: list[tuple[int, ...]] = []

    def render(parts: tuple[int, ...]) -> str:
        return figures.by_content(
            "test-markup", parts=parts, compute=lambda: made.append(parts) or f"<p>{parts}</p>"
        )

    assert render((1, 2)) == render((1, 2)) == "<p>(1, 2)</p>"
    assert render((1, 3)) == "<p>(1, 3)</p>"
    assert made == [(1, 2), (1, 3)]
    settings.FIGURE_CACHE_SECONDS = 0
    render((1, 2))
    assert made == [(1, 2), (1, 3), (1, 2)]


def test_after_a_write_only_the_sections_whose_figures_changed_are_rendered_again(
    demo_user: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.test import Client

    from presence.dashboard import views

    settings.FIGURE_CACHE_SECONDS = 3600
    admin = demo_user("admin")
    client = Client()
    client.force_login(admin)
    url = "/dashboard/?year=2024"
    first = client.get(url).content.decode()
    rendered: list[str] = []
    real = views.render_to_string

    def spy(template: str, context: Any = None, **kwargs: Any) -> str:
        if template == "dashboard/_section.html":
            rendered.append(context["section"].key)
        return real(template, context, **kwargs)

    monkeypatch.setattr(views, "render_to_string", spy)
    WRITES["engagement"](admin)
    after = client.get(url).content.decode()
    assert rendered == ["engagement"]
    assert after != first
    settings.FIGURE_CACHE_SECONDS = 0
    assert _without_times(after) == _without_times(client.get(url).content.decode())


def _without_times(html: str) -> str:
    """The page without the times its figures were counted, and without its form token."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r"<time[^>]*>[^<]*</time>", "", html)
