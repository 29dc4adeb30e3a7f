"""Streaming, safe reading of iati-activities files: one activity element at a time, memory bounded."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

from presence.interchange.iati.safety import MAX_DEPTH, FileRefused, check_prologue

ROOT = "iati-activities"
ACTIVITY = "iati-activity"
SUPPORTED_VERSIONS = ("2.01", "2.02", "2.03")


@dataclass(frozen=True)
class FileFacts:
    version: str
    activities: int


def _iterparse(path: Path) -> etree.iterparse:
    return etree.iterparse(
        str(path),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _local(tag: object) -> str:
    return tag if isinstance(tag, str) else ""


def _stream(path: Path) -> Iterator[tuple[int, etree._Element, str]]:
    """(line, activity element, file version); the element is cleared once the caller moves on."""
    check_prologue(path)
    depth = 0
    version = ""
    try:
        for event, element in _iterparse(path):
            if event == "start":
                depth += 1
                if depth == 1:
                    if element.getroottree().docinfo.doctype:
                        raise FileRefused(_("The file declares a document type; it was refused."))
                    if element.tag != ROOT:
                        raise FileRefused(
                            _("The root element is <%(tag)s>; an IATI activity file starts with <%(root)s>.")
                            % {"tag": _local(element.tag), "root": ROOT}
                        )
                    version = element.get("version", "")
                elif depth > MAX_DEPTH:
                    raise FileRefused(
                        _(
                            "Elements nest more than %(depth)d levels deep at line %(line)d; "
                            "the file was refused."
                        )
                        % {"depth": MAX_DEPTH, "line": element.sourceline or 0}
                    )
                continue
            depth -= 1
            if depth == 1 and element.tag == ACTIVITY:
                yield element.sourceline or 0, element, version
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
            elif depth == 1:
                # Extension elements at the top level: drop them to keep memory bounded.
                element.clear(keep_tail=False)
    except etree.XMLSyntaxError as error:
        line = getattr(error, "lineno", 0) or 0
        raise FileRefused(
            _("The file is not well-formed XML (line %(line)d: %(message)s); nothing was imported.")
            % {"line": line, "message": error.msg or str(error)}
        ) from error
    if depth != 0:
        raise FileRefused(_("The file ends before its root element closes; nothing was imported."))


def inspect(path: Path) -> FileFacts:
    """A full streaming pass that refuses unsafe or malformed files and counts the activities.

    Importing reads the file twice so that a truncated or unsafe file is refused before any write,
    and so that jobs know their total for the progress bar.
    """
    count = 0
    version = ""
    for _line, _element, file_version in _stream(path):
        count += 1
        version = file_version
    if count == 0:
        version = _root_version(path)
    return FileFacts(version=version, activities=count)


def _root_version(path: Path) -> str:
    for event, element in _iterparse(path):
        if event == "start":
            return str(element.get("version", ""))
    return ""


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
