"""The IATI import reads the file once: file-level problems found mid-stream still leave nothing written."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from presence.interchange.iati.generator import generate
from presence.interchange.iati.importer import iati_import
from presence.interchange.iati.reader import estimate
from presence.interchange.iati.safety import MAX_DEPTH, FileRefused, check_prologue
from presence.interchange.models import IatiActivity

from .test_iati_import import activity, document, stored_nothing


def test_a_file_truncated_after_written_batches_is_refused_and_nothing_is_kept(
    importer: Any, write_xml: Any
) -> None:
    text = document(*(activity(f"XM-DAC-41303-T{n}") for n in range(5)))
    path = write_xml(text[: text.rindex("</iati-activity>") + 5])

    with pytest.raises(FileRefused, match="not well-formed XML"):
        iati_import(actor=importer, path=path, batch_size=1)  # four batches written before the break

    assert stored_nothing()


def test_broken_markup_in_a_later_activity_refuses_the_whole_file(importer: Any, write_xml: Any) -> None:
    broken = activity("XM-DAC-41303-T9").replace('<activity-status code="2"/>', "<activity-status code=2/>")
    path = write_xml(document(activity("XM-DAC-41303-T1"), activity("XM-DAC-41303-T2"), broken))

    with pytest.raises(FileRefused, match="not well-formed XML"):
        iati_import(actor=importer, path=path, batch_size=1)

    assert stored_nothing()


def test_nesting_deeper_than_the_limit_refuses_the_file_even_after_good_activities(
    importer: Any, write_xml: Any
) -> None:
    deep = "<x>" * MAX_DEPTH + "</x>" * MAX_DEPTH
    nested = activity("XM-DAC-41303-D").replace("<activity-status", deep + "<activity-status")
    path = write_xml(document(activity("XM-DAC-41303-T1"), nested))

    with pytest.raises(FileRefused, match=f"more than {MAX_DEPTH} levels"):
        iati_import(actor=importer, path=path, batch_size=1)

    assert stored_nothing()


def test_nesting_up_to_the_limit_is_accepted(importer: Any, write_xml: Any) -> None:
    levels = MAX_DEPTH - 3  # activities are at depth 2, the extension element below them
    nested = activity().replace("<activity-status", "<x>" * levels + "</x>" * levels + "<activity-status")

    summary = iati_import(actor=importer, path=write_xml(document(nested)))

    assert (summary.created, summary.rejected) == (1, 0)


@pytest.mark.parametrize(
    "prologue",
    [
        '<?xml version="1.0"?>\n<!-- ' + "long comment " * 2000 + "-->\n<!DOCTYPE x [<!ENTITY e 'e'>]>\n",
        '<?xml version="1.0"?>\n<?style x?>\n' + "\n" * 9000 + "<!DOCTYPE iati-activities>\n",
        "\ufeff<!DOCTYPE iati-activities>",
    ],
    ids=["after-a-long-comment", "after-blank-lines", "after-a-byte-order-mark"],
)
def test_a_declaration_anywhere_in_the_prologue_is_refused(
    importer: Any, write_xml: Any, prologue: str
) -> None:
    path = write_xml(prologue + '<iati-activities version="2.03">' + activity() + "</iati-activities>")

    with pytest.raises(FileRefused, match="declares a document type"):
        iati_import(actor=importer, path=path)

    assert stored_nothing()


def test_a_declaration_like_text_after_the_root_start_is_not_a_declaration(tmp_path: Path) -> None:
    path = tmp_path / "text.xml"
    path.write_text(
        '<iati-activities version="2.03"><!-- <!DOCTYPE in a comment --></iati-activities>', encoding="utf-8"
    )

    check_prologue(path)  # no FileRefused


def test_an_empty_file_and_a_wrong_root_without_activities_are_refused(importer: Any, write_xml: Any) -> None:
    with pytest.raises(FileRefused, match=r"not well-formed XML|empty"):
        iati_import(actor=importer, path=write_xml(""))
    with pytest.raises(FileRefused, match="root element is <organisations>"):
        iati_import(actor=importer, path=write_xml("<organisations><org/></organisations>"))


def test_dry_run_of_a_file_repeating_an_identifier_counts_the_repeat_as_an_update(
    importer: Any, write_xml: Any
) -> None:
    path = write_xml(document(activity(), activity(title="Changed")))

    summary = iati_import(actor=importer, path=path, dry_run=True)

    assert (summary.total, summary.created, summary.updated) == (2, 1, 1)
    assert not IatiActivity.objects.exists()


def test_the_progress_estimate_counts_the_activities_without_parsing(tmp_path: Path) -> None:
    path = tmp_path / "many.xml"
    generate(path, 2500)

    assert estimate(path) == 2500


def test_progress_ends_with_the_activities_read(importer: Any, write_xml: Any) -> None:
    seen: list[tuple[int, int]] = []
    path = write_xml(document(*(activity(f"XM-DAC-41303-T{n}") for n in range(3))))

    iati_import(
        actor=importer, path=path, batch_size=2, progress=lambda done, total: seen.append((done, total))
    )

    assert seen == [(2, 3), (3, 3)]


def test_the_stored_record_is_the_fingerprinted_json(importer: Any, write_xml: Any) -> None:
    iati_import(actor=importer, path=write_xml(document(activity())))

    stored = IatiActivity.objects.get()
    text = json.dumps(stored.data, sort_keys=True)
    assert stored.fingerprint == hashlib.sha256(text.encode()).hexdigest()
    assert stored.data["titles"][0] == {"lang": "", "text": "Smart villages"}
