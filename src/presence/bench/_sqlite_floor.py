"""The storage floor of an import on SQLite: the time SQLite alone needs to store the rows it wrote.

`snapshot` copies the database file before the import; `new_rows` reads, table by table, the rows the
import added (rowid above the snapshot's largest); `replay` inserts exactly those rows, with their ids,
into the snapshot through the bare `sqlite3` driver (foreign keys on, one transaction, one
`executemany` per table) and returns the seconds it took. No parsing, mapping, validation or ORM is
involved, so no importer writing these rows can be faster than the replay.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

Rows = dict[str, tuple[list[str], list[tuple[object, ...]]]]


def _tables(db: sqlite3.Connection) -> list[str]:
    found = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [name for (name,) in found]


_LAST = "SELECT coalesce(max(rowid), 0) FROM %s"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def snapshot(source: Path, target: Path) -> dict[str, int]:
    """Copy the database at `source` to `target`; the largest rowid of each table at that moment."""
    with sqlite3.connect(source) as db, sqlite3.connect(target) as copy:
        db.backup(copy)
        # Table names come from sqlite_master and are quoted.
        return {t: db.execute(_LAST % _quote(t)).fetchone()[0] for t in _tables(db)}


def new_rows(source: Path, before: dict[str, int]) -> Rows:
    """Every row added to `source` since `before` (from `snapshot`), table by table, with its columns."""
    rows: Rows = {}
    with sqlite3.connect(source) as db:
        for table in _tables(db):
            cursor = db.execute(f"SELECT * FROM {_quote(table)} WHERE rowid > ?", (before.get(table, 0),))  # noqa: S608
            found = cursor.fetchall()
            if found:
                rows[table] = ([column[0] for column in cursor.description], found)
    return rows


def replay(target: Path, rows: Rows) -> float:
    """Seconds (wall clock, as the other figures) the bare driver takes to insert `rows` into `target`."""
    db = sqlite3.connect(target, isolation_level=None)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA journal_mode = WAL")
        statements = [
            (
                f"INSERT INTO {_quote(table)} ({', '.join(map(_quote, columns))}) "  # noqa: S608
                f"VALUES ({', '.join('?' * len(columns))})",
                values,
            )
            for table, (columns, values) in rows.items()
        ]
        start = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("PRAGMA defer_foreign_keys = ON")  # checked at commit, as Django declares them
        for sql, values in statements:
            db.executemany(sql, values)
        db.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        db.close()


def count(rows: Rows) -> int:
    return sum(len(values) for _columns, values in rows.values())
