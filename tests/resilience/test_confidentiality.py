"""Regional editors and member-state viewers get aggregates only: no finding text, observation or evidence."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from presence.resilience import services
from presence.resilience.models import Evidence, Finding, RequirementResult
from tests.kit.steps import patch_json, post_json

from .conftest import SECRET_ACTION, SECRET_DETAILS, SECRET_FINDING, SECRET_OBSERVATION

EVIDENCE_NAME = "gate-b-night-photo.png"
SECRETS = (SECRET_FINDING, SECRET_DETAILS, SECRET_OBSERVATION, SECRET_ACTION, EVIDENCE_NAME, "gate-b-night")


@pytest.fixture
def secrets(security, with_secrets):
    result = RequirementResult.objects.get()
    services.evidence_add(
        actor=security,
        result=result,
        upload=SimpleUploadedFile(EVIDENCE_NAME, b"\x89PNG\r\n\x1a\n" + b"0" * 10),
    )
    return with_secrets


def _urls(assessment) -> list[str]:
    finding = Finding.objects.get()
    result = RequirementResult.objects.get()
    evidence = Evidence.objects.get()
    pages = [
        "/resilience/",
        "/resilience/?region=AFR",
        "/resilience/offices/dakar/",
        "/resilience/risk-matrix/",
        "/resilience/risk-matrix/?likelihood=4&impact=5",
        "/resilience/assessments/",
        f"/resilience/assessments/{assessment.pk}/",
        f"/resilience/assessments/{assessment.pk}/requirements/{result.requirement_id}/",
        "/resilience/findings/",
        f"/resilience/findings/{finding.pk}/",
        "/resilience/actions/",
        "/resilience/actions/?overdue=1",
        f"/resilience/evidence/{evidence.pk}/",
        "/",
    ]
    exports = [
        f"{url}{'&' if '?' in url else '?'}format={fmt}"
        for url in (
            "/resilience/",
            "/resilience/assessments/",
            "/resilience/findings/",
            "/resilience/actions/",
            "/resilience/actions/?overdue=1",
        )
        for fmt in ("csv", "xlsx")
    ]
    api = [
        "/api/resilience/summary",
        "/api/resilience/offices/dakar",
        "/api/resilience/risk-matrix",
        "/api/resilience/finding-counts",
        "/api/resilience/assessments/",
        f"/api/resilience/assessments/{assessment.pk}",
        f"/api/resilience/assessments/{assessment.pk}/results",
        "/api/resilience/findings/",
        f"/api/resilience/findings/{finding.pk}",
        "/api/resilience/actions/",
        "/api/resilience/actions/?overdue=true",
    ]
    return pages + exports + api


def _body(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.content))
        return " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode()


@pytest.mark.parametrize(
    "grants",
    [
        (("editor", "AFR"),),  # Dakar's own regional editor
        (("editor", "AFR"), ("viewer",)),
        (("member_state",),),
        (("viewer",),),
        (("admin", "AFR"),),  # a regional administrator is not an HQ admin
    ],
    ids=["regional-editor", "regional-editor-and-viewer", "member-state-viewer", "viewer", "regional-admin"],
)
def test_other_roles_get_aggregates_but_no_details(secrets, make_user, login, grants):
    user = make_user("someone", *grants)
    client = login(user)
    for url in _urls(secrets):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        body = _body(response)
        for secret in SECRETS:
            assert secret not in body, f"{secret!r} leaked through {url}"
    # ... while the aggregates still reach them
    summary = client.get("/api/resilience/summary").json()
    assert summary["open_findings_by_level"]["critical"] == 1
    assert client.get("/api/resilience/findings/").json()["items"] == []
    assert client.get(f"/api/resilience/findings/{Finding.objects.get().pk}").status_code == 404
    page = client.get("/resilience/findings/").content.decode()
    assert "Findings per office and risk level" in page


@pytest.mark.parametrize(
    "grants",
    [(("security",),), (("admin",),), (("security", "AFR"),)],
    ids=["security", "hq-admin", "regional-security"],
)
def test_security_role_and_hq_admins_see_the_details(secrets, make_user, login, grants):
    client = login(make_user("insider", *grants))
    assert SECRET_FINDING in client.get("/resilience/findings/").content.decode()
    assert SECRET_DETAILS in client.get("/resilience/findings/?format=csv").content.decode()
    assert SECRET_OBSERVATION in client.get(f"/resilience/assessments/{secrets.pk}/").content.decode()
    results = client.get(f"/api/resilience/assessments/{secrets.pk}/results").json()
    assert results[0]["observation"] == SECRET_OBSERVATION
    assert results[0]["evidence"] == [EVIDENCE_NAME]
    assert client.get("/api/resilience/findings/").json()["items"][0]["title"] == SECRET_FINDING
    assert client.get(f"/resilience/evidence/{Evidence.objects.get().pk}/").status_code == 200


def test_security_role_of_another_region_does_not_see_dakar_details(secrets, make_user, login):
    client = login(make_user("asp-sec", ("security", "ASP"), ("viewer",)))
    assert SECRET_FINDING not in client.get("/resilience/findings/").content.decode()
    assert client.get(f"/api/resilience/assessments/{secrets.pk}/results").status_code == 404


def test_regional_editor_cannot_write_findings_through_the_api(secrets, make_user, login):
    client = login(make_user("afr-ed", ("editor", "AFR")))
    payload = {"requirement": "R2", "title": "Editor finding", "likelihood": 2, "impact": 2}
    response = post_json(client, f"/api/resilience/assessments/{secrets.pk}/findings", payload)
    assert response.status_code == 403
    assert not Finding.objects.filter(title="Editor finding").exists()


def test_api_refuses_a_finding_off_the_matrix_with_a_field_error(secrets, security, login):
    client = login(security)
    payload = {"requirement": "R2", "title": "Too likely", "likelihood": 7, "impact": 2}
    response = post_json(client, f"/api/resilience/assessments/{secrets.pk}/findings", payload)
    assert response.status_code == 422
    assert "likelihood" in response.json()["errors"]


def test_api_update_needs_the_current_version(secrets, security, login):
    client = login(security)
    finding = Finding.objects.get()
    stale = patch_json(
        client, f"/api/resilience/findings/{finding.pk}", {"treatment": "accept"}, f'"{finding.pk}-99"'
    )
    assert stale.status_code == 412
    fresh = patch_json(
        client,
        f"/api/resilience/findings/{finding.pk}",
        {"treatment": "accept"},
        f'"{finding.pk}-{finding.version}"',
    )
    assert fresh.status_code == 200
    assert fresh.json()["treatment"] == "accept"
