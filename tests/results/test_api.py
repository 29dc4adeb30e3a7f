"""The results API: framework progress, activities, indicator values and the review workflow."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from presence.results.models import Indicator, IndicatorValue, QuarterlyReview
from tests.results.conftest import Plan


@pytest.fixture
def people(make_user: Callable[..., Any], plan: Plan) -> dict[str, Any]:
    return {
        "editor": make_user("afr-editor", ("editor", "AFR")),
        "approver": make_user("afr-approver", ("approver", "AFR")),
        "asp_approver": make_user("asp-approver", ("approver", "ASP")),
    }


def _post(client: Any, url: str, body: dict[str, Any] | None = None, **headers: str) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json", headers=headers)


def test_framework_endpoint_gives_the_tree_with_progress(
    plan: Plan, admin_user: Any, login: Callable[[Any], Any]
) -> None:
    indicator = Indicator.objects.create(code="X", name="X", output=plan.output)
    IndicatorValue.objects.create(indicator=indicator, year=2024, target=Decimal(10), actual=Decimal(4))
    body = login(admin_user).get("/api/results/framework?year=2024").json()
    assert body["code"] == "SP2024-2027"
    output = body["goals"][0]["children"][0]["children"][0]["children"][0]
    assert output["code"] == "1.1.1"
    assert Decimal(output["progress"]) == Decimal("0.4")


def test_activity_create_reports_field_errors(
    plan: Plan, people: dict[str, Any], login: Callable[[Any], Any]
) -> None:
    client = login(people["editor"])
    activity = {
        "year": 2024,
        "code": "X1",
        "title": "Workshop",
        "level": "country",
        "region": "AFR",
        "responsible_office": "dakar",
        "outputs": [plan.output.pk],
    }
    response = _post(client, "/api/results/activities/", {**activity, "countries": ["TH"]})
    assert response.status_code == 422
    assert "countries" in response.json()["errors"]
    ok = _post(
        client, "/api/results/activities/", {**activity, "countries": ["SN"], "planned_budget": "5000"}
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["countries"] == ["SN"]
    denied = _post(
        client,
        "/api/results/activities/",
        {"year": 2024, "code": "X2", "title": "Elsewhere", "region": "ASP", "responsible_office": "bangkok"},
    )
    assert denied.status_code == 403


def test_review_workflow_over_the_api(
    plan: Plan, people: dict[str, Any], admin_user: Any, login: Callable[[Any], Any]
) -> None:
    activity = plan.make_activity(office=plan.dakar)
    client = login(admin_user)  # Q1 2024 has closed for editors, so an administrator writes it
    created = _post(
        client,
        "/api/results/reviews/",
        {"period": plan.q1.pk, "activity": activity.pk, "rating": "on_track", "progress": "Held."},
    )
    assert created.status_code == 201, created.content
    review_id = created.json()["id"]
    etag = created["ETag"]
    no_etag = _post(client, f"/api/results/reviews/{review_id}/submit")
    assert no_etag.status_code == 428
    submitted = _post(client, f"/api/results/reviews/{review_id}/submit", None, **{"If-Match": etag})
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    outsider = login(people["asp_approver"])
    hidden = outsider.get(f"/api/results/reviews/{review_id}")
    assert hidden.status_code == 404  # outside their scope they do not even see it
    approver = login(people["approver"])
    current = approver.get(f"/api/results/reviews/{review_id}")["ETag"]
    no_comment = _post(
        approver, f"/api/results/reviews/{review_id}/return", {"comment": ""}, **{"If-Match": current}
    )
    assert no_comment.status_code == 422
    approved = _post(approver, f"/api/results/reviews/{review_id}/approve", **{"If-Match": current})
    assert approved.status_code == 200
    again = _post(approver, f"/api/results/reviews/{review_id}/approve", **{"If-Match": approved["ETag"]})
    assert again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"
    reopened = _post(
        login(admin_user),
        f"/api/results/reviews/{review_id}/reopen",
        {"comment": "Wrong figures"},
        **{"If-Match": approved["ETag"]},
    )
    assert reopened.json()["status"] == "draft"
    assert QuarterlyReview.objects.get().status == "draft"


def test_periods_and_indicator_values(
    plan: Plan, people: dict[str, Any], login: Callable[[Any], Any]
) -> None:
    client = login(people["editor"])
    periods = client.get("/api/results/periods/?year=2024").json()
    assert [p["quarter"] for p in periods] == [1, 2]
    assert all(p["closed"] for p in periods)
    activity = plan.make_activity()
    indicator = Indicator.objects.create(
        code="K", name="K", activity=activity, region=activity.region, office=activity.responsible_office
    )
    annual = client.put(
        f"/api/results/indicators/{indicator.pk}/values",
        json.dumps({"year": 2024, "target": "40"}),
        content_type="application/json",
    )
    assert annual.status_code == 200, annual.content
    closed = client.put(
        f"/api/results/indicators/{indicator.pk}/values",
        json.dumps({"year": 2024, "quarter": 1, "actual": "10"}),
        content_type="application/json",
    )
    assert closed.status_code == 409
    assert "closed for editors" in closed.json()["detail"]
