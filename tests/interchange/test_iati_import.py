"""IATI import: the published examples, re-import, dry run, malformed and unsafe files, access."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from lxml import etree

from presence.core.models import AuditEntry
from presence.interchange.iati.importer import iati_import
from presence.interchange.iati.safety import FileRefused
from presence.interchange.models import IatiActivity
from presence.portfolio.models import Budget, Partner, Project, ProjectCountry, Transaction
from presence.results.models import Indicator, IndicatorValue

EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "iati" / "examples"
SHOULD_PASS = sorted((EXAMPLES / "schema-should-pass").rglob("*.xml")) if EXAMPLES.is_dir() else []


def counts_in_file(path: Path) -> dict[str, int]:
    root = etree.parse(str(path)).getroot()
    activities = root.findall("iati-activity")
    return {
        "activities": len(activities),
        "budgets": sum(len(a.findall("budget")) for a in activities),
        "transactions": sum(len(a.findall("transaction")) for a in activities),
        "periods": sum(len(a.findall("result/indicator/period")) for a in activities),
    }


def stored_counts() -> dict[str, int]:
    """Budgets, transactions and result periods as published are kept in each activity's record."""
    records = [activity.data for activity in IatiActivity.objects.all()]
    return {
        "activities": IatiActivity.objects.count(),
        "budgets": sum(len(data["budgets"]) for data in records),
        "transactions": sum(len(data["transactions"]) for data in records),
        "periods": sum(
            len(i["periods"]) for data in records for r in data["results"] for i in r["indicators"]
        ),
    }


def stored_nothing() -> bool:
    return not (
        Project.objects.exists()
        or IatiActivity.objects.exists()
        or Budget.objects.exists()
        or Transaction.objects.exists()
        or Partner.objects.exists()
    )


ACTIVITY = """
  <iati-activity default-currency="CHF" xml:lang="en">
    <iati-identifier>{identifier}</iati-identifier>
    <reporting-org ref="XM-DAC-41303" type="40"><narrative>ITU</narrative></reporting-org>
    <title><narrative>{title}</narrative><narrative xml:lang="fr">Titre</narrative></title>
    <participating-org ref="XM-DONOR-1" role="1" type="10"><narrative>Donor</narrative></participating-org>
    <activity-status code="2"/>
    <activity-date type="1" iso-date="{start}"/>
    <activity-date type="3" iso-date="2025-12-31"/>
    <recipient-country code="SN" percentage="60"/>
    <recipient-country code="GH" percentage="40"/>
    <budget type="1" status="2">
      <period-start iso-date="2024-01-01"/><period-end iso-date="2024-12-31"/>
      <value currency="CHF" value-date="2024-01-01">{amount}</value>
    </budget>
    <transaction>
      <transaction-type code="3"/><transaction-date iso-date="2024-03-01"/>
      <value value-date="2024-03-01">2500.50</value>
    </transaction>
    <result type="1"><title><narrative>People trained</narrative></title>
      <indicator measure="1" ascending="1"><title><narrative>Trained</narrative></title>
        <baseline year="2023" value="0"/>
        <period><period-start iso-date="2024-01-01"/><period-end iso-date="2024-12-31"/>
          <target value="100"/><actual value="80"/></period>
      </indicator>
    </result>
  </iati-activity>"""


def document(*activities: str) -> str:
    return (
        f'<?xml version="1.0"?>\n<iati-activities version="2.03">{"".join(activities)}\n</iati-activities>\n'
    )


def activity(identifier: str = "XM-DAC-41303-P1", **values: str) -> str:
    fields = {"identifier": identifier, "title": "Smart villages", "start": "2024-01-01", "amount": "10000"}
    fields.update(values)
    return ACTIVITY.format(**fields)


@pytest.mark.parametrize("path", SHOULD_PASS, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_schema_example_imports_with_the_counts_of_the_file(importer: Any, path: Path) -> None:
    summary = iati_import(actor=importer, path=path)

    assert summary.exit_code == 0, summary.rejections
    assert stored_counts() == counts_in_file(path)


def test_the_schema_examples_are_present(shared_dir: Path) -> None:
    assert len(SHOULD_PASS) >= 50


def test_annotated_example_imports_into_portfolio_and_results(importer: Any, iati_examples: Path) -> None:
    path = iati_examples / "activity-standard-example-annotated.xml"
    summary = iati_import(actor=importer, path=path)

    assert (summary.created, summary.rejected, summary.exit_code) == (1, 0, 0)
    assert stored_counts() == counts_in_file(path)
    project = Project.objects.get(iati__identifier="AA-AAA-123456789-ABC123")
    assert project.title == "Activity title"
    assert project.status == Project.Status.IMPLEMENTATION
    assert str(project.planned_start) == "2012-04-15"
    assert str(project.actual_start) == "2012-04-28"
    assert sorted(project.countries.values_list("country__iso2", flat=True)) == ["AF", "AG"]
    assert set(Partner.objects.values_list("iati_identifier", flat=True)) >= {
        "BB-BBB-123456789",
        "CC-CCC-123456789",
    }
    assert Indicator.objects.filter(project=project).count() == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count() == 1


def test_activity_maps_to_portfolio_budget_transaction_and_indicator_values(
    importer: Any, write_xml: Any
) -> None:
    path = write_xml(document(activity()))
    summary = iati_import(actor=importer, path=path)

    assert summary.created == 1
    project = Project.objects.get()
    assert project.region.code == "AFR"
    assert {(c.country.iso2, str(c.percentage)) for c in ProjectCountry.objects.all()} == {
        ("SN", "60.00"),
        ("GH", "40.00"),
    }
    budget = Budget.objects.get()
    assert (budget.year, str(budget.amount), budget.currency) == (2024, "10000.00", "CHF")
    record = IatiActivity.objects.get()
    assert record.links["budgets"] == [budget.pk]
    assert record.links["transactions"] == [Transaction.objects.get().pk]
    assert Transaction.objects.get().kind == Transaction.Kind.DISBURSEMENT
    value = IndicatorValue.objects.get()
    assert (value.year, value.target, value.actual) == (2024, 100, 80)


def test_reimport_updates_by_identifier_without_duplicates(importer: Any, write_xml: Any) -> None:
    first = iati_import(actor=importer, path=write_xml(document(activity(), activity("XM-DAC-41303-P2"))))
    again = iati_import(actor=importer, path=write_xml(document(activity(), activity("XM-DAC-41303-P2"))))
    changed = iati_import(
        actor=importer, path=write_xml(document(activity(title="Smarter villages", amount="12000")))
    )

    assert (first.created, again.unchanged, again.created) == (2, 2, 0)
    assert (changed.updated, changed.created) == (1, 0)
    assert Project.objects.count() == 2
    assert Project.objects.get(iati__identifier="XM-DAC-41303-P1").title == "Smarter villages"
    assert Budget.objects.filter(project__iati__identifier="XM-DAC-41303-P1").get().amount == 12000
    assert [len(a.data["budgets"]) for a in IatiActivity.objects.order_by("identifier")] == [1, 1]
    assert Budget.objects.count() == 2
    assert IndicatorValue.objects.count() == 2


def test_dry_run_reports_changes_and_writes_nothing(importer: Any, write_xml: Any) -> None:
    summary = iati_import(actor=importer, path=write_xml(document(activity())), dry_run=True)

    assert (summary.created, summary.dry_run) == (1, True)
    assert stored_nothing()


def test_invalid_activity_is_skipped_and_reported_others_are_kept(importer: Any, write_xml: Any) -> None:
    bad_date = activity("XM-DAC-41303-BAD", start="2024-13-45")
    summary = iati_import(actor=importer, path=write_xml(document(activity(), bad_date)))

    assert (summary.created, summary.rejected, summary.exit_code) == (1, 1, 1)
    rejection = summary.rejections[0]
    assert rejection.identifier == "XM-DAC-41303-BAD"
    assert rejection.line > 20
    assert "'2024-13-45' is not a date" in rejection.message
    assert list(IatiActivity.objects.values_list("identifier", flat=True)) == ["XM-DAC-41303-P1"]


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ({"amount": "ten thousand"}, "'tenthousand' is not an amount"),
        ({"start": "yesterday"}, "'yesterday' is not a date"),
    ],
)
def test_bad_values_reject_the_activity_and_store_nothing(
    importer: Any, write_xml: Any, broken: dict[str, str], message: str
) -> None:
    summary = iati_import(actor=importer, path=write_xml(document(activity(**broken))))

    assert (summary.rejected, summary.exit_code) == (1, 1)
    assert message in summary.rejections[0].message
    assert stored_nothing()


def test_missing_identifier_element_rejects_the_activity(importer: Any, write_xml: Any) -> None:
    text = activity().replace("<iati-identifier>XM-DAC-41303-P1</iati-identifier>", "")
    summary = iati_import(actor=importer, path=write_xml(document(text)))

    assert summary.rejected == 1
    assert "has no <iati-identifier> element" in summary.rejections[0].message
    assert stored_nothing()


XXE = """<?xml version="1.0"?>
<!DOCTYPE iati-activities [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&secret;</iati-identifier></iati-activity>
</iati-activities>"""
BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&lol2;</iati-identifier></iati-activity>
</iati-activities>"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (XXE, "declares a document type or entities"),
        (BOMB, "declares a document type or entities"),
        (document(activity())[:-80], "not well-formed XML"),
        ("<organisations><iati-activity/></organisations>", "root element is <organisations>"),
        ("this is not xml at all", "not well-formed XML"),
    ],
    ids=["xxe", "entity-bomb", "truncated", "wrong-root", "not-xml"],
)
def test_unsafe_or_malformed_file_is_refused_before_any_write(
    importer: Any, write_xml: Callable[[str], Path], text: str, message: str
) -> None:
    path = write_xml(text)
    with pytest.raises(FileRefused, match=message):
        iati_import(actor=importer, path=path)

    assert stored_nothing()


def test_command_exit_status_is_0_1_or_2(importer: Any, write_xml: Any, capsys: Any) -> None:
    good = write_xml(document(activity()))
    partial = write_xml(document(activity("XM-DAC-41303-P9"), activity("XM-DAC-41303-X", amount="abc")))
    refused = write_xml(XXE)

    call_command("iati", "import", str(good), "--user", "importer")
    with pytest.raises(SystemExit) as some_rejected:
        call_command("iati", "import", str(partial), "--user", "importer")
    with pytest.raises(SystemExit) as file_refused:
        call_command("iati", "import", str(refused), "--user", "importer")

    assert (some_rejected.value.code, file_refused.value.code) == (1, 2)
    output = capsys.readouterr()
    assert "created 1, updated 0, unchanged 0, rejected 0" in output.out
    assert "XM-DAC-41303-X (line" in output.err
    assert "refused" in output.err


def test_regional_editor_cannot_import_an_activity_of_another_region(
    reference: None, make_user: Any, write_xml: Any
) -> None:
    editor = make_user("asp-editor", ("editor", "ASP"))
    summary = iati_import(actor=editor, path=write_xml(document(activity())))

    assert summary.rejected == 1
    assert "not allowed" in summary.rejections[0].message
    assert not Project.objects.exists()
