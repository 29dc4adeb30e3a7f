"""Personal access tokens: hashed, expiring, revocable by their owner, accepted by the API.

Every client here runs Django's real CSRF check: the `client` fixture sends the CSRF token as the
site's pages do, `token_client` sends only a Bearer token.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from presence.core.models import AuditEntry
from presence.org.models import Office, PersonalAccessToken
from presence.org.services import token_create, token_revoke
from tests.kit.steps import patch_json

NEW_OFFICE = {
    "code": "abidjan",
    "name": "Office in Abidjan",
    "city": "Abidjan",
    "country": "CI",
    "kind": "area",
    "region": "AFR",
}


def _post_office(client, **headers):
    return client.post(
        "/api/org/offices/", json.dumps(NEW_OFFICE), content_type="application/json", headers=headers
    )


def test_token_is_stored_hashed_and_authenticates_the_api(reference, make_user, client):
    user = make_user("tok", ("viewer",))
    record, token = token_create(user=user, name="script")
    assert token not in record.token_hash
    assert record.token_hash == PersonalAccessToken.hash(token)
    response = client.get("/api/org/regions/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert {item["code"] for item in response.json()["items"]} >= {"AFR", "MUL"}


def test_revoked_or_expired_token_is_refused(reference, make_user, client):
    user = make_user("tok2", ("viewer",))
    record, token = token_create(user=user, name="old")
    token_revoke(user=user, token=record)
    assert client.get("/api/org/regions/", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    record2, token2 = token_create(user=user, name="expiring")
    PersonalAccessToken.objects.filter(pk=record2.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get("/api/org/regions/", headers={"Authorization": f"Bearer {token2}"}).status_code == 401


def test_user_creates_and_revokes_tokens_on_the_account_page(reference, make_user, client):
    user = make_user("tok3", ("viewer",))
    client.force_login(user)
    page = client.post("/org/account/", {"name": "laptop", "days": 30, "access": "read"})
    token = page.context["new_token"]
    assert token.startswith("prs_")
    record = PersonalAccessToken.objects.get(user=user)
    other = make_user("someone-else", ("viewer",))
    client.force_login(other)
    assert client.post(f"/org/account/tokens/{record.pk}/revoke/").status_code == 404
    client.force_login(user)
    client.post(f"/org/account/tokens/{record.pk}/revoke/")
    record.refresh_from_db()
    assert record.revoked_at is not None


def test_bearer_token_creates_updates_and_deletes_through_the_api_with_csrf_enforced(
    reference, make_user, token_client
):
    api = token_client(make_user("script-admin", ("admin",)), access="read_write")
    created = _post_office(api)
    assert created.status_code == 201, created.content
    etag = created["ETag"]
    changed = patch_json(api, "/api/org/offices/abidjan", {"name": "ITU Office in Abidjan"}, etag)
    assert changed.status_code == 200, changed.content
    assert Office.objects.get(code="abidjan").name == "ITU Office in Abidjan"
    deleted = api.delete("/api/org/offices/abidjan", headers={"If-Match": changed["ETag"]})
    assert deleted.status_code == 204
    assert not Office.objects.filter(code="abidjan").exists()
    entries = AuditEntry.objects.filter(object_repr__contains="Abidjan")
    actors = set(entries.values_list("actor__username", flat=True))
    assert actors == {"script-admin"}


def test_session_write_without_the_csrf_header_is_refused_and_changes_nothing(reference, make_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user("session-admin", ("admin",)))
    audit_before = AuditEntry.objects.count()
    response = _post_office(browser)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "CSRF" in response.json()["detail"]
    assert not Office.objects.filter(code="abidjan").exists()
    assert AuditEntry.objects.count() == audit_before


def test_session_write_with_the_csrf_header_is_accepted(reference, make_user, client):
    client.force_login(make_user("session-admin", ("admin",)))
    assert _post_office(client).status_code == 201


def test_a_bearer_token_is_judged_by_itself_not_by_a_session_cookie_without_csrf(reference, make_user):
    user = make_user("both", ("admin",))
    _record, token = token_create(user=user, name="script", access="read_write")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_user("someone", ("viewer",)))
    response = _post_office(browser, Authorization=f"Bearer {token}")
    assert response.status_code == 201
    assert Office.objects.get(code="abidjan").created_by == user


def test_read_only_token_reads_but_is_refused_every_write_with_a_clear_problem(
    reference, make_user, token_client, office
):
    api = token_client(make_user("reader-admin", ("admin",)), access="read")
    dakar = office("dakar")
    assert api.get("/api/org/offices/dakar").status_code == 200
    audit_before = AuditEntry.objects.count()
    refused = [
        _post_office(api),
        patch_json(api, "/api/org/offices/dakar", {"name": "Renamed"}, f'"{dakar.pk}-{dakar.version}"'),
        api.delete("/api/org/offices/dakar", headers={"If-Match": f'"{dakar.pk}-{dakar.version}"'}),
    ]
    for response in refused:
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"
        assert "read-only" in response.json()["detail"]
    assert not Office.objects.filter(code="abidjan").exists()
    assert Office.objects.get(code="dakar").version == dakar.version
    assert AuditEntry.objects.count() == audit_before


def test_a_token_is_read_only_unless_write_access_is_chosen(reference, make_user):
    user = make_user("default-access", ("viewer",))
    record, _token = token_create(user=user, name="script")
    assert record.access == PersonalAccessToken.Access.READ
    with pytest.raises(ValidationError) as error:
        token_create(user=user, name="script", access="admin")
    assert "access" in error.value.message_dict


def test_token_creation_and_revocation_are_audited_without_the_secret(reference, make_user):
    user = make_user("audited", ("viewer",))
    record, token = token_create(user=user, name="nightly export", access="read_write")
    token_revoke(user=user, token=record)
    token_revoke(user=user, token=record)
    entries = list(
        AuditEntry.objects.filter(
            content_type__model="personalaccesstoken", object_id=str(record.pk)
        ).order_by("id")
    )
    assert [entry.action for entry in entries] == ["create", "update"]
    assert all(entry.actor == user for entry in entries)
    assert entries[0].changes["name"] == [None, "nightly export"]
    assert entries[0].changes["access"] == [None, "read_write"]
    assert entries[1].changes["revoked_at"][0] is None
    stored = json.dumps([[e.changes, e.object_repr, e.reason] for e in entries])
    assert token not in stored
    assert record.token_hash not in stored
    assert token[len(record.prefix) :] not in stored


def test_the_account_page_showing_a_new_token_may_not_be_cached(reference, make_user, client):
    client.force_login(make_user("no-cache", ("viewer",)))
    page = client.post("/org/account/", {"name": "laptop", "days": 30, "access": "read_write"})
    assert page.context["new_token"].startswith("prs_")
    cache_control = {part.strip() for part in page["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control
    assert PersonalAccessToken.objects.get(name="laptop").access == "read_write"


def test_an_administrator_cannot_widen_a_token_to_read_write_in_the_admin(reference, make_user, client):
    owner = make_user("owner", ("viewer",))
    record, _token = token_create(user=owner, name="script")
    client.force_login(make_user("root", superuser=True))
    page = client.get(f"/admin/org/personalaccesstoken/{record.pk}/change/")
    assert page.status_code == 200
    assert b'name="access"' not in page.content
    client.post(
        f"/admin/org/personalaccesstoken/{record.pk}/change/",
        {
            "name": "script",
            "access": "read_write",
            "expires_at_0": "2099-01-01",
            "expires_at_1": "00:00:00",
        },
    )
    record.refresh_from_db()
    assert record.access == "read"
