"""How much a piece of code asks of the database: queries run and rows fetched from the cursor.

    with database_work() as work:
        client.get("/dashboard/")
    work.queries, work.rows

Query counts alone do not show a page that loads every row of a growing table in one query; the rows
fetched do. Every cursor the connection opens inside the block is wrapped (whether or not DEBUG logs
queries): `execute` and `executemany` count one query each, `fetchone`, `fetchmany`, `fetchall` and
iteration count the rows they return. It works the same on SQLite and PostgreSQL (server-side cursors
included) because it sits on Django's cursor wrapper, not on a driver. Only the current thread's
connection is counted (Django's test client runs the view in the calling thread).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections


@dataclass
class DatabaseWork:
    queries: int = 0
    rows: int = 0


class _CountingCursor:
    """A proxy around Django's cursor wrapper that adds what passes through it to a `DatabaseWork`."""

    def __init__(self, wrapped: Any, work: DatabaseWork) -> None:
        self._wrapped = wrapped
        self._work = work

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wrapped, name)

    def __enter__(self) -> _CountingCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self._wrapped.__exit__(*exc)

    def __iter__(self) -> Iterator[Any]:
        for row in self._wrapped:
            self._work.rows += 1
            yield row

    def execute(self, sql: str, params: Any = None) -> Any:
        self._work.queries += 1
        return self._wrapped.execute(sql, params)

    def executemany(self, sql: str, param_list: Any) -> Any:
        self._work.queries += 1
        return self._wrapped.executemany(sql, param_list)

    def callproc(self, *args: Any, **kwargs: Any) -> Any:
        self._work.queries += 1
        return self._wrapped.callproc(*args, **kwargs)

    def fetchone(self) -> Any:
        row = self._wrapped.fetchone()
        if row is not None:
            self._work.rows += 1
        return row

    def fetchmany(self, *args: Any, **kwargs: Any) -> Any:
        rows = self._wrapped.fetchmany(*args, **kwargs)
        self._work.rows += len(rows)
        return rows

    def fetchall(self) -> Any:
        rows = self._wrapped.fetchall()
        self._work.rows += len(rows)
        return rows


@contextmanager
def database_work(using: str = DEFAULT_DB_ALIAS) -> Iterator[DatabaseWork]:
    """Count the queries and the fetched rows of the cursors `using` opens inside the block."""
    connection = connections[using]
    work = DatabaseWork()
    saved = {name: connection.__dict__.get(name) for name in ("make_cursor", "make_debug_cursor")}

    def counting(make: Callable[[Any], Any]) -> Callable[[Any], Any]:
        return lambda cursor: _CountingCursor(make(cursor), work)

    connection.make_cursor = counting(connection.make_cursor)  # type: ignore[method-assign,assignment]
    connection.make_debug_cursor = counting(connection.make_debug_cursor)  # type: ignore[method-assign,assignment]
    try:
        yield work
    finally:
        for name, previous in saved.items():
            if previous is None:
                connection.__dict__.pop(name, None)
            else:
                connection.__dict__[name] = previous
