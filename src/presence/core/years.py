"""The years the system accepts, in one place: 1900 to 2100.

Every year that comes from outside (a form, an API schema or query, a URL) is checked against
these bounds before it reaches a selector or a service, so a year such as 0 or 99999 is a 400/422
naming the field, never a 500 from `datetime.date(year, ...)` further down. Use:

- `YearField` in Django forms (filters and edit forms);
- `Year` (or `Year | None`) as the type of a ninja schema field, query or path parameter, and
  `year: int | None = year_query()` in a paginated list;
- `year_param(request, default=...)` for a `?year=` a view reads itself (400 naming the parameter);
- `check_year(value, field)` in a service that computes with a year it was given.
"""

from __future__ import annotations

from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query
from pydantic import Field

from presence.core.errors import InvalidParameter

YEAR_MIN = 1900
YEAR_MAX = 2100

Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX, description=f"A year from {YEAR_MIN} to {YEAR_MAX}.")]


def year_query() -> Any:
    """The default of an optional `year: int | None` query parameter of a paginated list.

    (`@paginate` re-creates the signature elsewhere, where the name `Year` cannot be resolved.)
    """
    return Query(None, ge=YEAR_MIN, le=YEAR_MAX, description=f"A year from {YEAR_MIN} to {YEAR_MAX}.")


def year_message() -> str:
    return _("Enter a year from %(min)d to %(max)d.") % {"min": YEAR_MIN, "max": YEAR_MAX}


def year_validators() -> list[Any]:
    return [MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]


class YearField(forms.IntegerField):
    """An integer field for a year within the accepted range."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(**kwargs)


def parse_year(value: Any) -> int | None:
    """The year in `value` (a string or an int), or None when it is not a year in range."""
    try:
        year = int(str(value).strip())
    except ValueError:
        return None
    return year if YEAR_MIN <= year <= YEAR_MAX else None


def year_in_error(form: forms.Form, name: str = "year") -> bool:
    """Whether a bound filter form's year is refused (a page then shows it at its field, with 400)."""
    return form.is_bound and not form.is_valid() and name in form.errors


def refuse_invalid_year(form: forms.Form, name: str = "year") -> None:
    """For a filter form that otherwise falls back to defaults: a year in error is a 400 naming it."""
    if year_in_error(form, name):
        raise InvalidParameter(name, " ".join(str(message) for message in form.errors[name]))


def year_param(request: HttpRequest, *, default: int, name: str = "year") -> int:
    """The year in the query parameter `name`; `default` when it is absent or empty.

    A value that is not a year in range raises InvalidParameter (400 naming the parameter).
    """
    raw = request.GET.get(name, "")
    if not raw.strip():
        return default
    year = parse_year(raw)
    if year is None:
        raise InvalidParameter(name, year_message())
    return year


def check_year(value: Any, field: str = "year") -> int:
    """`value` as a year in range, or ValidationError({field: ...}) for a service to raise."""
    year = parse_year(value) if value is not None else None
    if year is None:
        raise ValidationError({field: year_message()})
    return year
