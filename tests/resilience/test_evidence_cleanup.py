"""Evidence uploads whose transaction was rolled back leave a stored file; `presence cleanup` removes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from presence.core import cleanup
from presence.resilience import services
from presence.resilience.models import Evidence, RequirementResult


@pytest.fixture(autouse=True)
def _an_empty_storage(settings: Any) -> None:
    settings.UPLOAD_RETENTION_DAYS = 7
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def png(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"0" * 50)


class Abandoned(Exception):
    """The rest of the request failed after the evidence was added."""


def test_the_file_of_an_evidence_upload_rolled_back_is_removed_after_the_retention_period(
    security: Any, started: Any
) -> None:
    assessment = started()
    result = services.result_record(
        actor=security,
        assessment=assessment,
        requirement=assessment.template.requirements.first(),
        result=RequirementResult.Result.PARTIAL,
    )
    kept = services.evidence_add(actor=security, result=result, upload=png("kept.png"))
    added: list[Evidence] = []

    def add_then_fail() -> None:
        with transaction.atomic():
            added.append(services.evidence_add(actor=security, result=result, upload=png("lost.png")))
            raise Abandoned

    with pytest.raises(Abandoned):
        add_then_fail()
    lost = added[0]
    assert default_storage.exists(lost.file.name)  # stored, although its record was rolled back
    assert list(Evidence.objects.all()) == [kept]

    lines = cleanup.run(now=timezone.now() + dt.timedelta(days=8))

    assert lines == [f"orphaned file {lost.file.name}"]
    assert not default_storage.exists(lost.file.name)
    assert default_storage.exists(kept.file.name)
