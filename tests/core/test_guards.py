"""core asks the access mechanism through the registry org fills at start (core/guards.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from presence.core import guards
from presence.org import access


def test_org_installs_its_access_functions_when_django_starts() -> None:
    installed = guards.guards()
    assert installed.moves is access.moves
    assert installed.check_move is access.check_move


def test_core_refuses_to_guess_when_no_access_mechanism_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guards, "_installed", None)
    with pytest.raises(ImproperlyConfigured, match=r"presence\.org is not installed"):
        guards.guards()
