"""Copies of a set of models' records, for `presence demo --scale N` (benchmarks at N times the demo).

Copy number `n` (2..N; the records already there are copy 1) clones every record of the given models
once, in foreign-key order, so each copy is a coherent replica of the originals: a clone's foreign keys
point at the clones of the same copy when the target model is copied too, and at the original
otherwise (regions, countries, funding sources, reporting periods, templates, people). Unique text
fields get the suffix `-n`. A record is not copied when a clone could only repeat one of its unique
combinations (nothing in it changes from copy to copy, e.g. a record of an office that is not copied),
and neither are the records that depend on it. Many-to-many links of a copied record are copied with
it. Writes are bulk inserts in batches, one transaction per copy: no audit entries, no versions
bumped, as for demo data.

The module knows no domain app: callers pass the models (by label) and, per model, an optional hook
that adjusts each clone (e.g. to place a new office in another country of its region).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models, transaction

from presence.core import figures

BATCH = 500

# hook(clone, original, copy number): adjust a clone before it is written.
Hook = Callable[[Any, Any, int], None]


def suffixed(value: str, number: int, max_length: int | None) -> str:
    """`value-number`, shortened so it fits `max_length`."""
    suffix = f"-{number}"
    limit = (max_length or len(value) + len(suffix)) - len(suffix)
    return f"{value[:limit]}{suffix}"


def in_dependency_order(model_list: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    """The models ordered so that every model comes after the copied models it refers to."""
    pending = list(model_list)
    chosen = set(pending)
    ordered: list[type[models.Model]] = []
    while pending:
        for model in pending:
            targets = {
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model in chosen and f.related_model is not model
            }
            if targets <= set(ordered):
                ordered.append(model)
                pending.remove(model)
                break
        else:
            names = ", ".join(m._meta.label for m in pending)
            raise ValueError(f"Cannot order the copied models (a cycle of foreign keys): {names}")
    return ordered


def _unique_sets(model: type[models.Model]) -> list[tuple[str, ...]]:
    sets: list[tuple[str, ...]] = [
        (f.name,) for f in model._meta.concrete_fields if f.unique and not f.primary_key
    ]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            sets.append(tuple(constraint.fields))
    sets += [tuple(together) for together in model._meta.unique_together]
    return sets


@dataclass
class _Plan:
    model: type[models.Model]
    originals: list[models.Model]
    fields: list[models.Field[Any, Any]]
    attnames: dict[str, str]
    # Per unique combination, the text field a copy's suffix goes in when nothing else in it changes.
    suffixable: dict[tuple[str, ...], models.CharField[Any, Any]]
    relations: list[tuple[models.Field[Any, Any], int]]  # copied foreign keys and their positions
    concrete_attnames: list[str]
    pk_position: int
    unique_sets: list[tuple[str, ...]]
    many_to_many: list[models.ManyToManyField[Any, Any]]
    links: dict[str, dict[int, list[int]]] = field(default_factory=dict)


def _plan(model: type[models.Model], copied: set[type[models.Model]]) -> _Plan:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    suffixable = {}
    for names in _unique_sets(model):
        texts = [
            f
            for f in fields
            if f.name in names and isinstance(f, models.CharField) and not f.is_relation and not f.choices
        ]
        if texts:
            suffixable[names] = texts[0]
    concrete = list(model._meta.concrete_fields)
    relations = [(f, i) for i, f in enumerate(concrete) if f.is_relation and f.related_model in copied]
    plan = _Plan(
        model=model,
        originals=list(model._base_manager.order_by("pk")),
        fields=fields,
        attnames={f.name: f.attname for f in fields},
        suffixable=suffixable,
        relations=relations,
        concrete_attnames=[f.attname for f in concrete],
        pk_position=concrete.index(model._meta.pk),
        unique_sets=_unique_sets(model),
        many_to_many=[f for f in model._meta.local_many_to_many if f.remote_field.through._meta.auto_created],  # type: ignore[union-attr]
    )
    for m2m in plan.many_to_many:
        through = m2m.remote_field.through
        source, target = m2m.m2m_column_name(), m2m.m2m_reverse_name()
        links: dict[int, list[int]] = {}
        for source_id, target_id in through._default_manager.values_list(source, target):  # type: ignore[union-attr]
            links.setdefault(source_id, []).append(target_id)
        plan.links[m2m.name] = links
    return plan


def _clone(
    plan: _Plan,
    original: models.Model,
    number: int,
    clones_of: dict[type[models.Model], dict[int, int]],
    hook: Hook | None,
) -> models.Model | None:
    # Positional arguments in the order of the concrete fields: the fast path of Model.__init__.
    values = [getattr(original, attname) for attname in plan.concrete_attnames]
    values[plan.pk_position] = None
    changed: set[str] = set()
    for relation, position in plan.relations:
        target_id = values[position]
        if target_id is None:
            continue
        mapped = clones_of[relation.related_model].get(target_id)  # type: ignore[index]
        if mapped is None:
            return None  # what it depends on was not copied
        if mapped != target_id:
            values[position] = mapped
            changed.add(relation.name)
    clone = plan.model(*values)
    if hook is not None:
        hook(clone, original, number)
        changed.update(
            field.name
            for field, value in zip(plan.model._meta.concrete_fields, values, strict=True)
            if not field.primary_key and getattr(clone, field.attname) != value
        )
    for names in plan.unique_sets:
        if changed.intersection(names):
            continue
        text = plan.suffixable.get(names)
        if text is not None and getattr(clone, text.attname):
            setattr(clone, text.attname, suffixed(getattr(clone, text.attname), number, text.max_length))
            changed.add(text.name)
    if any(
        not changed.intersection(names) and all(getattr(clone, plan.attnames[n]) is not None for n in names)
        for names in plan.unique_sets
    ):
        return None  # it would repeat one of the original's unique combinations
    return clone


def build_copies(
    labels: Sequence[str],
    numbers: Iterable[int],
    *,
    hooks: dict[str, Hook] | None = None,
    keep: Callable[[Any], bool] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write copies `numbers` of the records of the models `labels`; rows written per model label.

    `keep(record)` names originals that are not copied but that copies may still point at (e.g. the
    headquarters among the offices): a clone refers to them unchanged.
    """
    hooks = hooks or {}
    ordered = in_dependency_order(apps.get_model(label) for label in labels)
    copied = set(ordered)
    plans = [_plan(model, copied) for model in ordered]
    kept: dict[type[models.Model], set[int]] = {}
    for plan in plans:
        if keep is not None:
            kept[plan.model] = {o.pk for o in plan.originals if keep(o)}
            plan.originals = [o for o in plan.originals if o.pk not in kept[plan.model]]
    written: dict[str, int] = dict.fromkeys((m._meta.label for m in ordered), 0)
    for number in numbers:
        with transaction.atomic():
            clones_of: dict[type[models.Model], dict[int, int]] = {}
            for plan in plans:
                mapping = {pk: pk for pk in kept.get(plan.model, ())}
                pairs = []
                for original in plan.originals:
                    clone = _clone(plan, original, number, clones_of, hooks.get(plan.model._meta.label))
                    if clone is not None:
                        pairs.append((original, clone))
                plan.model._base_manager.bulk_create([clone for _o, clone in pairs], batch_size=BATCH)
                mapping.update((original.pk, clone.pk) for original, clone in pairs)
                clones_of[plan.model] = mapping
                written[plan.model._meta.label] += len(pairs)
                for m2m in plan.many_to_many:
                    _copy_links(m2m, plan.links[m2m.name], mapping, clones_of, kept)
            figures.bump()
            if progress is not None:
                progress(f"copy {number} of the demo written")
    return written


def _copy_links(
    m2m: models.ManyToManyField[Any, Any],
    links: dict[int, list[int]],
    mapping: dict[int, int],
    clones_of: dict[type[models.Model], dict[int, int]],
    kept: dict[type[models.Model], set[int]],
) -> None:
    through: Any = m2m.remote_field.through
    source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
    target_map = clones_of.get(m2m.related_model)
    rows = []
    for source_id, target_ids in links.items():
        clone_id = mapping.get(source_id)
        if clone_id is None or clone_id == source_id:
            continue
        for target_id in target_ids:
            mapped = target_id if target_map is None else target_map.get(target_id)
            if mapped is not None:
                rows.append(through(**{f"{source}_id": clone_id, f"{target}_id": mapped}))
    through._default_manager.bulk_create(rows, batch_size=BATCH)
