"""The installations' timeline summed in the database equals a spread of each installation; the risk
matrix's open findings come a page at a time; the installations list reads one page however many."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from presence.core.dbwork import database_work
from presence.core.filtering import PER_PAGE
from presence.org.models import Office
from presence.resilience import selectors, services
from presence.resilience.models import Finding, Installation
from presence.resilience.selectors.installations import _spread

ZERO = Decimal(0)
TENTH = Decimal("0.1")


def _by_installation(installations) -> tuple[dict[tuple[str, dt.date], Decimal], Decimal]:
    """(office code, month) -> workdays, spreading each installation on its own; and the remaining ones."""
    cells: dict[tuple[str, dt.date], Decimal] = defaultdict(lambda: ZERO)
    remaining = ZERO
    for item in installations:
        if item.status == Installation.Status.CANCELLED:
            continue
        start = item.actual_start or item.planned_start
        if item.status == Installation.Status.COMPLETED:
            end, work = max(item.actual_end or item.planned_end, start), item.actual_workdays or ZERO
        else:
            end, work = max(item.planned_end, start), item.remaining_workdays
        remaining += item.remaining_workdays
        for month, share in _spread(work, start, end).items():
            cells[item.office.code, month] += share
    return cells, remaining


@pytest.mark.parametrize("place", [{}, {"region": "AFR"}, {"office": "dakar"}])
def test_the_timeline_equals_the_installations_spread_one_by_one(demo, place):
    admin = get_user_model().objects.get(username="admin")
    timeline = selectors.installation_timeline(user=admin, capacity=Decimal(10), **place)
    installations = Installation.objects.select_related("office__region")
    if "region" in place:
        installations = installations.filter(office__region__code=place["region"])
    if "office" in place:
        installations = installations.filter(office__code=place["office"])
    expected, remaining = _by_installation(installations)
    found = {
        (row.office.code, month): value
        for row in timeline.rows
        for month, value in zip(timeline.months, row.cells, strict=True)
        if value
    }
    assert {key: value.quantize(TENTH) for key, value in found.items()} == {
        key: value.quantize(TENTH) for key, value in expected.items() if value
    }
    assert timeline.remaining_workdays == remaining
    assert sum(timeline.workload, ZERO).quantize(TENTH) == sum(expected.values(), ZERO).quantize(TENTH)
    assert timeline.rows or not expected


def test_the_risk_matrix_lists_the_open_findings_a_page_at_a_time(demo, client):
    client.force_login(get_user_model().objects.get(username="admin"))
    open_findings = Finding.objects.filter(status__in=Finding.OPEN_STATUSES)
    count = open_findings.count()
    assert count > PER_PAGE  # the demo fills more than one page
    first = client.get("/resilience/risk-matrix/")
    assert first.status_code == 200
    assert len(first.context["findings"]) == PER_PAGE
    assert first.context["findings"].paginator.count == count
    assert sum(cell.count for row in first.context["matrix"] for cell in row) == count
    shown = [
        finding.pk
        for number in first.context["findings"].paginator.page_range
        for finding in client.get(f"/resilience/risk-matrix/?page={number}").context["findings"]
    ]
    assert sorted(shown) == sorted(open_findings.values_list("pk", flat=True))  # each once, all of them
    assert 'rel="next"' in first.content.decode()
    # A cell's findings, with the place filter kept in the cell links and no page carried over.
    likelihood, impact = open_findings.values_list("likelihood", "impact").first()
    page = client.get(f"/resilience/risk-matrix/?region=AFR&page=2&likelihood={likelihood}&impact={impact}")
    assert "page=" not in page.context["query"]
    assert "region=AFR" in page.context["query"]
    cell = client.get(f"/resilience/risk-matrix/?likelihood={likelihood}&impact={impact}")
    assert (
        cell.context["findings"].paginator.count
        == open_findings.filter(likelihood=likelihood, impact=impact).count()
    )


def test_the_installations_list_reads_one_page_however_many_there_are(reference, admin_user, client):
    client.force_login(admin_user)
    offices = list(Office.objects.filter(region__isnull=False)[:5])

    def plan(n: int) -> None:
        for i in range(n):
            start = dt.date(2025, 1, 1) + dt.timedelta(days=i)
            services.installation_create(
                actor=admin_user,
                office=offices[i % len(offices)],
                planned_start=start,
                planned_end=start + dt.timedelta(days=30),
                estimated_workdays=Decimal(10),
            )

    def measured() -> tuple[int, int]:
        client.get("/resilience/installations/")
        with database_work() as work:
            response = client.get("/resilience/installations/")
        assert response.status_code == 200
        return work.queries, work.rows

    plan(PER_PAGE + 5)
    full = measured()
    plan(PER_PAGE + 5)
    assert measured() == full
    page = client.get("/resilience/installations/")
    assert page.context["page"].paginator.count == Installation.objects.count()
    assert page.context["progress"].total == Installation.objects.count()


def test_the_timeline_lists_its_offices_a_page_at_a_time(demo, client, monkeypatch):
    from presence.resilience.views import installations as views

    monkeypatch.setattr(views, "TIMELINE_OFFICES_PER_PAGE", 3)
    client.force_login(get_user_model().objects.get(username="admin"))
    offices = set(Installation.objects.values_list("office__code", flat=True))
    assert len(offices) > 3  # the demo fills more than one page
    first = client.get("/resilience/installations/timeline/")
    assert first.status_code == 200
    assert len(first.context["rows"]) == 3
    assert first.context["page"].paginator.count == len(offices)
    shown = [
        row.office.code
        for number in first.context["page"].paginator.page_range
        for row, _cells in client.get(f"/resilience/installations/timeline/?page={number}").context["rows"]
    ]
    assert sorted(shown) == sorted(offices)  # each office once
    # The workload row counts every office, whichever page is shown.
    last = client.get(f"/resilience/installations/timeline/?page={first.context['page'].paginator.num_pages}")
    assert last.context["columns"] == first.context["columns"]
    assert 'rel="next"' in first.content.decode()
