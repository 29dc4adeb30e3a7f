"""The batched IATI import: fixed queries per batch, isolation of a failing activity, audit, access."""

from __future__ import annotations

from typing import Any

import pytest

from presence.core.models import AuditEntry
from presence.interchange.iati import importer as importer_module
from presence.interchange.iati.importer import iati_import
from presence.interchange.iati.plan import Batch
from presence.interchange.models import IatiActivity
from presence.portfolio.models import Budget, Project, Transaction
from presence.results.models import IndicatorValue

from .test_iati_import import activity, document


def many(count: int, prefix: str = "XM-DAC-41303-B") -> str:
    return document(*(activity(f"{prefix}{n}") for n in range(count)))


def test_queries_do_not_grow_with_the_number_of_activities_in_a_batch(
    importer: Any, write_xml: Any, count_queries: Any
) -> None:
    iati_import(actor=importer, path=write_xml(many(1, "XM-WARM-")))  # partners and content types exist
    small = write_xml(many(5, "XM-S-"))
    large = write_xml(many(40, "XM-L-"))

    few = count_queries(lambda: iati_import(actor=importer, path=small))
    more = count_queries(lambda: iati_import(actor=importer, path=large))

    assert few == more
    assert Project.objects.count() == 46


def published_counts() -> tuple[int, int, int]:
    """Budgets, transactions and result periods as published, kept in the IATI records."""
    records = [activity.data for activity in IatiActivity.objects.all()]
    return (
        sum(len(data["budgets"]) for data in records),
        sum(len(data["transactions"]) for data in records),
        sum(len(i["periods"]) for data in records for r in data["results"] for i in r["indicators"]),
    )


def test_batches_of_any_size_store_the_same_records(importer: Any, write_xml: Any) -> None:
    summary = iati_import(actor=importer, path=write_xml(many(7)), batch_size=3)

    assert (summary.created, summary.rejected) == (7, 0)
    assert (Budget.objects.count(), Transaction.objects.count(), IndicatorValue.objects.count()) == (7, 7, 7)
    assert published_counts() == (7, 7, 7)


def test_an_activity_the_database_refuses_is_isolated_and_the_rest_of_the_batch_kept(
    importer: Any, write_xml: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    iati_import(actor=importer, path=write_xml(document(activity("XM-DAC-41303-P1"))))
    real_load = importer_module._load_batch

    def stale(items: Any) -> Batch:
        # As if another process had stored P1 after the batch was read: its insert hits the unique code.
        loaded = real_load(items)
        return Batch(existing={}, partner_refs=loaded.partner_refs, taken_codes=set())

    monkeypatch.setattr(importer_module, "_load_batch", stale)
    changed = activity("XM-DAC-41303-P1", title="Changed")
    summary = iati_import(actor=importer, path=write_xml(document(changed, activity("XM-DAC-41303-P2"))))

    assert (summary.created, summary.rejected) == (1, 1)
    assert summary.rejections[0].identifier == "XM-DAC-41303-P1"
    assert sorted(IatiActivity.objects.values_list("identifier", flat=True)) == [
        "XM-DAC-41303-P1",
        "XM-DAC-41303-P2",
    ]
    assert Project.objects.get(iati__identifier="XM-DAC-41303-P1").title == "Smart villages"
    assert Budget.objects.count() == 2


def test_each_created_or_updated_activity_has_one_import_entry_naming_the_file(
    importer: Any, write_xml: Any
) -> None:
    iati_import(actor=importer, path=write_xml(many(3)), source="donor.xml")
    iati_import(
        actor=importer, path=write_xml(document(activity("XM-DAC-41303-B0", title="New"))), source="v2.xml"
    )

    entries = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).order_by("pk")
    assert entries.count() == 4
    assert all(entry.actor == importer for entry in entries)
    assert entries[0].reason.startswith("IATI import of donor.xml, line")
    last = entries.last()
    assert last is not None
    assert last.reason.startswith("IATI import of v2.xml")
    assert last.changes["title"] == ["Smart villages", "New"]
    project = Project.objects.get(iati__identifier="XM-DAC-41303-B0")
    assert last.object_id == str(project.pk)
    assert project.version == 2


def test_duplicate_identifier_in_one_file_updates_instead_of_duplicating(
    importer: Any, write_xml: Any
) -> None:
    text = document(activity("XM-DAC-41303-D"), activity("XM-DAC-41303-D", title="Second"))
    summary = iati_import(actor=importer, path=write_xml(text))

    assert (summary.created, summary.updated) == (1, 1)
    assert Project.objects.get().title == "Second"
    assert Budget.objects.count() == 1


def in_country(identifier: str, iso2: str) -> str:
    return activity(identifier).replace(
        '<recipient-country code="SN" percentage="60"/>\n    <recipient-country code="GH" percentage="40"/>',
        f'<recipient-country code="{iso2}"/>',
    )


def test_office_editor_may_import_only_activities_led_by_their_office(
    reference: None, make_user: Any, write_xml: Any, office: Any
) -> None:
    editor = make_user("dakar-editor", ("editor", "office:dakar"))

    summary = iati_import(
        actor=editor, path=write_xml(document(in_country("XM-GH", "GH"))), office=office("dakar")
    )
    elsewhere = iati_import(actor=editor, path=write_xml(document(in_country("XM-IN", "IN"))))

    assert summary.created == 1
    assert Project.objects.get().lead_office.code == "dakar"
    assert elsewhere.rejected == 1
    assert "not allowed to add this project" in elsewhere.rejections[0].message


def test_amounts_the_portfolio_cannot_hold_stay_in_the_iati_record_with_a_note(
    importer: Any, write_xml: Any
) -> None:
    summary = iati_import(actor=importer, path=write_xml(document(activity(amount="10.005"))))

    assert summary.created == 1
    assert not Budget.objects.exists()
    record = IatiActivity.objects.get()
    assert record.data["budgets"][0]["value"] == "10.005"
    assert record.links["budgets"] == [None]
    assert any("2024 budget stays in the IATI record" in note for note in summary.warnings)
