"""The indicator list: filters, the below/reached/unmeasured split, downloads, access and query counts."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from presence.results.models import Activity, Indicator, IndicatorValue
from presence.results.selectors import (
    PROGRESS_FILTERS,
    figures_for,
    indicator_list,
    indicator_rows,
    indicator_status_counts,
)
from tests.results.conftest import Plan

URL = "/results/indicators/"


def _indicator(
    code: str,
    *,
    activity: Activity | None = None,
    plan: Plan | None = None,
    values: tuple[tuple[int, int, str | None, str | None], ...] = (),
    **extra: Any,
) -> Indicator:
    """An indicator of the activity (else of the plan's outcome); values: (year, quarter, target, actual)."""
    where: dict[str, Any] = (
        {"activity": activity, "region": activity.region, "office": activity.responsible_office}
        if activity is not None
        else {"outcome": plan.outcome}  # type: ignore[union-attr]
    )
    indicator = Indicator.objects.create(code=code, name=f"Indicator {code}", **where, **extra)
    for year, quarter, target, actual in values:
        IndicatorValue.objects.create(
            indicator=indicator,
            year=year,
            quarter=quarter,
            target=None if target is None else Decimal(target),
            actual=None if actual is None else Decimal(actual),
        )
    return indicator


@pytest.fixture
def indicators(plan: Plan) -> dict[str, Indicator]:
    dakar = plan.make_activity(office=plan.dakar)
    asp = plan.make_activity(region=plan.asp)
    return {
        # Dakar (AFR): below, reached from the quarters, target but no result yet.
        "below": _indicator(
            "K-BELOW", activity=dakar, baseline_value=Decimal(4), values=((2024, 0, "10", "7"),)
        ),
        "reached": _indicator("K-REACHED", activity=dakar, values=((2024, 1, "5", "6"), (2024, 2, "5", "6"))),
        "no-result": _indicator("K-TARGET-ONLY", activity=dakar, values=((2024, 0, "10", None),)),
        # Asia-Pacific: below in 2024, reached in 2023.
        "asp": _indicator("K-ASP", activity=asp, values=((2024, 0, "10", "1"), (2023, 0, "3", "3"))),
        # A framework KPI (no region): qualitative, so never measured.
        "outcome": _indicator(
            "K-OUTCOME", plan=plan, measure=Indicator.Measure.QUALITATIVE, values=((2024, 0, "1", "1"),)
        ),
    }


def _codes(rows: Any) -> list[str]:
    return [row.indicator.code for row in rows]


def _csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_the_progress_filter_splits_the_list_into_below_reached_and_unmeasured(
    indicators: dict[str, Indicator], admin_user: Any
) -> None:
    every = indicator_rows(user=admin_user, year=2024)
    parts = {
        p: indicator_rows(user=admin_user, year=2024, progress=p) for p in ("below", "reached", "unmeasured")
    }
    assert _codes(parts["below"]) == ["K-ASP", "K-BELOW"]
    assert _codes(parts["reached"]) == ["K-REACHED"]
    assert _codes(parts["unmeasured"]) == ["K-OUTCOME", "K-TARGET-ONLY"]
    assert sorted(code for rows in parts.values() for code in _codes(rows)) == sorted(_codes(every))
    assert len(every) == 5
    # Another year splits differently: only K-ASP has a 2023 result, and it reached its target.
    assert _codes(indicator_rows(user=admin_user, year=2023, progress="reached")) == ["K-ASP"]
    assert list(indicator_rows(user=admin_user, year=2023, progress="below")) == []
    with pytest.raises(ValidationError, match="progress"):
        indicator_rows(user=admin_user, year=2024, progress="late")


def test_region_office_and_global_filters(indicators: dict[str, Indicator], admin_user: Any) -> None:
    assert _codes(indicator_rows(user=admin_user, year=2024, region="AFR")) == [
        "K-BELOW",
        "K-REACHED",
        "K-TARGET-ONLY",
    ]
    assert _codes(indicator_rows(user=admin_user, year=2024, region="ASP")) == ["K-ASP"]
    assert _codes(indicator_rows(user=admin_user, year=2024, office="dakar", progress="below")) == ["K-BELOW"]
    assert _codes(indicator_rows(user=admin_user, year=2024, region="global")) == ["K-OUTCOME"]


def test_the_figures_are_those_of_figures_for(indicators: dict[str, Indicator], admin_user: Any) -> None:
    rows = {row.indicator.code: row for row in indicator_rows(user=admin_user, year=2024)}
    for indicator in indicators.values():
        expected = figures_for(indicator, list(indicator.values.all()), 2024)
        row = rows[indicator.code]
        assert (row.target, row.actual, row.progress) == (expected.target, expected.actual, expected.progress)
    below = rows["K-BELOW"]
    assert (below.baseline, below.target, below.actual) == (Decimal(4), Decimal(10), Decimal(7))
    assert below.progress_percent == Decimal("50.0")  # (7 - 4) / (10 - 4)
    reached = rows["K-REACHED"]
    assert (reached.target, reached.actual, reached.progress_percent) == (
        Decimal(10),
        Decimal(12),
        Decimal(100),
    )
    assert (reached.kind, reached.record) == ("activity", indicators["reached"].activity)
    assert (rows["K-OUTCOME"].kind, rows["K-OUTCOME"].region, rows["K-OUTCOME"].office) == (
        "outcome",
        None,
        None,
    )
    assert rows["K-TARGET-ONLY"].progress_percent is None


def test_the_page_shows_the_filtered_rows_with_a_total_and_links(
    indicators: dict[str, Indicator], admin_user: Any, login: Callable[[Any], Any]
) -> None:
    client = login(admin_user)
    page = client.get(f"{URL}?year=2024&region=AFR&office=dakar&progress=below")
    assert page.status_code == 200
    assert _codes(page.context["page"].object_list) == ["K-BELOW"]
    html = page.content.decode()
    assert "1 indicator ·" in html
    assert f'href="{indicators["below"].get_absolute_url()}"' in html
    assert "50.0%" in html
    assert "<caption>" in html
    assert 'scope="col"' in html
    assert 'for="id_progress"' in html  # every filter has a label
    every = client.get(f"{URL}?year=2024").content.decode()
    assert "5 indicators ·" in every
    assert "not measured" in every  # in words, not only by the absence of a bar
    assert f'href="{URL}"' in every  # the results sub-navigation


def test_csv_and_xlsx_hold_the_same_rows(
    indicators: dict[str, Indicator], admin_user: Any, login: Callable[[Any], Any]
) -> None:
    client = login(admin_user)
    response = client.get(f"{URL}?year=2024&region=AFR&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].endswith('indicators.csv"')
    rows = _csv(response.content)
    assert [row["code"] for row in rows] == ["K-BELOW", "K-REACHED", "K-TARGET-ONLY"]
    below = rows[0]
    assert below["year"] == "2024"
    assert (below["measures"], below["region"], below["office"]) == ("activity", "AFR", "dakar")
    assert (below["baseline"], below["target"], below["actual"]) == ("4.00", "10.00", "7.00")
    assert (below["progress"], below["status"]) == ("50.0", "below")
    assert (rows[1]["progress"], rows[1]["status"]) == ("100.0", "reached")
    assert (rows[2]["progress"], rows[2]["status"]) == ("", "unmeasured")
    all_rows = _csv(client.get(f"{URL}?year=2024&format=csv").content)
    assert sum(1 for row in all_rows if row["status"] == "below") == len(
        _csv(client.get(f"{URL}?year=2024&progress=below&format=csv").content)
    )
    xlsx = client.get(f"{URL}?year=2024&region=AFR&format=xlsx")
    assert xlsx["Content-Disposition"].endswith('indicators.xlsx"')
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0][:3] == ["Year", "Code", "Name"]
    assert [row[1] for row in table[1:]] == ["K-BELOW", "K-REACHED", "K-TARGET-ONLY"]
    assert table[1][-2] == 50


def test_an_office_editor_sees_what_indicator_list_lets_them_see(
    indicators: dict[str, Indicator], make_user: Callable[..., Any], login: Callable[[Any], Any]
) -> None:
    editor = make_user("dakar-editor", ("editor", "office:dakar"))
    visible = set(indicator_list(user=editor).values_list("code", flat=True))
    assert visible == {"K-BELOW", "K-REACHED", "K-TARGET-ONLY"}
    assert set(_codes(indicator_rows(user=editor, year=2024))) == visible
    client = login(editor)
    page = client.get(f"{URL}?year=2024")
    assert set(_codes(page.context["page"].object_list)) == visible
    assert "K-ASP" not in page.content.decode()
    assert {row["code"] for row in _csv(client.get(f"{URL}?year=2024&format=csv").content)} == visible
    assert client.get(f"{URL}?year=2024&region=ASP&format=csv").content.decode().count("\n") == 1


def test_anonymous_visitors_are_sent_to_log_in(indicators: dict[str, Indicator], client: Any) -> None:
    for url in (URL, f"{URL}?format=csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_a_bad_filter_is_a_400_reported_on_its_field(
    indicators: dict[str, Indicator], admin_user: Any, login: Callable[[Any], Any]
) -> None:
    client = login(admin_user)
    page = client.get(f"{URL}?year=abc&region=ASP")
    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="id_year_error"' in html
    assert 'aria-invalid="true"' in html
    assert page.context["year"] == timezone.localdate().year
    assert page.context["page"].paginator.count == 0
    wrong = client.get(f"{URL}?year=2024&progress=late")
    assert wrong.status_code == 400
    assert 'id="id_progress_error"' in wrong.content.decode()
    assert client.get(f"{URL}?year=2024&progress=late&format=csv")["Content-Type"].startswith("text/html")


def _grow(plan: Plan, n: int) -> None:
    for _index in range(n):
        activity = plan.make_activity(office=plan.dakar)
        _indicator(
            f"{activity.code}-K", activity=activity, values=((2024, 1, "10", "4"), (2024, 0, "10", None))
        )


def test_query_count_does_not_grow_with_the_indicators(
    plan: Plan,
    admin_user: Any,
    make_user: Callable[..., Any],
    login: Callable[[Any], Any],
    count_queries: Callable[[Callable[[], Any]], int],
) -> None:
    editor = make_user("afr-editor", ("editor", "AFR"))
    client = login(editor)
    urls = [f"{URL}?year=2024", f"{URL}?year=2024&region=AFR&progress=below&format=csv", f"{URL}?format=xlsx"]
    _grow(plan, 2)
    client.get(urls[0])  # warm caches (content types, the session)
    small = [count_queries(lambda url=url: client.get(url)) for url in urls]
    list(indicator_rows(user=admin_user, year=2024))  # reads the user's roles once
    selector_small = count_queries(lambda: list(indicator_rows(user=admin_user, year=2024)))
    _grow(plan, 12)
    assert [count_queries(lambda url=url: client.get(url)) for url in urls] == small
    assert count_queries(lambda: list(indicator_rows(user=admin_user, year=2024))) == selector_small
    assert len(indicator_rows(user=editor, year=2024, progress="below")) == 14


def test_the_status_counts_count_indicators_without_a_total_of_the_year_as_unmeasured(
    indicators: dict[str, Indicator], plan: Plan, admin_user: Any
) -> None:
    """Indicators without values, with only another year's or only a breakdown's for the year, are
    not measured: counted with the unmeasured, as the list has them, in every place."""
    activity = plan.make_activity(office=plan.dakar)
    _indicator("K-NONE", activity=activity)
    _indicator("K-2023", activity=activity, values=((2023, 0, "5", "1"),))
    broken_down = _indicator("K-BREAKDOWN", activity=activity)
    IndicatorValue.objects.create(
        indicator=broken_down, year=2024, breakdown_region=plan.afr, target=Decimal(5), actual=Decimal(1)
    )
    IndicatorValue.objects.create(
        indicator=broken_down, year=2024, gender="female", target=Decimal(5), actual=Decimal(1)
    )
    for place in ({}, {"region": "AFR"}, {"region": "global"}, {"office": "dakar"}):
        listed = Counter(row.status for row in indicator_rows(user=admin_user, year=2024, **place))
        assert indicator_status_counts(user=admin_user, year=2024, **place) == {
            name: listed.get(name, 0) for name in PROGRESS_FILTERS
        }, place
    assert indicator_status_counts(user=admin_user, year=2024) == {"below": 2, "reached": 1, "unmeasured": 5}
