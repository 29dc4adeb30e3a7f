"""record_routes: the generated GET/PATCH/DELETE handlers look like hand-written ones to ninja."""

from __future__ import annotations

from presence.api import api
from tests.kit.steps import patch_json, post_json


def test_generated_routes_keep_the_operation_ids_and_summaries_of_hand_written_ones() -> None:
    schema = api.get_openapi_schema()
    operations = {
        (path, method): operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    event = operations[("/api/engagement/events/{pk}", "patch")]
    assert event["operationId"] == "presence_engagement_api_update_event"
    assert event["summary"] == "Update Event"
    assert "requestBody" in event
    funding = operations[("/api/portfolio/fundings/{pk}", "delete")]
    assert funding["operationId"] == "presence_portfolio_api_delete_funding"
    partner = operations[("/api/portfolio/partners/{pk}", "delete")]
    assert "refused (409)" in partner["description"]
    # Created through record_routes too, named as the hand-written create was.
    created = operations[("/api/engagement/events/", "post")]
    assert created["operationId"] == "presence_engagement_api_create_event"
    assert created["summary"] == "Create Event"
    assert 201 in created["responses"]
    # Records read by code: the path parameter is the code, a string.
    office = operations[("/api/org/offices/{code}", "patch")]
    assert office["operationId"] == "presence_org_api_update_office"
    assert [(p["name"], p["schema"]["type"]) for p in office["parameters"]] == [("code", "string")]
    assert "refused (409)" in operations[("/api/portfolio/funding-sources/{code}", "delete")]["description"]
    # Records read only through their lists have no GET of their own.
    assert ("/api/portfolio/budgets/{pk}", "get") not in operations
    assert operations[("/api/portfolio/transactions/{pk}", "delete")]["operationId"] == (
        "presence_portfolio_api_delete_transaction"
    )
    ids = [operation["operationId"] for operation in operations.values()]
    assert len(ids) == len(set(ids))


def test_a_record_read_by_code_is_read_changed_and_deleted_at_its_code(reference, make_user, client) -> None:

    from presence.portfolio.models import FundingSource

    client.force_login(make_user("global-admin", ("admin",)))
    created = post_json(
        client,
        "/api/portfolio/funding-sources/",
        {"code": "TST", "name": "Test fund", "kind": FundingSource.Kind.choices[0][0]},
    )
    assert created.status_code == 201, created.content
    url = "/api/portfolio/funding-sources/TST"
    read = client.get(url)
    assert read.status_code == 200
    assert read.json()["name"] == "Test fund"
    changed = patch_json(client, url, {"name": "Renamed"}, read["ETag"])
    assert changed.status_code == 200, changed.content
    assert changed.json()["name"] == "Renamed"
    assert client.get("/api/portfolio/funding-sources/NOPE").status_code == 404
    stale = client.delete(url, headers={"If-Match": read["ETag"]})
    assert stale.status_code == 412
    assert client.delete(url, headers={"If-Match": changed["ETag"]}).status_code == 204
    assert not FundingSource.objects.filter(code="TST").exists()
