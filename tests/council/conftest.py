"""Council documents: HQ users who write and approve, and a document with one draft."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from presence.council import services
from presence.council.models import CouncilDocument, DocumentVersion

BODY = """Introduction with {{projects_ongoing year=2023}} projects.

# First section

- A dash paragraph with {{forums year=2023 words=yes}} forums.[^A footnote.]
"""


@pytest.fixture
def hq(reference: None, make_user: Callable[..., Any]) -> dict[str, Any]:
    return {
        "editor": make_user("hq-editor", ("editor", "office:geneva")),
        "approver": make_user("hq-approver", ("approver", "office:geneva")),
        "both": make_user("hq-both", ("editor", "office:geneva"), ("approver", "office:geneva")),
        "afr_editor": make_user("afr-editor", ("editor", "AFR")),
        "afr_approver": make_user("afr-approver", ("approver", "AFR")),
        "delegate": make_user("delegate", ("member_state",)),
    }


@pytest.fixture
def document(hq: dict[str, Any]) -> CouncilDocument:
    return services.document_create(
        actor=hq["editor"],
        governing_body="Council Working Group on financial and human resources",
        session="Twentieth meeting",
        number="CWG-FHR-20/99",
        title="Report on regional presence",
        year_from=2023,
        year_to=2024,
        languages="en,fr",
    )


@pytest.fixture
def draft(document: CouncilDocument, hq: dict[str, Any]) -> DocumentVersion:
    import datetime as dt

    return services.version_create(
        actor=hq["editor"], document=document, language="en", date=dt.date(2024, 9, 2), body=BODY
    )
