"""Optimistic locking (two users editing one office) and the audit trail of service writes."""

from __future__ import annotations

import pytest

from presence.core.errors import VersionConflict
from presence.core.models import AuditEntry
from presence.core.selectors import audit_for_record
from presence.org import services
from presence.org.models import Country, Office
from tests.kit.steps import post_json


def test_service_refuses_stale_version(reference, make_user):
    admin = make_user("svc-admin", ("admin",))
    office = Office.objects.get(code="harare")
    services.office_update(actor=admin, office=office, expected_version=1, notes="first")
    stale = Office.objects.get(code="harare")
    with pytest.raises(VersionConflict):
        services.office_update(actor=admin, office=stale, expected_version=1, notes="second")
    assert Office.objects.get(code="harare").notes == "first"


def test_every_service_write_is_in_the_audit_trail_with_before_and_after(reference, make_user):
    admin = make_user("auditor", ("admin",))
    office = services.office_create(
        actor=admin,
        code="abidjan",
        name="Office in Abidjan",
        city="Abidjan",
        country=Country.objects.get(iso2="CI"),
        kind="area",
        region=Office.objects.get(code="dakar").region,
        covered_countries=[Country.objects.get(iso2="CI")],
    )
    services.office_update(
        actor=admin, office=office, expected_version=1, name="Abidjan Office", city="Abidjan"
    )
    entries = list(audit_for_record(office).order_by("at", "id"))
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[0].actor == admin
    assert entries[0].changes["name"] == [None, "Office in Abidjan"]
    assert entries[0].changes["covered_countries"] == [None, ["Côte d'Ivoire"]]
    assert entries[1].changes == {
        "name": ["Office in Abidjan", "Abidjan Office"]
    }  # unchanged city not listed
    pk = office.pk
    services.office_delete(actor=admin, office=Office.objects.get(pk=pk), expected_version=2)
    deletion = AuditEntry.objects.filter(object_id=str(pk), action="delete").get()
    assert deletion.changes["name"] == ["Abidjan Office", None]


def test_history_tab_shows_changes_and_audit_log_is_admin_only(reference, make_user, client):
    admin = make_user("hist-admin", ("admin",))
    office = Office.objects.get(code="cairo")
    services.office_update(actor=admin, office=office, expected_version=office.version, notes="Smart Village")
    client.force_login(make_user("reader", ("viewer",)))
    page = client.get("/org/offices/cairo/").content.decode()
    assert "History" in page
    assert "Smart Village" in page
    assert client.get("/core/audit/").status_code == 403
    client.force_login(admin)
    log = client.get("/core/audit/")
    assert log.status_code == 200
    assert "Smart Village" in log.content.decode()


def test_audit_trail_cannot_be_edited_in_the_admin(reference, make_user, client):
    client.force_login(make_user("root", superuser=True))
    entry = AuditEntry.objects.first()
    assert client.get(f"/admin/core/auditentry/{entry.pk}/change/").status_code in (200, 403)
    response = client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_bad_office_input_gets_field_errors_and_nothing_is_saved(reference, make_user, client):
    client.force_login(make_user("form-admin", ("admin",)))
    count = Office.objects.count()
    response = client.post(
        "/org/offices/new/",
        {
            "code": "geneva",
            "name": "Duplicate",
            "city": "X",
            "country": Country.objects.get(iso2="CH").pk,
            "kind": "area",
            "region": "",
            "opened_on": "2020-01-01",
            "closed_on": "2019-01-01",
        },
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "code" in errors  # duplicate code
    assert "closed_on" in errors or "region" in errors
    assert Office.objects.count() == count
    api = post_json(
        client,
        "/api/org/offices/",
        {"code": "x1", "name": "X", "city": "X", "country": "ZZ", "kind": "area", "region": "AFR"},
    )
    assert api.status_code == 422
    assert "country" in api.json()["errors"]
    assert Office.objects.count() == count
