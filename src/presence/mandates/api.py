"""API for the governing bodies' requests, each with its evidence measure computed from records."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from presence.core.api import LimitOffsetPagination, record_routes
from presence.core.filtering import ListFilter, filtered
from presence.core.years import Year
from presence.mandates import selectors, services
from presence.mandates.filters import MandateFilter
from presence.mandates.models import Evidence, Mandate
from presence.org.personal import api_person

router = Router(tags=["mandates"])


def _resolve(data: dict[str, Any]) -> dict[str, Any]:
    """The owner's username to the account; an unknown one is a field error naming it."""
    if "owner" in data:
        username = data["owner"]
        if not username:
            data["owner"] = None
        else:
            found = get_user_model().objects.filter(username=username, is_active=True).first()
            if found is None:
                raise ValidationError({"owner": f"Unknown user {username!r}."})
            data["owner"] = found
    for name in ("evidence", "assessment"):
        if name in data and data[name] is None:
            data[name] = ""
    return data


class EvidenceOut(Schema):
    key: str
    label: str
    value: int
    total: int
    year: int | None
    percent: Decimal | None
    note: str
    links: list[dict[str, str]]


def _evidence(request: HttpRequest | None, mandate: Mandate) -> EvidenceOut | None:
    """The request's evidence, each measure computed once per API call (the list shares them)."""
    cache = getattr(request, "_mandate_evidence", None)
    if cache is None:
        cache = selectors.EvidenceCache(getattr(request, "user", None))
        if request is not None:
            request._mandate_evidence = cache  # type: ignore[attr-defined]
    figure = cache(mandate)
    if figure is None:
        return None
    return EvidenceOut(
        key=figure.key,
        label=figure.label,
        value=figure.value,
        total=figure.total,
        year=figure.year,
        percent=figure.percent,
        note=figure.note,
        links=[{"label": link.label, "url": link.url} for link in figure.links],
    )


class MandateOut(Schema):
    id: int
    body: str
    session: str
    year: int
    reference: str
    url: str
    kind: str
    text: str
    owner_unit: str
    owner: str | None
    due_on: dt.date | None
    status: str
    evidence: EvidenceOut | None
    progress: Decimal | None
    assessment: str
    comment: str
    published: bool
    version: int

    @staticmethod
    def resolve_owner(obj: Mandate, context: dict[str, Any]) -> str | None:
        """The owner's username; null for roles that may not see people's names."""
        return api_person(context, obj, "owner")

    @staticmethod
    def resolve_evidence(obj: Mandate, context: dict[str, Any]) -> EvidenceOut | None:
        return _evidence((context or {}).get("request"), obj)

    @staticmethod
    def resolve_progress(obj: Mandate, context: dict[str, Any]) -> Decimal | None:
        """The evidence's value as a share of its total, in per cent: computed, never typed."""
        evidence = _evidence((context or {}).get("request"), obj)
        return evidence.percent if evidence else None


class MandateIn(Schema):
    body: Mandate.Body
    session: str
    year: Year
    reference: str = ""
    url: str = ""
    kind: Mandate.Kind
    text: str
    owner_unit: str = ""
    owner: str | None = None
    due_on: dt.date | None = None
    status: Mandate.Status = Mandate.Status.OPEN
    evidence: Evidence | None = None
    evidence_year: Year | None = None
    assessment: Mandate.Assessment | None = None
    comment: str = ""
    published: bool = False


class MandatePatch(Schema):
    body: Mandate.Body | None = None
    session: str | None = None
    year: Year | None = None
    reference: str | None = None
    url: str | None = None
    kind: Mandate.Kind | None = None
    text: str | None = None
    owner_unit: str | None = None
    owner: str | None = None
    due_on: dt.date | None = None
    status: Mandate.Status | None = None
    evidence: Evidence | None = None
    evidence_year: Year | None = None
    assessment: Mandate.Assessment | None = None
    comment: str | None = None
    published: bool | None = None


@router.get("/requests/", response=list[MandateOut])
@paginate(LimitOffsetPagination)
@filtered(MandateFilter)
def list_mandates(request: HttpRequest, filters: ListFilter) -> Any:
    """Requests the caller may read (member-state viewers: published ones), oldest session first."""
    return selectors.mandate_list(user=request.user, filters=filters)


record_routes(
    router,
    "/requests",
    noun="mandate",
    module=__name__,
    out=MandateOut,
    get=selectors.mandate_get,
    new=MandateIn,
    create=services.mandate_create,
    patch=MandatePatch,
    update=services.mandate_update,
    delete=services.mandate_delete,
    resolve=_resolve,
)
