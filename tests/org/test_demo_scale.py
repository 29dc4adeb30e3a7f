"""`presence demo --scale N`: the demo copied N times over, coherent (offices in their regions, totals)."""

from __future__ import annotations

import importlib
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.test.utils import isolate_apps

from presence.core.scale import in_dependency_order, suffixed
from presence.org.models import Office
from presence.portfolio.documents import table1_csv
from presence.portfolio.reconcile import reconcile_csv
from presence.portfolio.selectors import table1
from tests import demo_db

DEMO_APPS = ("portfolio", "results", "staffing", "engagement", "resilience")
SCALED = [label for app in DEMO_APPS for label in importlib.import_module(f"presence.{app}.demo").SCALED]


def _counts() -> dict[str, int]:
    return {label: apps.get_model(label)._default_manager.count() for label in ["org.Office", *SCALED]}


def _table1_figures(year: int) -> dict[str, tuple[int, Decimal]]:
    admin = get_user_model().objects.get(username="admin")
    table = table1(user=admin, year=year)
    return {row.label: (row.projects, row.total_chf) for row in [*table.rows, table.total]}


@pytest.fixture(scope="module")
def scaled_module(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The demo, its counts and Table 1 2023, then the same database at scale 2."""
    with django_db_blocker.unblock(), demo_db.demo_loaded():
        before = {
            "counts": _counts(),
            "table1": _table1_figures(2023),
            "max_pk": {
                label: apps.get_model(label)._default_manager.order_by("-pk")[0].pk for label in SCALED
            },
        }
        out = io.StringIO()
        call_command("demo", scale=2, stdout=out)
        before["output"] = out.getvalue()
        yield before


@pytest.fixture
def scaled(scaled_module: dict[str, Any], db: Any) -> dict[str, Any]:
    return scaled_module


def test_scale_two_doubles_the_records_of_every_copied_model(scaled):
    after = _counts()
    for label, count in scaled["counts"].items():
        expected = 2 * count - (1 if label == "org.Office" else 0)  # headquarters is not copied
        # A record whose copy would repeat a unique combination (one of headquarters') is not copied.
        assert 0.9 * expected <= after[label] <= expected, (label, count, after[label])
    assert "Demo copied to 2 times over" in scaled["output"]


def test_scale_adds_area_offices_inside_their_region_in_countries_of_that_region(scaled):
    copies = Office.objects.filter(code__regex=r"-[0-9]+$").select_related("country", "region")
    assert copies.count() == Office.objects.exclude(kind=Office.Kind.HEADQUARTERS).count() / 2
    for office in copies:
        assert office.kind == Office.Kind.AREA
        assert office.region_id is not None
        assert office.country.region_id == office.region_id, office.code
        covered = set(office.covered_countries.values_list("region_id", flat=True))
        assert covered == {office.region_id}, office.code
        Office.objects.get(code=office.code.rsplit("-", 1)[0], region=office.region)


def test_every_scoped_record_of_a_copy_has_its_office_in_its_region(scaled):
    checked = 0
    for label in SCALED:
        model = apps.get_model(label)
        scope = model.scope
        if not scope.region or not scope.office:
            continue
        rows = model._default_manager.filter(pk__gt=scaled["max_pk"][label]).values_list(
            scope.region, f"{scope.office}__region", f"{scope.office}__kind"
        )
        for region_id, office_region_id, kind in rows:
            if kind != Office.Kind.HEADQUARTERS and region_id is not None:
                assert region_id == office_region_id, label
                checked += 1
    assert checked > 5000


def test_every_copied_record_passes_its_model_validation(scaled):
    for label in SCALED:
        model = apps.get_model(label)
        copies = list(model._default_manager.filter(pk__gt=scaled["max_pk"][label]).order_by("pk")[:25])
        assert copies, label
        for record in copies:
            try:
                record.full_clean()
            except ValidationError as error:  # pragma: no cover - the message names the record
                pytest.fail(f"{label} {record.pk}: {error}")


def test_table1_at_scale_two_doubles_each_region_and_still_reconciles(scaled):
    after = _table1_figures(2023)
    for label, (projects, total) in scaled["table1"].items():
        assert after[label] == (2 * projects, 2 * total), label
    admin = get_user_model().objects.get(username="admin")
    result = reconcile_csv(table1_csv(table1(user=admin, year=2023)).decode("utf-8-sig"))
    assert result.reconciles, result.findings


def test_demo_at_the_same_scale_again_changes_nothing(scaled):
    counts = _counts()
    out = io.StringIO()
    call_command("demo", scale=2, stdout=out)
    call_command("demo", stdout=out)
    assert _counts() == counts
    assert "already there 2 times over" in out.getvalue()


def test_demo_at_another_scale_of_a_scaled_database_is_refused(scaled):
    counts = _counts()
    with pytest.raises(CommandError, match="already there 2 times over; --scale 3"):
        call_command("demo", scale=3, stdout=io.StringIO())
    assert _counts() == counts


@pytest.mark.parametrize("scale", [0, -2, 1001])
def test_demo_scale_out_of_range_is_refused(db, scale):
    with pytest.raises(CommandError, match=f"--scale must be a whole number from 1 to 1000, not {scale}"):
        call_command("demo", scale=scale, stdout=io.StringIO())


def test_suffixed_codes_fit_their_field():
    assert suffixed("OP23-AFR-01", 7, 30) == "OP23-AFR-01-7"
    assert suffixed("X" * 30, 100, 30) == "X" * 26 + "-100"


def test_copied_models_are_ordered_after_what_they_refer_to():
    labels = [
        "resilience.Finding",
        "portfolio.Funding",
        "resilience.Assessment",
        "portfolio.Project",
        "org.Office",
    ]
    ordered = [m._meta.label for m in in_dependency_order(apps.get_model(label) for label in labels)]
    assert (
        ordered.index("org.Office") < ordered.index("portfolio.Project") < ordered.index("portfolio.Funding")
    )
    assert ordered.index("resilience.Assessment") < ordered.index("resilience.Finding")


@isolate_apps("presence.core")
def test_a_cycle_of_foreign_keys_is_refused_by_name():
    class Left(models.Model):  # noqa: DJ008
        right = models.ForeignKey("Right", on_delete=models.CASCADE)

        class Meta:
            app_label = "core"

    class Right(models.Model):  # noqa: DJ008
        left = models.ForeignKey(Left, on_delete=models.CASCADE)

        class Meta:
            app_label = "core"

    with pytest.raises(ValueError, match=r"a cycle of foreign keys\): core.Left, core.Right"):
        in_dependency_order([Left, Right])
