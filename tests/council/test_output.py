"""How a version prints: footnotes at the foot of the page (PDF) and as Word footnotes (DOCX), A4 pages
numbered, each language's own title, the original language named; and who is offered the approval."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.test import Client
from docx import Document
from docx.oxml import parse_xml

from presence.council import documents, services
from presence.council.models import DocumentVersion
from presence.council.render import render

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _footnote_areas(doc: Any) -> list[str]:
    """The text of each printed page's footnote area, as WeasyPrint lays the PDF out."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    def text(box: Any) -> str:
        return "".join(b.text for b in box.descendants() if isinstance(b, boxes.TextBox))

    pages = HTML(string=documents.html(doc)).render().pages
    return [
        text(child)
        for page in pages
        for child in page._page_box.children
        if isinstance(child, boxes.FootnoteAreaBox)
    ]


def test_the_pdf_prints_a_footnote_at_the_foot_of_its_page(draft: DocumentVersion) -> None:
    areas = _footnote_areas(render(draft))
    assert len(areas) == 1
    assert "A footnote." in areas[0]


def test_the_docx_holds_word_footnotes_on_numbered_a4_pages(draft: DocumentVersion) -> None:
    word = Document(io.BytesIO(documents.docx(render(draft))))
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert "PAGE" in "".join(t.text or "" for t in section.footer._element.iter(f"{W}instrText"))
    references = [r.get(f"{W}id") for r in word.element.body.iter(f"{W}footnoteReference")]
    assert references == ["1"]
    part = next(rel.target_part for rel in word.part.rels.values() if rel.reltype.endswith("/footnotes"))
    notes = {
        note.get(f"{W}id"): "".join(t.text or "" for t in note.iter(f"{W}t"))
        for note in parse_xml(part.blob).iter(f"{W}footnote")
    }
    assert notes["1"].strip() == "A footnote."
    assert "A footnote." not in "\n".join(p.text for p in word.paragraphs)  # not listed at the end


def test_each_language_prints_its_own_title_and_names_the_original(
    draft: DocumentVersion, hq: dict[str, Any]
) -> None:
    doc = render(draft)
    assert doc.title == draft.document.title
    assert "Original: English" in documents.html(doc)
    french = services.version_create(
        actor=hq["editor"],
        document=draft.document,
        language="fr",
        title="Rapport sur la présence régionale",
        body="# Projets\n\n{{projects_ongoing year=2023}} projets.",
    )
    page = documents.html(render(french))
    assert "Rapport sur la présence régionale" in page
    assert draft.document.title not in page
    word = Document(io.BytesIO(documents.docx(render(french))))
    assert "Rapport sur la présence régionale" in [p.text for p in word.paragraphs]


def test_an_approver_who_wrote_the_version_is_not_offered_the_approval(
    document: Any, hq: dict[str, Any], client: Client
) -> None:
    both = hq["both"]
    version = services.version_create(
        actor=both, document=document, language="en", body="# One\n\n{{activities year=2024}} activities."
    )
    version = services.version_update(
        actor=both, version=version, expected_version=version.version, date=dt.date(2024, 9, 2)
    )
    services.version_submit(actor=both, version=version, expected_version=version.version)
    client.force_login(both)
    page = client.get(f"/council/versions/{version.pk}/").content.decode()
    assert 'value="approve"' not in page
    assert "another approver must decide on it" in page
    client.force_login(hq["approver"])
    page = client.get(f"/council/versions/{version.pk}/").content.decode()
    assert 'value="approve"' in page
