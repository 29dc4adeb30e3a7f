"""API for Council documents, their versions and workflow, and a version's figures (live or frozen)."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.pagination import paginate

from presence.core.api import LimitOffsetPagination, expected_version, record_routes, set_etag
from presence.core.filtering import ListFilter, filtered
from presence.core.years import Year
from presence.council import selectors, services
from presence.council.figures import changes, figures_of
from presence.council.filters import DocumentFilter
from presence.council.models import CouncilDocument, DocumentVersion

router = Router(tags=["council"])


class DocumentOut(Schema):
    id: int
    governing_body: str
    session: str
    number: str
    title: str
    year_from: int
    year_to: int
    languages: list[str]
    version: int

    @staticmethod
    def resolve_languages(obj: CouncilDocument) -> list[str]:
        return obj.language_list


class DocumentIn(Schema):
    governing_body: str
    session: str
    number: str
    title: str
    year_from: Year
    year_to: Year
    languages: list[str] = ["en"]


class DocumentPatch(Schema):
    governing_body: str | None = None
    session: str | None = None
    number: str | None = None
    title: str | None = None
    year_from: Year | None = None
    year_to: Year | None = None
    languages: list[str] | None = None


def _languages(data: dict[str, Any]) -> dict[str, Any]:
    if isinstance(data.get("languages"), list):
        data["languages"] = ",".join(data["languages"])
    return data


@router.get("/documents/", response=list[DocumentOut])
@paginate(LimitOffsetPagination)
@filtered(DocumentFilter)
def list_documents(request: HttpRequest, filters: ListFilter) -> Any:
    return selectors.document_list(user=request.user, filters=filters)


record_routes(
    router,
    "/documents",
    noun="document",
    module=__name__,
    out=DocumentOut,
    get=selectors.document_get,
    new=DocumentIn,
    create=services.document_create,
    patch=DocumentPatch,
    update=services.document_update,
    resolve=_languages,
)


class VersionOut(Schema):
    id: int
    document: int
    language: str
    number: int
    status: str
    date: dt.date | None
    title: str
    purpose: str
    action_required: str
    references: str
    body: str
    note: str
    return_comment: str
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    published_at: dt.datetime | None
    frozen_at: str | None
    version: int

    @staticmethod
    def resolve_document(obj: DocumentVersion) -> int:
        return obj.document_id

    @staticmethod
    def resolve_frozen_at(obj: DocumentVersion) -> str | None:
        return obj.frozen["computed_at"] if obj.frozen else None


class VersionIn(Schema):
    language: str = "en"
    copy_from: int | None = None
    date: dt.date | None = None
    title: str | None = None
    purpose: str | None = None
    action_required: str | None = None
    references: str | None = None
    body: str | None = None
    note: str | None = None


class VersionPatch(Schema):
    date: dt.date | None = None
    title: str | None = None
    purpose: str | None = None
    action_required: str | None = None
    references: str | None = None
    body: str | None = None
    note: str | None = None


@router.get("/documents/{pk}/versions/", response=list[VersionOut])
@paginate(LimitOffsetPagination)
def list_versions(request: HttpRequest, pk: int, language: str = "") -> Any:
    document = selectors.document_get(user=request.user, pk=pk)
    return selectors.version_list(user=request.user, document=document, language=language)


@router.post("/documents/{pk}/versions/", response={201: VersionOut})
def create_version(request: HttpRequest, response: HttpResponse, pk: int, payload: VersionIn) -> Any:
    """A new draft of one language, copied from `copy_from` (a version id) or the language's latest."""
    document = selectors.document_get(user=request.user, pk=pk)
    data = {k: v for k, v in payload.dict().items() if v is not None}
    language = data.pop("language")
    copy_from = None
    if "copy_from" in data:
        copy_from = (
            selectors.version_list(user=request.user, document=document)
            .filter(pk=data.pop("copy_from"))
            .first()
        )
        if copy_from is None:
            raise ValidationError({"copy_from": "No such version of this document."})
    version = services.version_create(
        actor=request.user, document=document, language=language, copy_from=copy_from, **data
    )
    set_etag(response, version)
    return 201, version


record_routes(
    router,
    "/versions",
    noun="version",
    module=__name__,
    out=VersionOut,
    get=selectors.version_get,
    patch=VersionPatch,
    update=services.version_update,
    delete=services.version_delete,
)


class ReturnIn(Schema):
    comment: str


def _step(
    request: HttpRequest, response: HttpResponse, pk: int, service: Any, **extra: Any
) -> DocumentVersion:
    version = selectors.version_get(user=request.user, pk=pk)
    saved: DocumentVersion = service(
        actor=request.user, version=version, expected_version=expected_version(request, version), **extra
    )
    set_etag(response, saved)
    return saved


@router.post("/versions/{pk}/submit", response=VersionOut)
def submit_version(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    """Draft -> in review (If-Match: the version's ETag)."""
    return _step(request, response, pk, services.version_submit)


@router.post("/versions/{pk}/approve", response=VersionOut)
def approve_version(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    """In review -> approved, freezing its figures; refused (403) to whoever wrote or submitted it."""
    return _step(request, response, pk, services.version_approve)


@router.post("/versions/{pk}/return", response=VersionOut)
def return_version(request: HttpRequest, response: HttpResponse, pk: int, payload: ReturnIn) -> Any:
    return _step(request, response, pk, services.version_return, comment=payload.comment)


@router.post("/versions/{pk}/publish", response=VersionOut)
def publish_version(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
    return _step(request, response, pk, services.version_publish)


class FigureOut(Schema):
    key: str
    value: str | None
    unit: str
    url: str
    computed_at: str
    approved_value: str | None = None
    changed: bool = False


class FiguresOut(Schema):
    frozen: bool
    computed_at: str
    compared_with: int | None
    figures: list[FigureOut]


@router.get("/versions/{pk}/figures", response=FiguresOut)
def version_figures(request: HttpRequest, pk: int) -> Any:
    """The version's figures: frozen ones once approved, else live ones with the last approved values."""
    version = selectors.version_get(user=request.user, pk=pk)
    current = figures_of(version)
    previous = None if current.frozen else selectors.last_approved(version, user=request.user)
    previous_set = figures_of(previous) if previous is not None else None
    changed = changes(current, previous_set)
    return {
        "frozen": current.frozen,
        "computed_at": current.computed_at,
        "compared_with": previous.pk if previous is not None else None,
        "figures": [
            {
                "key": key,
                **figure,
                "approved_value": (previous_set.fields.get(key) or {}).get("value") if previous_set else None,
                "changed": key in changed,
            }
            for key, figure in sorted(current.fields.items())
        ],
    }
