"""Aggregates over the rows of a query, each row computed once: `SELECT ... FROM (rows) AS derived`.

Django aggregates over annotations by inlining them: a count of indicators per status, where the status
compares the year's target and actual (each a correlated subquery), repeats those subqueries in every
comparison of every conditional count. Even when Django wraps the annotated query in a subquery,
PostgreSQL pulls it up into the outer query and evaluates each subquery a dozen times per row.

`aggregate_over` runs the queryset as a derived table that the database keeps as it is (an `OFFSET 0`,
which neither PostgreSQL nor SQLite flattens), so each row's annotations are computed once, and the
outer query aggregates over those rows: one query, one row, whatever the number of records.

    rows = indicators.values(target=..., actual=...)
    aggregate_over(rows, "COUNT(CASE WHEN {target} <= {actual} THEN 1 END)")

The outer expressions name the rows' columns in braces (quoted for the database); `params` are their
parameters, in order. `select_over` reads each row with expressions computed over it (the rows a page
shows), `where_over` the rows meeting a condition over their columns, as a subquery for a filter.
`Joined` writes a record's related values (an activity's output codes) as one column of its row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections
from django.db.models import CharField, QuerySet, Subquery
from django.db.models.expressions import RawSQL


def _derived(rows: QuerySet[Any]) -> tuple[Any, dict[str, str], str, tuple[Any, ...]]:
    """The compiler of the `values()` queryset `rows`, its columns quoted by name, and the fenced
    derived table's SQL and parameters."""
    connection = connections[rows.db]
    query = rows.order_by().query
    columns = {
        name: connection.ops.quote_name(name)
        for name in [*query.extra_select, *query.values_select, *query.annotation_select]
    }
    compiler = query.get_compiler(using=rows.db)
    inner, inner_params = compiler.as_sql()
    # The fence: a subquery with an offset is computed as it stands, never merged into the outer query.
    fence = "OFFSET 0" if connection.vendor == "postgresql" else "LIMIT -1 OFFSET 0"
    return compiler, columns, f"({inner} {fence}) derived", tuple(inner_params)


def aggregate_over(rows: QuerySet[Any], *expressions: str, params: Sequence[Any] = ()) -> tuple[Any, ...]:
    """The values of the SQL aggregate `expressions` over the rows of the `values()` queryset `rows`."""
    _compiler, columns, derived, inner_params = _derived(rows)
    outer = ", ".join(expression.format(**columns) for expression in expressions)
    sql = f"SELECT {outer} FROM {derived}"  # noqa: S608 (expressions are the caller's SQL)
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, (*params, *inner_params))  # the outer expressions come first in the text
        return tuple(cursor.fetchone())


def select_over(
    rows: QuerySet[Any], *, params: Sequence[Any] = (), **expressions: str
) -> list[dict[str, Any]]:
    """Each row of the `values()` queryset `rows` as the ORM reads it (its values converted as the
    ORM converts them: decimals are Decimal on every database), with the values of the SQL
    `expressions` over that row's columns added under their names: each row's annotations computed
    once, however often the expressions name them."""
    compiler, columns, derived, inner_params = _derived(rows)
    names = list(columns)
    outer = ", ".join(
        [*(f"derived.{quoted}" for quoted in columns.values())]
        + [expression.format(**columns) for expression in expressions.values()]
    )
    sql = f"SELECT {outer} FROM {derived}"  # noqa: S608 (expressions are the caller's SQL)
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, (*params, *inner_params))
        fetched = cursor.fetchall()
    converters = compiler.get_converters([expression for expression, _sql, _alias in compiler.select])
    converted = compiler.apply_converters(fetched, converters) if converters else fetched
    return [dict(zip([*names, *expressions], row, strict=True)) for row in converted]


def count_over(rows: QuerySet[Any], by: Sequence[str] | None = None) -> list[tuple[tuple[Any, ...], int]]:
    """Each distinct row of the `values()` queryset `rows` (its values converted as the ORM converts
    them) with the number of rows equal to it: as many rows as there are distinct values, however many
    rows `rows` has. `by` names the columns compared, in that order (all of them when not given): rows
    grouped by a record's id are counted by their other columns."""
    compiler, columns, derived, inner_params = _derived(rows)
    names = list(columns) if by is None else list(by)
    quoted = ", ".join(f"derived.{columns[name]}" for name in names)
    sql = f"SELECT {quoted}, COUNT(*) FROM {derived} GROUP BY {quoted}"  # noqa: S608 (quoted names)
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, inner_params)
        fetched = cursor.fetchall()
    values = [row[:-1] for row in fetched]
    selected = [expression for expression, _sql, _alias in compiler.select]
    position = {name: index for index, name in enumerate(columns)}
    converters = compiler.get_converters([selected[position[name]] for name in names])
    converted = compiler.apply_converters(values, converters) if converters else values
    return [(tuple(row), int(found[-1])) for row, found in zip(converted, fetched, strict=True)]


def where_over(rows: QuerySet[Any], column: str, condition: str, params: Sequence[Any] = ()) -> RawSQL:
    """The `column` of the rows of the `values()` queryset `rows` that meet the SQL `condition` over
    their columns, as a subquery for a filter (`filter(pk__in=where_over(rows, "id", ...))`): each
    row's annotations computed once, however often the condition names them."""
    _compiler, columns, derived, inner_params = _derived(rows)
    sql = f"SELECT {columns[column]} FROM {derived} WHERE {condition.format(**columns)}"  # noqa: S608
    return RawSQL(sql, (*inner_params, *params))  # noqa: S611 (the condition is the caller's SQL)


class Joined(Subquery):
    """The values of a one-column `values()` queryset joined by ", " in its order, as one text column
    (NULL on SQLite, empty on PostgreSQL, when it has none):
    `annotate(output_codes=Joined(outputs.annotate(item=F("code")).values("item")))` reads a record's
    related codes with the record, one row per record however many it has, where a prefetch reads a
    row per related record. The column must be named `item`."""

    template = "(SELECT GROUP_CONCAT(joined.item, ', ') FROM (%(subquery)s) joined)"
    output_field = CharField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # ARRAY(subquery) keeps the subquery's order (GROUP_CONCAT over an ordered subquery does, in SQLite).
        return self.as_sql(
            compiler, connection, template="ARRAY_TO_STRING(ARRAY(%(subquery)s), ', ')", **extra
        )
