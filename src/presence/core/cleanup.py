"""`presence cleanup`: delete what uploads left behind once the retention period has passed.

An app's AppConfig may define `cleanup(now, *, older_than, dry_run) -> list[str]`, which deletes
(or with `dry_run` only lists) its own expired files and records and returns one line per thing
done; interchange uses it for refused, failed and unconfirmed import jobs and for jobs whose worker
died. Then every file in the default storage that no FileField of any model refers to and that is
older than the period is deleted: a file stored by an upload whose transaction was rolled back, say
a refused evidence file. The period is `UPLOAD_RETENTION_DAYS` (environment, default 7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.apps import apps
from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.db import models
from django.utils import timezone


def run(*, now: dt.datetime | None = None, dry_run: bool = False) -> list[str]:
    """Run every app's cleanup, then remove the orphaned files; the lines say what was (or would be) done."""
    now = now or timezone.now()
    older_than = now - dt.timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    lines: list[str] = []
    for config in apps.get_app_configs():
        provider = getattr(config, "cleanup", None)
        if provider is not None:
            lines.extend(provider(now, older_than=older_than, dry_run=dry_run))
    for name in orphaned_files(older_than=older_than):
        if not dry_run:
            default_storage.delete(name)
        lines.append(f"orphaned file {name}")
    return lines


def referenced_files() -> set[str]:
    """The names of every file a FileField of any model refers to."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and not field.many_to_many:
                names.update(
                    name
                    for name in model._default_manager.exclude(**{field.name: ""}).values_list(
                        field.name, flat=True
                    )
                    if name
                )
    return names


def orphaned_files(*, older_than: dt.datetime, storage: Storage = default_storage) -> list[str]:
    """Files in the storage that no record refers to, last changed before `older_than`."""
    referenced = referenced_files()
    found = []
    for name in _walk(storage, ""):
        if name in referenced:
            continue
        try:
            changed = storage.get_modified_time(name)
        except (NotImplementedError, OSError):
            continue
        if timezone.is_naive(changed):
            changed = timezone.make_aware(changed)
        if changed < older_than:
            found.append(name)
    return sorted(found)


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)
