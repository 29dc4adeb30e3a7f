"""Live job progress in a sidecar file, outside the database transaction of the work it reports.

An IATI import runs the whole file in one database transaction, so a progress figure written to the
Job row would stay invisible to every other connection (the job page, the API) until the import
commits. The running job writes its progress to `DATA_DIR/jobs/<id>.progress` instead: a small JSON
document replaced atomically (written to a temporary file in the same folder, then `os.replace`), at
most every `INTERVAL` seconds (and always for the first and the last figure). Readers take the
sidecar's figures while the job is running; when the job finishes the Job row receives the final
figures and the sidecar is removed. A file works the same whether the job runs inline or in
`presence db_worker`, on SQLite or PostgreSQL; the web server and the worker must share `DATA_DIR`
(they already share the uploaded files under it).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

INTERVAL = 0.5  # seconds between two writes of the sidecar


def sidecar_path(job_id: int) -> Path:
    return Path(settings.DATA_DIR) / "jobs" / f"{job_id}.progress"


def read_progress(job_id: int) -> tuple[int, int | None] | None:
    """The (progress, total) a running job last reported, or None without a readable sidecar."""
    try:
        data = json.loads(sidecar_path(job_id).read_text(encoding="utf-8"))
        done = int(data["progress"])
        total = None if data.get("total") is None else int(data["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return done, total


def remove_progress(job_id: int) -> None:
    with contextlib.suppress(FileNotFoundError):
        sidecar_path(job_id).unlink()


class ProgressFile:
    """The progress reporter of one running job: `report(done, total)` updates its sidecar file.

    Writes are throttled to one every `interval` seconds, except the first report and one that
    reaches the total; `last` keeps the latest figures reported (written or not), so the job can
    store them on its row when it finishes.
    """

    def __init__(
        self, job_id: int, *, interval: float = INTERVAL, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.path = sidecar_path(job_id)
        self.interval = interval
        self.clock = clock
        self.last: tuple[int, int | None] = (0, None)
        self._written_at: float | None = None

    def __call__(self, done: int, total: int) -> None:
        self.report(done, total)

    def report(self, done: int, total: int | None) -> None:
        self.last = (done, total)
        now = self.clock()
        finished = total is not None and done >= total
        if self._written_at is not None and now - self._written_at < self.interval and not finished:
            return
        try:
            self._write(done, total)
        except OSError:
            return  # progress is only shown; a full disk must not stop the job (its row gets the end)
        self._written_at = now

    def _write(self, done: int, total: int | None) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as target:
                json.dump({"progress": done, "total": total}, target)
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise

    def remove(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
