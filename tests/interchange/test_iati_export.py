"""IATI export: schema validity, round trip of the supported elements, filters, command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from lxml import etree

from presence.interchange.iati.importer import iati_import
from presence.interchange.iati.mapping import SUPPORTED_ELEMENTS, read_activity
from presence.interchange.iati.reader import activities
from presence.interchange.iati.writer import write_activities
from presence.interchange.selectors import export_projects
from presence.portfolio.models import Project

from .test_iati_import import activity, document


@pytest.fixture
def schema(shared_dir: Path) -> etree.XMLSchema:
    path = shared_dir / "iati" / "schema-2.03" / "iati-activities-schema.xsd"
    if not path.is_file():
        pytest.skip("the IATI 2.03 schema is not present in ../shared")
    return etree.XMLSchema(etree.parse(str(path)))


def records(path: Path) -> list[dict[str, Any]]:
    return [read_activity(element, line).data for line, element in activities(path)]


def test_exported_file_validates_against_the_2_03_schema(
    importer: Any, iati_examples: Path, write_xml: Any, tmp_path: Path, schema: etree.XMLSchema
) -> None:
    iati_import(actor=importer, path=iati_examples / "activity-standard-example-annotated.xml")
    iati_import(actor=importer, path=iati_examples / "schema-should-pass" / "24-results.xml")
    iati_import(actor=importer, path=write_xml(document(activity(), activity("XM-DAC-41303-P2"))))
    output = tmp_path / "export.xml"

    written = write_activities(Project.objects.all(), output)

    assert written == 4
    document_tree = etree.parse(str(output))
    assert schema.validate(document_tree), schema.error_log
    assert document_tree.getroot().get("version") == "2.03"
    reporting = document_tree.getroot().find("iati-activity/reporting-org")
    assert reporting is not None
    assert reporting.get("ref") == "XM-DAC-41303"


# Compared after a round trip: every supported element except reporting-org, which the export
# takes from the settings (this installation publishes the data).
ROUND_TRIP_KEYS = (
    "titles",
    "descriptions",
    "participating_orgs",
    "status",
    "dates",
    "recipient_countries",
    "recipient_regions",
    "sectors",
    "budgets",
    "results",
)


def test_annotated_example_round_trip_keeps_every_supported_element(
    importer: Any, iati_examples: Path, tmp_path: Path
) -> None:
    source = iati_examples / "activity-standard-example-annotated.xml"
    iati_import(actor=importer, path=source)
    output = tmp_path / "round-trip.xml"
    write_activities(Project.objects.all(), output)

    before, after = records(source)[0], records(output)[0]

    assert SUPPORTED_ELEMENTS == (
        "iati-identifier", "title", "description", "participating-org", "activity-status", "activity-date",
        "recipient-country", "recipient-region", "sector", "budget", "transaction", "result",
    )  # fmt: skip
    for key in ROUND_TRIP_KEYS:
        assert _without_lines(after[key]) == _without_lines(before[key]), key
    kept = ("type", "date", "value", "currency", "value_date", "ref", "description")
    assert [{k: t[k] for k in kept} for t in after["transactions"]] == [
        {k: t[k] for k in kept} for t in before["transactions"]
    ]
    assert [t["provider"]["ref"] for t in after["transactions"]] == ["BB-BBB-123456789"]
    assert (
        etree.parse(str(output)).getroot().findtext("iati-activity/iati-identifier")
        == "AA-AAA-123456789-ABC123"
    )


def _without_lines(value: Any) -> Any:
    if isinstance(value, list):
        return [_without_lines(item) for item in value]
    if isinstance(value, dict):
        return {k: _without_lines(v) for k, v in value.items() if k != "line"}
    if isinstance(value, str) and value.replace(".", "", 1).isdigit() and "." in value:
        return str(float(value))
    return value


def test_reimporting_an_export_changes_nothing(importer: Any, write_xml: Any, tmp_path: Path) -> None:
    iati_import(actor=importer, path=write_xml(document(activity(), activity("XM-DAC-41303-P2"))))
    output = tmp_path / "export.xml"
    write_activities(Project.objects.all(), output)

    again = iati_import(actor=importer, path=output)

    assert again.rejected == 0
    assert again.created == 0
    assert Project.objects.count() == 2


def test_export_uses_the_project_list_filters_and_the_users_access(
    importer: Any, make_user: Any, write_xml: Any
) -> None:
    asia = activity("XM-DAC-41303-ASIA").replace('code="SN" percentage="60"', 'code="VN" percentage="100"')
    asia = asia.replace('<recipient-country code="GH" percentage="40"/>', "")
    iati_import(actor=importer, path=write_xml(document(activity(), asia)))
    asp_viewer = make_user("asp-viewer", ("viewer", "ASP"))

    assert [p.code for p in export_projects(user=importer, region="AFR")] == ["XM-DAC-41303-P1"]
    assert [p.code for p in export_projects(user=asp_viewer)] == ["XM-DAC-41303-ASIA"]
    assert export_projects(user=importer, year=2030).count() == 0


def test_export_command_writes_a_valid_file(
    importer: Any, write_xml: Any, tmp_path: Path, schema: etree.XMLSchema
) -> None:
    iati_import(actor=importer, path=write_xml(document(activity())))
    output = tmp_path / "cli.xml"

    call_command(
        "iati", "export", "--region", "AFR", "--year", "2024", "--user", "importer", "--output", str(output)
    )

    tree = etree.parse(str(output))
    assert schema.validate(tree), schema.error_log
    assert len(tree.getroot().findall("iati-activity")) == 1


def test_native_projects_are_exported_with_budgets_and_indicators(
    importer: Any, write_xml: Any, tmp_path: Path, schema: etree.XMLSchema, office: Any, region: Any
) -> None:
    import datetime as dt
    from decimal import Decimal

    from presence.portfolio import services as portfolio
    from presence.results import services as results

    project = portfolio.project_create(
        actor=importer,
        code="9RAF10084-04",
        title="Native project",
        planned_start=dt.date(2024, 1, 1),
        planned_end=dt.date(2025, 12, 31),
        lead_office=office("dakar"),
        region=region("AFR"),
    )
    portfolio.budget_create(actor=importer, project=project, year=2024, amount=Decimal(5000), currency="CHF")
    indicator = results.indicator_create(actor=importer, code="K1", name="Schools connected", project=project)
    results.indicator_value_set(actor=importer, indicator=indicator, year=2024, target=Decimal(10))
    output = tmp_path / "native.xml"

    write_activities(Project.objects.all(), output)

    tree = etree.parse(str(output))
    assert schema.validate(tree), schema.error_log
    exported = records(output)[0]
    assert tree.getroot().findtext("iati-activity/iati-identifier") == "XM-DAC-41303-9RAF10084-04"
    assert [(b["period_start"], b["value"]) for b in exported["budgets"]] == [("2024-01-01", "5000")]
    assert exported["results"][0]["indicators"][0]["periods"][0]["target"] == "10"


MISSING_CODES = """
    <recipient-region vocabulary="1" percentage="100"/>
    <sector vocabulary="1" percentage="60"><narrative>No code</narrative></sector>
    <sector vocabulary="1" code="11110" percentage="40"/>"""


def test_every_accepted_activity_exports_valid_and_what_it_lacks_is_left_out_with_a_note(
    importer: Any, shared_dir: Path, write_xml: Any, tmp_path: Path, schema: etree.XMLSchema
) -> None:
    examples = sorted((shared_dir / "iati" / "examples" / "schema-should-pass").rglob("*.xml"))
    assert examples
    for path in examples:
        iati_import(actor=importer, path=path)
    lacking = activity("XM-DAC-41303-NOCODE").replace(
        '<recipient-country code="GH" percentage="40"/>',
        '<recipient-country code="GH" percentage="40"/>' + MISSING_CODES,
    )
    summary = iati_import(actor=importer, path=write_xml(document(lacking)))
    assert summary.created == 1
    accepted = Project.objects.count()
    assert accepted > 10  # the examples share identifiers: a later one updates an earlier one
    output = tmp_path / "export.xml"
    notes: list[str] = []

    written = write_activities(Project.objects.all(), output, notes=notes)

    assert written == accepted
    tree = etree.parse(str(output))
    assert schema.validate(tree), schema.error_log
    exported = next(a for a in tree.getroot() if a.findtext("iati-identifier") == "XM-DAC-41303-NOCODE")
    assert [s.get("code") for s in exported.findall("sector")] == ["11110"]
    assert exported.find("recipient-region") is None
    assert any("XM-DAC-41303-NOCODE" in n and "<sector>" in n and "no code" in n for n in notes)
    assert any("XM-DAC-41303-NOCODE" in n and "<recipient-region>" in n for n in notes)


def test_an_element_the_schema_still_refuses_is_left_out_with_a_note(
    importer: Any, write_xml: Any, tmp_path: Path, schema: etree.XMLSchema, settings: Any
) -> None:
    iati_import(actor=importer, path=write_xml(document(activity())))
    record = Project.objects.get().iati
    record.data["results"][0]["aggregation_status"] = "perhaps"  # stored before the schema check
    record.save(update_fields=["data"])
    output = tmp_path / "export.xml"
    notes: list[str] = []

    assert write_activities(Project.objects.all(), output, notes=notes) == 1

    assert schema.validate(etree.parse(str(output))), schema.error_log
    assert any("<result>" in note and "perhaps" in note for note in notes), notes
