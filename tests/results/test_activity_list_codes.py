"""The activity list reads each activity's outputs and countries as text with the activity (one row per
activity): the codes shown are those of its records, in their order, on the page and in the export."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model

from presence.results import selectors
from presence.results.models import Activity


def _codes_of_the_records(activity: Activity) -> tuple[str, str]:
    outputs = ", ".join(output.code for output in activity.outputs.all())
    countries = ", ".join(country.iso2 for country in activity.countries.all())
    return outputs, countries


def test_every_activitys_codes_are_those_of_its_outputs_and_countries(demo: None) -> None:
    admin = get_user_model().objects.get(username="admin")
    table = list(selectors.activity_table(user=admin))
    listed = selectors.activity_list(user=admin)
    assert [a.pk for a in table] == [a.pk for a in listed]
    records = {a.pk: _codes_of_the_records(a) for a in listed}
    assert any(", " in outputs for outputs, _countries in records.values())
    assert any(countries for _outputs, countries in records.values())
    for activity in table:
        assert (activity.output_codes or "", activity.country_codes or "") == records[activity.pk]


def test_the_page_and_the_export_show_the_records_codes(demo: None, login: Callable[[Any], Any]) -> None:
    admin = get_user_model().objects.get(username="admin")
    client = login(admin)
    page = client.get("/results/activities/?year=2024&level=country")
    assert page.status_code == 200
    shown = list(page.context["page"])
    assert shown
    html = page.content.decode()
    for activity in shown:
        outputs, countries = _codes_of_the_records(Activity.objects.get(pk=activity.pk))
        assert f"<td>{outputs}</td>" in html
        assert f": {countries}</td>" in html
    export = client.get("/results/activities/?year=2024&format=csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    expected = {a.code: _codes_of_the_records(a) for a in selectors.activity_list(user=admin, year=2024)}
    assert len(rows) == len(expected) > 0
    for row in rows:
        assert (row["outputs"], row["countries"]) == expected[row["code"]]
