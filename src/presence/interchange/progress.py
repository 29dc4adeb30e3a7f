"""Live job progress, visible to every app server while the import's transaction is still open.

An IATI import (or a spreadsheet apply) runs in one database transaction, so figures written to the
Job row through that transaction's connection would stay invisible to every other connection until
the import commits. A running job therefore reports through a channel outside that transaction:

- **PostgreSQL** (production): the `progress` database alias (`settings.PROGRESS_DATABASE`), a second
  connection to the same database in autocommit. Each report updates the Job row's `progress`,
  `total` and `heartbeat_at` and is committed at once, so any app server reading the row sees it,
  wherever the job runs (`presence db_worker` on another machine). The update skips a row another
  transaction holds locked instead of waiting for it.
- **SQLite** (one machine: development and the demo) admits one writer at a time, and the import
  holds it; there the figures go to Django's default cache (`job-progress:<id>`) and `read_progress`
  takes them back. The default cache is per process: with `presence db_worker` on SQLite, the page
  shows the figures when the job ends unless a shared cache is configured.

Reports are written at most every `INTERVAL` seconds (always the first and one reaching the total);
the Job row receives the final figures when the job ends. Progress is only shown: a failed report is
logged and never stops the job.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from presence.interchange.models import Job

INTERVAL = 0.5  # seconds between two written reports
CACHE_TIMEOUT = 24 * 3600

logger = logging.getLogger(__name__)


def progress_database() -> str:
    """The database alias live progress is written through, or "" when it goes to the cache."""
    return str(getattr(settings, "PROGRESS_DATABASE", "") or "")


def cache_key(job_id: int) -> str:
    return f"presence:job-progress:{job_id}"


def read_progress(job_id: int) -> tuple[int, int | None] | None:
    """The (progress, total) a running job last reported through the cache, or None.

    Through the database alias the figures are on the Job row itself, so there is nothing to add.
    """
    if progress_database():
        return None
    data = cache.get(cache_key(job_id))
    try:
        done, total = data
        return int(done), None if total is None else int(total)
    except (TypeError, ValueError):
        return None


def with_live_progress(job: Job) -> Job:
    """While the job runs, its progress and total from where it reports them (read once per instance)."""
    if job.is_active and not getattr(job, "_live_read", False):
        live = read_progress(job.pk)
        if live is not None:
            job.progress, job.total = live
        job._live_read = True  # type: ignore[attr-defined]
    return job


def remove_progress(job_id: int) -> None:
    if not progress_database():
        cache.delete(cache_key(job_id))


def write_progress(job_id: int, done: int, total: int | None) -> None:
    """Publish a running job's figures outside any open transaction of the default connection."""
    alias = progress_database()
    if not alias:
        cache.set(cache_key(job_id), (done, total), CACHE_TIMEOUT)
        return
    with transaction.atomic(using=alias):
        free = list(
            Job.objects.using(alias)
            .select_for_update(skip_locked=True)
            .filter(pk=job_id)
            .values_list("pk", flat=True)
        )
        if free:
            Job.objects.using(alias).filter(pk=job_id).update(
                progress=done, total=total, heartbeat_at=timezone.now()
            )


class ProgressReporter:
    """The progress reporter of one running job: `report(done, total)` publishes its figures.

    Writes are throttled to one every `interval` seconds, except the first report and one that
    reaches the total; `last` keeps the latest figures reported (written or not), so the job can
    store them on its row when it ends.
    """

    def __init__(
        self, job_id: int, *, interval: float = INTERVAL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.job_id = job_id
        self.interval = interval
        self.clock = clock
        self.last: tuple[int, int | None] = (0, None)
        self._written_at: float | None = None
        self._warned = False

    def __call__(self, done: int, total: int) -> None:
        self.report(done, total)

    def report(self, done: int, total: int | None) -> None:
        self.last = (done, total)
        now = self.clock()
        finished = total is not None and done >= total
        if self._written_at is not None and now - self._written_at < self.interval and not finished:
            return
        try:
            write_progress(self.job_id, done, total)
        except Exception:  # progress is only shown; a failed report must never stop the job
            if not self._warned:
                logger.warning("Could not publish the progress of job %s", self.job_id, exc_info=True)
                self._warned = True
            return
        self._written_at = now

    def remove(self) -> None:
        remove_progress(self.job_id)
