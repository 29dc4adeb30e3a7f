"""Every role x scope against every action on Office, through the web views and the API."""

from __future__ import annotations

import pytest

from presence.core.models import AuditEntry
from presence.org.models import Country, Office
from tests.kit.steps import patch_json, post_json

ROLES = ["viewer", "member_state", "editor", "approver", "hr", "security", "admin"]
SCOPES = ["", "AFR", "ASP", "office:dakar"]  # global, Dakar's region, another region, Dakar itself

# Offices are reference data: everyone reads them; administrators write them within their scope.
ALLOWED = {
    "view": {(role, scope) for role in ROLES for scope in SCOPES},
    "add": {("admin", ""), ("admin", "AFR")},  # the new office is in AFR
    "change": {("admin", ""), ("admin", "AFR"), ("admin", "office:dakar")},
    "delete": {("admin", ""), ("admin", "AFR"), ("admin", "office:dakar")},
}
CASES = [(role, scope, action) for role in ROLES for scope in SCOPES for action in ALLOWED]


def _snapshot() -> list[tuple]:
    return list(Office.objects.order_by("code").values_list("code", "name", "version"))


def _form_data(office: Office, **changes: object) -> dict:
    data = {
        "code": office.code,
        "name": office.name,
        "city": office.city,
        "country": office.country_id,
        "kind": office.kind,
        "region": office.region_id or "",
        "covered_countries": list(office.covered_countries.values_list("pk", flat=True)),
        "opened_on": "",
        "closed_on": "",
        "notes": office.notes,
        "version": office.version,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(("role", "scope", "action"), CASES)
def test_office_access_through_web_views(reference, make_user, client, role, scope, action):
    user = make_user(f"u-{role}-{scope or 'global'}".replace(":", "-"), (role, scope) if scope else (role,))
    client.force_login(user)
    dakar = Office.objects.get(code="dakar")
    allowed = (role, scope) in ALLOWED[action]
    before = _snapshot()
    if action == "view":
        response = client.get(f"/org/offices/{dakar.code}/")
        assert response.status_code == (200 if allowed else 404)
        return
    if action == "add":
        response = client.post(
            "/org/offices/new/",
            _form_data(
                dakar,
                code="abidjan",
                name="Office in Abidjan",
                city="Abidjan",
                country=Country.objects.get(iso2="CI").pk,
                version="",
            ),
        )
        created = Office.objects.filter(code="abidjan").exists()
        assert created is allowed
    elif action == "change":
        response = client.post(f"/org/offices/{dakar.code}/edit/", _form_data(dakar, name="Renamed"))
        assert (Office.objects.get(code="dakar").name == "Renamed") is allowed
    else:
        response = client.post(f"/org/offices/{dakar.code}/delete/", {"version": dakar.version})
        assert (not Office.objects.filter(code="dakar").exists()) is allowed
    if allowed:
        assert response.status_code == 302
    else:
        assert response.status_code == 403
        assert _snapshot() == before


@pytest.mark.parametrize(("role", "scope", "action"), CASES)
def test_office_access_through_api(reference, make_user, client, role, scope, action):
    user = make_user(f"a-{role}-{scope or 'global'}".replace(":", "-"), (role, scope) if scope else (role,))
    client.force_login(user)
    dakar = Office.objects.get(code="dakar")
    allowed = (role, scope) in ALLOWED[action]
    before = _snapshot()
    audit_before = AuditEntry.objects.count()
    if action == "view":
        response = client.get("/api/org/offices/dakar")
        assert response.status_code == (200 if allowed else 404)
        return
    if action == "add":
        payload = {
            "code": "abidjan",
            "name": "Office in Abidjan",
            "city": "Abidjan",
            "country": "CI",
            "kind": "area",
            "region": "AFR",
        }
        response = post_json(client, "/api/org/offices/", payload)
        expected = 201
    elif action == "change":
        response = patch_json(client, "/api/org/offices/dakar", {"name": "Renamed"}, f'"{dakar.pk}-1"')
        expected = 200
    else:
        response = client.delete("/api/org/offices/dakar", headers={"If-Match": f'"{dakar.pk}-1"'})
        expected = 204
    if allowed:
        assert response.status_code == expected
        assert AuditEntry.objects.count() == audit_before + 1
    else:
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"
        assert _snapshot() == before
        assert AuditEntry.objects.count() == audit_before


def test_anonymous_visitor_is_sent_to_login_and_api_answers_401(reference, client):
    assert client.get("/org/offices/").status_code == 302
    response = client.get("/api/org/offices/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_region_scoped_grant_restricts_querysets_of_scoped_records(reference, make_user):
    from presence.org.access import Action, restrict

    editor = make_user("afr", ("editor", "AFR"))
    dakar_editor = make_user("dk", ("editor", "office:dakar"))
    offices = Office.objects.all()
    # Offices are readable by everyone, but "change" is limited to what the grant covers (admins only).
    assert restrict(offices, editor, Action.VIEW).count() == offices.count()
    assert restrict(offices, editor, Action.CHANGE).count() == 0
    assert restrict(offices, dakar_editor, Action.CHANGE).count() == 0
    afr_admin = make_user("afr-admin", ("admin", "AFR"))
    assert set(restrict(offices, afr_admin, Action.CHANGE).values_list("region__code", flat=True)) == {"AFR"}
    dakar_admin = make_user("dk-admin", ("admin", "office:dakar"))
    assert list(restrict(offices, dakar_admin, Action.CHANGE).values_list("code", flat=True)) == ["dakar"]
