"""Lists and their filters: one FilterSet per list drives its page, its CSV/XLSX export and its API list.

An app declares each list's filters ONCE, as a `ListFilter` (a django-filter FilterSet) in its
`filters.py`, with the list's export (`Export`: file name, sheet title, columns) beside it. Then:

- the selector narrows the records the user may see (`org.access.restrict` first) with
  `TheFilter.apply(queryset, filters)`: `filters` is a bound, validated FilterSet (from a page or the
  API) or plain values (`{"year": 2024, "region": "AFR"}`, from the dashboard or a report); a value the
  filters refuse raises `ValidationError({name: messages})`;
- the page calls `list_page(request, TheFilter, select, template=...)`: the form is the FilterSet's,
  a refused value is a 400 showing the error at its field, `?format=csv|xlsx` downloads every
  matching record (`download`), otherwise one page of `PER_PAGE` records with the count of all;
- the API handler takes `filters: Query[query_schema(TheFilter)]` (so the OpenAPI document describes
  each parameter with its type, bounds and choices) and passes `api_filters(TheFilter, filters)` to
  the selector: a refused value is a 422 problem naming `query.<name>`.

Refused: a malformed value (`year=abc`, `year=99999`, a bad date), a value outside the choices
(`kind=nonsense`) and an unknown reference (`region=XXX`, `office=NOPE`). An empty value (`region=`)
means "any". Parameters that are not filters are ignored, as Django forms and ninja do (so `page`,
`format`, `limit`, `offset` and a link's extra parameters pass through).
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import ModelChoiceField as FilterModelChoiceField
from ninja import Query, Schema
from pydantic import Field, create_model, field_validator

from presence.core.exports import Column, table_download
from presence.core.forms import QuickSelect
from presence.core.years import YEAR_MAX, YEAR_MIN, YearField

EXPORT_FORMATS = ("csv", "xlsx")
PER_PAGE = 50


@dataclass(frozen=True)
class Export:
    """What a list's CSV/XLSX download holds: `filename` (without extension), the sheet's title, columns."""

    filename: str
    title: str | Promise
    columns: Sequence[Column]


class YearFilter(django_filters.Filter):
    """A year from 1900 to 2100 (`core.years`), filtering `field_name` (or through `method`)."""

    field_class = YearField


class _Ticked(forms.BooleanField):
    """True when ticked, None (no filter) otherwise: a filter's `method` is not called for None."""

    def to_python(self, value: Any) -> Any:
        return True if super().to_python(value) else None


class FlagFilter(django_filters.Filter):
    """A checkbox: filters when ticked (`?overdue=on`, `true` or `1`), does nothing otherwise."""

    field_class = _Ticked


# References already looked up by code while `same_references()` is in force: (model, field, code) -> record.
_REFERENCES: ContextVar[dict[tuple[Any, str, str], Any] | None] = ContextVar("references", default=None)


@contextmanager
def same_references() -> Iterator[None]:
    """Within the block, a reference named by its code (`by_code`) is read once: a page that narrows a
    dozen lists to one region and office (the dashboard) reads `region=AFR` once, not once per list.
    Only for reads: a record renamed inside the block would still be found by its old code."""
    token = _REFERENCES.set({}) if _REFERENCES.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _REFERENCES.reset(token)


class _CodeField(FilterModelChoiceField):
    def to_python(self, value: Any) -> Any:
        memo = _REFERENCES.get()
        if memo is None or value in self.empty_values or self.queryset.query.has_filters():
            return super().to_python(value)
        key = (self.queryset.model, self.to_field_name or "pk", str(value))
        if key not in memo:
            memo[key] = super().to_python(value)  # an unknown code raises, and is not kept
        return memo[key]


class _CodeFilter(django_filters.ModelChoiceFilter):
    field_class = _CodeField


def by_code(
    model: type[Model], label: Any, *, widget: type[forms.Widget] = QuickSelect, **kwargs: Any
) -> django_filters.ModelChoiceFilter:
    """A reference named by its unique code (`?region=AFR`); an unknown code is refused. Offered as a
    list of every record (`QuickSelect`), or typed (`widget=CodeInput`) where the records are many."""
    return _CodeFilter(
        label=label, queryset=model._default_manager.all(), to_field_name="code", widget=widget, **kwargs
    )


class CodeFilter(django_filters.ChoiceFilter):
    """A reference named by a code that is not unique on its own (a KAP priority's, one per WTDC cycle):
    `codes()` lists (code, label) when the form is built; an unknown code is refused."""

    def __init__(self, *, codes: Callable[[], Iterable[tuple[str, Any]]], **kwargs: Any) -> None:
        super().__init__(choices=lambda: list(codes()), **kwargs)


class ListFilter(django_filters.FilterSet):
    """The one definition of a list's filters; `export` describes its CSV/XLSX download."""

    export: ClassVar[Export | None] = None

    def refused(self) -> dict[str, list[str]]:
        """Field name -> messages for every value refused ({} when all are valid)."""
        if self.is_valid():
            return {}
        return {name: [str(message) for message in messages] for name, messages in self.errors.items()}

    @classmethod
    def apply(cls, queryset: QuerySet[Any], filters: ListFilter | Mapping[str, Any] | None) -> QuerySet[Any]:
        """`queryset` narrowed by `filters` (a validated FilterSet or plain values); ValidationError naming
        the field for a refused value."""
        if filters is None:
            return queryset
        if not isinstance(filters, ListFilter) and all(value in EMPTY_VALUES for value in filters.values()):
            return queryset  # every filter skips an empty value: nothing to check or narrow
        bound = filters if isinstance(filters, ListFilter) else cls(dict(filters), queryset=queryset)
        errors = bound.refused()
        if errors:
            raise ValidationError(errors)
        return bound.filter_queryset(queryset)


# Pages and exports ------------------------------------------------------------------------------------


def requested_format(request: HttpRequest) -> str | None:
    """`csv` or `xlsx` when the request asks for a download (`?format=`), else None."""
    fmt = request.GET.get("format", "")
    return fmt if fmt in EXPORT_FORMATS else None


def download(export: Export, rows: Iterable[dict[str, Any]], fmt: str) -> HttpResponse:
    """A list's CSV or XLSX download (the one writer, `core.exports.table_download`)."""
    return table_download(
        columns=export.columns, rows=rows, filename=export.filename, fmt=fmt, title=export.title
    )


def page_number(request: HttpRequest) -> int:
    """The page asked for (`?page=`): 1 when missing or not a positive number (a page past the last is
    the last, as `paginate` gives it)."""
    value = request.GET.get("page", "")
    return int(value) if value.isdigit() and 0 < int(value) < 10**9 else 1


def paginate(request: HttpRequest, records: Any, per_page: int = PER_PAGE) -> Page:
    """One page of `records` (`?page=`; out of range or not a number gives the nearest page)."""
    return Paginator(records, per_page).get_page(request.GET.get("page"))


def bind(filterset: type[ListFilter], request: HttpRequest, **kwargs: Any) -> ListFilter:
    """The list's FilterSet bound to the request's query string (an empty one filters nothing)."""
    return filterset(request.GET, request=request, **kwargs)


def list_page(
    request: HttpRequest,
    filterset: type[ListFilter],
    select: Callable[[ListFilter], Any],
    *,
    template: str,
    rows: Callable[[Any], Iterable[dict[str, Any]]] | None = None,
    context: Callable[[Any, Page], dict[str, Any]] | None = None,
    filters: ListFilter | None = None,
    extra_columns: Sequence[Column] = (),
    per_page: int = PER_PAGE,
) -> HttpResponse:
    """A list page, or its download, driven by the list's FilterSet.

    `select(filters)` returns the matching records (called only with valid filters). With
    `?format=csv|xlsx` the answer is the download of every matching record, `rows(records)` giving
    one dict per record keyed by the export's columns and `extra_columns` (those only some
    readers may see, say). Otherwise the template gets `filters` (the
    form; `list_filter` is the FilterSet), `page` (one page of records; `page.paginator.count` is the
    number of all matching) and
    `context(records, page)`. A refused filter value: the page with the error at its field, 400.
    """
    filters = filters if filters is not None else bind(filterset, request)
    valid = filters.is_valid()
    # A refused filter lists nothing; callers' context still gets a queryset (of none) to aggregate over.
    nothing = filters.queryset.none() if getattr(filters, "queryset", None) is not None else []
    records = select(filters) if valid else nothing
    fmt = requested_format(request)
    if valid and fmt and rows is not None and filterset.export is not None:
        export = filterset.export
        if extra_columns:
            export = Export(export.filename, export.title, [*export.columns, *extra_columns])
        return download(export, rows(records), fmt)
    page = paginate(request, records, per_page)
    extra = context(records, page) if context is not None else {}
    return render(
        request,
        template,
        {"filters": filters.form, "list_filter": filters, "page": page, **extra},
        status=200 if valid else 400,
    )


# The API ----------------------------------------------------------------------------------------------


def _no_blank(value: Any) -> Any:
    return None if value == "" else value


def _parameter(name: str, item: django_filters.Filter) -> tuple[Any, Any]:
    """The pydantic type and Field of one filter, for the OpenAPI document (and a first type check)."""
    label = str(item.label or name.replace("_", " ").capitalize())
    if isinstance(item, FlagFilter):
        return bool, Field(False, description=label)
    if isinstance(item, YearFilter):
        return int | None, Field(
            None, ge=YEAR_MIN, le=YEAR_MAX, description=f"{label} ({YEAR_MIN}-{YEAR_MAX})."
        )
    if isinstance(item, django_filters.NumberFilter):
        return int | None, Field(None, description=label)
    if isinstance(item, django_filters.DateFilter):
        return dt.date | None, Field(None, description=f"{label} (YYYY-MM-DD).")
    if isinstance(item, django_filters.ModelChoiceFilter):
        key = item.extra.get("to_field_name")
        if key:
            return str | None, Field(None, description=f"{label}: a {key}; an unknown one is refused.")
        return int | None, Field(None, description=f"{label}: an id; an unknown one is refused.")
    if isinstance(item, django_filters.ChoiceFilter):
        choices = item.extra.get("choices")
        if isinstance(choices, list | tuple) and choices:
            values = tuple(str(value) for value, _label in choices if value != "")
            return Literal[values] | None, Field(None, description=label)
        return str | None, Field(None, description=label)
    return str | None, Field(None, description=label)


_SCHEMAS: dict[type[ListFilter], type[Schema]] = {}


def query_schema(filterset: type[ListFilter]) -> type[Schema]:
    """The ninja Query schema of a list's filters: one optional parameter per filter, same names."""
    if filterset not in _SCHEMAS:
        fields = {name: _parameter(name, item) for name, item in filterset.base_filters.items()}
        name = filterset.__name__.removesuffix("Filter") + "Query"
        _SCHEMAS[filterset] = create_model(  # type: ignore[call-overload]
            name,
            __base__=Schema,
            __validators__={"no_blank": field_validator("*", mode="before")(_no_blank)},
            **fields,
        )
    return _SCHEMAS[filterset]


def filtered(filterset: type[ListFilter]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """An API list handler `def list_x(request, filters: ListFilter)` taking the list's filters.

    The route's query parameters are `query_schema(filterset)`'s (in the OpenAPI document, with the
    types, bounds and choices); the handler gets them as the bound FilterSet, validated by
    `api_filters` (422 naming `query.<name>`). The handler keeps its name and module, so its
    operation id does not change. Put it under `@paginate`.
    """
    schema = query_schema(filterset)

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        def handler(request: HttpRequest, filters: Any) -> Any:
            return func(request, api_filters(filterset, filters))

        handler.__name__ = handler.__qualname__ = func.__name__
        handler.__module__ = func.__module__
        handler.__doc__ = func.__doc__
        positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
        query: Any = Query
        handler.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [
                inspect.Parameter("request", positional, annotation=HttpRequest),
                inspect.Parameter("filters", positional, annotation=query[schema]),
            ]
        )
        return handler

    return decorate


def api_filters(filterset: type[ListFilter], query: Schema, **kwargs: Any) -> ListFilter:
    """The list's FilterSet bound to an API call's query: a refused value is a 422 naming `query.<name>`."""
    data = {
        name: value.pk if isinstance(value, Model) else value
        for name, value in query.dict(exclude_none=True).items()
    }
    filters = filterset(data, **kwargs)
    errors = filters.refused()
    if errors:
        raise ValidationError({f"query.{name}": messages for name, messages in errors.items()})
    return filters
