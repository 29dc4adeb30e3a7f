"""database_work(): queries run and rows fetched from the cursor, on whichever database runs the tests."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from presence.core.dbwork import database_work
from presence.org.models import Country, Region


def test_a_list_counts_one_query_and_every_row_it_fetched(reference):
    with database_work() as work:
        regions = list(Region.objects.all())
    assert (work.queries, work.rows) == (1, len(regions))
    assert len(regions) == Region.objects.count() > 1


def test_rows_fetched_grow_with_the_data_while_queries_stay_the_same(reference):
    with database_work() as small:
        list(Country.objects.filter(region__code="AFR").values_list("iso2", flat=True))
    with database_work() as large:
        list(Country.objects.values_list("iso2", flat=True))
    assert small.queries == large.queries == 1
    assert small.rows == Country.objects.filter(region__code="AFR").count()
    assert large.rows == Country.objects.count() > small.rows


def test_an_aggregate_fetches_one_row(reference):
    with database_work() as work:
        Country.objects.count()
        Country.objects.filter(iso2="SN").first()
    assert (work.queries, work.rows) == (2, 2)


def test_chunked_iteration_counts_every_row(reference):
    with database_work() as work:
        seen = sum(1 for _country in Country.objects.order_by("pk").iterator(chunk_size=25))
    assert work.rows == seen == Country.objects.count()
    assert work.queries >= 1


def test_raw_cursor_fetchone_fetchmany_fetchall_and_iteration_are_counted(reference):
    table = Country._meta.db_table
    with database_work() as work, connection.cursor() as cursor:
        cursor.execute(f"SELECT iso2 FROM {table} ORDER BY iso2")  # noqa: S608
        assert cursor.fetchone() is not None
        assert len(cursor.fetchmany(10)) == 10
        rest = cursor.fetchall()
        cursor.execute(f"SELECT iso2 FROM {table} WHERE iso2 = %s", ["SN"])  # noqa: S608
        iterated = list(cursor)
    assert len(iterated) == 1
    assert work.queries == 2
    assert work.rows == 1 + 10 + len(rest) + 1 == Country.objects.count() + 1


def test_queries_agree_with_djangos_capture_and_nothing_is_counted_after_the_block(reference):
    with CaptureQueriesContext(connection) as captured, database_work() as work:
        list(Region.objects.prefetch_related("countries"))
    assert work.queries == len(captured) == 2
    assert work.rows == Region.objects.count() + Country.objects.count()
    counted = (work.queries, work.rows)
    list(Region.objects.all())
    assert (work.queries, work.rows) == counted


def test_nested_counts_each_see_their_own_block(reference):
    with database_work() as outer:
        list(Region.objects.all())
        with database_work() as inner:
            Country.objects.count()
        list(Region.objects.all())
    assert (inner.queries, inner.rows) == (1, 1)
    assert outer.queries == 3
    assert outer.rows == 2 * Region.objects.count() + 1
