"""submit_form: the one way edit pages run a form through its service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from presence.core.errors import InvalidTransition, VersionConflict
from presence.core.views import submit_form


class NameForm(forms.Form):
    name = forms.CharField()


class Saved:
    def get_absolute_url(self) -> str:
        return "/saved/"


def _request(method: str, data: dict[str, str] | None = None) -> Any:
    request = getattr(RequestFactory(), method)("/edit/", data or {})
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _fail(error: Exception) -> Any:
    def save() -> Any:
        raise error

    return save


def test_a_get_shows_the_form_and_saves_nothing() -> None:
    calls: list[str] = []
    outcome = submit_form(_request("get"), NameForm(), lambda: calls.append("saved"), done=lambda _r: "done")
    assert outcome == 200
    assert calls == []


def test_success_gives_the_message_and_the_redirect() -> None:
    request = _request("post", {"name": "x"})
    outcome = submit_form(request, NameForm({"name": "x"}), Saved, done=lambda _r: "Saved it.")
    assert isinstance(outcome, HttpResponse)
    assert outcome.status_code == 302
    assert outcome["Location"] == "/saved/"
    assert [str(m) for m in get_messages(request)] == ["Saved it."]
    after = submit_form(
        _request("post"), NameForm({"name": "x"}), Saved, done=lambda _r: "", after=lambda _r: "/list/"
    )
    assert isinstance(after, HttpResponse)
    assert after["Location"] == "/list/"


def test_refusals_come_back_on_the_form_with_their_status() -> None:
    form = NameForm({"name": ""})
    assert submit_form(_request("post"), form, Saved, done=str) == 422
    stale = NameForm({"name": "x"})
    conflict = VersionConflict(current_version=3, expected_version=2, label="Post")
    assert submit_form(_request("post"), stale, _fail(conflict), done=str) == 409
    assert "changed by someone else" in str(stale.non_field_errors())
    refused = NameForm({"name": "x"})
    error = ValidationError({"name": "Taken."})
    assert submit_form(_request("post"), refused, _fail(error), done=str) == 422
    assert refused.errors["name"] == ["Taken."]
    late = NameForm({"name": "x"})
    step = InvalidTransition("The review is already approved.")
    assert submit_form(_request("post"), late, _fail(step), done=str, conflicts=(InvalidTransition,)) == 409
    assert "already approved" in str(late.non_field_errors())
