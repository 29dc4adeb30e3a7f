"""The filters of every list the kit declares, through its page (and download) and its API list.

A record type names some of its list's filters with a value its record has (`RecordType.filters`); the
list's filters themselves are its FilterSet's (`core/filtering.py`). For each, the kit checks that:

- a malformed value of any of the list's filters is refused the same way everywhere: the page (and its
  CSV download) with 400 and the error at the field, the API with a 422 problem naming `query.<name>`;
- a parameter that is not a filter is ignored (the same records as without it);
- a declared value narrows the list to the records having it: the record is listed, and another value of
  the same filter leaves it out.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import django_filters as df
import pytest
from django.test import Client

from presence.api import api
from presence.core.filtering import FlagFilter, YearFilter
from tests.kit.registry import RECORD_TYPES
from tests.kit.steps import bad_api_value, bad_filter_value, shows
from tests.kit.types import Ctx, RecordType

PROBLEM = "application/problem+json"
UNKNOWN = {"kit_no_such_filter": "NOPE"}


def cases(having: Any) -> list[Any]:
    return [pytest.param(rt, id=rt.name) for rt in RECORD_TYPES if rt.filters and having(rt)]


def with_query(url: str, **params: Any) -> str:
    """`url` (which may hold a query already, `?year=2024`) with `params` set."""
    parts = urlsplit(url)
    query = {**dict(parse_qsl(parts.query)), **{k: str(v) for k, v in params.items()}}
    return f"{parts.path}?{urlencode(query)}" if query else parts.path


def declared(rt: RecordType, record: Any) -> dict[str, str]:
    """The record type's filter values for `record` (a value may be computed from the record)."""
    return {name: str(value(record) if callable(value) else value) for name, value in rt.filters.items()}


@cache
def api_parameters(path: str) -> dict[str, dict[str, Any]]:
    """An API list's filter parameters, as its OpenAPI document describes them (not limit and offset)."""
    operation = api.get_openapi_schema()["paths"][urlsplit(path).path]["get"]
    return {p["name"]: p for p in operation.get("parameters", []) if p["name"] not in ("limit", "offset")}


def other_value(item: df.Filter, value: str) -> str | None:
    """A valid value of the filter other than `value`, which no record of the kit's has."""
    if isinstance(item, FlagFilter):
        return None
    if isinstance(item, YearFilter):
        return str(int(value) - 50)
    if isinstance(item, df.ChoiceFilter | df.ModelChoiceFilter):
        others = [str(choice) for choice, _label in item.field.choices if str(choice) not in ("", value)]
        return others[-1] if others else None  # the last: the first may take in others ("open")
    if isinstance(item, df.CharFilter):
        return "kit-no-such-text"
    return None


def other_api_value(parameter: dict[str, Any], value: str) -> str | None:
    for option in parameter["schema"].get("anyOf", [parameter["schema"]]):
        if option.get("enum"):
            others = [choice for choice in option["enum"] if choice != value]
            return others[-1] if others else None
        if option.get("type") == "integer" and "maximum" in option:  # a year
            return str(int(value) - 50)
    return None


def session(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.mark.parametrize("rt", cases(lambda rt: rt.list_page or rt.api_list))
def test_the_declared_filters_are_filters_of_the_list(rt: RecordType, kit: Ctx, client: Client) -> None:
    client = session(client, kit.admin)
    names: set[str] = set(api_parameters(rt.api_list)) if rt.api_list else set()
    if rt.list_page:
        names |= set(client.get(rt.list_page).context["list_filter"].filters)
    assert set(rt.filters) <= names


@pytest.mark.parametrize("rt", cases(lambda rt: rt.list_page))
def test_the_list_page_refuses_a_malformed_filter_at_its_field_and_narrows_to_a_good_one(
    rt: RecordType, kit: Ctx, client: Client
) -> None:
    assert rt.list_page is not None
    record = rt.make(kit)
    client = session(client, kit.user(rt.reader))
    everything = client.get(rt.list_page)
    assert everything.status_code == 200
    filters = everything.context["list_filter"]
    total = everything.context["page"].paginator.count
    assert total >= 1

    for name, item in filters.filters.items():
        bad = bad_filter_value(item)
        if bad is None:
            continue
        refused = client.get(with_query(rt.list_page, **{name: bad}))
        assert refused.status_code == 400, (name, bad)
        assert f'field--error"><label for="id_{name}"' in refused.content.decode(), name
        download = client.get(with_query(rt.list_page, **{name: bad, "format": "csv"}))
        assert download.status_code == 400, name
        assert download["Content-Type"].startswith("text/html"), name

    ignored = client.get(with_query(rt.list_page, **UNKNOWN))
    assert ignored.status_code == 200
    assert ignored.context["page"].paginator.count == total

    values = {name: value for name, value in declared(rt, record).items() if name in filters.filters}
    for name, value in values.items():
        found = client.get(with_query(rt.list_page, **{name: value}))
        assert found.status_code == 200, (name, value)
        assert shows(found.content.decode(), rt.shown(record)), (name, value)
        other = other_value(filters.filters[name], value)
        if other is not None:
            left_out = client.get(with_query(rt.list_page, **{name: other}))
            assert left_out.status_code == 200, (name, other)
            assert left_out.context["page"].paginator.count <= total - 1, (name, other)
    together = client.get(with_query(rt.list_page, **values))
    assert together.status_code == 200
    assert shows(together.content.decode(), rt.shown(record))


@pytest.mark.parametrize("rt", cases(lambda rt: rt.api_list))
def test_the_api_list_refuses_a_malformed_filter_naming_it_and_narrows_to_a_good_one(
    rt: RecordType, kit: Ctx, client: Client
) -> None:
    assert rt.api_list is not None
    record = rt.make(kit)
    client = session(client, kit.user(rt.reader))
    parameters = api_parameters(rt.api_list)
    key, ident = rt.api_id

    def listed(**params: Any) -> list[Any]:
        response = client.get(with_query(rt.api_list or "", **params))
        assert response.status_code == 200, (params, response.content)
        body = response.json()
        return [item[key] for item in (body["items"] if isinstance(body, dict) else body)]

    everything = listed()
    assert ident(record) in everything

    for name, parameter in parameters.items():
        bad = bad_api_value(parameter)
        if bad is None:
            continue
        refused = client.get(with_query(rt.api_list, **{name: bad}))
        assert refused.status_code == 422, (name, bad)
        assert refused["Content-Type"] == PROBLEM
        assert list(refused.json()["errors"]) == [f"query.{name}"], (name, refused.json())

    assert listed(**UNKNOWN) == everything

    values = {name: value for name, value in declared(rt, record).items() if name in parameters}
    for name, value in values.items():
        assert ident(record) in listed(**{name: value}), (name, value)
        other = other_api_value(parameters[name], value)
        if other is not None:
            assert ident(record) not in listed(**{name: other}), (name, other)
    assert ident(record) in listed(**values)
