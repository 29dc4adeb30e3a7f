"""The bulk audited writes: tracked_create's validation and audit entry for many records at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from presence.core.models import AuditEntry
from presence.core.services import tracked_bulk_create, tracked_bulk_delete, tracked_create
from presence.org.models import Country
from presence.portfolio.models import Budget, Partner, Project, Transaction


@pytest.fixture
def admin(reference: None, make_user: Callable[..., Any]) -> Any:
    return make_user("bulk-admin", ("admin",))


def partners(n: int, start: int = 0) -> list[Partner]:
    return [
        Partner(
            name=f"Partner {i}", iati_identifier=f"XM-{i}", organisation_type=Partner.OrganisationType.OTHER
        )
        for i in range(start, start + n)
    ]


def test_each_record_is_created_with_its_own_audit_entry_and_reason(admin: Any) -> None:
    made = tracked_bulk_create(
        model=Partner, actor=admin, instances=partners(3), reason=["line 1", "line 2", "line 3"]
    )

    assert [p.pk is not None for p in made] == [True, True, True]
    assert all(p.created_by == admin and p.updated_by == admin for p in Partner.objects.all())
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, reason__startswith="line").order_by(
        "pk"
    )
    assert [e.object_id for e in entries] == [str(p.pk) for p in made]
    assert [e.reason for e in entries] == ["line 1", "line 2", "line 3"]
    assert entries[0].changes["name"] == [None, "Partner 0"]
    assert entries[0].changes["iati_identifier"] == [None, "XM-0"]
    assert all(e.actor == admin for e in entries)


def test_a_bulk_created_record_gets_the_audit_entry_a_single_create_gives_it(
    admin: Any, region: Any, office: Any
) -> None:
    project = tracked_create(
        model=Project, actor=admin,
        data={"code": "P-A", "title": "Audited", "planned_start": dt.date(2024, 1, 1),
              "planned_end": dt.date(2024, 12, 31), "region": region("AFR"), "lead_office": office("dakar")},
    )  # fmt: skip
    country = Country.objects.order_by("pk").first()

    def same(model: type[Any], values: dict[str, Any], other: dict[str, Any]) -> None:
        one = tracked_create(model=model, actor=admin, data=values, reason="why")
        [two] = tracked_bulk_create(model=model, actor=admin, instances=[model(**other)], reason="why")
        first, second = (
            AuditEntry.objects.get(content_type__model=model._meta.model_name, object_id=str(record.pk))
            for record in (one, two)
        )
        # The same values, apart from those told apart (a unique name).
        assert second.changes == {
            **first.changes,
            **{k: [None, v] for k, v in other.items() if values[k] != v},
        }
        assert [second.action, second.actor, second.reason] == [first.action, first.actor, first.reason]
        assert second.object_repr == str(two)

    transaction = {
        "project": project, "kind": Transaction.Kind.DISBURSEMENT, "date": dt.date(2024, 3, 1),
        "amount": Decimal("1250.50"), "currency": "USD", "description": "",
    }  # fmt: skip
    same(Transaction, transaction, transaction)
    partner = {"organisation_type": Partner.OrganisationType.MULTILATERAL, "country": country}
    same(Partner, {"name": "One", **partner}, {"name": "Two", **partner})
    # An empty key and an empty text are left out of both entries.
    same(Partner, {"name": "Three", "organisation_type": "90"}, {"name": "Four", "organisation_type": "90"})
    entry = AuditEntry.objects.get(
        content_type__model="transaction", object_id=str(Transaction.objects.last().pk)
    )
    assert entry.changes["amount"] == [None, "1250.50"]
    assert entry.changes["project"] == [None, str(project)]
    assert "description" not in entry.changes


def test_the_models_own_rules_refuse_the_batch_and_nothing_is_written(
    admin: Any, region: Any, office: Any
) -> None:
    good = Project(
        code="P-1", title="Good", planned_start=dt.date(2024, 1, 1), planned_end=dt.date(2024, 12, 31),
        region=region("AFR"), lead_office=office("dakar"),
    )  # fmt: skip
    backwards = Project(
        code="P-2", title="Backwards", planned_start=dt.date(2024, 1, 1), planned_end=dt.date(2023, 1, 1),
        region=region("AFR"), lead_office=office("dakar"),
    )  # fmt: skip

    with pytest.raises(ValidationError) as refused:
        tracked_bulk_create(model=Project, actor=admin, instances=[good, backwards])

    assert "planned_end" in refused.value.message_dict
    assert not Project.objects.exists()
    assert not AuditEntry.objects.filter(object_repr__startswith="P-").exists()


def test_a_key_to_a_missing_record_is_refused_on_its_field(admin: Any) -> None:
    stray = Partner(
        name="Stray", country_id=Country.objects.order_by("-pk").values_list("pk", flat=True)[0] + 99
    )

    with pytest.raises(ValidationError) as refused:
        tracked_bulk_create(model=Partner, actor=admin, instances=[stray])

    assert "country" in refused.value.message_dict
    assert not Partner.objects.exists()


def test_a_required_key_left_empty_is_refused(admin: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        tracked_bulk_create(
            model=Budget, actor=admin, instances=[Budget(year=2024, amount=1, currency="CHF")]
        )

    assert "project" in refused.value.message_dict


def test_queries_do_not_grow_with_the_number_of_records(admin: Any, count_queries: Any) -> None:
    tracked_bulk_create(model=Partner, actor=admin, instances=partners(1))  # content type cached

    few = count_queries(lambda: tracked_bulk_create(model=Partner, actor=admin, instances=partners(3, 10)))
    many = count_queries(lambda: tracked_bulk_create(model=Partner, actor=admin, instances=partners(60, 100)))

    assert few == many


def test_bulk_delete_keeps_each_records_last_values(admin: Any) -> None:
    made = tracked_bulk_create(model=Partner, actor=admin, instances=partners(2))

    deleted = tracked_bulk_delete(queryset=Partner.objects.all(), actor=admin, reason="replaced")

    assert deleted == 2
    assert not Partner.objects.exists()
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, reason="replaced").order_by(
        "object_id"
    )
    assert [e.object_id for e in entries] == sorted(str(p.pk) for p in made)
    assert entries[0].changes["name"][1] is None
    assert {e.reason for e in entries} == {"replaced"}
