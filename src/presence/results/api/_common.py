"""The results router and private helpers shared by the `api` submodules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ninja import Router


class _Router(Router):
    """A router whose default operation ids stay those of the former single `api` module.

    Ninja names an operation after its function's module; the routes now live in submodules, so
    without this the OpenAPI operation ids (which clients may generate code from) would change.
    """

    def add_api_operation(
        self, path: str, methods: list[str], view_func: Callable[..., Any], **kwargs: Any
    ) -> None:
        if kwargs.get("operation_id") is None:
            kwargs["operation_id"] = f"presence_results_api_{view_func.__name__}"
        super().add_api_operation(path, methods, view_func, **kwargs)


router = _Router(tags=["results"])


def _by_code(model: Any, field: str, value: str | None, name: str, errors: dict[str, str]) -> Any:
    if not value:
        return None
    record = model.objects.filter(**{field: value}).first()
    if record is None:
        errors[name] = f"Unknown {name.replace('_', ' ')} {value!r}."
    return record
