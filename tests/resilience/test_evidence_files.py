"""Evidence files: downloaded again after a backup is restored; a record without its file answers 404."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from presence.resilience import services
from presence.resilience.models import Evidence, RequirementResult

PHOTO = b"\x89PNG\r\n\x1a\n" + b"confidential" * 20


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def evidence(media: None, security: Any, started: Any) -> Evidence:
    assessment = started()
    result = services.result_record(
        actor=security,
        assessment=assessment,
        requirement=assessment.template.requirements.first(),
        result=RequirementResult.Result.PARTIAL,
    )
    return services.evidence_add(
        actor=security, result=result, upload=SimpleUploadedFile("gate.png", PHOTO, content_type="image/png")
    )


def download(client: Any, user: Any, evidence_pk: int) -> Any:
    client.force_login(user)
    return client.get(f"/resilience/evidence/{evidence_pk}/")


def test_evidence_whose_file_is_missing_answers_404_not_500(client, security, evidence):
    default_storage.delete(evidence.file.name)
    response = download(client, security, evidence.pk)
    assert response.status_code == 404


def test_confidential_evidence_downloads_again_after_a_restore(
    transactional_db, client, security, evidence, tmp_path
):
    call_command("backup", str(tmp_path / "backup"), stdout=io.StringIO())
    default_storage.delete(evidence.file.name)
    Evidence.objects.filter(pk=evidence.pk).delete()
    assert download(client, security, evidence.pk).status_code == 404
    call_command("restore", str(tmp_path / "backup"), interactive=False, stdout=io.StringIO())
    response = download(client, security, evidence.pk)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PHOTO
