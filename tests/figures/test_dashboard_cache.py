"""The cache never lies: a write through any domain's services changes the next figure; a warm view
costs a few queries; no user is ever served a figure computed for wider rights."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from presence.core import figures
from presence.dashboard import figures as dashboard_figures
from presence.dashboard.filters import DashboardFilters
from presence.engagement import services as engagement
from presence.engagement.models import Event
from presence.org import services as org
from presence.org.access import audience
from presence.org.models import Office
from presence.portfolio import selectors as portfolio_selectors
from presence.portfolio import services as portfolio
from presence.resilience import services as resilience
from presence.resilience.models import Assessment, Finding
from presence.results import services as results
from presence.results.models import Activity
from presence.staffing import services as staffing
from presence.staffing.models import Post
from tests.figures.conftest import DASHBOARD


def _funding(actor: Any) -> None:
    funding, _chf = next(
        iter(portfolio_selectors.with_chf(portfolio_selectors.table1_fundings(user=actor, year=2024)))
    )
    portfolio.funding_delete(actor=actor, funding=funding, expected_version=funding.version)


def _activity(actor: Any) -> None:
    activity = Activity.objects.filter(year=2024, status="ongoing").order_by("pk").first()
    assert activity is not None
    results.activity_update(
        actor=actor, activity=activity, expected_version=activity.version, status="completed"
    )


def _post(actor: Any) -> None:
    post = Post.objects.filter(office__code="dakar", recruitments__isnull=True).order_by("pk").first()
    assert post is not None
    staffing.post_delete(actor=actor, post=post, expected_version=post.version)


def _event(actor: Any) -> None:
    event = Event.objects.filter(start_date__year=2024).order_by("pk").first()
    assert event is not None
    engagement.event_delete(actor=actor, event=event, expected_version=event.version)


def _finding(actor: Any) -> None:
    open_high = Finding.objects.filter(status="open", likelihood__gte=4, impact__gte=4)
    finding = open_high.exclude(assessment__status__in=Assessment.LOCKED).order_by("pk").first()
    assert finding is not None
    resilience.finding_delete(actor=actor, finding=finding, expected_version=finding.version)


def _office(actor: Any) -> None:
    office = Office.objects.get(code="dakar")
    org.office_update(
        actor=actor, office=office, expected_version=office.version, closed_on=dt.date(2024, 1, 1)
    )


WRITES: dict[str, Callable[[Any], None]] = {
    "portfolio": _funding,
    "results": _activity,
    "staffing": _post,
    "engagement": _event,
    "resilience": _finding,
    "org": _office,
}


@pytest.mark.parametrize("domain", WRITES)
def test_a_write_through_each_domains_services_shows_in_the_next_figures(
    domain: str, demo_user: Any, sees: Any
) -> None:
    admin = demo_user("admin")
    before = sees(admin)
    assert sees(admin) == before  # now cached

    WRITES[domain](admin)

    after = sees(admin)
    assert after != before, f"the {domain} write changed no figure: the test proves nothing"
    assert after == sees(admin, fresh=True)


def test_the_page_shows_the_new_figure_after_a_change(demo_user: Any) -> None:
    admin = demo_user("admin")
    client = Client()
    client.force_login(admin)
    url = "/dashboard/?year=2024"
    events = Event.objects.filter(start_date__year=2024).count()
    assert f">{events}<" in client.get(url).content.decode()
    _event(admin)
    assert f">{events - 1}<" in client.get(url).content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/?year=2024",
        "/dashboard/regions/AFR/?year=2024",
        "/dashboard/offices/dakar/?year=2024",
        "/api/dashboard/?year=2024",
        "/portfolio/table1/?year=2024",
        "/api/portfolio/table1/2024",
        "/resilience/",
    ],
)
def test_a_warm_repeated_view_costs_a_few_queries(
    url: str, demo_user: Any, count_queries: Any, settings: Any
) -> None:
    client = Client()
    client.force_login(demo_user("afr.editor"))
    settings.FIGURE_CACHE_SECONDS = 0
    uncached = count_queries(lambda: client.get(url))
    settings.FIGURE_CACHE_SECONDS = 3600
    cold = count_queries(lambda: client.get(url))
    warm = count_queries(lambda: client.get(url))
    assert client.get(url).status_code == 200
    # The data version, read before computing each cached part: the dashboard's pages cache their
    # figures and the page as rendered, the resilience overview its figures and its page of offices.
    parts = 2 if url.startswith(("/dashboard/", "/resilience/")) else 1
    # The dashboard's filters offer every office, read once per version of the offices.
    parts += 1 if "dashboard" in url else 0
    assert cold == uncached + parts
    assert warm <= 10, f"a warm view of {url} made {warm} queries"
    if "dashboard" in url:
        assert warm * 4 < uncached, (warm, uncached)


def test_a_delegate_never_gets_an_admins_cached_figures(demo_user: Any, make_user: Any, sees: Any) -> None:
    admin, delegate = demo_user("admin"), demo_user("delegate")
    afr_only = make_user("afr.viewer", ("viewer", "AFR"))
    for url in (DASHBOARD, "/api/dashboard/?year=2024&region=AFR", "/api/dashboard/?year=2024&region=ASP"):
        sees(admin, url)
        for user in (delegate, afr_only):
            assert sees(user, url) == sees(user, url, fresh=True)
    assert sees(afr_only, DASHBOARD) != sees(admin, DASHBOARD)
    # The admin's dashboard carries personal data; the delegate's, computed after it, does not.
    filters = DashboardFilters(year=2024)
    assert dashboard_figures.dashboard(user=admin, filters=filters).personal_data
    assert not dashboard_figures.dashboard(user=delegate, filters=filters).personal_data
    assert figures.key("dashboard", audience=audience(admin), parts=1) != figures.key(
        "dashboard", audience=audience(delegate), parts=1
    )


def test_users_with_the_same_grants_share_an_entry_and_other_languages_do_not(
    demo_user: Any, make_user: Any
) -> None:
    editor = demo_user("afr.editor")
    twin = make_user("afr.twin", ("editor", "AFR"), ("viewer",))
    other = make_user("asp.twin", ("editor", "ASP"), ("viewer",))
    assert audience(editor) == audience(twin) != audience(other)
    assert audience(demo_user("admin")) != audience(demo_user("delegate"))
    from django.utils import translation

    with translation.override("fr"):
        french = figures.key("dashboard", audience="a", parts=(1,))
    assert french != figures.key("dashboard", audience="a", parts=(1,))


def test_a_rolled_back_write_never_brings_back_its_version(demo: None) -> None:
    start = figures.current()
    with transaction.atomic():
        figures.bump()
        inside = figures.current()
        transaction.set_rollback(True)
    assert figures.current() == start != inside
    figures.bump()
    assert figures.current() not in {start, inside}
