"""A record type's plain services, written once: the fields it takes, the access check, the tracked write.

An app's `<thing>_create`, `<thing>_update` and `<thing>_delete` (each `@transaction.atomic`) call
these when they add nothing but their own rules, run by `rules` after the access check and before the
write: refusing a change, or checking a move to another office.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from presence.core.models import TrackedModel
from presence.core.services import Actor, only_fields, tracked_create, tracked_delete, tracked_update
from presence.org.access import Action, check

M = TypeVar("M", bound=TrackedModel)


def checked_create(
    model: type[M],
    *,
    actor: Actor,
    data: dict[str, Any],
    fields: Iterable[str],
    draft: Callable[[], M] | None = None,
) -> M:
    """Refuse a field the service does not take, check that `actor` may add the record (`draft()`, by
    default the record the data describes), then create it."""
    only_fields(data, fields)
    check(actor, Action.ADD, draft() if draft is not None else model(**data))
    return tracked_create(model=model, actor=actor, data=data)


def checked_update(
    record: M,
    *,
    actor: Actor,
    data: dict[str, Any],
    fields: Iterable[str],
    expected_version: int | None,
    rules: Callable[[], None] | None = None,
) -> M:
    """Refuse a field the service does not take, check that `actor` may change the record, run
    `rules`, then update it if it is still at `expected_version`."""
    only_fields(data, fields)
    check(actor, Action.CHANGE, record)
    if rules is not None:
        rules()
    return tracked_update(instance=record, actor=actor, data=data, expected_version=expected_version)


def checked_delete(
    record: TrackedModel,
    *,
    actor: Actor,
    expected_version: int | None,
    rules: Callable[[], None] | None = None,
) -> None:
    """Check that `actor` may delete the record, run `rules`, then delete it if it is still at
    `expected_version`."""
    check(actor, Action.DELETE, record)
    if rules is not None:
        rules()
    tracked_delete(instance=record, actor=actor, expected_version=expected_version)
