"""Refusal of unsafe or malformed XML before anything is written (XXE, entity bombs, deep nesting)."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils.translation import gettext as _

# No IATI element nests deeper than about 10; anything far beyond is an attack or a broken file.
MAX_DEPTH = 64
PROLOGUE_LIMIT = 1024 * 1024
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_COMMENT_OR_PI = re.compile(rb"<!--.*?-->|<\?.*?\?>", re.DOTALL)


class FileRefused(Exception):
    """The file as a whole cannot be imported: not XML, unsafe, truncated or the wrong root element."""


def check_prologue(path: Path) -> None:
    """Refuse a document type or entity declaration before the root element (the XXE and bomb vectors).

    libxml2 is also told never to load DTDs, resolve entities or touch the network; this check makes
    the refusal explicit and comes before any parsing or writing.
    """
    with path.open("rb") as handle:
        head = handle.read(PROLOGUE_LIMIT)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    stripped = _COMMENT_OR_PI.sub(b"", head)
    match = _DECLARATION.search(stripped)
    root = re.search(rb"<[A-Za-z_]", stripped)
    if match and (root is None or match.start() < root.start()):
        raise FileRefused(
            _(
                "The file declares a document type or entities (<!%(kind)s>). IATI files need neither, and "
                "declarations are how external-entity (XXE) and entity-expansion attacks work, so the file "
                "was refused and nothing was imported."
            )
            % {"kind": match.group(1).decode().upper()}
        )
