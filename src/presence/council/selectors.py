"""Reads of Council documents and versions. Every role reads them; member-state viewers and the public
(with PUBLIC_DASHBOARD) read published versions only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from presence.core.filtering import ListFilter
from presence.council.filters import DocumentFilter
from presence.council.models import CouncilDocument, DocumentVersion
from presence.org.access import Action, has_role, restrict
from presence.org.models import Role

INSIDERS = [role for role in Role if role != Role.MEMBER_STATE]


def sees_drafts(user: Any) -> bool:
    return has_role(user, INSIDERS)


def version_list(
    *, user: Any, document: CouncilDocument | None = None, language: str = ""
) -> QuerySet[DocumentVersion]:
    versions = restrict(
        DocumentVersion.objects.select_related("document", "document__office", "submitted_by", "approved_by"),
        user,
        Action.VIEW,
    )
    if not sees_drafts(user):
        versions = versions.filter(status=DocumentVersion.Status.PUBLISHED)
    if document is not None:
        versions = versions.filter(document=document)
    if language:
        versions = versions.filter(language=language)
    return versions.order_by("document", "language", "-number")


def version_get(*, user: Any, pk: int) -> DocumentVersion:
    return version_list(user=user).get(pk=pk)


def document_list(
    *, user: Any, filters: ListFilter | None = None, **values: Any
) -> QuerySet[CouncilDocument]:
    """Council documents the user may see (published ones only, for readers of published documents),
    narrowed by `filters.DocumentFilter` (a bound one, or its values), latest first."""
    documents = restrict(CouncilDocument.objects.select_related("office"), user, Action.VIEW)
    if not sees_drafts(user):
        documents = documents.filter(versions__status=DocumentVersion.Status.PUBLISHED).distinct()
    return DocumentFilter.apply(documents, filters or values).order_by("-year_to", "number")


def document_get(*, user: Any, pk: int) -> CouncilDocument:
    return document_list(user=user).get(pk=pk)


def last_approved(version: DocumentVersion, *, user: Any) -> DocumentVersion | None:
    """The latest approved or published version before this one: of its language, else of any language
    (figures are shared between the languages of a document)."""
    earlier = version_list(user=user, document=version.document).filter(status__in=DocumentVersion.LOCKED)
    if version.pk:
        earlier = earlier.exclude(pk=version.pk)
    same = earlier.filter(language=version.language, number__lt=version.number).order_by("-number").first()
    return same or earlier.order_by("-approved_at").first()


def version_for_year(
    *, user: Any, year: int, draft: bool = False, language: str = "en"
) -> DocumentVersion | None:
    """The Council document covering `year` (the latest such) in `language`: its latest approved or
    published version, or with `draft` its current draft (or version in review)."""
    document = document_list(user=user, year=year).first()
    if document is None:
        return None
    versions = version_list(user=user, document=document, language=language)
    if draft:
        return versions.exclude(status__in=DocumentVersion.LOCKED).first()
    return versions.filter(status__in=DocumentVersion.LOCKED).first()


def history_for(*, user: Any, record: Any, limit: int = 50) -> list[Any]:
    from presence.org.personal import history_for as core_history

    return core_history(user=user, record=record, limit=limit)
