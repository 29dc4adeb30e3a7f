"""Refusal of unsafe or malformed XML before anything is written (XXE, entity bombs, deep nesting)."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils.translation import gettext as _

# No IATI element nests deeper than about 10; anything far beyond is an attack or a broken file.
MAX_DEPTH = 64
PROLOGUE_LIMIT = 1024 * 1024
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# What may stand before the root element besides declarations: white space, the XML declaration,
# processing instructions and comments.
_PROLOGUE_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_START = 4096


class FileRefused(Exception):
    """The file as a whole cannot be imported: not XML, unsafe, truncated or the wrong root element."""


def _utf8(head: bytes) -> bytes:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore").encode("utf-8")
    return head.removeprefix(b"\xef\xbb\xbf")


def _prologue_end(text: bytes) -> int:
    """Where the prologue's white space, XML declaration, instructions and comments end."""
    position = 0
    while match := _PROLOGUE_ITEM.match(text, position):
        position = match.end()
    return position


def check_prologue(path: Path) -> None:
    """Refuse a document type or entity declaration before the root element (the XXE and bomb vectors).

    A declaration can stand nowhere else, so only the prologue is read (usually a few hundred bytes;
    more only when long comments precede the root, up to PROLOGUE_LIMIT), not the file. libxml2 is
    also told never to load DTDs, resolve entities or touch the network, and the reader refuses a
    document type libxml2 reports; this check makes the refusal explicit and comes before any parsing.
    """
    with path.open("rb") as handle:
        head = handle.read(_START)
        while True:
            text = _utf8(head)
            position = _prologue_end(text)
            # Read on while the prologue, or a comment or instruction in it, runs past what was read.
            complete = position < len(text) and not text.startswith((b"<?", b"<!--"), position)
            if complete or len(head) >= PROLOGUE_LIMIT:
                break
            more = handle.read(len(head))
            if not more:
                break
            head += more
    found = _DECLARATION.match(text, position)
    if found is not None:
        raise FileRefused(
            _(
                "The file declares a document type or entities (<!%(kind)s>). IATI files need neither, and "
                "declarations are how external-entity (XXE) and entity-expansion attacks work, so the file "
                "was refused and nothing was imported."
            )
            % {"kind": found.group(1).decode().upper()}
        )
