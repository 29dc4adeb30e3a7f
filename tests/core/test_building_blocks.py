"""The small helpers every app shares, defined once in core."""

from __future__ import annotations

import pytest

from presence.core.services import only_fields


def test_only_fields_returns_a_copy_of_an_allowed_payload():
    data = {"title": "A", "year": 2024}
    kept = only_fields(data, ("title", "year", "note"))
    assert kept == data
    kept["title"] = "B"
    assert data["title"] == "A"


def test_only_fields_refuses_an_unknown_field_by_name():
    with pytest.raises(TypeError, match="Unknown fields: colour, size"):
        only_fields({"title": "A", "size": 1, "colour": "red"}, ("title",))
