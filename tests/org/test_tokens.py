"""Personal access tokens: hashed, expiring, revocable by their owner, accepted by the API."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from presence.org.models import PersonalAccessToken
from presence.org.services import token_create, token_revoke


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
    page = client.post("/org/account/", {"name": "laptop", "days": 30})
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
