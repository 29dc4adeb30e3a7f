"""The registry declares every record the API lets a client change, but for the workflows tested apart."""

from __future__ import annotations

import re

from presence.api import api
from tests.kit.registry import RECORD_TYPES

# Record routes whose writes follow a workflow, with the tests that cover them.
WORKFLOWS = {
    "/api/council/documents/": "tests/council/ (drafts, approval freezes the figures)",
    "/api/council/versions/": "tests/council/",
    "/api/resilience/assessments/": "tests/resilience/test_workflow.py",
    "/api/resilience/findings/": "tests/resilience/test_workflow.py",
    "/api/results/reviews/": "tests/results/test_workflow.py",
    "/api/staffing/posts/{pk}/actions/": "tests/staffing/test_deletes.py, test_staffing.py",
}


def test_every_record_route_that_writes_has_a_record_type_or_a_workflow() -> None:
    routes = {
        path.rsplit("/", 1)[0] + "/"
        for path, methods in api.get_openapi_schema()["paths"].items()
        if re.search(r"\{\w+\}$", path) and {"patch", "delete"} & set(methods)
    }
    declared = {rt.api_list.split("?")[0] for rt in RECORD_TYPES if rt.api_list}
    assert routes - declared == set(WORKFLOWS)
    assert not set(WORKFLOWS) & declared


def test_record_type_names_are_unique() -> None:
    names = [rt.name for rt in RECORD_TYPES]
    assert len(names) == len(set(names))
