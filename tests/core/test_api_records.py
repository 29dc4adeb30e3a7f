"""record_routes: the generated GET/PATCH/DELETE handlers look like hand-written ones to ninja."""

from __future__ import annotations

from presence.api import api


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
    ids = [operation["operationId"] for operation in operations.values()]
    assert len(ids) == len(set(ids))
