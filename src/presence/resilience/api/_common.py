"""The router and private helpers shared by the `api` submodules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Router

from presence.org.models import Office
from presence.resilience import selectors


class _Router(Router):
    """A router whose default operation ids stay those of the former single `api` module.

    Ninja names an operation after its function's module; the routes now live in submodules, so
    without this the OpenAPI operation ids (which clients may generate code from) would change.
    """

    def add_api_operation(
        self, path: str, methods: list[str], view_func: Callable[..., Any], **kwargs: Any
    ) -> None:
        if kwargs.get("operation_id") is None:
            kwargs["operation_id"] = f"presence_resilience_api_{view_func.__name__}"
        super().add_api_operation(path, methods, view_func, **kwargs)


router = _Router(tags=["resilience"])


def _office(request: HttpRequest, code: str) -> Office:
    return selectors.office_list(user=request.user).get(code=code)
