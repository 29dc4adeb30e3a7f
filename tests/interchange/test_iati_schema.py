"""Activities are checked against the IATI 2.03 schema: faults are notes, or refuse a strict import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from presence.interchange.iati.importer import iati_import
from presence.interchange.iati.safety import FileRefused
from presence.portfolio.models import Project

from .test_iati_import import ACTIVITY, document
from .test_iati_import import activity as minimal_activity


def activity(identifier: str = "XM-DAC-41303-P1") -> str:
    """The import tests' activity with the description the schema requires: valid against 2.03."""
    return minimal_activity(identifier).replace(
        "</title>\n    <participating-org",
        "</title>\n    <description><narrative>Villages</narrative></description>\n    <participating-org",
    )


@pytest.fixture
def schema_dir(shared_dir: Path, settings: Any) -> Path:
    path = shared_dir / "iati" / "schema-2.03"
    if not (path / "iati-activities-schema.xsd").is_file():
        pytest.skip("the IATI 2.03 schema is not present in ../shared")
    settings.IATI_SCHEMA_DIR = str(path)
    return path


def should_pass(shared_dir: Path) -> list[Path]:
    folder = shared_dir / "iati" / "examples" / "schema-should-pass"
    return sorted(folder.rglob("*.xml"))


def test_the_schemas_should_pass_examples_import_without_a_schema_note(
    importer: Any, schema_dir: Path, shared_dir: Path
) -> None:
    examples = should_pass(shared_dir)
    assert examples
    for path in examples:
        summary = iati_import(actor=importer, path=path, dry_run=True)
        assert summary.schema_faults == [], (path.name, summary.schema_faults)


def with_line(text: str, marker: str) -> int:
    """The line of the document on which `marker` stands."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if marker in line)


# (what is wrong, the change to the valid test activity, the element named, words of the schema's message)
SHOULD_FAIL = [
    (
        "missing required attribute",
        (
            '<recipient-country code="GH" percentage="40"/>',
            '<recipient-country code="GH" percentage="40"/>\n    <sector vocabulary="1" percentage="100"/>',
        ),
        "sector",
        "attribute 'code' is required",
    ),
    (
        "wrong element order",
        (
            '<period-start iso-date="2024-01-01"/><period-end iso-date="2024-12-31"/>',
            '<period-end iso-date="2024-12-31"/>\n      <period-start iso-date="2024-01-01"/>',
        ),
        "period-end",
        "not expected",
    ),
    (
        "value not of its type",
        ('<result type="1">', '<result type="1" aggregation-status="perhaps">'),
        "result",
        "xs:boolean",
    ),
    (
        "element the schema does not know",
        ('<activity-status code="2"/>', '<activity-status code="2"/>\n    <activity-mood code="happy"/>'),
        "activity-mood",
        "not expected",
    ),
]  # fmt: skip


def faulty(change: tuple[str, str]) -> str:
    old, new = change
    assert old in ACTIVITY
    return document(activity().replace(old, new, 1))


def fault_line(text: str, change: tuple[str, str], element: str) -> int:
    new = change[1]
    marker = next(part for part in new.splitlines() if f"<{element}" in part)
    return with_line(text, marker.strip())


@pytest.fixture(params=SHOULD_FAIL, ids=[c[0] for c in SHOULD_FAIL])
def case(request: Any) -> tuple[str, tuple[str, str], str, str]:
    """One should-fail case: (what is wrong, the change, the element named, words of the message)."""
    value: tuple[str, tuple[str, str], str, str] = request.param
    return value


def test_a_schema_fault_is_a_note_naming_the_element_and_the_line(
    importer: Any, schema_dir: Path, write_xml: Any, case: tuple[str, tuple[str, str], str, str]
) -> None:
    what, change, element, words = case
    text = faulty(change)
    path = write_xml(text)

    summary = iati_import(actor=importer, path=path)

    assert summary.created == 1, what
    assert len(summary.schema_faults) == 1, summary.schema_faults
    fault = summary.schema_faults[0]
    assert f"line {fault_line(text, change, element)}, <{element}>" in fault
    assert words in fault
    assert any(fault in warning for warning in summary.warnings)
    assert summary.as_dict()["schema_faults"] == [fault]


def test_a_strict_import_refuses_the_file_naming_the_fault(
    importer: Any, schema_dir: Path, write_xml: Any, case: tuple[str, tuple[str, str], str, str]
) -> None:
    what, change, element, words = case
    text = document(
        activity("XM-DAC-41303-OK"),
        faulty(change).split('<iati-activities version="2.03">')[1].split("</iati-activities>")[0],
    )
    path = write_xml(text)

    with pytest.raises(FileRefused) as refused:
        iati_import(actor=importer, path=path, strict=True)

    assert f"<{element}>" in str(refused.value), what
    assert words in str(refused.value)
    assert not Project.objects.exists()  # the valid activity before the fault is not kept either


def test_a_valid_file_imports_in_strict_mode(importer: Any, schema_dir: Path, write_xml: Any) -> None:
    summary = iati_import(actor=importer, path=write_xml(document(activity())), strict=True)

    assert (summary.created, summary.schema_faults) == (1, [])


def test_every_fault_of_the_file_is_reported(importer: Any, schema_dir: Path, write_xml: Any) -> None:
    first = activity("XM-A").replace('<result type="1">', '<result type="1" aggregation-status="no way">')
    second = activity("XM-B").replace('<activity-status code="2"/>', "<activity-status/>")
    summary = iati_import(actor=importer, path=write_xml(document(first, second)))

    assert summary.created == 2
    assert len(summary.schema_faults) == 2
    assert "<result>" in summary.schema_faults[0]
    assert "<activity-status>" in summary.schema_faults[1]


def test_strict_command_exits_2_and_names_the_fault(
    importer: Any, schema_dir: Path, write_xml: Any, capsys: Any
) -> None:
    path = write_xml(faulty(SHOULD_FAIL[0][1]))

    with pytest.raises(SystemExit) as stopped:
        call_command("iati", "import", str(path), "--strict", "--user", "importer")

    assert stopped.value.code == 2
    assert "attribute 'code' is required" in capsys.readouterr().err
    assert not Project.objects.exists()


def test_without_the_schema_files_the_import_says_so_and_strict_refuses(
    importer: Any, write_xml: Any, settings: Any, tmp_path: Path
) -> None:
    settings.IATI_SCHEMA_DIR = str(tmp_path / "nowhere")
    path = write_xml(document(activity()))

    summary = iati_import(actor=importer, path=path)
    assert summary.created == 1
    assert any("IATI_SCHEMA_DIR" in warning for warning in summary.warnings)

    with pytest.raises(FileRefused, match="IATI_SCHEMA_DIR"):
        iati_import(actor=importer, path=path, strict=True)
