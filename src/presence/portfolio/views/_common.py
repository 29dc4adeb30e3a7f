"""Private helpers shared by the `views` submodules."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from presence.core.selectors import get_or_404
from presence.core.years import year_param
from presence.org.access import Action
from presence.portfolio import selectors
from presence.portfolio.models import (
    Project,
)


def _year(request: HttpRequest) -> int:
    """`?year=` (last year when absent); a value that is not a year from 1900 to 2100 is a 400."""
    return year_param(request, default=timezone.localdate().year - 1)


def _project(request: HttpRequest, code: str, action: Action = Action.VIEW) -> Project:
    return get_or_404(selectors.project_get, user=request.user, code=code)
