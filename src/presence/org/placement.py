"""Where a record may sit: the rules that tie a record's office to its region.

Every record that names both a region and an office (a project and its lead office, an activity and
its responsible office, an event and its organising office, ...) follows one rule:

- an office in a geographic region works for that region: the records it leads are in its region, or
  multi-regional (a region that is not geographic, MUL);
- headquarters belongs to no region and may lead records in any region (Europe's projects and most
  multi-regional ones are run from headquarters);
- a record without a region or without an office has nothing to match.

`office_region_problem` states the rule; `validate_placement` applies it to any record whose model
declares its region and office as its own fields, raising the error on the office field. Models call
`validate_placement` from `clean()`, so every write through `tracked_create`/`tracked_update` is held
to it; importers that check rows before writing them call the same functions.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from presence.org.models import Office, Region


def office_region_problem(region: Region | None, office: Office | None) -> str | None:
    """Why `office` may not lead a record of `region`, or None when it may."""
    if region is None or office is None or office.region_id is None:
        return None
    if office.region_id == region.pk or not region.is_geographic:
        return None
    return _(
        "%(office)s is in %(office_region)s: it leads records of %(office_region)s or multi-regional "
        "ones, not of %(region)s. Choose an office of %(region)s or headquarters."
    ) % {"office": office, "office_region": office.region, "region": region}


def _related(record: models.Model, name: str) -> models.Model | None:
    """The object behind a foreign key of `record`, or None when it is empty."""
    if getattr(record, f"{name}_id", None) is None:
        return None
    value: models.Model | None = getattr(record, name)
    return value


def placement_fields(model: type[models.Model]) -> tuple[str, str] | None:
    """(region field, office field) when the model holds both itself, else None (nothing to match)."""
    scope = getattr(model, "scope", None)
    if scope is None or not scope.region or not scope.office:
        return None
    if "__" in scope.region or "__" in scope.office or "pk" in (scope.region, scope.office):
        return None
    return scope.region, scope.office


def placement_problem(record: models.Model) -> tuple[str, str] | None:
    """(office field, message) when the record's office may not lead a record of its region."""
    fields = placement_fields(type(record))
    if fields is None:
        return None
    region_field, office_field = fields
    region = _related(record, region_field)
    office = _related(record, office_field)
    problem = office_region_problem(
        region if isinstance(region, Region) else None, office if isinstance(office, Office) else None
    )
    return None if problem is None else (office_field, problem)


def validate_placement(record: models.Model) -> None:
    """ValidationError on the office field when the record's office does not belong to its region."""
    problem = placement_problem(record)
    if problem is not None:
        raise ValidationError({problem[0]: problem[1]})
