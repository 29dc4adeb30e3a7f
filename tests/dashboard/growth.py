"""Grow the demo data: copies of the records every dashboard section counts, to compare query counts."""

from __future__ import annotations

import copy

from django.db import models

from presence.engagement.models import Event, Opportunity
from presence.portfolio.models import Funding, Project, ReportingObligation
from presence.resilience.models import Finding, Installation
from presence.results.models import Activity, QuarterlyReview
from presence.staffing.models import Post, Recruitment

GROWN = (
    Project,
    Funding,
    ReportingObligation,
    Post,
    Recruitment,
    Activity,
    Event,
    Opportunity,
    Finding,
    Installation,
    QuarterlyReview,
)
# Copies that point at the copies of these records, so unique constraints (one review per record and
# quarter) hold: field name -> the grown model it refers to.
FOLLOW = {QuarterlyReview: {"activity": Activity, "project": Project}}


def _unique_text_fields(model: type[models.Model]) -> set[str]:
    names = {f.name for f in model._meta.concrete_fields if f.unique and not f.primary_key}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names.update(constraint.fields)
    return {n for n in names if isinstance(model._meta.get_field(n), models.CharField)}


def grow(*, times: int) -> None:
    """Add `times` copies of every record of the grown models (unique codes get a suffix)."""
    copied: dict[type[models.Model], list[dict[int, models.Model]]] = {}
    for model in GROWN:
        originals = list(model._default_manager.all())
        text_fields = _unique_text_fields(model)
        copies = []
        by_number: list[dict[int, models.Model]] = []
        for number in range(times):
            clones: dict[int, models.Model] = {}
            for original in originals:
                clone = copy.copy(original)
                clone.pk = None
                for name in text_fields:
                    value = getattr(original, name)
                    limit = model._meta.get_field(name).max_length or 20
                    setattr(clone, name, f"{value}"[: limit - 3] + f"~{number:02d}")
                for name, target in FOLLOW.get(model, {}).items():
                    target_id = getattr(original, f"{name}_id")
                    if target_id is not None:
                        setattr(clone, name, copied[target][number][target_id])
                copies.append(clone)
                clones[original.pk] = clone
            by_number.append(clones)
        model._default_manager.bulk_create(copies)
        copied[model] = by_number
