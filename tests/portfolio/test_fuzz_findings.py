"""What `make fuzz` found: requests that answered 500, each now a clear 4xx and nothing written."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from presence.core.models import AuditEntry
from presence.interchange.models import Job
from presence.portfolio.models import Project

PROBLEM = "application/problem+json"


@pytest.fixture
def admin_client(client: Client, admin_user: Any) -> Client:
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("url", ["/api/interchange/iati/import", "/api/interchange/sheets/budgets/preview"])
def test_a_multipart_body_without_a_boundary_is_400_not_500(admin_client: Client, url: str) -> None:
    response = admin_client.generic("POST", url, b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert "multipart" in response.json()["detail"]
    assert not Job.objects.exists()


def test_an_id_past_64_bits_is_422_not_500(
    admin_client: Client, make_project: Callable[..., Project]
) -> None:
    project = make_project(region="AFR", office="dakar")
    entries = AuditEntry.objects.count()
    response = admin_client.put(
        f"/api/results/projects/{project.code}/outputs",
        json.dumps({"outputs": [-36843132073491387056652288]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    # SQLite cannot take the number at all; PostgreSQL looks it up and finds no such output.
    detail = response.json()["detail"]
    assert "out of the range" in detail or "Unknown output ids" in detail
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize(("name", "value"), [("initiative", "AFR1"), ("partner", "x"), ("initiative", 0)])
def test_an_iati_export_filter_of_the_wrong_kind_is_422_and_starts_no_job(
    admin_client: Client, name: str, value: Any
) -> None:
    response = admin_client.post(
        "/api/interchange/iati/export", json.dumps({name: value}), content_type="application/json"
    )
    assert response.status_code == 422
    assert name in response.json()["errors"]
    assert not Job.objects.exists()
