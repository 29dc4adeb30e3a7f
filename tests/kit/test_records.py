"""The tests every record type needs, run on each declaration of the registry (kit/registry.py)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import pytest
from django.test import Client

from presence.core.selectors import audit_for_record
from presence.org.access import Action, can
from tests.kit.registry import RECORD_TYPES
from tests.kit.steps import (
    INVALID_FORM_STATUSES,
    etag,
    form_values,
    history_section,
    new_record,
    page_form,
    patch_json,
    post_json,
    shows,
    state,
)
from tests.kit.types import Ctx, RecordType


def cases(having: Callable[[RecordType], Any]) -> list[Any]:
    return [pytest.param(rt, id=rt.name) for rt in RECORD_TYPES if having(rt)]


def refusals(having: Callable[[RecordType], Any]) -> list[Any]:
    return [
        pytest.param(rt, grant, id=f"{rt.name}-{'-'.join(grant)}")
        for rt in RECORD_TYPES
        if having(rt)
        for grant in rt.refused
    ]


def session(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def api_edit(rt: RecordType) -> tuple[str, Any]:
    return rt.api_edit or rt.edit


def same(stored: Any, sent: Any) -> bool:
    """A value read back (or in the audit trail) is the one sent: 250000.00 is "250000"."""
    try:
        return Decimal(str(stored)) == Decimal(str(sent))
    except InvalidOperation:
        return str(stored) == str(sent)


def assert_edited(rt: RecordType, record: Any, was: tuple[Any, ...], field: str, value: Any) -> Any:
    """The record holds the new value one version on, with one update entry naming before and after.

    `record` is the instance and `was` its state() as they were before the edit.
    """
    before = getattr(record, field)
    record.refresh_from_db()
    assert same(getattr(record, field), value)
    assert record.version == was[1] + 1
    entries = list(audit_for_record(record))
    assert len(entries) == len(was[2]) + 1
    assert entries[0].action == "update"
    assert field in entries[0].changes
    assert same(entries[0].changes[field][0], before)
    assert same(entries[0].changes[field][1], value)
    return entries[0]


# --- Reading ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rt", cases(lambda rt: rt.list_page or rt.detail_page))
def test_list_and_detail_pages_show_the_record(rt: RecordType, kit: Ctx, client: Client) -> None:
    record = rt.make(kit)
    client = session(client, kit.user(rt.reader))
    for url in (rt.list_page, rt.detail_page(record) if rt.detail_page else None):
        if url is None:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        assert shows(response.content.decode(), rt.shown(record)), url


@pytest.mark.parametrize("rt", cases(lambda rt: rt.api_list))
def test_list_and_detail_api_give_the_record(rt: RecordType, kit: Ctx, client: Client) -> None:
    record = rt.make(kit)
    client = session(client, kit.user(rt.reader))
    listed = client.get(rt.api_list)
    assert listed.status_code == 200
    key, value = rt.api_id
    body = listed.json()
    items = body["items"] if isinstance(body, dict) else body  # paginated, or a short list whole
    assert value(record) in [item[key] for item in items]
    if rt.api_detail and "GET" in rt.api_methods:
        detail = client.get(rt.api_detail(record))
        assert detail.status_code == 200
        assert detail["ETag"] == etag(record)
        assert detail.json()[key] == value(record)


# --- Creating --------------------------------------------------------------------------------------------


def assert_created(rt: RecordType, before: list[Any], user: Any) -> Any:
    record = new_record(rt, before)
    entries = list(audit_for_record(record))
    assert [entry.action for entry in entries] == ["create"]
    assert entries[0].actor == user
    assert entries[0].changes  # the values written, each [None, value]
    assert all(change[0] is None for change in entries[0].changes.values())
    return record


@pytest.mark.parametrize("rt", cases(lambda rt: rt.create_page))
def test_create_through_the_page(rt: RecordType, kit: Ctx, client: Client) -> None:
    writer = kit.user(rt.writer)
    client = session(client, writer)
    url = rt.create_page(kit)
    data = form_values(page_form(client.get(url)), **rt.form(kit))
    (before,) = state(rt)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert_created(rt, before, writer)


@pytest.mark.parametrize("rt", cases(lambda rt: rt.api_create))
def test_create_through_the_api(rt: RecordType, kit: Ctx, token_client: Callable[..., Client]) -> None:
    writer = kit.user(rt.writer)
    (before,) = state(rt)
    response = post_json(token_client(writer), rt.api_create(kit), rt.api_payload(kit))
    assert response.status_code == 201, response.content
    record = assert_created(rt, before, writer)
    key, value = rt.api_id
    assert response.json()[key] == value(record)


# --- Editing ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rt", cases(lambda rt: rt.edit_page))
def test_edit_through_the_page_is_audited_and_a_stale_form_is_refused(
    rt: RecordType, kit: Ctx, client: Client
) -> None:
    record = rt.make(kit)
    field, value = rt.edit
    before = getattr(record, field)
    client = session(client, kit.user(rt.writer))
    form = page_form(client.get(rt.edit_page(record)))
    data, first = form_values(form, **{field: value}), form_values(form)
    was = state(rt, record)
    response = client.post(rt.edit_page(record), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert_edited(rt, record, was, field, value)
    if (history := rt.history_url(record)) is not None:
        shown = history_section(client.get(history).content.decode())
        assert shows(shown, str(value))
        assert shows(shown, str(before))

    unchanged = state(rt, record)
    stale = client.post(rt.edit_page(record), first)  # the old value back, from the version shown first
    assert stale.status_code == 409
    assert "changed by someone else" in stale.content.decode()
    assert state(rt, record) == unchanged


@pytest.mark.parametrize("rt", cases(lambda rt: rt.api_detail and "PATCH" in rt.api_methods))
def test_edit_through_the_api_needs_the_current_if_match(
    rt: RecordType, kit: Ctx, token_client: Callable[..., Client]
) -> None:
    record = rt.make(kit)
    field, value = api_edit(rt)
    client = token_client(kit.user(rt.writer))
    url = rt.api_detail(record)
    unchanged = state(rt, record)
    assert patch_json(client, url, {field: value}, None).status_code == 428
    assert patch_json(client, url, {field: value}, etag(record, record.version - 1)).status_code == 412
    assert state(rt, record) == unchanged
    shown = etag(record)
    response = patch_json(client, url, {field: value}, shown)
    assert response.status_code == 200, response.content
    assert response["ETag"] == etag(record, record.version + 1)
    assert_edited(rt, record, unchanged, field, value)
    unchanged = state(rt, record)
    stale = patch_json(client, url, {field: value}, shown)
    assert stale.status_code == 412
    assert "changed by someone else" in stale.json()["detail"]
    assert state(rt, record) == unchanged


# --- Deleting --------------------------------------------------------------------------------------------


def assert_deleted(rt: RecordType, record: Any) -> None:
    assert not rt.model._default_manager.filter(pk=record.pk).exists()
    entries = list(audit_for_record(record))
    assert entries[0].action == "delete"
    assert entries[0].changes
    assert all(change[1] is None for change in entries[0].changes.values())


@pytest.mark.parametrize("rt", cases(lambda rt: rt.delete_page))
def test_delete_through_the_page_with_the_version_shown(rt: RecordType, kit: Ctx, client: Client) -> None:
    record = rt.make(kit)
    url = rt.delete_page(record)
    client = session(client, kit.user(rt.writer))
    offered = [page(record) for page in (rt.detail_page, rt.edit_page) if page is not None]
    if offered:  # the record's page or its edit page links to the confirmation
        assert any(url in client.get(page).content.decode() for page in offered), offered
    page = client.get(url)
    assert page.status_code == 200
    assert f'name="version" value="{record.version}"' in page.content.decode()
    unchanged = state(rt, record)
    stale = client.post(url, {"version": record.version - 1})
    assert stale.status_code == 409
    assert "changed by someone else" in stale.content.decode()
    assert client.post(url, {}).status_code == 400  # no version: an incomplete form
    assert state(rt, record) == unchanged
    assert client.post(url, {"version": record.version}).status_code == 302
    assert_deleted(rt, record)


@pytest.mark.parametrize("rt", cases(lambda rt: rt.api_detail and "DELETE" in rt.api_methods))
def test_delete_through_the_api_needs_the_current_if_match(
    rt: RecordType, kit: Ctx, token_client: Callable[..., Client]
) -> None:
    record = rt.make(kit)
    client = token_client(kit.user(rt.writer))
    url = rt.api_detail(record)
    unchanged = state(rt, record)
    assert client.delete(url).status_code == 428
    assert client.delete(url, headers={"If-Match": etag(record, record.version - 1)}).status_code == 412
    assert state(rt, record) == unchanged
    response = client.delete(url, headers={"If-Match": etag(record)})
    assert response.status_code == 204, response.content
    assert_deleted(rt, record)


# --- Refusals --------------------------------------------------------------------------------------------


def refused_status(what: str, response: Any, visible: bool) -> int:
    """403, or 404 for a record the user may not even see (nothing tells it exists).

    A create in a place the user cannot see: 403, 404 where the page is the parent's (a project's), or
    a field error, as the forms offer only the places and parents the user may write to (the form shown
    again as an invalid form is, a 422 naming the field through the API).
    """
    status = response.status_code
    if not what.endswith("create"):
        return 403 if visible else 404
    if visible or status == 403:
        return 403
    if status == 404:
        return 404
    if what == "page create":
        assert response.context["form"].errors
        assert status in INVALID_FORM_STATUSES
        return status
    assert response.json()["errors"]
    return 422


def writable(rt: RecordType) -> bool:
    return bool(rt.create_page or rt.edit_page or rt.delete_page or rt.api_create or rt.api_detail)


@pytest.mark.parametrize(("rt", "grant"), refusals(writable))
def test_a_role_that_may_not_write_is_refused_and_nothing_changes(
    rt: RecordType, grant: tuple[str, ...], kit: Ctx, client: Client
) -> None:
    record = rt.make(kit)
    writer = session(type(client)(), kit.user(rt.writer))  # fills in the forms as they would be sent
    forms = {}
    if rt.create_page:
        forms["create"] = form_values(page_form(writer.get(rt.create_page(kit))), **rt.form(kit))
    if rt.edit_page:
        forms["edit"] = form_values(page_form(writer.get(rt.edit_page(record))), **dict([rt.edit]))
    user = kit.user(grant)
    visible = can(user, Action.VIEW, record)
    client = session(client, user)
    unchanged = state(rt, record)
    attempts: list[tuple[str, Any]] = []
    if rt.create_page:
        attempts.append(("page create", client.post(rt.create_page(kit), forms["create"])))
    if rt.edit_page:
        attempts.append(("page edit", client.post(rt.edit_page(record), forms["edit"])))
    if rt.delete_page:
        attempts.append(("page delete", client.post(rt.delete_page(record), {"version": record.version})))
    if rt.api_create:
        attempts.append(("API create", post_json(client, rt.api_create(kit), rt.api_payload(kit))))
    if rt.api_detail and "PATCH" in rt.api_methods:
        field, value = api_edit(rt)
        attempts.append(("API edit", patch_json(client, rt.api_detail(record), {field: value}, etag(record))))
    if rt.api_detail and "DELETE" in rt.api_methods:
        response = client.delete(rt.api_detail(record), headers={"If-Match": etag(record)})
        attempts.append(("API delete", response))
    assert {what: response.status_code for what, response in attempts} == {
        what: refused_status(what, response, visible) for what, response in attempts
    }
    assert state(rt, record) == unchanged


# --- Invalid forms ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("rt", cases(lambda rt: rt.invalid and (rt.create_page or rt.edit_page)))
def test_an_invalid_form_is_shown_again_and_nothing_changes(rt: RecordType, kit: Ctx, client: Client) -> None:
    record = rt.make(kit)
    client = session(client, kit.user(rt.writer))
    unchanged = state(rt, record)
    pages = [rt.create_page(kit) if rt.create_page else None, rt.edit_page(record) if rt.edit_page else None]
    for url in filter(None, pages):
        extra = rt.form(kit) if url == pages[0] else {}
        data = form_values(page_form(client.get(url)), **{**extra, **rt.invalid})
        response = client.post(url, data)
        assert response.status_code in INVALID_FORM_STATUSES, url
        assert response.context["form"].errors, url
        assert state(rt, record) == unchanged
