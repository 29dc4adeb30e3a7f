"""Requests: who reads and writes them (pages, API, admin), names hidden from member-state viewers,
and the rows another document renders as an annex."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from presence.core.errors import AccessDenied
from presence.core.models import AuditEntry
from presence.mandates import selectors, services
from presence.mandates.models import YEARLY, Evidence, Mandate
from tests.kit.steps import patch_json, post_json

OWNER_NAME = "Ottilie Ownerton"


@pytest.fixture
def people(reference: None, make_user: Callable[..., Any]) -> dict[str, Any]:
    owner = make_user("ottilie.owner", ("viewer",))
    owner.first_name, owner.last_name = OWNER_NAME.split()
    owner.save()
    return {
        "hq_admin": make_user("hq.admin", ("admin",)),
        "hq_editor": make_user("hq.editor", ("editor",)),
        "afr_editor": make_user("afr.editor", ("editor", "AFR")),
        "dakar_editor": make_user("dakar.editor", ("editor", "office:dakar")),
        "afr_viewer": make_user("afr.viewer", ("viewer", "AFR")),
        "delegate": make_user("delegate", ("member_state",)),
        "nobody": make_user("nobody"),
        "owner": owner,
    }


def _data(**changes: Any) -> dict[str, Any]:
    return {
        "body": Mandate.Body.COUNCIL,
        "session": "C23",
        "year": 2023,
        "reference": "Council 2023",
        "kind": Mandate.Kind.REQUEST,
        "text": "ICT infrastructure and cybersecurity audits at each field office.",
        "owner_unit": "ORMS Unit",
        "status": Mandate.Status.IN_PROGRESS,
        "evidence": Evidence.ICT_CYBER_AUDIT,
        **changes,
    }


@pytest.fixture
def published(people: dict[str, Any]) -> Mandate:
    return services.mandate_create(
        actor=people["hq_admin"], owner=people["owner"], published=True, assessment="on_track", **_data()
    )


@pytest.fixture
def draft(people: dict[str, Any]) -> Mandate:
    return services.mandate_create(
        actor=people["hq_editor"],
        owner=people["owner"],
        published=False,
        **_data(
            kind=Mandate.Kind.PROPOSAL, session="C24", year=2024, text="Guidelines for wider cooperation."
        ),
    )


# --- Access: the matrix --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["hq_admin", "hq_editor"])
def test_hq_edits_and_deletes(people: dict[str, Any], published: Mandate, who: str) -> None:
    actor, pk = people[who], published.pk
    changed = services.mandate_update(
        actor=actor, mandate=published, expected_version=published.version, status="implemented"
    )
    assert changed.status == "implemented"
    assert changed.version == 2
    services.mandate_delete(actor=actor, mandate=changed, expected_version=changed.version)
    assert not Mandate.objects.filter(pk=pk).exists()
    actions = list(
        AuditEntry.objects.filter(object_id=str(pk), content_type__model="mandate").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["create", "delete", "update"]


@pytest.mark.parametrize("who", ["afr_editor", "dakar_editor", "afr_viewer", "delegate", "nobody"])
def test_others_write_nothing(people: dict[str, Any], published: Mandate, who: str) -> None:
    actor = people[who]
    with pytest.raises(AccessDenied):
        services.mandate_create(actor=actor, **_data())
    with pytest.raises(AccessDenied):
        services.mandate_update(actor=actor, mandate=published, expected_version=1, status="closed")
    with pytest.raises(AccessDenied):
        services.mandate_delete(actor=actor, mandate=published, expected_version=1)
    published.refresh_from_db()
    assert (Mandate.objects.count(), published.status, published.version) == (1, "in_progress", 1)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("hq_admin", {"published", "draft"}),
        ("afr_editor", {"published", "draft"}),
        ("afr_viewer", {"published", "draft"}),
        ("dakar_editor", {"published", "draft"}),
        ("delegate", {"published"}),
        ("nobody", set()),
    ],
)
def test_staff_read_everything_member_states_published_only(
    people: dict[str, Any], published: Mandate, draft: Mandate, who: str, sees: set[str]
) -> None:
    names = {published.pk: "published", draft.pk: "draft"}
    found = {names[m.pk] for m in selectors.mandate_list(user=people[who])}
    assert found == sees


def test_published_only_narrows_staff_reads_too(
    people: dict[str, Any], published: Mandate, draft: Mandate
) -> None:
    rows = selectors.tracker_rows(user=people["hq_admin"], published_only=True)
    assert [row["text"] for row in rows] == [published.text]
    assert len(selectors.tracker_rows(user=people["hq_admin"], published_only=False)) == 2


# --- Pages ----------------------------------------------------------------------------------------


def test_pages_for_hq_create_edit_delete_through_the_forms(
    people: dict[str, Any], published: Mandate, client: Client
) -> None:
    client.force_login(people["hq_editor"])
    page = client.get("/mandates/")
    assert page.status_code == 200
    assert "Add request" in page.content.decode()
    form = {
        **{k: str(v) for k, v in _data(text="Timely financial reporting of projects.").items()},
        "evidence": Evidence.REPORTS_ON_TIME,
        "evidence_year": "2024",
        "kind": "proposal",
        "url": "https://www.itu.int/md/S24-CL-C-0079/en",
        "published": "on",
    }
    response = client.post("/mandates/new/", form)
    assert response.status_code == 302, response.content.decode()
    created = Mandate.objects.get(text="Timely financial reporting of projects.")
    assert created.published
    assert created.evidence_year == 2024
    detail = client.get(created.get_absolute_url()).content.decode()
    assert str(Evidence.REPORTS_ON_TIME.label) in detail
    assert "/portfolio/reporting/?year=2024" in detail  # the records behind the figure
    # Stale version: 409, nothing written.
    stale = client.post(f"/mandates/{created.pk}/edit/", {**form, "status": "closed", "version": "99"})
    assert stale.status_code == 409
    created.refresh_from_db()
    assert created.status == "in_progress"
    edit = client.post(f"/mandates/{created.pk}/edit/", {**form, "status": "closed", "version": "1"})
    assert edit.status_code == 302
    created.refresh_from_db()
    assert (created.status, created.version) == ("closed", 2)
    deleted = client.post(f"/mandates/{created.pk}/delete/", {"version": "2"})
    assert deleted.status_code == 302
    assert not Mandate.objects.filter(pk=created.pk).exists()


def test_a_year_for_a_measure_that_takes_none_is_refused_at_its_field(
    people: dict[str, Any], client: Client
) -> None:
    client.force_login(people["hq_admin"])
    form = {k: str(v) for k, v in _data(evidence_year=2024).items()}
    response = client.post("/mandates/new/", form)
    assert response.status_code == 422
    assert "evidence_year" in response.context["form"].errors
    assert Mandate.objects.count() == 0


@pytest.mark.parametrize("who", ["afr_editor", "afr_viewer", "delegate"])
def test_pages_refuse_writes_to_others(
    people: dict[str, Any], published: Mandate, client: Client, who: str
) -> None:
    client.force_login(people[who])
    assert client.get("/mandates/").status_code == 200
    assert "Add request" not in client.get("/mandates/").content.decode()
    assert client.get("/mandates/new/").status_code == 403
    assert client.post("/mandates/new/", {k: str(v) for k, v in _data().items()}).status_code == 403
    assert (
        client.post(f"/mandates/{published.pk}/edit/", {"status": "closed", "version": "1"}).status_code
        == 403
    )
    assert client.post(f"/mandates/{published.pk}/delete/", {"version": "1"}).status_code == 403
    published.refresh_from_db()
    assert (Mandate.objects.count(), published.status, published.version) == (1, "in_progress", 1)


def test_delegate_reads_published_requests_without_names(
    people: dict[str, Any], published: Mandate, draft: Mandate, client: Client
) -> None:
    client.force_login(people["delegate"])
    listing = client.get("/mandates/").content.decode()
    assert published.text in listing
    assert draft.text not in listing
    assert client.get(draft.get_absolute_url()).status_code == 404
    detail = client.get(published.get_absolute_url()).content.decode()
    for page in (listing, detail, client.get("/mandates/?format=csv").content.decode()):
        assert OWNER_NAME not in page
        assert "ottilie.owner" not in page
    assert "ORMS Unit" in detail
    client.force_login(people["afr_viewer"])
    assert OWNER_NAME in client.get(published.get_absolute_url()).content.decode()


def test_list_filters_and_a_bad_year_is_400(
    people: dict[str, Any], published: Mandate, draft: Mandate, client: Client
) -> None:
    client.force_login(people["afr_viewer"])
    page = client.get("/mandates/?kind=proposal").content.decode()
    assert draft.text in page
    assert published.text not in page
    assert client.get("/mandates/?year=99999").status_code == 400


# --- API --------------------------------------------------------------------------------------------


def test_api_create_patch_delete_with_csrf_and_etags(people: dict[str, Any], client: Client) -> None:
    client.force_login(people["hq_editor"])
    body = {**_data(), "owner": "ottilie.owner", "published": True}
    created = post_json(client, "/api/mandates/requests/", body)
    assert created.status_code == 201, created.content
    item = created.json()
    assert item["owner"] == "ottilie.owner"
    assert item["evidence"]["key"] == Evidence.ICT_CYBER_AUDIT
    # The reference data's field offices, none audited yet.
    assert (item["evidence"]["value"], item["progress"]) == (0, "0.0")
    assert item["evidence"]["total"] > 0
    pk, etag = item["id"], created.headers["ETag"]
    no_match = client.patch(
        f"/api/mandates/requests/{pk}", data=json.dumps({"status": "closed"}), content_type="application/json"
    )
    assert no_match.status_code == 428
    patched = patch_json(client, f"/api/mandates/requests/{pk}", {"status": "closed"}, etag)
    assert patched.status_code == 200
    assert patched.json()["status"] == "closed"
    stale = client.delete(f"/api/mandates/requests/{pk}", headers={"If-Match": etag})
    assert stale.status_code == 412
    assert (
        client.delete(
            f"/api/mandates/requests/{pk}", headers={"If-Match": patched.headers["ETag"]}
        ).status_code
        == 204
    )
    assert not Mandate.objects.exists()


def test_api_write_without_the_csrf_token_changes_nothing(people: dict[str, Any]) -> None:
    bare = Client(enforce_csrf_checks=True)
    bare.force_login(people["hq_admin"])
    response = bare.post("/api/mandates/requests/", data=json.dumps(_data()), content_type="application/json")
    assert response.status_code == 403
    assert not Mandate.objects.exists()


def test_api_refuses_writes_to_regions_and_delegates(
    people: dict[str, Any], published: Mandate, token_client: Callable[..., Client]
) -> None:
    for who in ("afr_editor", "delegate"):
        api = token_client(people[who])
        assert (
            api.post(
                "/api/mandates/requests/", data=json.dumps(_data()), content_type="application/json"
            ).status_code
            == 403
        )
        etag = api.get(f"/api/mandates/requests/{published.pk}").headers["ETag"]
        assert (
            patch_json(api, f"/api/mandates/requests/{published.pk}", {"status": "closed"}, etag).status_code
            == 403
        )
        assert (
            api.delete(f"/api/mandates/requests/{published.pk}", headers={"If-Match": etag}).status_code
            == 403
        )
    published.refresh_from_db()
    assert (Mandate.objects.count(), published.status, published.version) == (1, "in_progress", 1)


def test_api_lists_paginated_published_only_for_delegates_without_names(
    people: dict[str, Any], published: Mandate, draft: Mandate, token_client: Callable[..., Client]
) -> None:
    staff = token_client(people["afr_viewer"]).get("/api/mandates/requests/?limit=1").json()
    assert staff["count"] == 2
    assert len(staff["items"]) == 1
    assert staff["items"][0]["owner"] == "ottilie.owner"
    delegate = token_client(people["delegate"])
    listing = delegate.get("/api/mandates/requests/").json()
    assert [item["id"] for item in listing["items"]] == [published.pk]
    assert listing["items"][0]["owner"] is None
    assert delegate.get(f"/api/mandates/requests/{draft.pk}").status_code == 404
    assert delegate.get("/api/mandates/requests/?limit=0").status_code == 422
    assert delegate.get("/api/mandates/requests/?year=1").status_code == 422


def test_api_names_an_unknown_owner_and_evidence(people: dict[str, Any], client: Client) -> None:
    client.force_login(people["hq_admin"])
    for field, value in (("owner", "no.such.person"), ("evidence", "vibes")):
        response = post_json(client, "/api/mandates/requests/", {**_data(), field: value})
        assert response.status_code == 422
        assert field in response.content.decode()
    assert not Mandate.objects.exists()


def test_the_list_counts_each_measure_once_whatever_the_number_of_requests(
    people: dict[str, Any], client: Client, count_queries: Callable[[Callable[[], Any]], int]
) -> None:
    def add_one_per_measure() -> None:
        for key in Evidence.values:
            year = 2024 if key in YEARLY else None
            services.mandate_create(actor=people["hq_admin"], **_data(evidence=key, evidence_year=year))

    client.force_login(people["afr_viewer"])
    add_one_per_measure()
    few = count_queries(lambda: client.get("/mandates/"))
    add_one_per_measure()
    add_one_per_measure()
    assert count_queries(lambda: client.get("/mandates/")) == few
    assert len(client.get("/mandates/").context["rows"]) == 3 * len(Evidence.values)
