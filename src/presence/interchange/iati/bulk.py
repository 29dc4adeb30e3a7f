"""Multi-row INSERT ... RETURNING for the IATI import, without building a model instance per row.

`bulk_create` prepares every value of every row through the SQL compiler (about 10 µs a value); the
import writes some 20 rows per activity, so that preparation was most of its time. Here each column's
adapter is chosen once per model (the backend's own date, datetime, decimal and JSON adapters, so
SQLite and PostgreSQL store exactly what the ORM stores), constant columns (timestamps, authors,
version, defaults) are adapted once per batch, and rows are plain tuples.

On SQLite the statements are built with the driver's own `?` placeholders and handed to the driver's
cursor (inside Django's error translation): Django's SQLite cursor rewrites every `%s` of every
statement with a regular expression, which on statements of a few thousand parameters cost about
85 µs per imported activity. When queries are being logged (DEBUG, tests counting queries) the
ordinary Django cursor is used, so every statement is still counted.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import connection, models

Adapter = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


class EncodedJSON:
    """A JSON value with its text already encoded (the import encodes each record once, for its
    fingerprint): SQLite stores the text as it is; other databases get the value through the field."""

    __slots__ = ("text", "value")

    def __init__(self, text: str, value: Any) -> None:
        self.text = text
        self.value = value


def _adapter(field: models.Field[Any, Any]) -> Adapter:
    ops = connection.ops
    if isinstance(field, models.JSONField):
        if connection.vendor == "sqlite":
            # What SQLite's JSONField does (json.dumps with the field's encoder), without the
            # connection proxy's thread-local look-ups (about 3 a value).
            encoder = field.encoder

            def adapt_sqlite_json(value: Any) -> Any:
                if isinstance(value, EncodedJSON):
                    return value.text
                return json.dumps(value, cls=encoder)

            return adapt_sqlite_json

        def adapt_json(value: Any) -> Any:
            if isinstance(value, EncodedJSON):
                value = value.value
            return field.get_db_prep_save(value, connection)

        return adapt_json
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda value: None if value is None else ops.adapt_decimalfield_value(value, digits, places)
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    return _identity


class Inserter:
    """Insert rows of `columns` (field attnames) into `model`; every other column gets a constant."""

    def __init__(
        self, model: type[models.Model], columns: Sequence[str], constants: Mapping[str, Any]
    ) -> None:
        meta = model._meta
        by_attname = {f.attname: f for f in meta.concrete_fields if not f.primary_key}
        unknown = set(columns) - set(by_attname)
        if unknown:
            raise ValueError(f"{model.__name__} has no column {', '.join(sorted(unknown))}")
        self.fields = [by_attname[name] for name in columns]
        others = [f for name, f in by_attname.items() if name not in columns]
        self.constants = []
        for field in others:
            value = constants[field.attname] if field.attname in constants else field.get_default()
            self.constants.append(_adapter(field)(value))
        self.adapters = [(i, _adapter(f)) for i, f in enumerate(self.fields) if _adapter(f) is not _identity]
        quote = connection.ops.quote_name
        names = ", ".join(quote(str(f.column)) for f in [*self.fields, *others])
        width = len(self.fields) + len(others)
        # Table and column names come from the model and are quoted; values are always parameters.
        self.head = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES "  # noqa: S608
        self.row = "(" + ", ".join(["%s"] * width) + ")"
        self.qmark_row = "(" + ", ".join(["?"] * width) + ")"
        self.returning = f" RETURNING {quote(str(meta.pk.column))}" if meta.pk is not None else ""
        limit = connection.features.max_query_params or 65535
        self.chunk = max(1, min(500, limit // width))

    def insert(self, rows: Sequence[Sequence[Any]]) -> list[int]:
        """Insert the rows; their primary keys in the same order."""
        ids: list[int] = []
        if not rows:
            return ids
        adapters, constants = self.adapters, self.constants
        with connection.cursor() as cursor:
            direct = connection.vendor == "sqlite" and not connection.queries_logged
            for start in range(0, len(rows), self.chunk):
                chunk = rows[start : start + self.chunk]
                params: list[Any] = []
                for row in chunk:
                    values = list(row)
                    for index, adapt in adapters:
                        values[index] = adapt(values[index])
                    params.extend(values)
                    params.extend(constants)
                if direct:
                    sql = self.head + ", ".join([self.qmark_row] * len(chunk)) + self.returning
                    with connection.wrap_database_errors:
                        driver = cursor.cursor  # Django's SQLite cursor is a sqlite3.Cursor
                        sqlite3.Cursor.execute(driver, sql, params)
                        ids.extend(found[0] for found in driver.fetchall())
                else:
                    cursor.execute(self.head + ", ".join([self.row] * len(chunk)) + self.returning, params)
                    ids.extend(found[0] for found in cursor.fetchall())
        return ids
