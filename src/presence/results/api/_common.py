"""The results router and private helpers shared by the `api` submodules."""

from __future__ import annotations

from typing import Any

from presence.core.api import PackageRouter

router = PackageRouter(app="results", tags=["results"])


def _by_code(model: Any, field: str, value: str | None, name: str, errors: dict[str, str]) -> Any:
    if not value:
        return None
    record = model.objects.filter(**{field: value}).first()
    if record is None:
        errors[name] = f"Unknown {name.replace('_', ' ')} {value!r}."
    return record
