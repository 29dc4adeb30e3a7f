"""Grow the demo data: copies of the records every dashboard section counts, to compare query counts."""

from __future__ import annotations

import copy

from django.db import models

from presence.engagement.models import Event, Opportunity
from presence.portfolio.models import Funding, Project, ReportingObligation
from presence.resilience.models import Finding, Installation
from presence.results.models import Activity
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
)


def _unique_text_fields(model: type[models.Model]) -> set[str]:
    names = {f.name for f in model._meta.concrete_fields if f.unique and not f.primary_key}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names.update(constraint.fields)
    return {n for n in names if isinstance(model._meta.get_field(n), models.CharField)}


def grow(*, times: int) -> None:
    """Add `times` copies of every record of the grown models (unique codes get a suffix)."""
    for model in GROWN:
        originals = list(model._default_manager.all())
        text_fields = _unique_text_fields(model)
        copies = []
        for number in range(times):
            for original in originals:
                clone = copy.copy(original)
                clone.pk = None
                for name in text_fields:
                    value = getattr(original, name)
                    limit = model._meta.get_field(name).max_length or 20
                    setattr(clone, name, f"{value}"[: limit - 3] + f"~{number:02d}")
                copies.append(clone)
        model._default_manager.bulk_create(copies)
