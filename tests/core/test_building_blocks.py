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


def test_get_or_404_reads_a_restricted_queryset_a_model_or_a_selector(reference, make_user):
    from django.http import Http404

    from presence.core.selectors import get_or_404
    from presence.org import selectors
    from presence.org.models import Office, Region

    assert get_or_404(Region, code="AFR").code == "AFR"
    assert get_or_404(selectors.region_get, user=make_user("global", ("viewer",)), code="ASP").code == "ASP"

    # A record outside the queryset is as absent as one that does not exist, and the 404 names the type.
    afr_editor = make_user("afr-editor", ("editor", "AFR"))
    dakar = Office.objects.get(code="dakar")
    bangkok = Office.objects.get(code="bangkok")
    african = Office.objects.filter(region__code="AFR")  # as a selector narrows it
    assert get_or_404(african, pk=dakar.pk) == dakar
    with pytest.raises(Http404, match=r"^No such office, or you may not see it\.$"):
        get_or_404(african, pk=bangkok.pk)
    with pytest.raises(Http404, match=r"^No such region, or you may not see it\.$"):
        get_or_404(selectors.region_get, user=afr_editor, code="XXX")


def test_a_page_and_the_api_answer_404_naming_the_record(reference, make_user, login, client):
    login(make_user("global", ("viewer",)))
    page = client.get("/org/offices/NOPE/")
    assert page.status_code == 404
    api = client.get("/api/staffing/posts/999999")
    assert api.status_code == 404
    assert api.json()["detail"] == "No such post, or you may not see it."


def test_the_404_names_the_record_in_the_users_language(reference):
    from django.http import Http404
    from django.utils import translation

    from presence.core.selectors import get_or_404
    from presence.org.models import Region

    with translation.override("fr"), pytest.raises(Http404) as raised:
        get_or_404(Region, code="XXX")
    assert str(raised.value).startswith("Cet enregistrement (région) n")
