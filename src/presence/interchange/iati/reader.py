"""Streaming, safe reading of iati-activities files in one pass: one activity element at a time.

The safety checks need no pass of their own. A document type or entity declaration can only stand in
the prologue, before the root element, so `check_prologue` reads just those bytes; the root element
and its version are checked when the first element arrives; nesting deeper than MAX_DEPTH is checked
per activity (an XPath evaluated in C). A file that turns out malformed later (truncated, broken
markup) raises FileRefused from the middle of the stream: the importer runs the whole file in one
transaction, so nothing it wrote before is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

from presence.interchange.iati.safety import MAX_DEPTH, FileRefused, check_prologue

ROOT = "iati-activities"
ACTIVITY = "iati-activity"
SUPPORTED_VERSIONS = ("2.01", "2.02", "2.03")
# True when an element of an activity (depth 2) sits deeper than MAX_DEPTH: evaluated in C by libxml2.
_TOO_DEEP = etree.XPath("boolean(" + "/".join(["*"] * (MAX_DEPTH - 1)) + ")")
_CHUNK = 1024 * 1024


def _iterparse(path: Path, **options: Any) -> etree.iterparse:
    return etree.iterparse(
        str(path),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        **options,
    )


def _local(tag: object) -> str:
    return tag if isinstance(tag, str) else ""


def _syntax(error: etree.XMLSyntaxError) -> FileRefused:
    line = getattr(error, "lineno", 0) or 0
    return FileRefused(
        _("The file is not well-formed XML (line %(line)d: %(message)s); nothing was imported.")
        % {"line": line, "message": error.msg or str(error)}
    )


def _check_root(root: etree._Element | None) -> str:
    """The version of the root element; FileRefused for a document type or another root element."""
    if root is None:
        raise FileRefused(_("The file is empty; nothing was imported."))
    if root.getroottree().docinfo.doctype:
        raise FileRefused(_("The file declares a document type; it was refused."))
    if root.tag != ROOT:
        raise FileRefused(
            _("The root element is <%(tag)s>; an IATI activity file starts with <%(root)s>.")
            % {"tag": _local(root.tag), "root": ROOT}
        )
    return str(root.get("version", ""))


def _stream(path: Path) -> Iterator[tuple[int, etree._Element]]:
    """(line, activity element); the element is cleared once the caller moves on.

    libxml2 filters the `iati-activity` elements (no Python work per inner element), which keeps this
    close to a bare parse. Each activity is cleared and its predecessors (activities and top-level
    extension elements) deleted, so memory does not depend on the file size.
    """
    check_prologue(path)
    context = _iterparse(path, events=("end",), tag=ACTIVITY)
    checked = False
    too_deep = _TOO_DEEP
    try:
        for _event, element in context:
            parent = element.getparent()
            if not checked:
                root = element.getroottree().getroot()
                _check_root(root)
                checked = True
            if parent is None or parent.getparent() is not None:
                continue  # an iati-activity nested in something else is not an activity of the file
            if too_deep(element):
                raise FileRefused(
                    _(
                        "Elements nest more than %(depth)d levels deep in the activity at line %(line)d; "
                        "the file was refused."
                    )
                    % {"depth": MAX_DEPTH, "line": element.sourceline or 0}
                )
            yield element.sourceline or 0, element
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as error:
        raise _syntax(error) from error
    if not checked:
        _check_root(context.root)


def activities(path: Path) -> Iterator[tuple[int, etree._Element]]:
    """Each <iati-activity> with its line number, parsed one at a time, in a single pass.

    FileRefused before the first activity for an unsafe prologue or the wrong root element, and from
    wherever the problem is found for a malformed file or too deep nesting.
    """
    return _stream(path)


def estimate(path: Path) -> int:
    """About how many activities the file holds, for a progress bar: a byte count, not a parse."""
    needle = b"<" + ACTIVITY.encode()  # "<iati-activities" does not contain it
    count = 0
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            block = tail + chunk
            count += block.count(needle)
            tail = block[-(len(needle) - 1) :]  # a tag cut by the chunk boundary; too short to count twice
    return count


def plain_parse_count(path: Path) -> int:
    """The speed limit for the benchmark: a bare streaming parse that clears each activity."""
    count = 0
    for _event, element in etree.iterparse(str(path), events=("end",), tag=ACTIVITY):
        count += 1
        element.clear(keep_tail=False)
        while element.getprevious() is not None:
            del element.getparent()[0]
    return count
