"""The demo's 2024 report to the Council Working Group, rebuilt from records, as page, PDF and DOCX.

Every figure of the source text that the system holds comes from a live field; the approved version
shows them frozen, the later draft live.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from docx import Document

from presence.council import documents, selectors
from presence.council.demo import NUMBER
from presence.council.figures import document_reader
from presence.council.models import DocumentVersion
from presence.council.render import render
from presence.engagement.models import Event

# The source report's figures, as the demo document writes them (English, its number formats).
SOURCE_FIGURES = {
    "87 projects": "implemented eighty-seven projects",
    "CHF 106.4 million": "valued at CHF 106.4 million",
    "124 activities": "one hundred and twenty-four (124) activities",
    "six forums": "conducted six regional Development Forums",
    "over 1,500 stakeholders": "attracted over 1,500 stakeholders",
    "three P5 posts": "creation of three P5 posts",
    "five TSB-funded staff": "five staff funded by TSB",
    "about 195 staff workdays": "about 195 staff workdays",
    "about 750 registered staff": "approximately 750 ITU staff are registered",
}


def _versions() -> tuple[DocumentVersion, DocumentVersion]:
    versions = DocumentVersion.objects.filter(document__number=NUMBER, language="en").order_by("number")
    approved, draft = list(versions)
    return approved, draft


def _pdf_text(doc: Any) -> str:
    """The text WeasyPrint lays out on the PDF's pages (the same layout `write_pdf` writes)."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    rendered = HTML(string=documents.html(doc)).render()
    lines: list[str] = []

    def walk(box: Any) -> None:
        if isinstance(box, boxes.LineBox):  # a line's text, inline blocks (the dash marks) included
            lines.append("".join(b.text for b in box.descendants() if isinstance(b, boxes.TextBox)))
        elif isinstance(box, boxes.ParentBox):
            for child in box.children:
                walk(child)

    for page in rendered.pages:
        walk(page._page_box)
    return " ".join(" ".join(lines).split())


def _docx_text(content: bytes) -> tuple[str, Any]:
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    return " ".join(text.split()), document


def test_the_approved_version_holds_every_source_figure_frozen(demo: None) -> None:
    approved, draft = _versions()
    assert approved.status == DocumentVersion.Status.APPROVED
    assert draft.status == DocumentVersion.Status.DRAFT
    assert approved.frozen is not None
    assert approved.approved_by != approved.created_by  # nobody approved their own
    text = " ".join(render(approved).text().split())
    for figure, words in SOURCE_FIGURES.items():
        assert words in text, figure
    values = {key: f["value"] for key, f in approved.frozen["fields"].items()}
    assert values["projects_ongoing year=2023"] == "87"
    assert values["projects_value year=2023"] == "106.4"
    assert values["forum_participants from=2023-01-01 to=2024-06-30"] == "1560"
    assert values["installations_remaining_workdays"] == "195.0"
    assert values["crisis_comms_registered"] == "750"
    for figure in approved.frozen["fields"].values():
        assert figure["url"].startswith("/")  # each figure links to the records behind it


def test_table1_block_is_the_published_table_cell_for_cell(demo: None, shared_dir: Path) -> None:
    approved, _draft = _versions()
    table = approved.frozen["blocks"]["table1 year=2023"]
    with (shared_dir / "reference" / "table1-projects-by-region-2023.csv").open(encoding="utf-8") as handle:
        published = list(csv.reader(handle))
    rows = {row["label"]: row for row in [*table["rows"], table["total"]]}
    assert [line[0] for line in published[1:]] == list(rows)  # AFR ... EUR, MUL, Total
    for line in published[1:]:
        row = rows[line[0]]
        assert str(row["projects"]) == line[1], line[0]
        fixed = [cell if float(cell) else "" for cell in row["cells"][:3]]
        assert [f"{float(c):.1f}" if c else "" for c in fixed] == [c.strip() for c in line[2:5]], line[0]
        assert f"{float(row['total']):.1f}" == line[-1].strip(), line[0]
    # The published total exceeds its three columns by the other ITU funds, shown in their own column.
    assert table["other_total"] == "1198.9"


def test_pdf_and_docx_of_the_approved_version_hold_the_figures(demo: None) -> None:
    approved, _draft = _versions()
    doc = render(approved)
    pdf = documents.pdf(doc)
    assert pdf.startswith(b"%PDF")
    pdf_text = _pdf_text(doc)
    for figure, words in SOURCE_FIGURES.items():
        assert words in pdf_text, figure
    assert "106,402.4" in pdf_text  # Table 1's total
    assert "<svg" in documents.html(doc)  # charts stay vector in the PDF
    docx_text, word = _docx_text(documents.docx(doc))
    for figure, words in SOURCE_FIGURES.items():
        assert words in docx_text, figure
    table1 = next(t for t in word.tables if t.rows[0].cells[0].text == "Region")
    total = [cell.text for cell in table1.rows[-1].cells]
    assert total[:2] == ["Total", "87"]
    assert total[-1] == "106,402.4"
    assert len(word.inline_shapes) == 1  # the funding chart, as an image
    assert "Document CWG-FHR-20/xx" in docx_text
    assert "2 September 2024" in docx_text


def test_a_changed_record_changes_the_draft_not_the_approved_version(demo: None, client: Client) -> None:
    approved, draft = _versions()
    Event.objects.filter(kind="forum", start_date__year=2024).order_by("start_date").last().delete()  # type: ignore[union-attr]
    reader = document_reader()
    live = render(draft, previous=selectors.last_approved(draft, user=reader))
    key = "forums from=2023-01-01 to=2024-06-30"
    assert (live.changed[key].before, live.changed[key].after) == ("6", "5")
    assert "conducted five regional Development Forums" in " ".join(live.text().split())
    assert "conducted six regional Development Forums" in " ".join(render(approved).text().split())
    client.force_login(get_user_model().objects.get(username="hq.editor"))
    page = client.get(f"/council/versions/{draft.pk}/").content.decode()
    assert "Live figures changed since approved version 1" in page
    assert f"<code>{key}</code>" in page
    compare = client.get(f"/council/{draft.document_id}/compare/?a={approved.pk}&b={draft.pk}")
    assert compare.status_code == 200
    assert "The Regional Presence Dashboard is in service" in compare.content.decode()
    assert client.get(f"/council/{draft.document_id}/compare/?a={approved.pk}&b=0").status_code == 400


def test_the_command_writes_the_approved_version_or_the_draft(demo: None, tmp_path: Path) -> None:
    target = tmp_path / "council.docx"
    call_command("report", "council", "--year", "2024", "--format", "docx", "--output", str(target))
    text, _word = _docx_text(target.read_bytes())
    assert "approved version, figures frozen" in text
    assert "currently under review" in text
    call_command(
        "report", "council", "--year", "2024", "--format", "docx", "--output", str(target), "--draft"
    )
    text, _word = _docx_text(target.read_bytes())
    assert "The Regional Presence Dashboard is in service" in text
    call_command(
        "report",
        "council",
        "--year",
        "2023",
        "--format",
        "docx",
        "--output",
        str(target),
        "--draft",
        "--language",
        "fr",
    )
    text, word = _docx_text(target.read_bytes())
    assert "valeur de 106,4 millions de CHF" in text  # the same figure, in French number formats
    table1 = word.tables[0]
    assert table1.rows[-1].cells[-1].text.replace("\u202f", " ").replace("\xa0", " ") == "106 402,4"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="covering 2019"):
        call_command("report", "council", "--year", "2019", "--format", "pdf", "--output", str(target))
    with pytest.raises(CommandError, match="docx or pdf"):
        call_command("report", "council", "--year", "2024", "--format", "csv", "--output", str(target))


def test_pages_and_downloads(demo: None, client: Client) -> None:
    approved, draft = _versions()
    users = get_user_model().objects
    client.force_login(users.get(username="afr.editor"))
    assert client.get("/council/").status_code == 200
    assert client.get(f"/council/{approved.document_id}/").status_code == 200
    page = client.get(f"/council/versions/{approved.pk}/").content.decode()
    assert 'href="/portfolio/project-list/' not in page
    assert 'href="/portfolio/projects/?year=2023"' in page  # a figure links to its records
    assert client.get(f"/council/versions/{draft.pk}/edit/").status_code == 403  # region editors cannot write
    assert (
        client.post(
            f"/council/versions/{draft.pk}/status/", {"step": "submit", "version": draft.version}
        ).status_code
        == 403
    )
    preview = client.get(f"/council/versions/{approved.pk}/preview/")
    assert preview.status_code == 200
    assert b"Overview of on-going ITU projects by region" in preview.content
    pdf = client.get(f"/council/versions/{approved.pk}/document.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert 'filename="CWG-FHR-20-xx-en-v1.pdf"' in pdf["Content-Disposition"]
    assert client.get(f"/council/versions/{approved.pk}/document.odt").status_code == 404
    client.force_login(users.get(username="delegate"))
    assert client.get(f"/council/versions/{draft.pk}/").status_code == 404  # drafts are not for delegates
    assert client.get(f"/council/versions/{approved.pk}/").status_code == 404  # approved, not yet published


def test_the_requests_tracker_is_a_block_of_published_requests_with_their_evidence(demo: None) -> None:
    from presence.council import services
    from presence.mandates.selectors import tracker_rows

    _approved, draft = _versions()
    editor = get_user_model().objects.get(username="hq.editor")
    draft = services.version_update(
        actor=editor,
        version=draft,
        expected_version=draft.version,
        body=draft.body + "\n\n# Annex: requests of the governing bodies\n\n[[tracker]]\n",
    )
    doc = render(draft)
    published = tracker_rows(user=document_reader(), published_only=True)
    assert published
    html = documents.html(doc)
    assert "evidence of their progress" in html, html[-3000:]
    _text, word = _docx_text(documents.docx(doc))
    table = next(t for t in word.tables if t.rows[0].cells[0].text == "Session")
    assert len(table.rows) == len(published) + 1
    first = published[0]
    assert first["session"] in table.rows[1].cells[0].text
    if first["evidence_value"] is not None:
        assert table.rows[1].cells[4].text.startswith(str(first["evidence_value"]))
    unpublished = tracker_rows(user=editor, published_only=False)
    assert len(unpublished) > len(published)  # a Council document shows only what is published
