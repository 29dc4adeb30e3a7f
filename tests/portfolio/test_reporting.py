"""Financial reporting obligations: on-time rate per region and office, and the overdue list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from presence.org.models import RoleAssignment
from presence.portfolio import views as portfolio_views
from presence.portfolio.models import Project, ReportingObligation
from presence.portfolio.selectors import overdue_reports, reporting_reminders, reporting_timeliness


def test_on_time_rate_and_overdue_list(admin_user: Any, make_project: Callable[..., Project]) -> None:
    afr = make_project(region="AFR", office="dakar")
    asp = make_project(region="ASP", office="bangkok")
    due = dt.date(2023, 3, 31)
    ReportingObligation.objects.create(project=afr, due_on=due, submitted_on=due)
    ReportingObligation.objects.create(project=afr, due_on=due, submitted_on=due + dt.timedelta(days=3))
    late_one = ReportingObligation.objects.create(project=asp, due_on=due)
    report = reporting_timeliness(user=admin_user, year=2023)
    rates = {t.label: (t.due, t.on_time, t.late, t.outstanding, t.on_time_rate) for t in report.by_region}
    assert rates == {"AFR": (2, 1, 1, 0, Decimal("50.0")), "ASP": (1, 0, 0, 1, Decimal("0.0"))}
    assert report.total.on_time_rate == Decimal("33.3")
    assert list(overdue_reports(user=admin_user, today=dt.date(2023, 4, 1))) == [late_one]
    assert reporting_timeliness(user=admin_user, year=2023, office="dakar").total.due == 2


def test_reporting_page_lists_overdue_reports(
    admin_user: Any, login: Any, make_project: Callable[..., Project]
) -> None:
    project = make_project()
    ReportingObligation.objects.create(project=project, due_on=dt.date(2023, 3, 31))
    response = login(admin_user).get("/portfolio/reporting/?year=2023")
    assert response.status_code == 200
    assert project.code in response.content.decode()


def test_the_overdue_reports_are_listed_a_page_at_a_time_with_their_count(
    admin_user: Any, login: Any, make_project: Callable[..., Project], monkeypatch: Any
) -> None:
    monkeypatch.setattr(portfolio_views.lists, "OVERDUE_PER_PAGE", 2)
    project = make_project()
    for day in (5, 1, 4, 2, 3):
        ReportingObligation.objects.create(
            project=project, due_on=dt.date(2023, 3, day), title=f"Report {day}"
        )
    ReportingObligation.objects.create(
        project=project, due_on=dt.date(2023, 3, 6), submitted_on=dt.date(2023, 3, 6)
    )
    overdue = ReportingObligation.objects.filter(submitted_on__isnull=True, due_on__lt=timezone.localdate())
    client = login(admin_user)
    first = client.get("/portfolio/reporting/?year=2023")
    assert first.status_code == 200
    assert first.context["overdue"].paginator.count == overdue.count() == 5
    assert [item.title for item in first.context["overdue"]] == ["Report 1", "Report 2"]
    page = first.content.decode()
    assert "5 overdue reports" in page
    assert "year=2023&amp;page=2" in page  # the page links keep the year
    last = client.get("/portfolio/reporting/?year=2023&page=3")
    assert [item.title for item in last.context["overdue"]] == ["Report 5"]


def test_office_and_region_editors_come_first_headquarters_only_without_them(
    reference: None, make_user: Callable[..., Any], make_project: Callable[..., Project]
) -> None:
    make_user("hq.editor", ("editor",))
    make_user("afr.editor", ("editor", "AFR"), ("editor", "office:dakar"))
    dakar = make_project(region="AFR", office="dakar")
    bangkok = make_project(region="ASP", office="bangkok")
    due = dt.date(2023, 3, 31)
    ReportingObligation.objects.create(project=dakar, due_on=due, title="Dakar report")
    ReportingObligation.objects.create(project=bangkok, due_on=due, title="Bangkok report")
    ReportingObligation.objects.create(project=bangkok, due_on=due, submitted_on=due, title="Sent")
    items = reporting_reminders(today=due.replace(year=due.year + 1))
    told = {(item.subject, item.user.username) for item in items}
    # One reminder for a person holding two grants that cover the report.
    assert told == {
        (f"{dakar.code}: Dakar report", "afr.editor"),
        (f"{bangkok.code}: Bangkok report", "hq.editor"),
    }
    assert len(items) == 2
    RoleAssignment.objects.filter(user__username="hq.editor").delete()
    assert [item.subject for item in reporting_reminders(today=due.replace(year=due.year + 1))] == [
        f"{dakar.code}: Dakar report"
    ]
