"""Deleting a record through its page (confirmation carrying the version) and the API (If-Match).

Shared by the apps' test_deletes modules: each step checks the refusal of a stale version, the record
gone (or kept when refused) and the audit entry.
"""

from __future__ import annotations

from presence.core.models import AuditEntry


def deletes_through_page(client, record, detail_url: str, delete_url: str) -> None:
    """The detail page offers Delete; a stale version is refused with a message; then it goes."""
    model = type(record)
    assert delete_url in client.get(detail_url).content.decode()
    page = client.get(delete_url)
    assert page.status_code == 200
    assert f'name="version" value="{record.version}"' in page.content.decode()
    stale = client.post(delete_url, {"version": record.version + 1})
    assert stale.status_code == 409
    assert "changed by someone else" in stale.content.decode()
    assert model.objects.filter(pk=record.pk).exists()
    response = client.post(delete_url, {"version": record.version})
    assert response.status_code == 302
    assert not model.objects.filter(pk=record.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(record.pk)).exists()


def page_delete_refused(client, record, detail_url: str, delete_url: str) -> None:
    """No button, and neither the confirmation page nor the POST deletes anything."""
    detail = client.get(detail_url)
    if detail.status_code == 200:
        assert delete_url not in detail.content.decode()
    assert client.get(delete_url).status_code in (403, 404)
    assert client.post(delete_url, {"version": record.version}).status_code in (403, 404)
    assert type(record).objects.filter(pk=record.pk).exists()


def deletes_through_api(client, record, url: str) -> None:
    model = type(record)
    assert client.delete(url).status_code == 428  # If-Match is required
    stale = client.delete(url, headers={"If-Match": f'"{record.pk}-{record.version + 1}"'})
    assert stale.status_code == 412
    assert model.objects.filter(pk=record.pk).exists()
    response = client.delete(url, headers={"If-Match": f'"{record.pk}-{record.version}"'})
    assert response.status_code == 204, response.content
    assert not model.objects.filter(pk=record.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(record.pk)).exists()


def api_delete_refused(client, record, url: str) -> None:
    response = client.delete(url, headers={"If-Match": f'"{record.pk}-{record.version}"'})
    assert response.status_code in (403, 404)
    assert type(record).objects.filter(pk=record.pk).exists()
