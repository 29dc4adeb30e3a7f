"""Helpers shared by the resilience pages: office choices, downloads, form pages, 404s."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from presence.core.exports import Column, table_download
from presence.core.filtering import ListFilter, requested_format
from presence.core.views import form_page as core_form_page
from presence.org.access import Action, can
from presence.org.models import Office
from presence.org.personal import history_for
from presence.resilience import selectors


def visible_offices(request: HttpRequest) -> Any:
    return selectors.office_list(user=request.user)


def writable_offices(request: HttpRequest, model: type[models.Model]) -> Any:
    offices = list(visible_offices(request))
    allowed = [o.pk for o in offices if can(request.user, Action.ADD, model(office=o))]
    return Office.objects.filter(pk__in=allowed).order_by("code")


def download_if_asked(
    request: HttpRequest, columns: list[Column], rows: Iterable[dict[str, Any]], name: str
) -> HttpResponse | None:
    fmt = requested_format(request)
    if fmt:
        return table_download(columns=columns, rows=rows, filename=f"resilience-{name}", fmt=fmt, title=name)
    return None


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    back: str,
    save: Callable[[], Any],
    done: str,
    multipart: bool = False,
) -> HttpResponse:
    return core_form_page(
        request,
        form,
        save,
        template="resilience/form.html",
        context={"title": title, "back": back, "multipart": multipart},
        done=lambda _record: done,
    )


def part_form_page(
    request: HttpRequest, form: Any, *, parent: Any, title: str, write: Callable[[], Any], done: str
) -> HttpResponse:
    """The form of a record shown on its parent's page (a template's requirement, a finding's
    action): back to the parent, and there once saved."""

    def save() -> Any:
        write()
        return parent

    return form_page(request, form, title=title, back=parent.get_absolute_url(), save=save, done=done)


def record_detail(
    request: HttpRequest,
    record: models.Model,
    *,
    back: str,
    facts: list[tuple[Any, Any]],
    urls: str,
    history: Any = None,
) -> HttpResponse:
    """The page of a planning document, an installation or a crisis-comms count: its `facts` (label,
    value), the edit and delete buttons the user may use (`resilience:<urls>-edit`, `-delete`) and its
    History (`history`, by default its latest 50 audit entries as the user may read them)."""
    if history is None:
        history = history_for(user=request.user, record=record, limit=50)
    return render(
        request,
        "resilience/record_detail.html",
        {
            "record": record,
            "title": str(record),
            "back": back,
            "facts": facts,
            "edit_url": reverse(f"resilience:{urls}-edit", args=[record.pk])
            if can(request.user, Action.CHANGE, record)
            else "",
            "delete_url": reverse(f"resilience:{urls}-delete", args=[record.pk])
            if can(request.user, Action.DELETE, record)
            else "",
            "history": history_for(user=request.user, record=record, limit=50)
            if history is None
            else history,
        },
    )


def percent_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value}"


def to_coverage_page(_record: models.Model) -> Any:
    class Target:
        @staticmethod
        def get_absolute_url() -> str:
            return reverse("resilience:coverage")

    return Target()


def place_of(filters: ListFilter) -> dict[str, Any]:
    """The region and office a list's valid filters ask for (records or ""), for the page's summaries."""
    data = filters.form.cleaned_data if filters.is_valid() else {}
    return {"region": data.get("region") or "", "office": data.get("office") or ""}
