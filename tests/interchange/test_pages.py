"""Pages: IATI upload and export jobs, spreadsheet template download, preview and confirm, job page."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree
from openpyxl import load_workbook

from presence.interchange.models import Job
from presence.portfolio.models import Budget, Project

from .test_iati_import import XXE, activity, document


def test_iati_upload_runs_a_job_and_shows_its_summary(importer: Any, login: Any) -> None:
    client = login(importer)
    upload = SimpleUploadedFile("p.xml", document(activity(), activity("X", amount="abc")).encode())

    response = client.post(reverse("interchange:iati-import"), {"file": upload}, follow=True)

    job = Job.objects.get()
    assert (job.status, job.summary["created"], job.summary["rejected"]) == (Job.Status.PARTIAL, 1, 1)
    assert job.progress == job.total == 2
    page = response.content.decode()
    assert "<progress" in page
    assert "is not an amount" in page
    assert Project.objects.count() == 1


def test_refused_upload_fails_the_job_with_its_reason_and_writes_nothing(importer: Any, login: Any) -> None:
    client = login(importer)

    response = client.post(
        reverse("interchange:iati-import"), {"file": SimpleUploadedFile("x.xml", XXE.encode())}, follow=True
    )

    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert "declares a document type" in job.error
    assert "declares a document type" in response.content.decode()
    assert not Project.objects.exists()


def test_viewer_cannot_import(reference: None, make_user: Any, login: Any) -> None:
    client = login(make_user("viewer", ("viewer",)))

    client.post(
        reverse("interchange:iati-import"),
        {"file": SimpleUploadedFile("p.xml", document(activity()).encode())},
    )

    assert not Job.objects.exists()


def test_export_link_takes_the_project_list_filters_and_offers_the_file(
    importer: Any, login: Any, write_xml: Any, shared_dir: Path
) -> None:
    from presence.interchange.iati.importer import iati_import

    iati_import(actor=importer, path=write_xml(document(activity(), activity("XM-2"))))
    client = login(importer)

    response = client.get(reverse("interchange:iati-export") + "?region=AFR&year=2024", follow=True)

    job = Job.objects.get(kind=Job.Kind.IATI_EXPORT)
    assert job.status == Job.Status.DONE
    assert "Download the file" in response.content.decode()
    download = client.get(reverse("interchange:job-download", args=[job.pk]))
    tree = etree.fromstring(b"".join(download.streaming_content))
    assert len(tree.findall("iati-activity")) == 2
    schema = etree.XMLSchema(etree.parse(str(shared_dir / "iati/schema-2.03/iati-activities-schema.xsd")))
    assert schema.validate(tree), schema.error_log


def test_other_users_jobs_are_not_shown(importer: Any, make_user: Any, login: Any) -> None:
    job = Job.objects.create(kind=Job.Kind.IATI_EXPORT, created_by=importer)
    other = login(make_user("someone", ("editor", "AFR")))

    assert other.get(reverse("interchange:job-detail", args=[job.pk])).status_code == 404


def test_spreadsheet_template_preview_and_confirm_through_the_pages(
    importer: Any, login: Any, project: Any
) -> None:
    client = login(importer)
    template = client.get(reverse("interchange:sheet-template", args=["budgets"]))
    workbook = load_workbook(io.BytesIO(template.content))
    sheet = workbook["Data"]
    sheet.append([project.code, 2024, 1000, "CHF"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    preview = client.post(
        reverse("interchange:sheet-upload"),
        {"kind": "budgets", "file": SimpleUploadedFile("b.xlsx", buffer.getvalue())},
        follow=True,
    )
    job = Job.objects.get()
    assert "Confirm and import" in preview.content.decode()
    assert not Budget.objects.exists()
    client.post(reverse("interchange:sheet-confirm", args=[job.pk]))

    assert Budget.objects.get().amount == 1000
    assert Job.objects.get().status == Job.Status.DONE


def test_spreadsheet_page_shows_errors_by_row_and_column(importer: Any, login: Any) -> None:
    client = login(importer)
    content = b"project,year,amount,currency\nNOPE,20x4,1,CHF\n"

    response = client.post(
        reverse("interchange:sheet-upload"),
        {"kind": "budgets", "file": SimpleUploadedFile("b.csv", content)},
        follow=True,
    )

    page = response.content.decode()
    assert "not a known project code" in page
    assert "not a whole number" in page
    assert "Confirm and import" not in page


def test_project_list_offers_an_iati_download_with_its_filters(importer: Any, login: Any) -> None:
    client = login(importer)

    page = client.get(reverse("portfolio:project-list") + "?region=AFR&year=2024").content.decode()

    link = reverse("interchange:iati-export") + "?region=AFR&amp;year=2024"
    assert f'href="{link}"' in page


def test_spreadsheet_kinds_are_named_in_the_reader_s_language(importer: Any, login: Any) -> None:
    """The kinds are registered at import time; their names are translated when the page is shown."""
    client = login(importer)
    page = client.get(reverse("interchange:index"), headers={"accept-language": "fr"}).content.decode()
    assert "Activités du plan opérationnel" in page
    assert "Operational-plan activities" not in page
    english = client.get(reverse("interchange:index"), headers={"accept-language": "en"}).content.decode()
    assert "Operational-plan activities" in english
