"""The text of a Council document: a small line-based markup, parsed (never evaluated) on every save.

    # Heading                 a numbered section (1, 2, 3 ... in order)
    a paragraph               lines run together until a blank line
    - item                    a dash paragraph ("\u2013", as in Council documents)
    * item                    a bullet paragraph ("•")
    [[table1 year=2023]]      an inserted block, alone on its line (`council/blocks.py`)
    {{projects_ongoing year=2023}}   a live figure inside any text (`council/fields.py`)
    [^Document TDAG-24/7(Rev.1).]    a footnote, numbered through the document

Text before the first heading is the introduction. Nothing else is special: no HTML is kept (the
pages escape it), and an unknown field, block or argument is an error naming it and its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from presence.council.blocks import BLOCKS
from presence.council.fields import DISPLAY_PARAMS, FIELDS, check_args

FIELD = re.compile(r"\{\{(.*?)\}\}")
FOOTNOTE = re.compile(r"\[\^(.+?)\]")
BLOCK = re.compile(r"^\[\[(.*)\]\]$")
DISPLAY = {p.name for p in DISPLAY_PARAMS}


@dataclass
class Ref:
    """A live figure in a text: `key` names the computed figure (without the display arguments)."""

    name: str
    key: str
    args: dict[str, Any]


@dataclass
class Footnote:
    number: int
    parts: list[Any]


@dataclass
class Paragraph:
    style: str  # "p", "dash" or "bullet"
    parts: list[Any]  # str, Ref or Footnote


@dataclass
class BlockRef:
    kind: str
    key: str
    args: dict[str, Any]


@dataclass
class Section:
    number: int | None
    heading: list[Any]
    items: list[Any] = field(default_factory=list)


@dataclass
class Parsed:
    sections: list[Section] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    fields: dict[str, Ref] = field(default_factory=dict)
    blocks: dict[str, BlockRef] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _split_args(text: str) -> tuple[str, dict[str, str], list[str]]:
    words = text.split()
    if not words:
        return "", {}, [_("an empty name")]
    name, raw, problems = words[0], {}, []
    for word in words[1:]:
        key, sep, value = word.partition("=")
        if not sep or not key or not value:
            problems.append(
                _("%(name)s: %(word)s is not an argument (write name=value)") % {"name": name, "word": word}
            )
        elif key in raw:
            problems.append(_("%(name)s: %(arg)s is given twice") % {"name": name, "arg": key})
        else:
            raw[key] = value
    return name, raw, problems


def _key(name: str, raw: dict[str, str]) -> str:
    return " ".join([name, *(f"{k}={raw[k]}" for k in sorted(raw) if k not in DISPLAY)])


class _Parser:
    def __init__(self) -> None:
        self.out = Parsed()
        self.line = 0

    def error(self, message: str) -> None:
        self.out.errors.append(_("line %(line)s: %(message)s") % {"line": self.line, "message": message})

    def field_ref(self, text: str) -> Ref | None:
        name, raw, problems = _split_args(text)
        live = FIELDS.get(name)
        if live is None:
            self.error(
                _("unknown field “%(name)s” in {{%(text)s}}; the fields are %(known)s")
                % {"name": name, "text": text, "known": ", ".join(FIELDS)}
            )
            return None
        args, more = check_args(live, raw)
        for problem in problems + more:
            self.error(problem)
        if problems or more:
            return None
        ref = Ref(name, _key(name, raw), args)
        self.out.fields[ref.key] = Ref(name, ref.key, {k: v for k, v in args.items() if k not in DISPLAY})
        return ref

    def inline(self, text: str, *, footnotes: bool = True) -> list[Any]:
        parts: list[Any] = []
        position = 0
        pattern = re.compile(f"{FIELD.pattern}|{FOOTNOTE.pattern}" if footnotes else FIELD.pattern)
        for match in pattern.finditer(text):
            if match.start() > position:
                parts.append(text[position : match.start()])
            if match.group(1) is not None:
                ref = self.field_ref(match.group(1).strip())
                parts.append(ref if ref is not None else match.group(0))
            else:
                note = Footnote(
                    len(self.out.footnotes) + 1, self.inline(match.group(2).strip(), footnotes=False)
                )
                self.out.footnotes.append(note)
                parts.append(note)
            position = match.end()
        if position < len(text):
            parts.append(text[position:])
        if "{{" in FIELD.sub("", text) or "}}" in FIELD.sub("", text):
            self.error(_("an unclosed {{ or a stray }}"))
        return parts

    def block(self, text: str) -> BlockRef | None:
        name, raw, problems = _split_args(text)
        kind = BLOCKS.get(name)
        if kind is None:
            self.error(
                _("unknown block “%(name)s” in [[%(text)s]]; the blocks are %(known)s")
                % {"name": name, "text": text, "known": ", ".join(BLOCKS)}
            )
            return None
        args, more = check_args(kind.as_field(), raw)
        for problem in problems + more:
            self.error(problem)
        if problems or more:
            return None
        ref = BlockRef(name, _key(name, raw), args)
        self.out.blocks[ref.key] = ref
        return ref

    def body(self, text: str) -> Parsed:
        section = Section(None, [])
        self.out.sections.append(section)
        paragraph: Paragraph | None = None
        buffer: list[str] = []
        numbered = 0
        started = 0

        def flush() -> None:
            nonlocal paragraph, buffer
            if paragraph is not None:
                current, self.line = self.line, started  # errors name the paragraph's first line
                paragraph.parts = self.inline(" ".join(buffer))
                self.line = current
                section.items.append(paragraph)
            paragraph, buffer = None, []

        for self.line, raw_line in enumerate(text.splitlines(), start=1):
            line = raw_line.strip()
            if not line:
                flush()
                continue
            if line.startswith("# "):
                flush()
                numbered += 1
                section = Section(numbered, self.inline(line[2:].strip(), footnotes=False))
                self.out.sections.append(section)
                continue
            block = BLOCK.match(line)
            if block:
                flush()
                ref = self.block(block.group(1).strip())
                if ref is not None:
                    section.items.append(ref)
                continue
            if line[:2] in ("- ", "* "):
                flush()
                paragraph = Paragraph("dash" if line[0] == "-" else "bullet", [])
                buffer, started = [line[2:].strip()], self.line
                continue
            if paragraph is None:
                paragraph, started = Paragraph("p", []), self.line
            buffer.append(line)
        flush()
        self.out.sections = [s for s in self.out.sections if s.number is not None or s.items]
        return self.out


def parse_body(text: str) -> Parsed:
    return _Parser().body(text)


def parse_inline(text: str) -> Parsed:
    """A plain text with live figures (purpose, action required): one paragraph per line."""
    parser = _Parser()
    section = Section(None, [])
    for parser.line, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            section.items.append(Paragraph("p", parser.inline(line.strip(), footnotes=False)))
    parser.out.sections = [section]
    return parser.out


@dataclass
class Reference:
    text: str
    url: str


def parse_references(text: str) -> tuple[list[Reference], list[str]]:
    references, errors = [], []
    check = URLValidator(schemes=["http", "https"])
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label, _sep, url = line.partition("|")
        url = url.strip()
        if url and not url.startswith("/"):
            try:
                check(url)
            except ValidationError:
                errors.append(
                    _("line %(line)s: %(url)s is not an http(s) link") % {"line": number, "url": url}
                )
                continue
        references.append(Reference(label.strip(), url))
    return references, errors


TEXT_FIELDS = ("purpose", "action_required", "references", "body")


def validate(data: dict[str, str]) -> None:
    """ValidationError naming each text field whose markup is wrong (and, in the message, the figure)."""
    errors: dict[str, list[str]] = {}
    for name in ("purpose", "action_required"):
        if name in data:
            problems = parse_inline(data[name]).errors
            if problems:
                errors[name] = problems
    if "references" in data:
        problems = parse_references(data["references"])[1]
        if problems:
            errors["references"] = problems
    if "body" in data:
        problems = parse_body(data["body"]).errors
        if problems:
            errors["body"] = problems
    if errors:
        raise ValidationError(errors)


def all_refs(version: Any) -> tuple[dict[str, Ref], dict[str, BlockRef]]:
    """Every live figure and block a version's texts hold, by key."""
    fields: dict[str, Ref] = {}
    for name in ("purpose", "action_required"):
        fields.update(parse_inline(getattr(version, name)).fields)
    body = parse_body(version.body)
    fields.update(body.fields)
    return fields, body.blocks
