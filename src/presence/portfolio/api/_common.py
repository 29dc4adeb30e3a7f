"""The router and private helpers shared by the `api` submodules."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from presence.core.api import PackageRouter
from presence.core.selectors import get_or_404
from presence.org.models import Country, Office, Priority, Region
from presence.portfolio import selectors
from presence.portfolio.models import (
    FundingSource,
    Partner,
    Project,
    RegionalInitiative,
)

router = PackageRouter(app="portfolio", tags=["portfolio"])


# Reference resolution ---------------------------------------------------------------------------------


def _lookup(data: dict[str, Any], errors: dict[str, str], name: str, model: Any, **lookup: Any) -> None:
    if data.get(name) is None:
        return
    key, attribute = next(iter(lookup.items()))
    found = model.objects.filter(**{key: data[name]}).first()
    if found is None:
        errors[name] = f"Unknown {attribute} {data[name]!r}."
    data[name] = found


def _resolve(data: dict[str, Any]) -> dict[str, Any]:
    """Codes and ids in a payload to records; an unknown one is a field error."""
    errors: dict[str, str] = {}
    _lookup(data, errors, "lead_office", Office, code="office code")
    _lookup(data, errors, "region", Region, code="region code")
    _lookup(data, errors, "kap_priority", Priority, code="priority code")
    _lookup(data, errors, "regional_initiative", RegionalInitiative, pk="regional initiative")
    _lookup(data, errors, "source", FundingSource, code="funding source")
    _lookup(data, errors, "partner", Partner, pk="partner")
    _lookup(data, errors, "country", Country, iso2="country code")
    if errors:
        raise ValidationError(errors)
    return data


def _project(request: HttpRequest, code: str) -> Project:
    return get_or_404(selectors.project_get, user=request.user, code=code)
