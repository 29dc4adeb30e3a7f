"""Every list, found by walking the URL conf and the OpenAPI document over the demo data, refuses a bad
filter value and narrows its records with a good one: the page and its export with 400 showing the error
at its field, the API with a 422 problem naming `query.<name>` (core/filtering.py). A list added later is
covered without touching this module, whether or not the kit declares its record type; the kit
(tests/kit/test_filters.py) checks each declared list against its own record, unknown parameters
included.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import django_filters as df
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from presence.api import api
from presence.core.filtering import ListFilter
from tests.kit.steps import bad_api_value, bad_filter_value

PROBLEM = "application/problem+json"
APPS = ("portfolio", "engagement", "staffing", "results", "resilience", "org", "mandates", "council")


@pytest.fixture
def admin(demo: None) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def _plain_url_names() -> Iterator[str]:
    """`app:name` of every route of the domain apps that takes no argument."""
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace in APPS:
            for pattern in entry.url_patterns:
                if isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groups:
                    yield f"{entry.namespace}:{pattern.name}"


def _list_pages(client: Client) -> list[tuple[str, ListFilter]]:
    pages = []
    for name in _plain_url_names():
        response = client.get(reverse(name))
        context = response.context or {}
        if response.status_code == 200 and "list_filter" in context:
            pages.append((reverse(name), context["list_filter"]))
    return pages


def test_every_list_page_and_export_refuses_a_bad_filter_at_its_field_and_a_good_one_narrows(
    admin: Client,
) -> None:
    pages = _list_pages(admin)
    assert {url for url, _filters in pages} >= {
        "/portfolio/projects/",
        "/portfolio/funding/",
        "/engagement/events/",
    }
    refused, narrowed = [], []
    for url, filters in pages:
        total = admin.get(url).context["page"].paginator.count
        for name, item in filters.filters.items():
            bad = bad_filter_value(item)
            if bad is not None:
                response = admin.get(url, {name: bad})
                assert response.status_code == 400, (url, name)
                assert f'field--error"><label for="id_{name}"' in response.content.decode(), (url, name)
                download = admin.get(url, {name: bad, "format": "csv"})
                assert download.status_code == 400, (url, name)
                assert download["Content-Type"].startswith("text/html"), (url, name)
                refused.append(f"{url}?{name}")
            if isinstance(item, df.ChoiceFilter) and url not in narrowed:
                choices = [value for value, _label in item.field.choices if value != ""][:6]
                for value in choices:
                    found = admin.get(url, {name: str(value)})
                    assert found.status_code == 200, (url, name, value)
                    if 0 < found.context["page"].paginator.count < total:
                        narrowed.append(url)
                        break
    assert len(refused) >= 20
    assert (
        len(narrowed)
        >= len([url for url, f in pages if any(bad_filter_value(i) for i in f.filters.values())]) - 2
    )


def test_a_list_page_shows_one_bounded_page_and_the_count_of_all(admin: Client) -> None:
    response = admin.get("/portfolio/projects/", {"page": "1"})
    page = response.context["page"]
    assert len(page.object_list) <= page.paginator.per_page <= 100
    assert f"{page.paginator.count} matching record" in response.content.decode()


# The API ------------------------------------------------------------------------------------------------


def _api_lists() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Every paginated GET of the API with its filter parameters (all but limit and offset)."""
    for path, methods in api.get_openapi_schema()["paths"].items():
        operation = methods.get("get")
        if operation is None or "{" in path:
            continue
        names = [parameter["name"] for parameter in operation.get("parameters", [])]
        if "limit" in names:
            yield path, [p for p in operation["parameters"] if p["name"] not in ("limit", "offset")]


def _declared(parameters: list[dict[str, Any]]) -> bool:
    """Whether a list's parameters come from a FilterSet (query_schema describes every one)."""
    return all(parameter.get("description") for parameter in parameters)


def test_every_api_list_declares_its_filters_once() -> None:
    undeclared = {path for path, parameters in _api_lists() if parameters and not _declared(parameters)}
    assert undeclared == set()


def test_every_api_list_refuses_bad_filter_values_with_422_naming_them(admin: Client) -> None:
    lists = dict(_api_lists())
    assert len(lists) >= 10
    refused = []
    for path, parameters in lists.items():
        for parameter in parameters:
            bad = bad_api_value(parameter)
            if bad is None:
                continue
            response = admin.get(path, {parameter["name"]: bad})
            assert response.status_code == 422, (path, parameter["name"], bad)
            assert response["Content-Type"] == PROBLEM
            assert list(response.json()["errors"]) == [f"query.{parameter['name']}"], (path, parameter)
            refused.append(f"{path}?{parameter['name']}")
    assert len(refused) >= 20


def test_api_lists_narrow_to_the_value_asked(admin: Client) -> None:
    narrowed = []
    for path, parameters in _api_lists():
        items = admin.get(path, {"limit": 1000}).json()["items"]
        if not items:
            continue
        for parameter in parameters:
            name = parameter["name"]
            value = items[-1].get(name)
            if not isinstance(value, str) or not value or bad_api_value(parameter) is None:
                continue
            found = admin.get(path, {name: value, "limit": 1000}).json()
            assert found["count"] >= 1, (path, name, value)
            assert all(item[name] == value for item in found["items"]), (path, name, value)
            narrowed.append(path)
            break
    assert len(narrowed) >= 5
