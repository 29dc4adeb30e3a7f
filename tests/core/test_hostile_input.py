"""Years out of range and unbounded lists, across apps: a 400 or 422 naming the parameter, never a 500.

The OpenAPI checks walk every operation, so a year or a list added later without bounds fails here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils.crypto import get_random_string

from presence.api import api
from presence.core.years import YEAR_MAX, YEAR_MIN

PROBLEM = "application/problem+json"


@pytest.fixture
def browser(reference: None, make_user: Callable[..., Any]) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("hq-admin", ("admin",)))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/?year=0",
        "/dashboard/?year=99999&chart=projects&format=csv",
        "/dashboard/regions/AFR/?year=1899",
        "/dashboard/offices/dakar/?year=2101",
        "/reports/?year=0",
    ],
)
def test_dashboard_and_report_pages_show_a_year_out_of_range_at_its_field_with_400(
    browser: Client, url: str
) -> None:
    response = browser.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")  # the page, not a download
    assert 'field--error"><label for="id_year"' in response.content.decode()


def test_a_dashboard_document_for_a_year_out_of_range_is_400_naming_it(browser: Client) -> None:
    response = browser.get("/reports/dashboard.xlsx?year=99999")
    assert response.status_code == 400
    assert "year: Ensure this value is less than or equal to 2100." in response.content.decode()


def test_dashboard_page_with_a_year_in_range_still_answers(browser: Client) -> None:
    assert browser.get(f"/dashboard/?year={YEAR_MIN}").status_code == 200


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/dashboard/?year=0", "query.year"),
        ("/api/results/framework?year=99999", "query.year"),
        ("/api/results/periods/?year=0", "query.year"),
        ("/api/results/activities/?year=2101", "query.year"),
        ("/api/results/reviews/?year=1899", "query.year"),
        ("/api/portfolio/transactions/?year=0", "query.year"),
    ],
)
def test_api_queries_refuse_a_year_out_of_range_with_422_naming_it(
    browser: Client, url: str, field: str
) -> None:
    response = browser.get(url)
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert list(response.json()["errors"]) == [field]


def test_an_iati_export_for_year_zero_is_refused_and_starts_no_job(browser: Client) -> None:
    from presence.interchange.models import Job

    token = get_random_string(32)
    browser.cookies["csrftoken"] = token
    response = browser.post(
        "/api/interchange/iati/export",
        data=json.dumps({"year": 0}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["year"]
    assert not Job.objects.exists()


def test_a_quarter_page_for_a_year_beyond_any_integer_is_404(browser: Client) -> None:
    assert browser.get("/results/quarters/99999999999999999999/1/").status_code == 404


# The OpenAPI document: every year and every list is bounded --------------------------------------------


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _bounds(schema: dict[str, Any]) -> tuple[Any, Any]:
    options = schema.get("anyOf", [schema])
    numbers = [option for option in options if option.get("type") == "integer"]
    return (numbers[0].get("minimum"), numbers[0].get("maximum")) if numbers else (None, None)


def _input_schemas() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object schema an operation takes as its body, resolved."""
    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    for path, method, operation in _operations():
        content = operation.get("requestBody", {}).get("content", {})
        for media in content.values():
            reference = media["schema"].get("$ref") or media["schema"].get("items", {}).get("$ref")
            if reference:
                name = reference.rsplit("/", 1)[1]
                yield f"{method.upper()} {path} {name}", components[name]


def test_every_year_an_operation_takes_is_bounded_to_the_documented_range() -> None:
    checked = []
    for path, method, operation in _operations():
        for parameter in operation.get("parameters", []):
            if parameter["name"].endswith("year"):
                checked.append(f"{method} {path} {parameter['name']}")
                assert _bounds(parameter["schema"]) == (YEAR_MIN, YEAR_MAX), checked[-1]
    for where, schema in _input_schemas():
        for name, field in schema.get("properties", {}).items():
            if name.endswith("year") or name == "priority_cycle":
                checked.append(f"{where}.{name}")
                assert _bounds(field) == (YEAR_MIN, YEAR_MAX), checked[-1]
    assert len(checked) >= 15  # table1, budgets, transactions, dashboard, results, interchange...


def test_every_paginated_list_bounds_its_limit_and_offset() -> None:
    lists = 0
    for path, method, operation in _operations():
        parameters = {parameter["name"]: parameter for parameter in operation.get("parameters", [])}
        if "offset" not in parameters:
            continue
        lists += 1
        assert _bounds(parameters["offset"]["schema"]) == (0, 1_000_000_000), f"{method} {path}"
        assert _bounds(parameters["limit"]["schema"]) == (1, 1000), f"{method} {path}"
    assert lists >= 20


# Formulas in the documents built outside core.exports -----------------------------------------------

HOSTILE = "=cmd|' /C calc'!A0"


def _cells_holding(workbook_bytes: bytes, text: str) -> list[Any]:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook_bytes))
    return [
        cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value == text
    ]


def test_spreadsheet_template_writes_a_formula_like_code_as_text(reference: None) -> None:
    from presence.interchange import sheets
    from presence.org.models import Region

    Region.objects.filter(code="AFR").update(code="=2+5")  # a region code holds at most 8 characters
    cells = _cells_holding(sheets.template(sheets.REGISTRY["projects"]), "=2+5")
    assert cells
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


def test_dashboard_document_writes_a_formula_like_office_name_as_text(browser: Client) -> None:
    from presence.org.models import Office

    Office.objects.filter(region__code="AFR").update(city=HOSTILE, name=HOSTILE)
    response = browser.get("/reports/dashboard.xlsx?region=AFR")
    assert response.status_code == 200
    cells = _cells_holding(response.content, HOSTILE)
    assert cells
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


# NUL in a URL path (PostgreSQL refuses it in a lookup: it was a 500 there) ----------------------------


@pytest.mark.parametrize("url", ["/api/portfolio/projects/ab%00c", "/api/org/offices/ab%00c"])
def test_nul_in_an_api_path_is_400_problem_json(browser: Client, url: str) -> None:
    response = browser.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "Null characters are not allowed."


@pytest.mark.parametrize("url", ["/portfolio/projects/ab%00c/", "/dashboard/regions/A%00/"])
def test_nul_in_a_page_path_is_400_naming_it(browser: Client, url: str) -> None:
    response = browser.get(url)
    assert response.status_code == 400
    assert "path: Null characters are not allowed." in response.content.decode()
