"""A job whose result file is gone from the storage (e.g. a database restored without the media store)
answers 404 with a message saying so, on its page download and in the API, not a server error."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from presence.interchange.models import Job


@pytest.fixture
def lost_export(importer: Any, login: Any) -> tuple[Any, Job]:
    """A finished IATI export of the importer whose file has been removed from the storage."""
    client = login(importer)
    answer = client.post("/api/interchange/iati/export", {}, content_type="application/json").json()
    job = Job.objects.get(pk=answer["id"])
    assert job.status == Job.Status.DONE
    assert job.result_file
    default_storage.delete(job.result_file.name)
    return client, job


def test_job_download_page_answers_404_when_the_result_file_is_missing(lost_export: tuple[Any, Job]) -> None:
    client, job = lost_export

    response = client.get(reverse("interchange:job-download", args=[job.pk]))

    assert response.status_code == 404
    assert "Not found" in response.content.decode()


def test_api_job_result_answers_404_naming_the_missing_file(lost_export: tuple[Any, Job]) -> None:
    client, job = lost_export

    response = client.get(f"/api/interchange/jobs/{job.pk}/result")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == (
        f"The result file of job {job.pk} is missing from the storage; run the job again."
    )


def test_api_job_result_of_a_job_without_a_file_says_so(importer: Any, login: Any) -> None:
    job = Job.objects.create(kind=Job.Kind.IATI_EXPORT, created_by=importer)

    response = login(importer).get(f"/api/interchange/jobs/{job.pk}/result")

    assert (response.status_code, response.json()["detail"]) == (404, "This job has no result file.")
