"""The one rule for people's names (presence.org.personal), on records built in memory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from presence.core.models import AuditEntry
from presence.org.models import Office
from presence.org.personal import (
    HIDDEN,
    api_person,
    masked_entry,
    personal_fields,
    sees_personal,
    shown_people,
)
from presence.portfolio.models import Project
from presence.results.models import QuarterlyReview
from presence.staffing.models import Post


@pytest.fixture
def people(reference: None, make_user: Callable[..., Any]) -> dict[str, Any]:
    author = make_user("m.author")
    author.first_name, author.last_name = "Mariam", "Author"
    author.save()
    return {
        "author": author,
        "delegate": make_user("ms", ("member_state",)),
        "editor": make_user("ed", ("editor", "AFR"), ("viewer",)),
        "hr": make_user("hr1", ("hr",), ("viewer",)),
        "nobody": make_user("none"),
    }


def _entry(author: Any, changes: dict[str, list[Any]]) -> AuditEntry:
    return AuditEntry(actor=author, action=AuditEntry.Action.UPDATE, changes=changes)


def test_member_state_viewer_and_anonymous_see_no_names_staff_roles_do(people: dict[str, Any]) -> None:
    project = Project(manager_name="Jean Roe")
    assert not sees_personal(people["delegate"], project)
    assert not sees_personal(AnonymousUser(), project)
    assert not sees_personal(people["nobody"], project)
    assert sees_personal(people["editor"], project)
    assert sees_personal(people["hr"], project)


def test_post_incumbent_needs_view_personal_while_its_author_does_not(people: dict[str, Any]) -> None:
    post = Post(office=Office.objects.get(code="dakar"), incumbent="Jean Roe")
    entry = _entry(people["author"], {"incumbent": ["", "Jean Roe"], "title": ["Old", "New"]})

    as_editor = masked_entry(people["editor"], post, entry)
    assert as_editor.actor_label == "Mariam Author"
    assert as_editor.changed_fields == [("incumbent", "", HIDDEN), ("title", "Old", "New")]
    as_hr = masked_entry(people["hr"], post, entry)
    assert as_hr.changed_fields == [("incumbent", "", "Jean Roe"), ("title", "Old", "New")]


def test_history_entry_for_member_state_viewer_names_no_author_and_masks_personal_values(
    people: dict[str, Any],
) -> None:
    project = Project(region=Office.objects.get(code="dakar").region, manager_name="Jean Roe")
    entry = _entry(people["author"], {"manager_name": ["H. Al-Amin", "Jean Roe"], "title": ["A", "B"]})

    shown = masked_entry(people["delegate"], project, entry)
    assert shown.actor_label == "a staff member"
    assert shown.changed_fields == [("manager_name", HIDDEN, HIDDEN), ("title", "A", "B")]
    assert masked_entry(people["delegate"], project, _entry(None, {})).actor_label == "system"
    assert masked_entry(people["editor"], project, entry).changed_fields[0] == (
        "manager_name",
        "H. Al-Amin",
        "Jean Roe",
    )


def test_page_and_api_read_accounts_as_name_and_username_or_nothing(people: dict[str, Any]) -> None:
    review = QuarterlyReview(submitted_by=people["author"], decided_by=None)
    context_of = {name: {"request": type("R", (), {"user": user})()} for name, user in people.items()}

    assert shown_people(people["editor"], review)["submitted_by"] == "Mariam Author"
    assert shown_people(people["delegate"], review) == dict.fromkeys(personal_fields(review))
    assert api_person(context_of["editor"], review, "submitted_by") == "m.author"
    assert api_person(context_of["editor"], review, "decided_by") is None
    assert api_person(context_of["delegate"], review, "submitted_by") is None
