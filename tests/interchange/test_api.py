"""API: IATI import and export jobs, spreadsheet preview and confirm, job progress and result, access."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree

from presence.interchange.models import Job
from presence.portfolio.models import Budget, Project

from .test_iati_import import XXE, activity, document


def test_upload_starts_an_import_job_and_its_progress_can_be_read(importer: Any, login: Any) -> None:
    client = login(importer)
    upload = SimpleUploadedFile("p.xml", document(activity(), activity("X", amount="abc")).encode())

    response = client.post("/api/interchange/iati/import", {"file": upload})

    assert response.status_code == 202
    job = response.json()
    assert (job["kind"], job["status"], job["progress"], job["total"]) == ("iati_import", "partial", 2, 2)
    detail = client.get(f"/api/interchange/jobs/{job['id']}").json()
    assert (detail["summary"]["created"], detail["summary"]["rejected"], detail["percent"]) == (1, 1, 100)
    assert "is not an amount" in detail["summary"]["rejections"][0]["message"]
    assert Project.objects.count() == 1


def test_dry_run_upload_writes_nothing(importer: Any, login: Any) -> None:
    client = login(importer)
    upload = SimpleUploadedFile("p.xml", document(activity()).encode())

    job = client.post("/api/interchange/iati/import", {"file": upload, "dry_run": "true"}).json()

    assert (job["summary"]["created"], job["summary"]["dry_run"]) == (1, True)
    assert not Project.objects.exists()


def test_refused_file_fails_its_job_with_the_reason(importer: Any, login: Any) -> None:
    client = login(importer)

    job = client.post(
        "/api/interchange/iati/import", {"file": SimpleUploadedFile("x.xml", XXE.encode())}
    ).json()

    assert job["status"] == "failed"
    assert "declares a document type" in job["error"]


def test_viewer_may_not_import_and_gets_problem_json(reference: None, make_user: Any, login: Any) -> None:
    client = login(make_user("viewer", ("viewer",)))

    response = client.post(
        "/api/interchange/iati/import", {"file": SimpleUploadedFile("p.xml", document(activity()).encode())}
    )

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert not Job.objects.exists()


def test_unknown_office_is_a_field_error(importer: Any, login: Any) -> None:
    client = login(importer)
    upload = SimpleUploadedFile("p.xml", document(activity()).encode())

    response = client.post("/api/interchange/iati/import", {"file": upload, "office": "atlantis"})

    assert response.status_code == 422
    assert "office" in response.json()["errors"]


def test_export_job_writes_a_file_with_the_users_projects_only(
    importer: Any, make_user: Any, login: Any, write_xml: Any
) -> None:
    from presence.interchange.iati.importer import iati_import

    iati_import(actor=importer, path=write_xml(document(activity(), activity("XM-2"))))
    viewer = login(make_user("asp-viewer", ("viewer", "ASP")))
    empty = viewer.post("/api/interchange/iati/export", {}, content_type="application/json").json()
    client = login(importer)

    job = client.post(
        "/api/interchange/iati/export", {"region": "AFR"}, content_type="application/json"
    ).json()

    assert (job["status"], job["summary"]["activities"], empty["summary"]["activities"]) == ("done", 2, 0)
    result = client.get(job["result"])
    tree = etree.fromstring(b"".join(result.streaming_content))
    assert len(tree.findall("iati-activity")) == 2


def test_jobs_are_listed_for_their_owner_only(importer: Any, make_user: Any, login: Any) -> None:
    mine = Job.objects.create(kind=Job.Kind.IATI_EXPORT, created_by=importer)
    other = login(make_user("someone", ("editor", "AFR")))

    assert other.get("/api/interchange/jobs").json()["count"] == 0
    assert other.get(f"/api/interchange/jobs/{mine.pk}").status_code == 404
    assert other.get(f"/api/interchange/jobs/{mine.pk}/result").status_code == 404
    assert login(importer).get("/api/interchange/jobs").json()["items"][0]["id"] == mine.pk


def test_spreadsheet_preview_then_confirm(importer: Any, login: Any, project: Any) -> None:
    client = login(importer)
    good = SimpleUploadedFile(
        "b.csv", f"project,year,amount,currency\n{project.code},2024,1000,CHF\n".encode()
    )
    bad = SimpleUploadedFile("b.csv", b"project,year,amount,currency\nNOPE,20x4,1,CHF\n")

    preview = client.post("/api/interchange/sheets/budgets/preview", {"file": good})
    refused = client.post("/api/interchange/sheets/budgets/preview", {"file": bad}).json()

    assert preview.status_code == 201
    assert (preview.json()["status"], preview.json()["summary"]["create"]) == ("preview", 1)
    assert not Budget.objects.exists()
    assert {(e["row"], e["column"]) for e in refused["summary"]["errors"]} == {(2, "project"), (2, "year")}
    assert client.post(f"/api/interchange/jobs/{refused['id']}/confirm").status_code == 422
    confirmed = client.post(f"/api/interchange/jobs/{preview.json()['id']}/confirm").json()
    assert confirmed["status"] == "done"
    assert Budget.objects.get().amount == 1000


def test_unknown_template_is_404(importer: Any, login: Any) -> None:
    response = login(importer).post(
        "/api/interchange/sheets/nothing/preview", {"file": SimpleUploadedFile("a.csv", b"x\n")}
    )

    assert response.status_code == 404
