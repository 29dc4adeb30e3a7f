"""The steps the kit's tests share: a form's values as a browser would post them, state snapshots."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import django_filters as df
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.forms import BaseForm, CheckboxInput
from django.utils.html import escape

from presence.core.filtering import YearFilter
from presence.core.selectors import audit_for_record
from tests.kit.types import RecordType

# An invalid form is shown again with its errors. Today with 200; the kit takes any 4xx too, so it holds
# when invalid forms answer 422.
INVALID_FORM_STATUSES = (200, *range(400, 500))


def form_values(form: BaseForm, **changes: Any) -> dict[str, Any]:
    """The values a browser posts for the form as the page shows it, with `changes` applied."""
    data: dict[str, Any] = {}
    for bound in form:
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, CheckboxInput):
            if value:
                data[bound.html_name] = "on"
            continue
        if getattr(widget, "allow_multiple_selected", False):
            data[bound.html_name] = [_plain(item) for item in value or []]
        elif value is None:
            data[bound.html_name] = ""
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [_plain(item) for item in value]
        else:
            formatted = widget.format_value(value)
            data[bound.html_name] = "" if formatted is None else _plain(formatted)
    for name, value in changes.items():
        name = form.add_prefix(name)
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | Decimal):
        return str(value)
    return value


def page_form(response: Any) -> BaseForm:
    assert response.status_code == 200, response.status_code
    return response.context["form"]


def post_json(client: Any, url: str, payload: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(payload), content_type="application/json")


def patch_json(client: Any, url: str, payload: dict[str, Any], etag: str | None) -> Any:
    headers = {"If-Match": etag} if etag is not None else {}
    return client.patch(url, json.dumps(payload), content_type="application/json", headers=headers)


def send(client: Any, method: str, url: str, body: dict[str, Any] | None = None, etag: str = "") -> Any:
    """An API request (`method`: "post", "patch", "delete"...) with a JSON body and, given one, If-Match."""
    headers = {"If-Match": etag} if etag else {}
    return getattr(client, method)(
        url, json.dumps(body) if body is not None else "", content_type="application/json", headers=headers
    )


def etag(record: Any, version: int | None = None) -> str:
    return f'"{record.pk}-{record.version if version is None else version}"'


def state(rt: RecordType, record: Any = None) -> tuple[Any, ...]:
    """The model's rows, the record's version and its audit trail: what a refused write leaves as it was."""
    rows = sorted(rt.model._default_manager.values_list("pk", flat=True))
    if record is None:
        return (rows,)
    try:
        version = rt.model._default_manager.get(pk=record.pk).version
    except ObjectDoesNotExist:
        version = None
    return rows, version, list(audit_for_record(record).values_list("pk", flat=True))


def new_record(rt: RecordType, before: list[Any]) -> Any:
    """The one record written since `before` (the model's primary keys then)."""
    created = rt.model._default_manager.exclude(pk__in=before)
    assert created.count() == 1, f"{created.count()} {rt.name} records written, not one"
    return created.get()


def history_section(html: str) -> str:
    start = html.index('id="history-heading"')
    return html[start : html.index("</section>", start)]


def shows(html: str, text: str) -> bool:
    return escape(text) in html or text in html


# Filter values a list must refuse --------------------------------------------------------------------------

BAD_DATE = "2024-13-45"


def bad_filter_value(item: Any) -> str | None:
    """A value a list's filter (of its FilterSet) must refuse: malformed, out of range, not a choice or
    an unknown reference; None for free text and checkboxes, which take any value."""
    if isinstance(item, YearFilter):
        return "99999"
    if isinstance(item, df.DateFilter):
        return BAD_DATE
    if isinstance(item, df.NumberFilter):
        return "abc"
    if isinstance(item, df.ChoiceFilter | df.ModelChoiceFilter):
        return "NOPE-nonsense"
    return None


def bad_api_value(parameter: dict[str, Any]) -> str | None:
    """The same for an API list's query parameter, as its OpenAPI document describes it."""
    for option in parameter["schema"].get("anyOf", [parameter["schema"]]):
        if option.get("enum"):
            return "nonsense"
        if option.get("type") == "integer":
            return str(option["maximum"] + 1) if "maximum" in option else "abc"
        if option.get("format") == "date":
            return BAD_DATE
        if option.get("type") == "string" and "unknown one is refused" in parameter.get("description", ""):
            return "NOPE"
    return None
