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
parameters, in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections
from django.db.models import QuerySet


def aggregate_over(rows: QuerySet[Any], *expressions: str, params: Sequence[Any] = ()) -> tuple[Any, ...]:
    """The values of the SQL aggregate `expressions` over the rows of the `values()` queryset `rows`."""
    connection = connections[rows.db]
    query = rows.order_by().query
    columns = {
        name: connection.ops.quote_name(name)
        for name in [*query.values_select, *query.annotation_select, *query.extra_select]
    }
    inner, inner_params = query.get_compiler(using=rows.db).as_sql()
    # The fence: a subquery with an offset is computed as it stands, never merged into the outer query.
    fence = "OFFSET 0" if connection.vendor == "postgresql" else "LIMIT -1 OFFSET 0"
    outer = ", ".join(expression.format(**columns) for expression in expressions)
    sql = f"SELECT {outer} FROM ({inner} {fence}) derived"  # noqa: S608 (expressions are the caller's SQL)
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, *inner_params))  # the outer expressions come first in the text
        return tuple(cursor.fetchone())
