"""A Council document in a browser: written by an HQ editor with a live figure, submitted, approved by
another user, downloaded as PDF with the figure frozen, while the next draft shows the figure live."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from pypdf import PdfReader

from presence.council.models import DocumentVersion
from presence.portfolio import services as portfolio_services
from presence.portfolio.models import Project
from presence.portfolio.services import PROJECT_FIELDS
from tests.e2e.conftest import ARTIFACTS, screenshot

pytestmark = pytest.mark.e2e

NUMBER = "CWG-FHR-21/3"
NOTE = "Counted from the project records."
SENTENCE = "In 2024 the Bureau implemented {} projects in the regions."
BODY = """Introduction to the projects of 2024.

# Projects of the year

- In 2024 the Bureau implemented {{projects_ongoing year=2024}} projects in the regions.[^NOTE]
""".replace("NOTE", NOTE)


def dashboard_projects(page: Any, site: str) -> int:
    """The dashboard's count of on-going projects in 2024, as its tile shows it."""
    page.goto(f"{site}/dashboard/?year=2024")
    return int(page.locator('[data-figure="projects"]').first.inner_text().replace(",", ""))


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def download(page: Any, label: str, name: str) -> bytes:
    """Click a download link of the version page; the file, kept among the test artifacts too."""
    with page.expect_download() as info:
        page.click(f'main .actions a:text-is("{label}")')
    path = Path(info.value.path())
    content = path.read_bytes()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_bytes(content)
    return content


def log_out(page: Any) -> None:
    page.click("form[action$='/accounts/logout/'] button")
    page.wait_for_load_state()


def log_in(page: Any, site: str, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "presence-demo")
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def step_button(page: Any, step: str) -> Any:
    return page.locator(f'form button[name="step"][value="{step}"]')


def test_write_submit_approve_and_download_the_frozen_pdf(
    session: Callable[..., Any], demo_site: str
) -> None:
    page = session("hq.editor")
    page.set_default_timeout(90_000)  # a loaded machine lays out PDFs slowly
    projects = dashboard_projects(page, demo_site)
    assert projects > 0

    # A new document, then a draft of its English version.
    page.goto(f"{demo_site}/council/")
    page.click("text=New Council document")
    page.fill("#id_number", NUMBER)
    page.fill("#id_title", "Report on regional presence projects")
    page.fill("#id_governing_body", "Council Working Group on financial and human resources")
    page.fill("#id_session", "Twenty-first meeting, Geneva, 2025")
    page.fill("#id_year_from", "2024")
    page.fill("#id_year_to", "2024")
    page.fill("#id_languages", "en")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".page-head h1").inner_text().startswith(NUMBER)
    page.click("text=Start a draft")
    page.wait_for_load_state()
    assert "/edit/" in page.url

    # A misspelt field is refused at save time, naming the field; the corrected text is saved.
    page.fill("#id_date", "2025-02-03")
    page.fill("#id_purpose", "This document reports the projects of 2024.")
    page.fill("#id_body", BODY.replace("projects_ongoing", "projets_ongoing"))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/edit/" in page.url
    error = page.locator("#id_body_error").inner_text()
    assert "line 5: unknown field “projets_ongoing”" in error
    page.fill("#id_body", BODY)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/edit/" not in page.url
    version_url = page.url
    assert SENTENCE.format(projects) in " ".join(page.locator(".council-page").inner_text().split())
    figure = page.locator('.council-page a.figure[title^="projects_ongoing"]')
    assert figure.inner_text() == str(projects)
    assert "/portfolio/projects/" in (figure.get_attribute("href") or "")

    # The preview is the printed document.
    page.click("text=Preview as printed")
    page.wait_for_load_state()
    assert SENTENCE.format(projects) in " ".join(page.locator("body").inner_text().split())
    page.goto(version_url)

    # Submitted; the author may not approve (no button, and the step itself is refused).
    step_button(page, "submit").click()
    page.wait_for_load_state()
    assert "In review" in page.locator(".page-head h1").inner_text()
    assert step_button(page, "approve").count() == 0
    screenshot(page, "council-in-review-author")

    # Another user, an approver at headquarters, approves.
    log_out(page)
    log_in(page, demo_site, "hq.approver")
    page.goto(version_url)
    step_button(page, "approve").click()
    page.wait_for_load_state()
    assert "Approved" in page.locator(".page-head h1").inner_text()
    assert "figures are frozen" in page.locator("main").inner_text()
    screenshot(page, "council-approved")

    # The frozen PDF holds the sentence with the computed value.
    approved_pdf = download(page, "PDF", "council-approved.pdf")
    assert approved_pdf.startswith(b"%PDF")
    text = pdf_text(approved_pdf)
    assert SENTENCE.format(projects) in text
    assert NUMBER in text
    assert "Approved version: figures frozen" in text
    assert NOTE in text  # the footnote, printed at the foot of the page

    # A record changes: one more project on-going in 2024.
    admin = get_user_model().objects.get(username="admin")
    counted = Project.objects.filter(status=Project.Status.IMPLEMENTATION, planned_start__year__lte=2024)
    model = counted.filter(planned_end__year__gte=2024).order_by("code").first()
    assert model is not None
    copy = {name: getattr(model, name) for name in PROJECT_FIELDS}
    portfolio_services.project_create(actor=admin, **{**copy, "code": "E2E-COUNCIL-1"})
    assert dashboard_projects(page, demo_site) == projects + 1

    # The approved version still prints the frozen value.
    page.goto(version_url)
    text = pdf_text(download(page, "PDF", "council-approved-again.pdf"))
    assert SENTENCE.format(projects) in text
    assert SENTENCE.format(projects + 1) not in text

    # The next draft, written by an administrator (who may approve), shows the new value and the change.
    log_out(page)
    log_in(page, demo_site, "admin")
    page.goto(version_url)
    page.click(f'nav.breadcrumbs a:text-is("{NUMBER}")')
    page.wait_for_load_state()
    page.click("text=Start a draft")
    page.wait_for_load_state()
    page.fill("#id_note", "Figures brought up to date.")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    draft_url = page.url
    changed = page.locator("section[aria-labelledby=changed-heading]")
    assert "projects_ongoing" in changed.inner_text()
    row = " ".join(changed.locator("tbody tr").first.inner_text().split())
    assert re.search(rf"\b{projects}\b.*\b{projects + 1}\b", row), row
    marked = " ".join(page.locator(".council-page").inner_text().split())
    assert SENTENCE.format(f"{projects} {projects + 1}") in marked  # the approved value struck through
    assert page.locator(".council-page del.figure-old").inner_text() == str(projects)
    screenshot(page, "council-draft-changed")
    text = pdf_text(download(page, "PDF", "council-draft.pdf"))
    assert SENTENCE.format(projects + 1) in text
    assert "Draft: figures computed from the records" in text

    # The administrator submits it and may not approve their own version: no button, and refused.
    step_button(page, "submit").click()
    page.wait_for_load_state()
    assert "In review" in page.locator(".page-head h1").inner_text()
    assert step_button(page, "approve").count() == 0
    assert page.locator("[data-own-version]").count() == 1
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    current = DocumentVersion.objects.get(document__number=NUMBER, number=2)
    response = page.request.post(
        draft_url + "status/",
        form={"step": "approve", "version": str(current.version)},
        headers={"X-CSRFToken": token, "Referer": draft_url},
        max_redirects=0,
    )
    assert response.status == 403
    current.refresh_from_db()
    assert current.status == DocumentVersion.Status.IN_REVIEW
    assert current.frozen is None

    # Side by side: the approved and the draft version, the figure changed.
    page.goto(draft_url)
    page.click(f'nav.breadcrumbs a:text-is("{NUMBER}")')
    page.wait_for_load_state()
    page.select_option("#id_a", label=f"{NUMBER} (en) v1")
    page.select_option("#id_b", label=f"{NUMBER} (en) v2")
    page.click('form[action$="/compare/"] button[type=submit]')
    page.wait_for_load_state()
    assert "/compare/" in page.url
    compared = " ".join(page.locator("main").inner_text().split())
    assert SENTENCE.format(projects) in compared
    assert SENTENCE.format(projects + 1) in compared
    changed_row = " ".join(page.locator("tr.changed").first.inner_text().split())
    assert changed_row.startswith("projects_ongoing"), changed_row
    assert re.search(rf"\b{projects}\b.*\b{projects + 1}\b", changed_row), changed_row
    screenshot(page, "council-compare")
