"""Hostile input through the portfolio's pages, downloads and API: a clear 4xx, and nothing changes.

The clients are CSRF-realistic: `Client(enforce_csrf_checks=True)` with a session and the CSRF
token sent back as a browser would (cookie plus header or form field).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string
from openpyxl import load_workbook

from presence.core.models import AuditEntry
from presence.portfolio.models import Budget, Funding, FundingSource, Project

HOSTILE = "=cmd|' /C calc'!A0"
PROBLEM = "application/problem+json"


class Browser:
    """A logged-in client that enforces CSRF and sends the token back like a browser."""

    def __init__(self, user: Any) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.client.force_login(user)
        self.token = get_random_string(32)
        self.client.cookies["csrftoken"] = self.token

    def get(self, url: str, **headers: str) -> Any:
        return self.client.get(url, headers=headers)

    def send(self, method: str, url: str, body: str | bytes, **headers: str) -> Any:
        call = getattr(self.client, method)
        return call(
            url, data=body, content_type="application/json", headers={"X-CSRFToken": self.token, **headers}
        )

    def post_form(self, url: str, data: dict[str, Any]) -> Any:
        return self.client.post(url, data={**data, "csrfmiddlewaretoken": self.token})


@pytest.fixture
def editor(make_user: Callable[..., Any], reference: None) -> Any:
    return make_user("hq-editor", ("editor",))


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    return make_project(region="AFR", office="dakar", funding=Decimal("2500"))


def _budget(project: Project, year: int = 2023, amount: str = "100") -> Budget:
    return Budget.objects.create(project=project, year=year, amount=Decimal(amount), currency="CHF")


# Exports ------------------------------------------------------------------------------------------------


def test_table1_downloads_write_a_formula_in_a_funding_source_name_as_text(
    editor: Any, project: Project, sources: dict[str, FundingSource]
) -> None:
    other = sources["other-itu-funds"]  # a source of kind "other" gets a column named after it
    FundingSource.objects.filter(pk=other.pk).update(name=HOSTILE)
    Funding.objects.create(
        project=project, source=other, amount=Decimal("-700"), currency="CHF", signed_on=dt.date(2023, 3, 1)
    )
    browser = Browser(editor)
    sheet = load_workbook(io.BytesIO(browser.get("/portfolio/table1/?year=2023&format=xlsx").content)).active
    assert sheet is not None
    headings = {cell.value: cell for cell in sheet[2]}
    assert headings[HOSTILE].data_type == "s"
    assert headings[HOSTILE].quotePrefix
    afr = next(row for row in sheet.iter_rows(min_row=3) if row[0].value == "AFR")
    assert [cell.data_type for cell in afr[1:]] == ["n"] * (len(afr) - 1)  # -0.7 k CHF stays a number
    table_csv = browser.get("/portfolio/table1/?year=2023&format=csv").content.decode()
    assert "AFR,1,2.5,,,-0.7,1.8" in table_csv.splitlines()
    funding = browser.get("/portfolio/funding/?year=2023&format=csv")
    assert funding.status_code == 200
    rows = list(csv.DictReader(io.StringIO(funding.content.decode(), newline="")))
    assert sorted(row["source"] for row in rows) == [f"'{HOSTILE}", "Funding from partners"]
    assert "-700.00" in [row["amount"] for row in rows]


# Years --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["0", "99999", "-5", "1899", "2101", "99999999999999999999"])
def test_table1_page_and_api_refuse_a_year_out_of_range_naming_it(
    editor: Any, project: Project, year: str
) -> None:
    browser = Browser(editor)
    page = browser.get(f"/portfolio/table1/?year={year}")
    assert page.status_code == 400
    assert "year" in page.content.decode()
    assert "1900" in page.content.decode()
    document = browser.get(f"/portfolio/table1/?year={year}&format=xlsx")
    assert document.status_code == 400
    api = browser.get(f"/api/portfolio/table1/{year}")
    assert api.status_code == 422
    assert api["Content-Type"] == PROBLEM
    assert list(api.json()["errors"]) == ["path.year"]


def test_table1_page_without_a_year_still_shows_last_year(editor: Any, project: Project) -> None:
    response = Browser(editor).get("/portfolio/table1/?year=")
    assert response.status_code == 200
    assert str(timezone.localdate().year - 1) in response.content.decode()


@pytest.mark.parametrize("year", [0, 99999, 1899, 2101])
def test_budget_with_a_year_out_of_range_is_refused_at_its_field_and_nothing_is_written(
    editor: Any, project: Project, year: int
) -> None:
    browser = Browser(editor)
    entries = AuditEntry.objects.count()
    created = browser.send(
        "post", f"/api/portfolio/projects/{project.code}/budgets/", json.dumps({"year": year, "amount": "5"})
    )
    assert created.status_code == 422
    assert "year" in created.json()["errors"]
    budget = _budget(project)
    changed = browser.send(
        "patch",
        f"/api/portfolio/budgets/{budget.pk}",
        json.dumps({"year": year}),
        **{"If-Match": f'"{budget.pk}-{budget.version}"'},
    )
    assert changed.status_code == 422
    assert "year" in changed.json()["errors"]
    listed = browser.get(f"/api/portfolio/budgets/?year={year}")
    assert listed.status_code == 422
    assert list(listed.json()["errors"]) == ["query.year"]
    budget.refresh_from_db()
    assert (budget.year, budget.version) == (2023, 1)
    assert Budget.objects.count() == 1
    assert AuditEntry.objects.count() == entries


def test_budget_service_refuses_a_year_out_of_range(editor: Any, project: Project) -> None:
    from django.core.exceptions import ValidationError

    from presence.portfolio import services

    with pytest.raises(ValidationError) as refused:
        services.budget_create(actor=editor, project=project, year=0, amount=Decimal(5), currency="CHF")
    assert "year" in refused.value.message_dict
    assert not Budget.objects.exists()


# If-Match -----------------------------------------------------------------------------------------------


def test_if_match_star_is_refused_for_updates_and_deletes_with_428(editor: Any, project: Project) -> None:
    browser = Browser(editor)
    budget = _budget(project)
    url = f"/api/portfolio/budgets/{budget.pk}"
    changed = browser.send("patch", url, json.dumps({"amount": "1"}), **{"If-Match": "*"})
    assert changed.status_code == 428
    assert changed["Content-Type"] == PROBLEM
    assert "ETag" in changed.json()["detail"]
    deleted = browser.client.delete(url, headers={"If-Match": "*", "X-CSRFToken": browser.token})
    assert deleted.status_code == 428
    renamed = browser.send(
        "patch", f"/api/portfolio/projects/{project.code}", json.dumps({"title": "x"}), **{"If-Match": "*"}
    )
    assert renamed.status_code == 428
    budget.refresh_from_db()
    assert (budget.amount, budget.version) == (Decimal(100), 1)
    project.refresh_from_db()
    assert project.title != "x"


def test_twenty_clients_incrementing_from_stale_etags_lose_with_412_and_no_increment_is_lost(
    editor: Any, project: Project
) -> None:
    budget = _budget(project, amount="0")
    url = f"/api/portfolio/budgets/{budget.pk}"
    clients = [Browser(editor) for _ in range(20)]

    def read(browser: Browser) -> tuple[Decimal, str]:
        # Budgets have no GET of their own: the list gives the version, the ETag is "<id>-<version>".
        (item,) = browser.get(f"/api/portfolio/budgets/?project={project.code}").json()["items"]
        return Decimal(item["amount"]), f'"{item["id"]}-{item["version"]}"'

    def write(browser: Browser, amount: Decimal, tag: str) -> int:
        body = json.dumps({"amount": str(amount + 1)})
        return int(browser.send("patch", url, body, **{"If-Match": tag}).status_code)

    # All twenty read the same version, then all write: one wins, nineteen are stale.
    seen = [read(browser) for browser in clients]
    statuses = [write(browser, amount, tag) for browser, (amount, tag) in zip(clients, seen, strict=True)]
    assert statuses.count(200) == 1
    assert statuses.count(412) == 19
    # A client that answers `*` instead of a tag is refused, not let through.
    assert clients[0].send("patch", url, json.dumps({"amount": "0"}), **{"If-Match": "*"}).status_code == 428
    # Each loser reads again and retries: every increment lands exactly once.
    for browser, status in zip(clients, statuses, strict=True):
        if status == 412:
            assert write(browser, *read(browser)) == 200
    budget.refresh_from_db()
    assert budget.amount == Decimal(20)
    assert budget.version == 21


# Pagination ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("offset=99999999999999999999", "offset"),
        ("offset=1000000001", "offset"),
        ("offset=-1", "offset"),
        ("offset=abc", "offset"),
        ("limit=99999999999999999999", "limit"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=x", "limit"),
    ],
)
def test_list_offsets_and_limits_out_of_range_are_422_naming_the_parameter(
    editor: Any, project: Project, query: str, field: str
) -> None:
    response = Browser(editor).get(f"/api/portfolio/projects/?{query}")
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert any(key.endswith(field) for key in response.json()["errors"])


def test_the_largest_accepted_offset_answers_an_empty_page(editor: Any, project: Project) -> None:
    response = Browser(editor).get("/api/portfolio/projects/?offset=1000000000&limit=1000")
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 1}


# Oversized bodies ---------------------------------------------------------------------------------------


def test_an_api_body_over_the_upload_limit_is_413_problem_json_and_nothing_is_written(
    editor: Any, project: Project, settings: Any
) -> None:
    browser = Browser(editor)
    entries = AuditEntry.objects.count()
    body = json.dumps(
        {"year": 2024, "amount": "5", "padding": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    )
    response = browser.send("post", f"/api/portfolio/projects/{project.code}/budgets/", body)
    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM
    assert str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) in response.json()["detail"]
    assert not Budget.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_form_post_over_the_upload_limit_is_413_and_the_project_is_unchanged(
    editor: Any, project: Project, settings: Any
) -> None:
    title = project.title
    response = Browser(editor).post_form(
        f"/portfolio/projects/{project.code}/edit/",
        {"title": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), "version": project.version},
    )
    assert response.status_code == 413
    assert "Nothing was saved" in response.content.decode()
    project.refresh_from_db()
    assert project.title == title


# NUL and lone surrogates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        '{"title": "Water \\ud800 supply"}',  # a lone high surrogate, valid JSON
        '{"title": "\\udfff"}',  # a lone low surrogate
        '{"title": "a\\u0000b"}',  # NUL: PostgreSQL refuses it in text
    ],
)
def test_text_no_database_can_store_is_422_at_its_field_and_the_project_is_unchanged(
    editor: Any, project: Project, body: str
) -> None:
    browser = Browser(editor)
    entries = AuditEntry.objects.count()
    tag = browser.get(f"/api/portfolio/projects/{project.code}")["ETag"]
    response = browser.send("patch", f"/api/portfolio/projects/{project.code}", body, **{"If-Match": tag})
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert list(response.json()["errors"]) == ["title"]
    project.refresh_from_db()
    assert project.version == 1
    assert AuditEntry.objects.count() == entries


def test_a_lone_surrogate_in_a_nested_value_or_key_is_named_by_its_path(
    editor: Any, project: Project
) -> None:
    browser = Browser(editor)
    response = browser.send(
        "put", f"/api/portfolio/projects/{project.code}/countries", '[{"country": "SN"}, {"\\ud83d": "x"}]'
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["1.\ud83d"]


def test_nul_in_a_query_parameter_is_422_naming_it(editor: Any, project: Project) -> None:
    response = Browser(editor).get("/api/portfolio/budgets/?project=ab%00c")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["project"]  # before ninja maps it to query.project


def test_a_body_that_is_not_json_is_a_400_saying_so(editor: Any, project: Project) -> None:
    browser = Browser(editor)
    response = browser.send("post", f"/api/portfolio/projects/{project.code}/budgets/", b'{"year": 20')
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["detail"]
    invalid_utf8 = browser.send("post", f"/api/portfolio/projects/{project.code}/budgets/", b'{"a": "\xff"}')
    assert invalid_utf8.status_code == 400
    assert not Budget.objects.exists()


def test_nul_in_a_page_form_is_refused_at_its_field(editor: Any, project: Project) -> None:
    response = Browser(editor).post_form(
        f"/portfolio/projects/{project.code}/edit/", {"title": "a\x00b", "version": project.version}
    )
    assert response.status_code in {200, 400, 422}
    assert "Null characters are not allowed" in response.content.decode()
    project.refresh_from_db()
    assert project.version == 1


def test_budget_page_refuses_a_year_out_of_range_at_its_field(editor: Any, project: Project) -> None:
    response = Browser(editor).post_form(
        f"/portfolio/projects/{project.code}/budget/new/", {"year": "0", "amount": "5", "currency": "CHF"}
    )
    assert response.status_code in {200, 400, 422}
    assert "Enter a year from 1900 to 2100." in response.content.decode()
    assert not Budget.objects.exists()


def test_reporting_page_refuses_a_year_out_of_range_with_400(editor: Any, project: Project) -> None:
    response = Browser(editor).get("/portfolio/reporting/?year=99999")
    assert response.status_code == 400
    assert "year: Enter a year from 1900 to 2100." in response.content.decode()


def test_report_command_refuses_a_year_out_of_range(reference: None) -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match=r"--year 0: Enter a year from 1900 to 2100\."):
        call_command("report", "table1", "--year", "0")
