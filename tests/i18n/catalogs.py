"""A small reader for the project's .po files, enough to check placeholders and completeness."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parents[2] / "src" / "presence" / "locale"
LANGUAGES = ("fr", "es", "ar", "ru", "zh_Hans")
# Named (%(name)s), positional (%s, %d) and template ({{ name }}) placeholders; "%%" is a literal "%".
PLACEHOLDER = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[sdifrgeExXo]|%[sdifr]|\{\{\s*[\w.]+\s*\}\}"
)
KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values()) and "fuzzy" not in self.flags


def _string(literal: str) -> str:
    value = ast.literal_eval(literal)
    assert isinstance(value, str)
    return value


def parse(path: Path) -> list[Entry]:
    """Entries of a .po file (the header, with an empty msgid, included); obsolete "#~" entries skipped."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int] = ("msgid", 0)
    started = False

    def flush() -> None:
        nonlocal current, started
        if started:
            entries.append(current)
        current, started = Entry(), False

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#"):
            if started:
                flush()
            if line.startswith("#,"):
                current.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#:"):
                current.references += line[2:].split()
        elif match := KEYWORD.match(line):
            keyword, index, literal = match.groups()
            if not started:
                current.line, started = number, True
            value = _string(literal)
            if keyword == "msgctxt":
                current.msgctxt, target = value, ("msgctxt", 0)
            elif keyword == "msgid":
                current.msgid, target = value, ("msgid", 0)
            elif keyword == "msgid_plural":
                current.msgid_plural, target = value, ("msgid_plural", 0)
            else:
                position = int(index) if index is not None else 0
                current.msgstr[position], target = value, ("msgstr", position)
        elif line.startswith('"'):
            value = _string(line)
            name, position = target
            if name == "msgstr":
                current.msgstr[position] += value
            else:
                setattr(current, name, (getattr(current, name) or "") + value)
        else:
            raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    flush()
    return entries


def placeholders(text: str) -> set[str]:
    return {re.sub(r"\s+", "", token) for token in PLACEHOLDER.findall(text.replace("%%", ""))}


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
