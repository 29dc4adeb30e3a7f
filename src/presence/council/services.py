"""Writes to Council documents and their versions, and the version workflow.

draft -> in review (submit, by an editor) -> approved (by an approver who neither wrote nor submitted
the version; approval freezes every figure and block it shows) -> published. An approver may return a
version in review to draft with a comment. An approved or published version never changes; the next
one is a new draft (`version_create`), copied from the latest version of its language.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presence.core.errors import InvalidTransition
from presence.core.services import (
    Actor,
    only_fields,
    tracked_create,
    tracked_delete,
    tracked_transition,
    tracked_update,
)
from presence.core.workflow import Approval
from presence.council import markup
from presence.council.figures import compute
from presence.council.models import CouncilDocument, DocumentVersion
from presence.org.access import Action, check
from presence.org.models import Office

DOCUMENT_FIELDS = (
    "governing_body",
    "session",
    "number",
    "title",
    "year_from",
    "year_to",
    "languages",
    "office",
)
VERSION_FIELDS = ("date", "title", "purpose", "action_required", "references", "body", "note")


def headquarters() -> Office | None:
    return Office.objects.filter(region__isnull=True, closed_on__isnull=True).order_by("pk").first()


@transaction.atomic
def document_create(*, actor: Actor, **data: Any) -> CouncilDocument:
    only_fields(data, DOCUMENT_FIELDS)
    if data.get("office") is None:
        data["office"] = headquarters()
    check(actor, Action.ADD, CouncilDocument(office=data["office"]))
    return tracked_create(model=CouncilDocument, actor=actor, data=data)


@transaction.atomic
def document_update(
    *, actor: Actor, document: CouncilDocument, expected_version: int | None, **data: Any
) -> CouncilDocument:
    only_fields(data, DOCUMENT_FIELDS)
    check(actor, Action.CHANGE, document)
    if "languages" in data:
        kept = {c.strip() for c in str(data["languages"]).split(",")}
        used = set(document.versions.values_list("language", flat=True))
        if used - kept:
            raise ValidationError(
                {
                    "languages": _("Versions exist in %(codes)s; keep these languages.")
                    % {"codes": ", ".join(sorted(used - kept))}
                }
            )
    return tracked_update(instance=document, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def document_delete(*, actor: Actor, document: CouncilDocument, expected_version: int | None) -> None:
    """Delete a document that has no approved or published version (those are the record of what was sent)."""
    check(actor, Action.DELETE, document)
    if document.versions.filter(status__in=DocumentVersion.LOCKED).exists():
        raise ValidationError(
            {"__all__": _("%(d)s has approved versions; it cannot be deleted.") % {"d": document.number}}
        )
    for version in document.versions.all():
        tracked_delete(instance=version, actor=actor, expected_version=None)
    tracked_delete(instance=document, actor=actor, expected_version=expected_version)


def _latest(document: CouncilDocument, language: str) -> DocumentVersion | None:
    return document.versions.filter(language=language).order_by("-number").first()


@transaction.atomic
def version_create(
    *,
    actor: Actor,
    document: CouncilDocument,
    language: str,
    copy_from: DocumentVersion | None = None,
    **data: Any,
) -> DocumentVersion:
    """A new draft of one language: the given texts, else a copy of `copy_from` or of that language's
    latest version. One draft (or version in review) per language at a time."""
    only_fields(data, VERSION_FIELDS)
    draft = DocumentVersion(document=document, language=language)
    check(actor, Action.ADD, draft)
    if language not in document.language_list:
        raise ValidationError(
            {"language": _("The document is not written in %(language)s.") % {"language": language}}
        )
    versions = document.versions.filter(language=language)
    open_one = versions.exclude(status__in=DocumentVersion.LOCKED).first()
    if open_one is not None:
        raise ValidationError(
            {
                "language": _("Version %(v)s of this language is still open; edit it instead.")
                % {"v": open_one.number}
            }
        )
    source = copy_from or _latest(document, language)
    if source is not None and source.document_id != document.pk:
        raise ValidationError({"copy_from": _("Copy a version of the same document.")})
    copied = ("date", "title", *markup.TEXT_FIELDS)
    texts = {name: getattr(source, name) for name in copied} if source else {}
    texts.update(data)
    markup.validate({k: v for k, v in texts.items() if k in markup.TEXT_FIELDS})
    number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return tracked_create(
        model=DocumentVersion,
        actor=actor,
        data={"document": document, "language": language, "number": number, **texts},
    )


_NOT_DRAFT = gettext_lazy("Version %(v)s is %(s)s; only a draft can be changed.")

APPROVAL = Approval(
    check=check,
    change=Action.CHANGE,
    decide=Action.APPROVE,
    submit_from=(DocumentVersion.Status.DRAFT,),
    in_review=DocumentVersion.Status.IN_REVIEW,
    approved=DocumentVersion.Status.APPROVED,
    returned=DocumentVersion.Status.DRAFT,
    decided=("approved_by", "approved_at"),
    authors=("submitted_by", "created_by"),
    names=lambda version: {"v": version, "s": version.get_status_display().lower()},
    not_submittable=_NOT_DRAFT,
    not_in_review=gettext_lazy("Only a version in review can be %(verb)s; version %(v)s is %(s)s."),
    own_work=gettext_lazy("You wrote or submitted version %(v)s; another approver must decide on it."),
    comment_required=gettext_lazy("Say what must change: a returned version needs a comment."),
)


def _refuse_unless_draft(version: DocumentVersion) -> None:
    if version.status != DocumentVersion.Status.DRAFT:
        raise InvalidTransition(APPROVAL.say(_NOT_DRAFT, version))


@transaction.atomic
def version_update(
    *, actor: Actor, version: DocumentVersion, expected_version: int | None, **data: Any
) -> DocumentVersion:
    """Change a draft's texts; an unknown field, block or argument is refused naming the text field."""
    only_fields(data, VERSION_FIELDS)
    check(actor, Action.CHANGE, version)
    _refuse_unless_draft(version)
    markup.validate({k: v for k, v in data.items() if k in markup.TEXT_FIELDS})
    return tracked_update(instance=version, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def version_delete(*, actor: Actor, version: DocumentVersion, expected_version: int | None) -> None:
    check(actor, Action.DELETE, version)
    _refuse_unless_draft(version)
    tracked_delete(instance=version, actor=actor, expected_version=expected_version)


def _ready(version: DocumentVersion) -> None:
    errors = {}
    if not version.body.strip():
        errors["body"] = _("Write the document before submitting it.")
    if not version.date:
        errors["date"] = _("Give the document's date before submitting it.")
    if errors:
        raise ValidationError(errors)
    markup.validate({name: getattr(version, name) for name in markup.TEXT_FIELDS})


def version_submit(
    *, actor: Actor, version: DocumentVersion, expected_version: int | None
) -> DocumentVersion:
    return APPROVAL.submit(
        actor=actor, record=version, expected_version=expected_version, ready=lambda: _ready(version)
    )


def version_approve(
    *, actor: Actor, version: DocumentVersion, expected_version: int | None
) -> DocumentVersion:
    """Approve and freeze: every figure and block the version shows is stored with the time computed."""
    return APPROVAL.approve(
        actor=actor,
        record=version,
        expected_version=expected_version,
        then=lambda: {"frozen": compute(version).as_json()},
    )


def version_return(
    *, actor: Actor, version: DocumentVersion, expected_version: int | None, comment: str
) -> DocumentVersion:
    return APPROVAL.return_(actor=actor, record=version, expected_version=expected_version, comment=comment)


@transaction.atomic
def version_publish(
    *, actor: Actor, version: DocumentVersion, expected_version: int | None
) -> DocumentVersion:
    check(actor, Action.APPROVE, version)
    if version.status != DocumentVersion.Status.APPROVED:
        raise InvalidTransition(
            _("Only an approved version can be published; version %(v)s is %(s)s.")
            % {"v": version, "s": version.get_status_display().lower()}
        )
    return tracked_transition(
        actor=actor,
        instance=version,
        expected_version=expected_version,
        data={"status": DocumentVersion.Status.PUBLISHED, "published_at": timezone.now()},
    )
