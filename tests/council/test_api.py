"""The council API: documents, versions, workflow steps and figures, with CSRF, ETags and tokens."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.test import Client

from presence.council.models import CouncilDocument, DocumentVersion

JSON = "application/json"


def test_session_writes_need_csrf_and_create_documents_and_drafts(hq: dict[str, Any], client: Client) -> None:
    bare = Client(enforce_csrf_checks=True)
    bare.force_login(hq["editor"])
    payload = {
        "governing_body": "Council",
        "session": "C25",
        "number": "C25/1",
        "title": "Regional presence",
        "year_from": 2024,
        "year_to": 2024,
        "languages": ["en", "fr"],
    }
    assert bare.post("/api/council/documents/", json.dumps(payload), content_type=JSON).status_code == 403
    client.force_login(hq["editor"])
    created = client.post("/api/council/documents/", json.dumps(payload), content_type=JSON)
    assert created.status_code == 201, created.content
    assert created.json()["languages"] == ["en", "fr"]
    pk = created.json()["id"]
    draft = client.post(
        f"/api/council/documents/{pk}/versions/",
        json.dumps({"language": "fr", "body": "# Un\n\n{{projects_ongoing year=2024}} projets."}),
        content_type=JSON,
    )
    assert draft.status_code == 201, draft.content
    assert draft.json()["status"] == "draft"
    assert draft["ETag"] == f'"{draft.json()["id"]}-1"'
    refused = client.post(
        f"/api/council/documents/{pk}/versions/", json.dumps({"language": "de"}), content_type=JSON
    )
    assert refused.status_code == 422
    bad_year = client.post(
        "/api/council/documents/", json.dumps({**payload, "year_to": 3000}), content_type=JSON
    )
    assert bad_year.status_code == 422


def test_patch_needs_the_etag_and_refuses_an_unknown_field_naming_it(
    draft: DocumentVersion, hq: dict[str, Any], token_client: Callable[..., Client]
) -> None:
    api = token_client(hq["editor"])
    url = f"/api/council/versions/{draft.pk}"
    body = json.dumps({"body": "{{projects_ongoing year=2023}} and {{stakeholder year=2023}}"})
    assert api.patch(url, body, content_type=JSON).status_code == 428
    etag = api.get(url)["ETag"]
    refused = api.patch(url, body, content_type=JSON, headers={"If-Match": etag})
    assert refused.status_code == 422
    assert "stakeholder" in refused.content.decode()
    assert "body" in refused.content.decode()
    ok = api.patch(url, json.dumps({"note": "v1"}), content_type=JSON, headers={"If-Match": etag})
    assert ok.status_code == 200
    assert ok.json()["note"] == "v1"
    stale = api.patch(url, json.dumps({"note": "v2"}), content_type=JSON, headers={"If-Match": etag})
    assert stale.status_code == 412


def test_workflow_over_the_api(
    draft: DocumentVersion, hq: dict[str, Any], token_client: Callable[..., Client]
) -> None:
    both, approver = token_client(hq["both"]), token_client(hq["approver"])
    url = f"/api/council/versions/{draft.pk}"
    submitted = both.post(f"{url}/submit", headers={"If-Match": both.get(url)["ETag"]})
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "in_review"
    own = both.post(f"{url}/approve", headers={"If-Match": submitted["ETag"]})
    assert own.status_code == 403  # hq["both"] submitted it
    assert "another approver" in own.content.decode()
    region = token_client(hq["afr_approver"]).post(f"{url}/approve", headers={"If-Match": submitted["ETag"]})
    assert region.status_code == 403
    approved = approver.post(f"{url}/approve", headers={"If-Match": submitted["ETag"]})
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["frozen_at"]
    figures = approver.get(f"{url}/figures").json()
    assert figures["frozen"] is True
    assert {f["key"] for f in figures["figures"]} == {"projects_ongoing year=2023", "forums year=2023"}
    again = approver.post(f"{url}/approve", headers={"If-Match": approved["ETag"]})
    assert again.status_code == 409
    published = approver.post(f"{url}/publish", headers={"If-Match": approved["ETag"]})
    assert published.json()["status"] == "published"


def test_region_editors_and_delegates_cannot_write_over_the_api(
    draft: DocumentVersion, document: CouncilDocument, hq: dict[str, Any], token_client: Callable[..., Client]
) -> None:
    url = f"/api/council/versions/{draft.pk}"
    for who, status in (("afr_editor", 403), ("delegate", 404)):  # delegates do not see drafts at all
        api = token_client(hq[who])
        etag = f'"{draft.pk}-{draft.version}"'
        answer = api.patch(url, json.dumps({"note": "x"}), content_type=JSON, headers={"If-Match": etag})
        assert answer.status_code == status, who
        created = api.post(
            f"/api/council/documents/{document.pk}/versions/",
            json.dumps({"language": "fr"}),
            content_type=JSON,
        )
        assert created.status_code == (403 if who == "afr_editor" else 404), who
    assert token_client(hq["delegate"]).get("/api/council/documents/").json()["items"] == []
    assert token_client(hq["afr_editor"]).get(url).status_code == 200  # insiders read drafts
    draft.refresh_from_db()
    assert draft.note == ""
