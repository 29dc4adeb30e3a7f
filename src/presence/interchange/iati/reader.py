"""Streaming, safe reading of iati-activities files: one activity element at a time, memory bounded."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
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


@dataclass(frozen=True)
class FileFacts:
    version: str
    activities: int


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


def _root(path: Path) -> str:
    """The version of the root element; FileRefused for a document type or another root element."""
    try:
        for _event, element in _iterparse(path, events=("start",)):
            if element.getroottree().docinfo.doctype:
                raise FileRefused(_("The file declares a document type; it was refused."))
            if element.tag != ROOT:
                raise FileRefused(
                    _("The root element is <%(tag)s>; an IATI activity file starts with <%(root)s>.")
                    % {"tag": _local(element.tag), "root": ROOT}
                )
            return str(element.get("version", ""))
    except etree.XMLSyntaxError as error:
        raise _syntax(error) from error
    raise FileRefused(_("The file is empty; nothing was imported."))


def _stream(path: Path, *, check_depth: bool = False) -> Iterator[tuple[int, etree._Element, str]]:
    """(line, activity element, file version); the element is cleared once the caller moves on.

    libxml2 filters the `iati-activity` elements (no Python work per inner element), which keeps this
    close to a bare parse. Each activity is cleared and its predecessors (activities and top-level
    extension elements) deleted, so memory does not depend on the file size.
    """
    check_prologue(path)
    version = _root(path)
    try:
        for _event, element in _iterparse(path, events=("end",), tag=ACTIVITY):
            parent = element.getparent()
            if parent is None or parent.getparent() is not None:
                continue  # an iati-activity nested in something else is not an activity of the file
            if check_depth and _TOO_DEEP(element):
                raise FileRefused(
                    _(
                        "Elements nest more than %(depth)d levels deep in the activity at line %(line)d; "
                        "the file was refused."
                    )
                    % {"depth": MAX_DEPTH, "line": element.sourceline or 0}
                )
            yield element.sourceline or 0, element, version
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as error:
        raise _syntax(error) from error


def inspect(path: Path) -> FileFacts:
    """A full streaming pass that refuses unsafe or malformed files and counts the activities.

    Importing reads the file twice so that a truncated or unsafe file is refused before any write,
    and so that jobs know their total for the progress bar.
    """
    check_prologue(path)
    count = 0
    version = _root(path)
    for _line, _element, _version in _stream(path, check_depth=True):
        count += 1
    return FileFacts(version=version, activities=count)


def activities(path: Path) -> Iterator[tuple[int, etree._Element]]:
    """Each <iati-activity> with its line number, parsed one at a time."""
    for line, element, _version in _stream(path):
        yield line, element


def plain_parse_count(path: Path) -> int:
    """The speed limit for the benchmark: a bare streaming parse that clears each activity."""
    count = 0
    for _event, element in etree.iterparse(str(path), events=("end",), tag=ACTIVITY):
        count += 1
        element.clear(keep_tail=False)
        while element.getprevious() is not None:
            del element.getparent()[0]
    return count
