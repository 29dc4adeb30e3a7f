"""A version's figures and blocks: computed live from the records, or read from what approval froze.

Figures of a Council document are computed as the organization sees its records (every region, as
the `presence report` command does), whoever reads the document: it reports aggregates, and the same
document must show every reader the same numbers. Each figure links to the list page behind it,
where the reader's own access applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from presence.council.blocks import BLOCKS
from presence.council.fields import FIELDS, Live
from presence.council.markup import all_refs


def document_reader() -> Any:
    """The reader figures are computed for: all records (an unsaved superuser, as on the command line)."""
    return get_user_model()(is_superuser=True, is_active=True)


@dataclass
class FigureSet:
    """The values a version shows, by key; `frozen` when read from an approved version."""

    computed_at: str
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    blocks: dict[str, dict[str, Any]] = field(default_factory=dict)
    frozen: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"computed_at": self.computed_at, "fields": self.fields, "blocks": self.blocks}


def compute(version: Any, live: Live | None = None) -> FigureSet:
    """Every figure and block of the version's texts, computed now from the records."""
    live = live or Live(document_reader())
    refs, blocks = all_refs(version)
    result = FigureSet(computed_at=timezone.now().isoformat())
    for key, ref in refs.items():
        result.fields[key] = FIELDS[ref.name].compute(live, ref.args)
    for key, block in blocks.items():
        result.blocks[key] = BLOCKS[block.kind].compute(live, block.args)
    return result


def figures_of(version: Any, live: Live | None = None) -> FigureSet:
    """What the version shows: its frozen figures once approved, else the live ones."""
    if version.frozen:
        stored = version.frozen
        return FigureSet(stored["computed_at"], dict(stored["fields"]), dict(stored["blocks"]), frozen=True)
    return compute(version, live)


@dataclass
class Change:
    key: str
    before: str | None
    after: str | None
    unit: str


def changes(current: FigureSet, previous: FigureSet | None) -> dict[str, Change]:
    """Figures whose value differs from the previous set (figures new to the text are not changes)."""
    if previous is None:
        return {}
    found = {}
    for key, figure in current.fields.items():
        old = previous.fields.get(key)
        if old is not None and old.get("value") != figure.get("value"):
            found[key] = Change(key, old.get("value"), figure.get("value"), figure.get("unit", ""))
    return found
