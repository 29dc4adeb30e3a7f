"""Reference data and demo users load idempotently.

The demo test comes last: its module-wide demo data stays until the module ends."""

from __future__ import annotations

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from presence.core.models import AuditEntry
from presence.org.models import Country, Office, Priority, Region, RoleAssignment


def test_reference_data_matches_the_organization(reference):
    assert list(Region.objects.values_list("code", flat=True)) == [
        "AFR",
        "AMS",
        "ARB",
        "ASP",
        "CIS",
        "EUR",
        "MUL",
    ]
    assert not Region.objects.get(code="MUL").is_geographic
    assert Office.objects.count() == 14
    assert Office.objects.get(code="geneva").kind == "headquarters"
    assert Office.objects.get(code="bridgetown").covered_countries.count() == 14
    assert Office.objects.get(code="new-delhi").covered_countries.count() == 9
    assert Country.objects.count() >= 193
    assert Priority.objects.filter(cycle=2022, kind="priority").count() == 5


def test_user_edits_survive_reloading_reference_data(reference):
    Office.objects.filter(code="dakar").update(name="Dakar (renamed)")
    call_command("reference", stdout=StringIO())
    assert Office.objects.get(code="dakar").name == "Dakar (renamed)"


def test_demo_command_twice_changes_nothing(demo):
    # The demo fixture is the demo command's own result (built once per test process, tests/demo_db.py),
    # so running the command once more here is its second run.
    counts = (
        Region.objects.count(),
        Country.objects.count(),
        Office.objects.count(),
        get_user_model().objects.count(),
        RoleAssignment.objects.count(),
        AuditEntry.objects.count(),
    )
    assert counts[3] > 1  # the demo is there
    assert counts[5] > 0
    out = StringIO()
    call_command("demo", stdout=out)
    assert counts == (
        Region.objects.count(),
        Country.objects.count(),
        Office.objects.count(),
        get_user_model().objects.count(),
        RoleAssignment.objects.count(),
        AuditEntry.objects.count(),
    )
    assert "afr.editor" in out.getvalue()
