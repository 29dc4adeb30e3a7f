"""The router and private helpers shared by the `api` submodules."""

from __future__ import annotations

from django.http import HttpRequest

from presence.core.api import PackageRouter
from presence.org.models import Office
from presence.resilience import selectors

router = PackageRouter(app="resilience", tags=["resilience"])


def _office(request: HttpRequest, code: str) -> Office:
    return selectors.office_list(user=request.user).get(code=code)
