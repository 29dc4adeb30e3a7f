"""The staffing table a page of offices at a time: every office once, in the table's order, totals of all."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from presence.staffing import selectors
from presence.staffing import views as staffing_views

ON = "2024-06-30"


def _offices_on_page(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]*\?office=([\w-]+)">', html)


def test_the_table_pages_through_every_office_once_with_the_totals_of_all(demo: Any, login: Any, monkeypatch):
    admin = get_user_model().objects.get(username="admin")
    client = login(admin)
    monkeypatch.setattr(staffing_views, "OFFICES_PER_PAGE", 4)
    everything = selectors.staffing_table(user=admin, on=selectors._as_date(ON))
    expected = list(dict.fromkeys(row.office.code for row in everything))
    assert len(expected) > 8
    seen: list[str] = []
    for number in range(1, len(expected) // 4 + 2):
        response = client.get(reverse("staffing:staffing-table"), {"on": ON, "page": number})
        assert response.status_code == 200
        html = response.content.decode()
        on_page = _offices_on_page(html)
        assert 0 < len(on_page) <= 4
        seen += on_page
        filled = sum(row.total_filled for row in everything)
        vacant = sum(row.total_vacant for row in everything)
        assert f"{filled:,} filled, {vacant:,} vacant" in html
        assert f"{len(expected)} offices" in html
    assert seen == expected


def test_a_page_reads_only_its_offices_rows(demo: Any) -> None:
    admin = get_user_model().objects.get(username="admin")
    on = selectors._as_date(ON)
    offices = list(selectors.staffing_offices(user=admin, on=on, region="AFR")[:2])
    rows = selectors.staffing_table(user=admin, on=on, region="AFR", offices=offices)
    assert {row.office.pk for row in rows} == {o.pk for o in offices}
    whole = [r for r in selectors.staffing_table(user=admin, on=on, region="AFR") if r.office in offices]
    assert [(r.office.pk, r.grade, r.filled, r.vacant) for r in rows] == [
        (r.office.pk, r.grade, r.filled, r.vacant) for r in whole
    ]


def test_the_api_gives_the_table_a_page_of_offices_at_a_time(demo: Any, login: Any) -> None:
    admin = get_user_model().objects.get(username="admin")
    client = login(admin)
    everything = selectors.staffing_table(user=admin, on=selectors._as_date(ON))
    offices = list(dict.fromkeys(row.office.code for row in everything))
    rows: list[tuple[str, str, int, int]] = []
    for offset in range(0, len(offices), 3):
        answer = client.get("/api/staffing/table", {"on": ON, "limit": 3, "offset": offset})
        assert answer.status_code == 200
        body = answer.json()
        assert body["count"] == len(offices)
        assert list(dict.fromkeys(item["office"] for item in body["items"])) == offices[offset : offset + 3]
        rows += [(i["office"], i["grade"], i["total_filled"], i["total_vacant"]) for i in body["items"]]
    assert rows == [(r.office.code, r.grade, r.total_filled, r.total_vacant) for r in everything]
    for bad in ({"limit": 0}, {"limit": 1001}, {"offset": -1}, {"limit": "many"}):
        refused = client.get("/api/staffing/table", {"on": ON, **bad})
        assert refused.status_code == 422, bad
        assert next(iter(bad)) in refused.content.decode()


def test_a_refused_filter_is_a_400_on_the_page_and_a_422_naming_it_in_the_api(demo: Any, login: Any) -> None:
    client = login(get_user_model().objects.get(username="admin"))
    for name, bad in (("office", "nowhere"), ("region", "XX"), ("on", "not-a-date")):
        page = client.get(reverse("staffing:staffing-table"), {name: bad})
        assert page.status_code == 400, name
        assert f'field--error"><label for="id_{name}"' in page.content.decode(), name
        assert client.get(reverse("staffing:staffing-table"), {name: bad, "format": "csv"}).status_code == 400
        answer = client.get("/api/staffing/table", {name: bad})
        assert answer.status_code == 422, name
        assert list(answer.json()["errors"]) == [f"query.{name}"], name
    assert client.get(reverse("staffing:staffing-table"), {"region": "HQ"}).status_code == 200
    assert client.get("/api/staffing/table", {"region": "HQ"}).status_code == 200
