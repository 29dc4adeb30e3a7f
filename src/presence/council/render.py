"""A version as the page, the preview, the PDF and the Word document show it: the parsed text with each
live figure formatted in the document's language and linked to its records, and the blocks' data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation

from presence.council import formatting
from presence.council.blocks import BLOCKS
from presence.council.fields import shown
from presence.council.figures import Change, FigureSet, changes, figures_of
from presence.council.markup import (
    BlockRef,
    Footnote,
    Paragraph,
    Ref,
    Reference,
    parse_body,
    parse_inline,
    parse_references,
)


@dataclass
class Segment:
    text: str
    url: str = ""
    key: str = ""  # the figure's key when this is a live figure
    previous: str = ""  # the value the last approved version showed, when it differs
    footnote: int | None = None
    note: list[Segment] = field(default_factory=list)  # a footnote's text, at its reference

    @property
    def is_figure(self) -> bool:
        return bool(self.key)


@dataclass
class Para:
    style: str
    segments: list[Segment]

    @property
    def text(self) -> str:
        return "".join(s.text if s.footnote is None else f"[{s.footnote}]" for s in self.segments)


@dataclass
class Block:
    kind: str
    key: str
    template: str
    label: str
    data: dict[str, Any]


@dataclass
class RSection:
    number: int | None
    heading: list[Segment]
    items: list[Para | Block]

    @property
    def heading_text(self) -> str:
        return "".join(s.text for s in self.heading)


@dataclass
class Rendered:
    version: Any
    language: str
    date: str
    purpose: list[Para]
    action_required: list[Para]
    references: list[Reference]
    sections: list[RSection]
    footnotes: list[tuple[int, list[Segment]]]
    figures: FigureSet
    changed: dict[str, Change] = field(default_factory=dict)
    previous: Any = None

    @property
    def document(self) -> Any:
        return self.version.document

    @property
    def title(self) -> str:
        """The version's own title, else the document's."""
        return str(self.version.title or self.document.title)

    @property
    def original_language(self) -> str:
        """The language the document was written in (its first), named in the version's language."""
        code = (self.document.language_list or [self.language])[0]
        with translation.override(self.language):
            return str(dict(settings.LANGUAGES).get(code, code))

    @property
    def computed_at(self) -> str:
        return formatting.moment(dt.datetime.fromisoformat(self.figures.computed_at), self.language)

    def blocks(self) -> list[Block]:
        return [item for s in self.sections for item in s.items if isinstance(item, Block)]

    def text(self) -> str:
        """The whole document as plain text (for tests and comparisons)."""
        lines = [self.title, *(p.text for p in self.purpose + self.action_required)]
        for section in self.sections:
            if section.number:
                lines.append(f"{section.number} {section.heading_text}")
            lines += [item.text for item in section.items if isinstance(item, Para)]
        lines += [f"{n} " + "".join(s.text for s in parts) for n, parts in self.footnotes]
        return "\n".join(lines)


class _Builder:
    def __init__(self, figures: FigureSet, language: str, changed: dict[str, Change]) -> None:
        self.figures = figures
        self.language = language
        self.changed = changed

    def value(self, key: str, args: dict[str, Any], raw: str | None) -> str:
        value, words, decimals = shown(
            {"value": raw, "unit": self.figures.fields.get(key, {}).get("unit")}, args
        )
        return formatting.number(value, self.language, decimals=decimals, words=words)

    def segments(self, parts: list[Any]) -> list[Segment]:
        out = []
        for part in parts:
            if isinstance(part, Ref):
                figure = self.figures.fields.get(part.key, {})
                change = self.changed.get(part.key)
                out.append(
                    Segment(
                        self.value(part.key, part.args, figure.get("value")),
                        url=figure.get("url", ""),
                        key=part.key,
                        previous=self.value(part.key, part.args, change.before) if change else "",
                    )
                )
            elif isinstance(part, Footnote):
                out.append(Segment("", footnote=part.number, note=self.segments(part.parts)))
            else:
                out.append(Segment(str(part)))
        return out

    def paragraphs(self, items: list[Any]) -> list[Para]:
        return [Para(p.style, self.segments(p.parts)) for p in items if isinstance(p, Paragraph)]


def render(version: Any, *, previous: Any = None, figures: FigureSet | None = None) -> Rendered:
    """The version ready to show; with `previous` (the last approved version), live figures that changed."""
    figures = figures or figures_of(version)
    previous_figures = figures_of(previous) if previous is not None and not figures.frozen else None
    changed = changes(figures, previous_figures)
    builder = _Builder(figures, version.language, changed)
    body = parse_body(version.body)
    sections = []
    for section in body.sections:
        items: list[Para | Block] = []
        for item in section.items:
            if isinstance(item, BlockRef):
                kind = BLOCKS[item.kind]
                items.append(
                    Block(
                        item.kind, item.key, kind.template, str(kind.label), figures.blocks.get(item.key, {})
                    )
                )
            else:
                items.append(Para(item.style, builder.segments(item.parts)))
        sections.append(RSection(section.number, builder.segments(section.heading), items))
    return Rendered(
        version=version,
        language=version.language,
        date=formatting.date(version.date, version.language),
        purpose=builder.paragraphs(parse_inline(version.purpose).sections[0].items),
        action_required=builder.paragraphs(parse_inline(version.action_required).sections[0].items),
        references=parse_references(version.references)[0],
        sections=sections,
        footnotes=[(n.number, builder.segments(n.parts)) for n in body.footnotes],
        figures=figures,
        changed=changed,
        previous=previous,
    )
