"""`same_references()`: inside the block a list filter's reference named by its code is read once, an
unknown code is still refused, and outside the block every list reads it again."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from presence.core.filtering import same_references
from presence.org.models import Region
from presence.portfolio.filters import ProjectFilter
from presence.portfolio.models import Project


def _region_lookups(queries: CaptureQueriesContext) -> int:
    reads = [q["sql"] for q in queries.captured_queries]
    return sum(1 for sql in reads if sql.startswith('SELECT "org_region"."id"') and "AFR" in sql)


def _narrow_twice() -> None:
    for _ in range(2):
        list(ProjectFilter.apply(Project.objects.all(), {"region": "AFR"}))


def test_inside_the_block_a_code_is_read_once(demo: Any) -> None:
    with CaptureQueriesContext(connection) as outside:
        _narrow_twice()
    with CaptureQueriesContext(connection) as inside, same_references():
        _narrow_twice()
    assert _region_lookups(outside) == 2
    assert _region_lookups(inside) == 1


def _in_afr() -> set[int]:
    return set(ProjectFilter.apply(Project.objects.all(), {"region": "AFR"}).values_list("pk", flat=True))


def test_the_narrowed_records_are_the_same(demo: Any) -> None:
    plain = _in_afr()
    with same_references():
        once, again = _in_afr(), _in_afr()
    assert plain == once == again
    assert plain == set(Project.objects.filter(region__code="AFR").values_list("pk", flat=True))


def test_an_unknown_code_is_refused_every_time(demo: Any) -> None:
    with same_references():
        for _ in range(2):
            with pytest.raises(ValidationError) as refused:
                ProjectFilter.apply(Project.objects.all(), {"region": "NOPE"})
            assert "region" in refused.value.message_dict


def test_the_block_ends_with_its_memory(demo: Any) -> None:
    with same_references():
        ProjectFilter.apply(Project.objects.all(), {"region": "AFR"})
    Region.objects.filter(code="AFR").update(code="AFX")
    with pytest.raises(ValidationError):
        ProjectFilter.apply(Project.objects.all(), {"region": "AFR"})
    with same_references():
        assert ProjectFilter.apply(Project.objects.all(), {"region": "AFX"}).exists()
