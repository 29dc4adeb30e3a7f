"""Aggregates over a query's rows (`presence.core.derived`): the distinct rows counted in the database."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, Value
from django.db.models.functions import Coalesce

from presence.core.derived import count_over
from presence.org.models import Office


def test_count_over_gives_each_distinct_row_once_with_its_count(reference: Any) -> None:
    rows = Office.objects.values("region__code", "kind")
    expected = Counter((row["region__code"], row["kind"]) for row in rows)
    counted = count_over(rows)
    assert dict(counted) == expected
    assert len(counted) == len(expected)


def test_count_over_converts_values_as_the_orm_does(reference: Any) -> None:
    # A decimal annotation comes back as a Decimal on every database, as the ORM reads it.
    rows = Office.objects.values("kind").annotate(
        half=Coalesce(
            F("pk") * 0 + Value(Decimal("0.5")),
            Value(Decimal(0)),
            output_field=DecimalField(max_digits=5, decimal_places=2),
        )
    )
    counted = count_over(rows)
    assert {values[1] for values, _n in counted} == {Decimal("0.5")}
    assert all(isinstance(values[1], Decimal) for values, _n in counted)
    assert sum(n for _values, n in counted) == Office.objects.count()
