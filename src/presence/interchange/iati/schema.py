"""The IATI 2.03 activity schema: each activity of an import is checked against it as it streams.

The schema files (`iati-activities-schema.xsd` with `iati-common.xsd` and `xml.xsd`) are not shipped
with the project: `settings.IATI_SCHEMA_DIR` names their folder (by default `shared/iati/schema-2.03`
beside the project). They are parsed once per process, without network access. `iati-activity` is a
global element of the schema, so one activity element is validated on its own while the next one is
still being read, and the faults keep the line numbers of the file.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

ACTIVITY_SCHEMA = "iati-activities-schema.xsd"


@dataclass(frozen=True)
class SchemaFault:
    """One place where an activity does not follow the schema: the line, the element, what is wrong."""

    line: int
    element: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)d, <%(element)s>: %(message)s") % {
            "line": self.line,
            "element": self.element,
            "message": self.message,
        }


@functools.cache
def _load(path: str) -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(path, parser))


def activity_schema() -> etree.XMLSchema | None:
    """The 2.03 activity schema, or None when its files are not where `IATI_SCHEMA_DIR` says."""
    path = Path(settings.IATI_SCHEMA_DIR) / ACTIVITY_SCHEMA
    if not path.is_file():
        return None
    return _load(str(path))


def _element(error: etree._LogEntry) -> str:
    """The local name of the element a fault is about, from its path (`/iati-activity/sector[2]`)."""
    step = (error.path or "").rstrip("/").rsplit("/", 1)[-1]
    name = step.split("[", 1)[0]
    return name or "iati-activity"


def activity_faults(schema: etree.XMLSchema, activity: etree._Element) -> list[SchemaFault]:
    """Every fault the schema finds in one <iati-activity> element (empty when it is valid)."""
    if schema.validate(activity):
        return []
    return [
        SchemaFault(
            line=error.line or activity.sourceline or 0, element=_element(error), message=error.message
        )
        for error in schema.error_log
    ]
