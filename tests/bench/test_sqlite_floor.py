"""The storage floor replays exactly the rows an import added, with their ids, into the earlier copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from presence.bench import _sqlite_floor as floor


def _contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as db:
        return {
            table: db.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()  # noqa: S608
            for table in ("parent", "child")
        }


def test_replay_inserts_the_new_rows_into_the_snapshot(tmp_path: Path) -> None:
    source, copy = tmp_path / "source.sqlite3", tmp_path / "copy.sqlite3"
    with sqlite3.connect(source) as db:
        db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
        db.execute(
            "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id), v TEXT)"
        )
        db.execute("INSERT INTO parent VALUES (1, 'kept')")
    before = floor.snapshot(source, copy)
    assert before == {"child": 0, "parent": 1}
    with sqlite3.connect(source) as db:
        db.executemany("INSERT INTO parent (name) VALUES (?)", [("a",), ("b",)])
        db.executemany("INSERT INTO child (parent_id, v) VALUES (?, ?)", [(2, "x"), (3, None), (1, "z")])

    rows = floor.new_rows(source, before)

    assert floor.count(rows) == 5
    assert rows["parent"] == (["id", "name"], [(2, "a"), (3, "b")])
    assert _contents(copy) == {"parent": [(1, "kept")], "child": []}
    seconds = floor.replay(copy, rows)
    assert seconds > 0
    assert _contents(copy) == _contents(source)


def test_replay_refuses_rows_whose_parent_is_missing(tmp_path: Path) -> None:
    """Foreign keys are enforced during the replay, as Django enforces them for the import."""
    source, copy = tmp_path / "source.sqlite3", tmp_path / "copy.sqlite3"
    with sqlite3.connect(source) as db:
        db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        db.execute(
            "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id))"
        )
    floor.snapshot(source, copy)
    rows: floor.Rows = {"child": (["id", "parent_id"], [(1, 99)])}
    try:
        floor.replay(copy, rows)
    except sqlite3.IntegrityError:
        pass
    else:
        raise AssertionError("a child without its parent was stored")
