"""The reason given for a refusal: one sentence per action, in the reader's language."""

from __future__ import annotations

from django.utils import translation

from presence.org.access import Action, denial
from presence.portfolio.models import Project


def test_a_refusal_names_the_action_and_the_record_in_the_reader_s_language() -> None:
    assert denial(Action.DELETE, Project) == "You are not allowed to delete this project."
    assert len({denial(action, Project) for action in Action}) == len(Action)
    with translation.override("fr"):
        french = denial(Action.DELETE, Project)
    assert "supprimer" in french
    assert "(projet)" in french
