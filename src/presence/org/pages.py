"""A record's page, the same in every app: the record, its History block and the buttons the user may use."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from presence.org.access import Action, can
from presence.org.personal import history_for


def record_page(
    request: HttpRequest, template: str, record: models.Model, *, name: str, **context: Any
) -> HttpResponse:
    """`template` with `record` as `name`, its `history` (the latest 50 audit entries, as the user may
    read them), `can_change` and `can_delete` (whether the user may edit or delete it: the page's
    buttons) and `context`, which may override them (a record that cannot be deleted in its state)."""
    return render(
        request,
        template,
        {
            name: record,
            "history": history_for(user=request.user, record=record, limit=50),
            "can_change": can(request.user, Action.CHANGE, record),
            "can_delete": can(request.user, Action.DELETE, record),
            **context,
        },
    )
