"""The migration that moved IATI budgets and transactions into the activity record keeps their links."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from presence.interchange.iati.importer import iati_import
from presence.interchange.models import IatiActivity
from presence.portfolio.models import Budget, Transaction

from .test_iati_import import activity, document

BEFORE = ("interchange", "0002_iati_links_and_blank_currency")
AFTER = ("interchange", "0003_iati_rows_in_record")


@pytest.mark.django_db(transaction=True)
def test_migration_moves_the_portfolio_budget_and_transaction_of_each_published_one_into_links(
    importer: Any, write_xml: Any
) -> None:
    iati_import(actor=importer, path=write_xml(document(activity())))
    record = IatiActivity.objects.get()
    budget, move = Budget.objects.get(), Transaction.objects.get()
    IatiActivity.objects.filter(pk=record.pk).update(links={"fundings": [], "indicators": []})

    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    fields = {"created_at": record.created_at, "updated_at": record.updated_at}
    old.get_model("interchange", "IatiBudget").objects.create(
        activity_id=record.pk, period_start="2024-01-01", period_end="2024-12-31", value="10000",
        currency="CHF", value_date="2024-01-01", budget_id=budget.pk, **fields,
    )  # fmt: skip
    old.get_model("interchange", "IatiTransaction").objects.create(
        activity_id=record.pk, transaction_type="3", date="2024-03-01", value="100", currency="CHF",
        value_date="2024-03-01", transaction_id=move.pk, **fields,
    )  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    links = IatiActivity.objects.values_list("links", flat=True).get()  # the columns of AFTER only
    # Back to the latest schema, for the tests that run after this one.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert links["budgets"] == [budget.pk]
    assert links["transactions"] == [move.pk]
    assert links["fundings"] == []
