"""Funding agreements: who may link which project, the rules of a valid agreement (a 422 naming the
field, nothing saved), and the API."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from presence.core.errors import AccessDenied, InvalidTransition
from presence.core.models import AuditEntry
from presence.portfolio import services
from presence.portfolio.models import FundingAgreement, Partner, Project
from tests.kit.steps import patch_json, post_json

API = "/api/portfolio/agreements/"


@pytest.fixture
def partner(admin_user: Any) -> Partner:
    return services.partner_create(actor=admin_user, name="Digital development fund", organisation_type="60")


@pytest.fixture
def afr_project(make_project: Callable[..., Project]) -> Project:
    return make_project(region="AFR", office="dakar", code="9RAF23001", title="Smart villages in the Sahel")


@pytest.fixture
def asp_project(make_project: Callable[..., Project]) -> Project:
    return make_project(region="ASP", office="bangkok", code="9RAS23001", title="Pacific connectivity")


@pytest.fixture
def afr_editor(make_user: Callable[..., Any], reference: None) -> Any:
    return make_user("afr-editor", ("editor", "AFR"))


def _payload(partner: Partner, *codes: str, **extra: Any) -> dict[str, Any]:
    return {
        "partner": partner.pk,
        "reference": "DDF-ITU/2023/01",
        "title": "Smart villages contribution",
        "signed_on": "2023-03-01",
        "amount": "250000",
        "currency": "CHF",
        "reporting_frequency": "annual",
        "next_report_due": "2024-03-31",
        "projects": list(codes),
        **extra,
    }


def _post(client: Any, payload: dict[str, Any]) -> Any:
    return post_json(client, API, payload)


def test_a_regional_editor_links_projects_of_its_region_only(
    afr_editor: Any, login: Any, partner: Partner, afr_project: Project, asp_project: Project
) -> None:
    client = login(afr_editor)
    refused = _post(client, _payload(partner, afr_project.code, asp_project.code))
    assert refused.status_code == 403
    assert not FundingAgreement.objects.exists()
    created = _post(client, _payload(partner, afr_project.code))
    assert created.status_code == 201, created.content
    assert created.json()["projects"] == [afr_project.code]
    agreement = FundingAgreement.objects.get()
    assert list(agreement.projects.all()) == [afr_project]
    # Adding a project of another region later is refused too, and changes nothing.
    with pytest.raises(AccessDenied):
        services.agreement_update(
            actor=afr_editor,
            agreement=agreement,
            expected_version=agreement.version,
            projects=[afr_project, asp_project],
        )
    agreement.refresh_from_db()
    assert list(agreement.projects.all()) == [afr_project]
    assert agreement.version == 1


def test_an_agreement_linking_another_regions_project_is_out_of_reach_of_a_regional_editor(
    admin_user: Any, afr_editor: Any, login: Any, partner: Partner, asp_project: Project
) -> None:
    agreement = services.agreement_create(
        actor=admin_user, projects=[asp_project], **_fields(partner, reference="DDF-ITU/2023/02")
    )
    client = login(afr_editor)
    url = f"{API}{agreement.pk}"
    etag = client.get(url)["ETag"]
    changed = patch_json(client, url, {"title": "Changed"}, etag)
    assert changed.status_code == 403
    assert client.delete(url, headers={"If-Match": etag}).status_code == 403
    assert client.post(f"/portfolio/agreements/{agreement.pk}/edit/", {"title": "x"}).status_code == 403
    agreement.refresh_from_db()
    assert agreement.title == "Smart villages contribution"
    # The page reads it (agreements are read by all, like partners) but offers no edit or delete.
    page = client.get(f"/portfolio/agreements/{agreement.pk}/").content.decode()
    assert "Smart villages contribution" in page
    assert f"/portfolio/agreements/{agreement.pk}/edit/" not in page
    assert f"/portfolio/agreements/{agreement.pk}/delete/" not in page
    assert AuditEntry.objects.filter(object_id=str(agreement.pk), action="update").count() == 0


def _fields(partner: Partner, **extra: Any) -> dict[str, Any]:
    return {
        "partner": partner,
        "reference": "DDF-ITU/2023/01",
        "title": "Smart villages contribution",
        "signed_on": dt.date(2023, 3, 1),
        "amount": Decimal("250000"),
        "currency": "CHF",
        **extra,
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"signed_on": None}, "signed_on"),  # signed, but no signature date
        ({"next_report_due": "2023-01-01"}, "next_report_due"),  # due before the signature
        ({"currency": "XOF"}, "currency"),  # no exchange rate for the signature date
        ({"amount": "-1"}, "amount"),
        ({"reporting_frequency": "monthly"}, "reporting_frequency"),
    ],
)
def test_a_bad_agreement_is_a_422_naming_the_field_and_nothing_is_saved(
    admin_user: Any, login: Any, partner: Partner, afr_project: Project, changes: dict[str, Any], field: str
) -> None:
    client = login(admin_user)
    response = _post(client, _payload(partner, afr_project.code, **changes))
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert any(name.split(".")[-1] == field for name in errors), errors
    form = {k: v for k, v in _payload(partner, **changes).items() if v is not None}
    form["projects"] = afr_project.code
    page = client.post("/portfolio/agreements/new/", {**form, "status": "signed"})
    assert page.status_code == 422
    assert field in page.context["form"].errors
    assert not FundingAgreement.objects.exists()


def test_an_agreement_in_negotiation_needs_no_signature_date(
    admin_user: Any, login: Any, partner: Partner
) -> None:
    response = _post(login(admin_user), _payload(partner, status="negotiation", signed_on=None))
    assert response.status_code == 201, response.content
    assert response.json()["signed_on"] is None


def test_unknown_project_codes_are_named(admin_user: Any, login: Any, partner: Partner) -> None:
    response = _post(login(admin_user), _payload(partner, "9XXX00000"))
    assert response.status_code == 422
    assert "9XXX00000" in json.dumps(response.json()["errors"])


def test_the_api_lists_filters_reads_changes_and_deletes_with_the_audit_trail(
    admin_user: Any, login: Any, partner: Partner, afr_project: Project, asp_project: Project
) -> None:
    client = login(admin_user)
    first = _post(client, _payload(partner, afr_project.code)).json()
    second = _post(
        client, _payload(partner, asp_project.code, reference="DDF-ITU/2024/02", signed_on="2024-02-01")
    ).json()
    listed = client.get(API, {"region": "ASP"}).json()
    assert [item["reference"] for item in listed["items"]] == ["DDF-ITU/2024/02"]
    assert client.get(API, {"project": afr_project.code}).json()["count"] == 1
    assert client.get(API, {"year": 2024}).json()["count"] == 1
    assert client.get(API, {"partner": partner.pk}).json()["count"] == 2
    assert client.get(API, {"region": "NOPE"}).status_code == 422
    url = f"{API}{first['id']}"
    read = client.get(url)
    assert read.json()["projects"] == [afr_project.code]
    changed = patch_json(
        client, url, {"projects": [afr_project.code, asp_project.code], "status": "closed"}, read["ETag"]
    )
    assert changed.status_code == 200, changed.content
    assert sorted(changed.json()["projects"]) == sorted([afr_project.code, asp_project.code])
    entry = AuditEntry.objects.filter(object_id=str(first["id"]), action="update").get()
    assert entry.changes["status"] == ["signed", "closed"]
    assert "projects" in entry.changes
    stale = client.delete(url, headers={"If-Match": read["ETag"]})
    assert stale.status_code == 412
    assert client.delete(url, headers={"If-Match": changed["ETag"]}).status_code == 204
    assert list(FundingAgreement.objects.values_list("pk", flat=True)) == [second["id"]]


def test_a_partner_with_an_agreement_is_not_deleted(admin_user: Any, partner: Partner) -> None:
    services.agreement_create(actor=admin_user, **_fields(partner))
    with pytest.raises(InvalidTransition):
        services.partner_delete(actor=admin_user, partner=partner, expected_version=partner.version)
    assert Partner.objects.filter(pk=partner.pk).exists()


# The page's form: projects typed by their codes ----------------------------------------------------------


def _form(partner: Partner, projects: str, **extra: Any) -> dict[str, Any]:
    payload = {**_payload(partner), "status": "signed", "projects": projects, **extra}
    return {name: value for name, value in payload.items() if value is not None}


def test_the_form_links_the_projects_typed_by_their_codes(
    admin_user: Any, login: Any, partner: Partner, afr_project: Project, asp_project: Project
) -> None:
    client = login(admin_user)
    form = client.get("/portfolio/agreements/new/")
    assert form.status_code == 200
    assert "<select" not in str(form.context["form"]["projects"])  # typed, not chosen among every project
    # Its help (how to type the codes) is the one its aria-describedby names.
    assert 'aria-describedby="id_projects_helptext"' in form.content.decode()
    assert 'id="id_projects_helptext"' in form.content.decode()
    # Commas, spaces or both; a code typed twice counts once.
    typed = f" {asp_project.code},{afr_project.code}  {asp_project.code} "
    saved = client.post("/portfolio/agreements/new/", _form(partner, typed))
    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved
    agreement = FundingAgreement.objects.get()
    assert set(agreement.projects.all()) == {afr_project, asp_project}
    # The edit form shows its projects' codes, and saving it unchanged keeps them.
    edit = client.get(f"/portfolio/agreements/{agreement.pk}/edit/")
    shown = edit.context["form"]["projects"].value()
    assert sorted(shown.replace(",", " ").split()) == sorted([afr_project.code, asp_project.code])
    assert f'value="{shown}"' in edit.content.decode()
    again = client.post(
        f"/portfolio/agreements/{agreement.pk}/edit/",
        _form(partner, afr_project.code, version=agreement.version, title="Renamed"),
    )
    assert again.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "Renamed"
    assert list(agreement.projects.all()) == [afr_project]


def test_the_form_names_each_unknown_code_and_saves_nothing(
    admin_user: Any, login: Any, partner: Partner, afr_project: Project
) -> None:
    page = login(admin_user).post(
        "/portfolio/agreements/new/", _form(partner, f"{afr_project.code} 9XXX00000, 9YYY00000")
    )
    assert page.status_code == 422
    errors = page.context["form"].errors["projects"]
    assert errors == ["Unknown project codes: 9XXX00000, 9YYY00000."]
    assert not FundingAgreement.objects.exists()


def test_the_form_refuses_a_project_outside_the_users_scope(
    afr_editor: Any,
    make_user: Callable[..., Any],
    login: Any,
    partner: Partner,
    afr_project: Project,
    asp_project: Project,
) -> None:
    # A project outside the editor's scope is the service's refusal (403), whether or not they may see it.
    client = login(afr_editor)
    page = client.post("/portfolio/agreements/new/", _form(partner, f"{afr_project.code} {asp_project.code}"))
    assert page.status_code == 403
    assert not FundingAgreement.objects.exists()
    # So is one the user may see but not change.
    reader = login(make_user("afr-editor-global-viewer", ("editor", "AFR"), ("viewer",)))
    refused = reader.post(
        "/portfolio/agreements/new/", _form(partner, f"{afr_project.code} {asp_project.code}")
    )
    assert refused.status_code == 403
    assert not FundingAgreement.objects.exists()
    linked = reader.post("/portfolio/agreements/new/", _form(partner, afr_project.code))
    assert linked.status_code == 302
    assert list(FundingAgreement.objects.get().projects.all()) == [afr_project]
