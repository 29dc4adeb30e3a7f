"""The pages of Council documents: create, edit with the markup checked, workflow, preview, compare."""

from __future__ import annotations

from typing import Any

from django.test import Client

from presence.council.models import CouncilDocument, DocumentVersion


def test_an_hq_editor_creates_a_document_and_a_draft_on_the_pages(hq: dict[str, Any], client: Client) -> None:
    client.force_login(hq["editor"])
    assert client.get("/council/new/").status_code == 200
    answer = client.post(
        "/council/new/",
        {
            "number": "C25/7",
            "title": "Regional presence",
            "governing_body": "Council",
            "session": "C25",
            "year_from": 2024,
            "year_to": 2024,
            "languages": "en",
        },
    )
    document = CouncilDocument.objects.get(number="C25/7")
    assert answer.status_code == 302
    assert answer["Location"] == f"/council/{document.pk}/"
    answer = client.post(f"/council/{document.pk}/versions/new/", {"language": "en"})
    version = DocumentVersion.objects.get(document=document)
    assert answer["Location"] == f"/council/versions/{version.pk}/edit/"


def test_the_edit_page_shows_an_unknown_field_at_its_text(
    draft: DocumentVersion, hq: dict[str, Any], client: Client
) -> None:
    client.force_login(hq["editor"])
    url = f"/council/versions/{draft.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200
    assert "<code>projects_ongoing</code>" in page.content.decode()  # the vocabulary beside the form
    data = {"version": draft.version, "date": "2024-09-02", "body": "{{projects_ongoing year=2023 round=x}}"}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "projects_ongoing: round=x is not a whole number" in refused.content.decode()
    saved = client.post(url, {**data, "body": "# One\n\n{{activities year=2024}} activities."})
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.body.startswith("# One")


def test_workflow_on_the_page_and_who_may_see_it(
    draft: DocumentVersion, hq: dict[str, Any], client: Client
) -> None:
    url = f"/council/versions/{draft.pk}/"
    client.force_login(hq["afr_editor"])
    assert client.get(url).status_code == 200
    assert client.get(f"{url}edit/").status_code == 403
    assert client.post(f"{url}status/", {"step": "submit", "version": draft.version}).status_code == 403
    client.force_login(hq["editor"])
    page = client.get(url).content.decode()
    assert "Submit for approval" in page
    assert "Draft: figures computed from the records" in page
    client.post(f"{url}status/", {"step": "submit", "version": draft.version})
    draft.refresh_from_db()
    assert draft.status == "in_review"
    client.post(f"{url}status/", {"step": "approve", "version": draft.version})
    draft.refresh_from_db()
    assert draft.status == "in_review"  # an editor does not approve
    client.force_login(hq["approver"])
    client.post(f"{url}status/", {"step": "approve", "version": draft.version})
    draft.refresh_from_db()
    assert draft.status == "approved"
    assert "Approved version: figures frozen on" in client.get(url).content.decode()
    preview = client.get(f"{url}preview/")
    assert preview.status_code == 200
    assert b"Document CWG-FHR-20/99" in preview.content
    compare = client.get(f"/council/{draft.document_id}/compare/?a={draft.pk}&b={draft.pk}")
    assert compare.status_code == 200
    client.force_login(hq["delegate"])
    assert client.get(url).status_code == 404
