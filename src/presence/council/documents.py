"""A version as PDF (WeasyPrint, charts as vector SVG) and DOCX (python-docx, charts as PNG images).

Both read the rendered version (`council/render.py`): its texts, figures and blocks' data, frozen or
live, in the document's language. The PDF is printed from the same HTML as the preview page.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from presence.core.charts import png as charts_png
from presence.council import formatting
from presence.council.blocks import chart_from_data
from presence.council.render import Block, Para, Rendered, Segment

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
DASH = {"dash": "\u2013", "bullet": "•", "p": ""}


def filename(version: Any, fmt: str) -> str:
    number = version.document.number.replace("/", "-").replace(" ", "")
    state = "" if version.frozen else "-draft"
    return f"{number}-{version.language}-v{version.number}{state}.{fmt}"


def html(doc: Rendered, *, links: bool = False) -> str:
    with translation.override(doc.language):
        return render_to_string("council/print.html", {"doc": doc, "links": links})


def pdf(doc: Rendered) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=html(doc)).write_pdf())


# Word ---------------------------------------------------------------------------------------------


FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
SUPERSCRIPT = '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'


def _footnotes(document: Any, footnotes: dict[int, str]) -> None:
    """The document's footnotes as Word footnotes (a footnotes part; python-docx has no API for it):
    Word numbers them and prints each at the foot of the page that cites it."""
    from xml.sax.saxutils import escape

    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import XmlPart
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    notes = "".join(
        f'<w:footnote w:id="{number}"><w:p><w:r>{SUPERSCRIPT}<w:footnoteRef/></w:r>'
        f'<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve"> {escape(text)}</w:t></w:r>'
        "</w:p></w:footnote>"
        for number, text in footnotes.items()
    )
    element = parse_xml(
        f"<w:footnotes {nsdecls('w')}>"
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
        f"</w:p></w:footnote>{notes}</w:footnotes>"
    )
    part = XmlPart(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, element, document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)


def _runs(paragraph: Any, segments: list[Segment], footnotes: dict[int, str], *, bold: bool = False) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    for segment in segments:
        if segment.footnote is not None:
            # A footnote reference: Word shows its number, and the note at the foot of the page.
            reference = f'<w:footnoteReference w:id="{segment.footnote}"/>'
            paragraph._p.append(parse_xml(f"<w:r {nsdecls('w')}>{SUPERSCRIPT}{reference}</w:r>"))
            continue
        run = paragraph.add_run(segment.text)
        run.bold = bold or None


def _caption(document: Any, *lines: str) -> None:
    """A table's or chart's title, bold and centred above it, kept on the same page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    for index, line in enumerate(lines):
        caption.add_run(line + ("\n" if index < len(lines) - 1 else "")).bold = True


def _table(document: Any, header: list[str], rows: list[list[str]], *, bold_last: bool = False) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for number, values in enumerate(rows, start=1):
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.add_run(text).bold = bold_last and number == len(rows)
            if index > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def _small(document: Any, text: str) -> None:
    from docx.shared import Pt

    document.add_paragraph().add_run(text).font.size = Pt(8)


def _kchf(value: str, language: str) -> str:
    amount = Decimal(value)
    return "" if amount == 0 else formatting.number(amount, language, decimals=1)


def _num(value: Any, language: str) -> str:
    return "\u2013" if value in (None, "") else formatting.number(Decimal(str(value)), language)


def docx_table1(document: Any, data: dict[str, Any], language: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    caption.add_run(_("Table 1") + "\n").bold = True
    caption.add_run(_("Overview of on-going ITU projects by region") + "\n").bold = True
    caption.add_run("(" + _("figures in k CHF") + ")")
    header = [
        _("Region"),
        _("Number of projects"),
        *(c["label"] for c in data["columns"]),
        _("Total project funding"),
    ]
    rows = [
        [
            row["label"] + ("(*)" if row["label"] == "MUL" else ""),
            _num(row["projects"], language),
            *(_kchf(cell, language) for cell in row["cells"]),
            _kchf(row["total"], language),
        ]
        for row in [*data["rows"], {**data["total"], "label": _("Total")}]
    ]
    _table(document, header, rows, bold_last=True)
    _small(document, "(*) " + _("Multi-regional projects benefiting all regions."))
    _small(document, table1_gap_note(data, language))


def table1_gap_note(data: dict[str, Any], language: str) -> str:
    return _(
        "Other ITU funds: %(other)s k CHF in all. The table as published in 2024 had no column for them, "
        "while its totals included them, so its rows did not add up (AFR: %(shown)s k CHF in the columns "
        "shown, %(total)s k CHF in total)."
    ) % {
        "other": _kchf(data["other_total"], language) or "0",
        "shown": _kchf(data["rows"][0]["shown"], language) if data["rows"] else "0",
        "total": _kchf(data["rows"][0]["total"], language) if data["rows"] else "0",
    }


def docx_chart(document: Any, data: dict[str, Any], language: str) -> None:
    from docx.shared import Cm

    chart = chart_from_data(data)
    _caption(document, chart.title)
    document.add_picture(io.BytesIO(charts_png.png(chart)), width=Cm(16))


def docx_staffing_measures(document: Any, data: dict[str, Any], language: str) -> None:
    rows = [[row["label"], *(_num(v, language) for v in row["values"])] for row in data["rows"]]
    _caption(document, _("Staffing measures, %(start)s to %(end)s") % _period(data, language))
    _table(document, [_("Region"), *data["columns"]], rows, bold_last=True)


def _period(data: dict[str, Any], language: str) -> dict[str, str]:
    import datetime as dt

    return {
        "start": formatting.date(dt.date.fromisoformat(data["start"]), language),
        "end": formatting.date(dt.date.fromisoformat(data["end"]), language),
    }


def docx_forums(document: Any, data: dict[str, Any], language: str) -> None:
    import datetime as dt

    rows = [
        [
            r["title"],
            r["region"],
            r["city"],
            formatting.date(dt.date.fromisoformat(r["date"]), language),
            _num(r["participants"], language),
        ]
        for r in data["rows"]
    ]
    rows.append([_("Total"), "", "", "", _num(data["participants"], language)])
    _caption(document, _("Events from %(start)s to %(end)s and their participants") % _period(data, language))
    _table(
        document, [_("Event"), _("Region"), _("City"), _("Start"), _("Participants")], rows, bold_last=True
    )


def docx_resilience_status(document: Any, data: dict[str, Any], language: str) -> None:
    rows = [
        [
            r["office"],
            *(_num(c, language) for c in r["compliance"]),
            _num(r["critical"], language),
            _num(r["high"], language),
            _num(r["coverage"], language),
            _num(r["remaining_workdays"], language),
        ]
        for r in data["rows"]
    ]
    codes = [kind["code"] for kind in data["kinds"]]
    header = [_("Office"), *codes, _("Critical"), _("High"), _("Coverage %"), _("Workdays left")]
    _caption(document, _("Resilience status by office"))
    _table(document, header, rows)
    legend = "; ".join(f"{kind['code']}: {kind['label']}" for kind in data["kinds"])
    _small(
        document,
        _("Latest compliance (%) per assessment type; open findings by level; counts only.") + " " + legend,
    )


def _office_table(document: Any, data: dict[str, Any], language: str, columns: list[tuple[str, str]]) -> None:
    """One row per office, then the total row: `columns` are (data key, heading)."""
    keys = [key for key, _heading in columns]
    rows = [[r["office"], *(_num(r[key], language) for key in keys)] for r in data["rows"]]
    rows.append([_("Total"), *(_num(data["total"][key], language) for key in keys)])
    _table(document, [_("Office"), *(heading for _key, heading in columns)], rows, bold_last=True)


def docx_installations(document: Any, data: dict[str, Any], language: str) -> None:
    columns = [
        ("planned", _("Planned")),
        ("in_progress", _("In progress")),
        ("completed", _("Completed")),
        ("remaining", _("Workdays left")),
    ]
    _caption(document, _("Security equipment installations and remaining staff workdays"))
    _office_table(document, data, language, columns)


def docx_coverage(document: Any, data: dict[str, Any], language: str) -> None:
    columns = [("registered", _("Registered")), ("staff", _("Staff")), ("percent", _("Coverage %"))]
    _caption(document, _("Crisis-communications coverage by office (latest counts)"))
    _office_table(document, data, language, columns)


def docx_tracker(document: Any, data: dict[str, Any], language: str) -> None:
    rows = [
        [
            f"{r['body']} {r['session']}" + (f" ({r['reference']})" if r["reference"] else ""),
            r["text"],
            r["status"],
            r["evidence"],
            "" if r["value"] is None else f"{_num(r['value'], language)} / {_num(r['total'], language)}",
            "" if r["progress"] is None else _num(r["progress"], language),
            r["assessment"],
        ]
        for r in data["rows"]
    ]
    _caption(document, _("Governing bodies' requests and the evidence of their progress"))
    header = [
        _("Session"),
        _("Request"),
        _("Status"),
        _("Evidence"),
        _("Value"),
        _("Progress %"),
        _("Assessment"),
    ]
    _table(document, header, rows)


DOCX_WRITERS = {
    "table1": docx_table1,
    "chart": docx_chart,
    "staffing_measures": docx_staffing_measures,
    "forums": docx_forums,
    "resilience_status": docx_resilience_status,
    "installations": docx_installations,
    "coverage": docx_coverage,
    "tracker": docx_tracker,
}


def _page(document: Any) -> None:
    """A4 with the PDF's margins, and the page number centred in the footer (a PAGE field)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Mm

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(22)
    section.left_margin = section.right_margin = Mm(18)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for xml in (
        '<w:fldChar w:fldCharType="begin"/>',
        '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>1</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    ):
        footer._p.append(parse_xml(f"<w:r {nsdecls('w')}>{xml}</w:r>"))


def docx(doc: Rendered) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    with translation.override(doc.language):
        document = Document()
        document.styles["Normal"].font.size = Pt(11)
        _page(document)
        meta = doc.document
        head = document.add_paragraph()
        head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        head.add_run(_("Document %(number)s") % {"number": meta.number} + "\n").bold = True
        head.add_run(doc.date + "\n")
        head.add_run(_("Original: %(language)s") % {"language": doc.original_language})
        document.add_paragraph(meta.governing_body).runs[0].bold = True
        document.add_paragraph(meta.session)
        document.add_heading(doc.title, level=1)
        footnotes = {n: "".join(s.text for s in parts) for n, parts in doc.footnotes}
        for heading, paragraphs in ((_("Purpose"), doc.purpose), (_("Action required"), doc.action_required)):
            if paragraphs:
                document.add_heading(heading, level=3)
                for para in paragraphs:
                    _runs(document.add_paragraph(), para.segments, footnotes)
        if doc.references:
            document.add_heading(_("References"), level=3)
            for reference in doc.references:
                document.add_paragraph(
                    reference.text + (f" ({reference.url})" if reference.url.startswith("http") else "")
                )
        for section in doc.sections:
            if section.number is not None:
                heading = document.add_heading(level=2)
                heading.add_run(f"{section.number}\t")
                _runs(heading, section.heading, footnotes)
            for item in section.items:
                if isinstance(item, Para):
                    paragraph = document.add_paragraph()
                    if item.style != "p":
                        paragraph.paragraph_format.left_indent = Pt(18)
                        paragraph.paragraph_format.first_line_indent = Pt(-18)
                        paragraph.add_run(DASH[item.style] + "\t")
                    _runs(paragraph, item.segments, footnotes)
                elif isinstance(item, Block) and item.data:
                    DOCX_WRITERS[item.kind](document, item.data, doc.language)
        if doc.footnotes:
            _footnotes(document, footnotes)
        state = (
            _("approved version, figures frozen on %(when)s")
            if doc.figures.frozen
            else _("draft, figures computed from the records on %(when)s")
        )
        _small(document, state % {"when": doc.computed_at})
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()


def render(doc: Rendered, fmt: str) -> bytes:
    if fmt == "pdf":
        return pdf(doc)
    if fmt == "docx":
        return docx(doc)
    raise ValueError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
