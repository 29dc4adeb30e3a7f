"""The demo data, built once per test run and copied into the test database where a test needs it.

Loading the demo takes 10-20 s; the suite needs it in some twenty modules and every browser test. On
SQLite (the test database lives in memory) the demo is loaded once, the database is copied aside with
SQLite's online backup, and then copied back in a few milliseconds wherever a module asks for it, and
the empty database likewise afterwards. When pytest-xdist runs several processes, the first to need the
demo builds it and leaves a copy in the run's temporary folder, and the others read it. On other
databases the demo is loaded again in a transaction that is rolled back, as before.
"""

from __future__ import annotations

import fcntl
import io
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction

from presence.org.reference import load_reference_data

_snapshots: dict[str, sqlite3.Connection] = {}
# Set by tests/conftest.py when pytest-xdist runs the suite in several processes: a folder of the run
# where the first process to build the demo leaves its copy for the others.
shared_dir: Path | None = None


def copyable() -> bool:
    """Whether the test database is one SQLite can copy whole (in memory or in a file)."""
    return connection.vendor == "sqlite"


def _raw() -> Any:
    connection.ensure_connection()
    return connection.connection


def _copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    if connection.in_atomic_block:
        raise RuntimeError("the demo database cannot be copied inside a transaction")
    source.backup(target)
    ContentType.objects.clear_cache()


def _snapshot() -> sqlite3.Connection:
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    _raw().backup(copy)
    return copy


def _keep_empty() -> None:
    if "empty" not in _snapshots:
        _snapshots["empty"] = _snapshot()


def restore_demo() -> None:
    """Make the test database the demo (building the demo's copy on first use, in this process, or
    reading the one another process of the run built: see `shared_dir`)."""
    if "demo" not in _snapshots:
        _keep_empty()
        if shared_dir is None:
            call_command("demo", stdout=io.StringIO())
            _snapshots["demo"] = _snapshot()
        else:
            _snapshots["demo"] = _shared_demo(shared_dir)
        return
    _copy(_snapshots["demo"], _raw())


def _shared_demo(folder: Path) -> sqlite3.Connection:
    """The demo's copy through `folder`: built here and written there by the first process of the run
    that needs it, read from there by the others (which wait while it is being built)."""
    path = folder / "demo.sqlite3"
    with (folder / "demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            with closing(sqlite3.connect(path)) as stored:
                stored.backup(copy)
            _copy(copy, _raw())
            return copy
        call_command("demo", stdout=io.StringIO())
        copy = _snapshot()
        written = path.with_suffix(".part")
        with closing(sqlite3.connect(written)) as stored:
            copy.backup(stored)
        written.rename(path)
        return copy


def restore_empty() -> None:
    """Make the test database what it was before the demo was first built."""
    _copy(_snapshots["empty"], _raw())


@contextmanager
def demo_loaded() -> Iterator[None]:
    """The demo data for the block; the database is as it was afterwards."""
    if copyable():
        restore_demo()
        try:
            yield
        finally:
            restore_empty()
    else:
        with transaction.atomic():
            call_command("demo", stdout=io.StringIO())
            yield
            transaction.set_rollback(True)


@contextmanager
def reference_loaded() -> Iterator[bool]:
    """The reference data (regions, countries, offices, priorities) for the block, committed once and
    copied like the demo; yields whether it did (on other databases each test loads it in its own
    transaction, as before). The database is as it was afterwards."""
    if not copyable():
        yield False
        return
    if "reference" in _snapshots:
        _copy(_snapshots["reference"], _raw())
    else:
        _keep_empty()
        load_reference_data()
        _snapshots["reference"] = _snapshot()
    try:
        yield True
    finally:
        restore_empty()


def load_demo_committed() -> None:
    """The demo data, committed (for a live server's thread); the caller's flush removes it."""
    if copyable():
        restore_demo()
    else:
        call_command("demo", stdout=io.StringIO())
