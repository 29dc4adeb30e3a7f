"""Fixtures for the interchange tests: an importer with rights everywhere and IATI sample files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from presence.portfolio import services as portfolio
from presence.portfolio.models import Project


@pytest.fixture
def importer(reference: None, make_user: Callable[..., Any]) -> Any:
    return make_user("importer", ("admin",))


@pytest.fixture
def project(importer: Any, office: Any, region: Any) -> Project:
    """A project of the Dakar office in Africa, created by the importer."""
    return portfolio.project_create(
        actor=importer,
        code="9RAF10084-04",
        title="Smart villages",
        planned_start=dt.date(2024, 1, 1),
        planned_end=dt.date(2026, 12, 31),
        lead_office=office("dakar"),
        region=region("AFR"),
    )


@pytest.fixture
def iati_examples(shared_dir: Path) -> Path:
    path = shared_dir / "iati" / "examples"
    if not path.is_dir():
        pytest.skip("../shared/iati/examples is not present")
    return path


@pytest.fixture
def write_xml(tmp_path: Path) -> Callable[[str], Path]:
    counter = {"n": 0}

    def write(text: str) -> Path:
        counter["n"] += 1
        path = tmp_path / f"file{counter['n']}.xml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def iati_schema_dir(settings: Any) -> Path:
    """Imports check against the schema beside the project (`shared_dir`) when it is there, else none."""
    from tests.conftest import SHARED

    path = SHARED / "iati" / "schema-2.03"
    settings.IATI_SCHEMA_DIR = str(path if path.is_dir() else Path(settings.DATA_DIR) / "no-schema")
    return path


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    """Each test's own DATA_DIR, so files a job writes never meet another test run's."""
    settings.DATA_DIR = tmp_path / "data"
    return Path(settings.DATA_DIR)
