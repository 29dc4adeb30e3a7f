"""No people's names for member-state viewers, anywhere: pages, History, exports, documents and the API.

The demo data is crawled as `delegate` (member-state viewer) and as `admin`: the names of the demo
people (their accounts and every declared personal field's values) must never appear for the
delegate, and must appear for the administrator (so the crawl really reaches them).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import openpyxl
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client

from presence.core import formatting
from presence.org.personal import personal_fields

# Bounds of the crawl: at most this many pages of one URL shape (digits replaced), and in all.
PER_SHAPE = 2
MAX_PAGES = 450
SKIPPED_PREFIXES = ("/static/", "/media/", "/admin/", "/accounts/logout", "/api/docs", "/i18n/")


def _split_values(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,\n]| and ", value) if len(part.strip()) >= 4]


def demo_people(reader: Any) -> dict[str, str]:
    """The demo people's names, each with where it comes from (the reader's own account left out)."""
    names: dict[str, str] = {}
    for user in get_user_model().objects.exclude(pk=reader.pk):
        full = user.get_full_name().strip()
        if user.first_name and user.last_name:
            names[full] = f"user {user.username}"
        if len(user.first_name) >= 4:
            names.setdefault(user.first_name, f"first name of {user.username}")
        if re.search(r"[._\d]", user.username):
            names[user.username] = f"username {user.username}"
    for model in apps.get_models():
        declared = getattr(model, "personal_fields", ())
        for name in declared:
            model_field = model._meta.get_field(name)
            if model_field.is_relation:
                continue  # accounts: their names are collected above
            values = model._default_manager.exclude(**{name: ""}).values_list(name, flat=True).distinct()
            for value in values:
                for part in _split_values(str(value)):
                    names.setdefault(part, f"{model.__name__}.{name}")
    return names


@dataclass
class Crawl:
    """What a reader was shown: every text fetched, by URL."""

    texts: dict[str, str] = field(default_factory=dict)
    exports: list[str] = field(default_factory=list)
    api_lists: list[str] = field(default_factory=list)


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _xlsx_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    cells = [
        str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row
    ]
    return "\n".join(value for value in cells if value not in ("None", ""))


def _docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as document:
        xml = document.read("word/document.xml").decode("utf-8")
    return re.sub(r"<[^>]+>", " ", xml)


def _text(response: Any) -> str:
    content_type = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        return _xlsx_text(content)
    if "wordprocessingml" in content_type:
        return _docx_text(content)
    return content.decode("utf-8", errors="replace")


HREF = re.compile(r"""href=["']([^"'#]+)["']""")


def crawl(client: Client) -> Crawl:
    """Pages from the home page and the navigation, their links and the exports they offer; the API lists."""
    seen: Crawl = Crawl()
    queue: deque[str] = deque(["/"])
    queued = {"/"}
    shapes: Counter[str] = Counter()
    while queue and len(seen.texts) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200:
            continue
        text = _text(response)
        seen.texts[url] = text
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(text):
            parts = urlsplit(urljoin(url, href.replace("&amp;", "&")))
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(SKIPPED_PREFIXES):
                continue
            export = re.search(r"(?:^|&)format=(csv|xlsx|docx)(?:&|$)", parts.query)
            if parts.query and not export:
                continue
            target = f"{parts.path}?{parts.query}" if export else parts.path
            key = _shape(parts.path) + (f"?{export.group(1)}" if export else "")
            if target in queued or shapes[key] >= PER_SHAPE:
                continue
            shapes[key] += 1
            queued.add(target)
            queue.append(target)
            if export:
                seen.exports.append(target)
    schema = client.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        if "get" not in operations or "{" in path:
            continue
        response = client.get(path)
        if response.status_code == 200:
            seen.texts[path] = _text(response)
            seen.api_lists.append(path)
    return seen


def leaks(seen: Crawl, names: dict[str, str]) -> dict[str, list[str]]:
    """For each name shown, where (up to three URLs)."""
    longest_first = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, longest_first)) + r")(?!\w)")
    found: dict[str, list[str]] = {}
    for url, text in seen.texts.items():
        for name in set(pattern.findall(text)):
            found.setdefault(name, []).append(url)
    return {name: urls[:3] for name, urls in found.items()}


def _login(username: str) -> tuple[Client, Any]:
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    return client, user


def replay(client: Client, urls: list[str]) -> Crawl:
    """The same URLs, fetched by another reader."""
    seen = Crawl()
    for url in urls:
        response = client.get(url)
        if response.status_code == 200:
            seen.texts[url] = _text(response)
    return seen


@pytest.fixture(scope="module")
def delegate_crawl(demo_module: None, django_db_blocker: Any) -> tuple[Any, Crawl]:
    """The member-state delegate's crawl of the demo, made once for the module."""
    with django_db_blocker.unblock():
        client, delegate = _login("delegate")
        return delegate, crawl(client)


def test_delegate_sees_no_demo_persons_name_on_any_page_export_or_api_list(
    demo: None, delegate_crawl: tuple[Any, Crawl]
) -> None:
    delegate, seen = delegate_crawl
    names = demo_people(delegate)

    assert len(seen.texts) > 200, sorted(seen.texts)
    assert len(seen.exports) > 10, seen.exports
    assert {"/api/results/reviews/", "/api/portfolio/projects/", "/api/staffing/posts/"} <= set(
        seen.api_lists
    )
    assert leaks(seen, names) == {}


def test_administrator_finds_the_demo_persons_names_on_the_same_pages(
    demo: None, delegate_crawl: tuple[Any, Crawl]
) -> None:
    client, admin = _login("admin")
    names = demo_people(admin)
    seen = replay(client, list(delegate_crawl[1].texts))

    found = leaks(seen, names)
    sources = {names[name].split(" ")[0] for name in found}
    # Accounts (authors, submitters, deciders) and the declared fields of projects, assessments
    # and posts all reach the administrator through the very URLs the delegate was shown.
    assert {"user", "Project.manager_name", "Assessment.assessors", "Post.incumbent"} <= sources, found


def test_every_model_declares_authorship_as_personal_besides_its_own_fields() -> None:
    from presence.portfolio.models import Project
    from presence.results.models import QuarterlyReview

    assert personal_fields(Project) == ("manager_name", "created_by", "updated_by")
    assert personal_fields(QuarterlyReview)[:2] == ("submitted_by", "decided_by")
    for model in apps.get_models():
        for name in personal_fields(model):
            assert isinstance(model._meta.get_field(name), models.Field), (model, name)


# The defects found on the member-state view, one test each (same demo data as the crawl).


def _page(username: str, url: str) -> str:
    client, _user = _login(username)
    response = client.get(url)
    assert response.status_code == 200, (username, url, response.status_code)
    return response.content.decode()


def test_history_hides_authors_and_manager_names_from_member_state_viewer(demo: None) -> None:
    from presence.portfolio.models import Project
    from presence.portfolio.services import project_update

    editor = get_user_model().objects.get(username="dakar.editor")
    project = Project.objects.filter(lead_office__code="dakar").first()
    assert project is not None
    before = project.manager_name
    project = project_update(
        actor=editor, project=project, expected_version=project.version, manager_name="Zeynep Okonkwo-Test"
    )
    url = project.get_absolute_url()

    delegate_page = _page("delegate", url)
    assert "Moussa Editor" not in delegate_page
    assert "Zeynep Okonkwo-Test" not in delegate_page
    assert not before or before not in delegate_page
    assert "a staff member" in delegate_page  # the History entry is there, without its author
    admin_page = _page("admin", url)
    assert "Moussa Editor" in admin_page
    assert "Zeynep Okonkwo-Test" in admin_page


def test_review_page_hides_submitter_and_decider_from_member_state_viewer(demo: None) -> None:
    from presence.results.models import QuarterlyReview

    review = (
        QuarterlyReview.objects.filter(submitted_by__isnull=False, decided_by__isnull=False)
        .select_related("submitted_by", "decided_by")
        .first()
    )
    assert review is not None
    submitter = review.submitted_by.get_full_name()
    decider = review.decided_by.get_full_name()
    url = review.get_absolute_url()

    delegate_page = _page("delegate", url)
    assert submitter not in delegate_page
    assert decider not in delegate_page
    assert review.submitted_at is not None
    assert formatting.moment(review.submitted_at) in delegate_page  # when, without who
    admin_page = _page("admin", url)
    assert submitter in admin_page
    assert decider in admin_page


def test_assessment_history_hides_assessors_from_member_state_viewer(demo: None) -> None:
    from presence.resilience.models import Assessment
    from presence.resilience.services import assessment_update

    admin = get_user_model().objects.get(username="admin")
    assessment = Assessment.objects.exclude(status__in=Assessment.LOCKED).first()
    assert assessment is not None
    assessment = assessment_update(
        actor=admin,
        assessment=assessment,
        expected_version=assessment.version,
        assessors="Ingrid Testassessor",
    )
    url = assessment.get_absolute_url()

    delegate_page = _page("delegate", url)
    assert "Ingrid Testassessor" not in delegate_page
    assert "ORMS Unit Coordinator" not in delegate_page
    assert "Hana Admin" not in delegate_page
    assert "•••" in delegate_page  # the change is listed, its values masked
    admin_page = _page("admin", url)
    assert "Ingrid Testassessor" in admin_page
    assert "Hana Admin" in admin_page


def test_api_reviews_give_null_submitter_and_decider_to_member_state_viewer(demo: None) -> None:
    def people(username: str) -> set[tuple[Any, Any]]:
        client, _user = _login(username)
        response = client.get("/api/results/reviews/", {"limit": 500})
        assert response.status_code == 200
        return {(item["submitted_by"], item["decided_by"]) for item in response.json()["items"]}

    assert people("delegate") == {(None, None)}
    shown = people("admin")
    assert any(submitted and decided for submitted, decided in shown), shown
