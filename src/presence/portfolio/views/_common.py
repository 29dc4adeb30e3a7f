"""Private helpers shared by the `views` submodules."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

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
    try:
        return selectors.project_get(user=request.user, code=code)
    except Project.DoesNotExist as error:
        raise Http404(_("No such project.")) from error
