"""The coverage page links each crisis-comms count to its page; the common tests of planning documents,
installations and counts (pages, API, versions, audit, refusals) are the kit's (tests/kit/)."""

from __future__ import annotations

from django.urls import reverse

from tests.kit.records_resilience import make_registration
from tests.kit.types import Ctx


def test_the_coverage_page_links_each_count_to_its_page_and_the_timeline_route_still_answers(
    reference, make_user, login
):
    record = make_registration(Ctx(make_user))
    client = login(make_user("viewer", ("viewer",)))
    assert record.get_absolute_url() in client.get(reverse("resilience:coverage")).content.decode()
    assert client.get(record.get_absolute_url()).status_code == 200
    assert client.get("/api/resilience/installations/timeline").status_code == 200
    listed = client.get("/api/resilience/registrations/").json()
    assert [item["id"] for item in listed["items"]] == [record.pk]
