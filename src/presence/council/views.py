"""Pages of Council documents: list, document, version (as it will print), edit, workflow, preview,
comparison of two versions, PDF and DOCX."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presence.core.errors import AccessDenied, InvalidTransition, VersionConflict
from presence.core.filtering import list_page
from presence.core.selectors import get_or_404
from presence.core.views import create_from, delete_confirmation, form_page, submit_form, update_from
from presence.council import documents, selectors, services
from presence.council.blocks import BLOCKS
from presence.council.fields import FIELDS, PERIOD
from presence.council.filters import DocumentFilter
from presence.council.forms import CompareForm, DocumentForm, NewVersionForm, VersionForm
from presence.council.models import CouncilDocument, DocumentVersion
from presence.council.render import render as render_version
from presence.dashboard.views import dashboard_access
from presence.org.access import Action, can, can_anywhere, check


def _get(getter: Callable[..., Any], request: HttpRequest, pk: int) -> Any:
    return get_or_404(getter, user=request.user, pk=pk)


@dashboard_access
def document_list(request: HttpRequest) -> HttpResponse:
    def rows(found: Any) -> Iterator[dict[str, Any]]:
        for d in found:
            years = str(d.year_from) if d.year_to == d.year_from else f"{d.year_from}-{d.year_to}"
            yield {
                "number": d.number,
                "title": d.title,
                "governing_body": d.governing_body,
                "years": years,
                "languages": d.languages,
            }

    return list_page(
        request,
        DocumentFilter,
        lambda filters: selectors.document_list(user=request.user, filters=filters),
        template="council/document_list.html",
        rows=rows,
        context=lambda found, page: {"can_add": can_anywhere(request.user, Action.ADD, CouncilDocument)},
    )


@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, CouncilDocument):
        raise AccessDenied(_("You are not allowed to add Council documents."))
    form = DocumentForm(request.POST or None)
    outcome = submit_form(
        request,
        form,
        create_from(request, form, services.document_create),
        done=lambda saved: _("%(r)s saved.") % {"r": saved},
        refusals=(ValidationError, AccessDenied),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    status = outcome
    # The record form every app shares the shape of (engagement's: title, fields, Save, Cancel to `back`).
    context = {"form": form, "title": _("New Council document"), "back": "council:document-list"}
    return render(request, "engagement/form.html", context, status=status)


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = _get(selectors.document_get, request, pk)
    check(request.user, Action.CHANGE, document)
    form = DocumentForm(request.POST or None, instance=document)
    return form_page(
        request,
        form,
        update_from(request, form, services.document_update, document=document),
        template="engagement/form.html",
        context=lambda: {"title": _("Edit %(r)s") % {"r": document}, "record": document},
        done=lambda saved: _("%(r)s saved.") % {"r": saved},
        refusals=(ValidationError, AccessDenied),
    )


@dashboard_access
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _get(selectors.document_get, request, pk)
    versions = list(selectors.version_list(user=request.user, document=document))
    by_language = [(code, [v for v in versions if v.language == code]) for code in document.language_list]
    can_add = can(request.user, Action.ADD, DocumentVersion(document=document))
    return render(
        request,
        "council/document_detail.html",
        {
            "document": document,
            "by_language": by_language,
            "can_change": can(request.user, Action.CHANGE, document),
            "new_version_form": NewVersionForm(document=document) if can_add else None,
            "compare_form": CompareForm(
                versions=selectors.version_list(user=request.user, document=document)
            ),
            "history": selectors.history_for(user=request.user, record=document),
        },
    )


@login_required
@require_POST
def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    document = _get(selectors.document_get, request, pk)
    form = NewVersionForm(request.POST, document=document)
    if not form.is_valid():
        messages.error(
            request, " ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items())
        )
        return redirect(document)
    try:
        version = services.version_create(
            actor=request.user,
            document=document,
            language=form.cleaned_data["language"],
            copy_from=form.cleaned_data["copy_from"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(document)
    messages.success(request, _("Draft %(v)s created.") % {"v": version})
    return redirect("council:version-edit", pk=version.pk)


def _rendered(request: HttpRequest, version: DocumentVersion, *, changes: bool = True) -> Any:
    """The version to show; a draft's page (`changes`) also marks the figures changed since approval.
    The preview, PDF and DOCX print the figures alone, as the document will be sent."""
    if version.frozen or not changes:
        return render_version(version)
    return render_version(version, previous=selectors.last_approved(version, user=request.user))


@dashboard_access
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = _get(selectors.version_get, request, pk)
    doc = _rendered(request, version)
    user = request.user
    # Nobody decides on a version they wrote or submitted (the service refuses it too).
    own = user.pk in {version.created_by_id, version.submitted_by_id} - {None}
    return render(
        request,
        "council/version_detail.html",
        {
            "version": version,
            "document": version.document,
            "doc": doc,
            "can_change": version.status == DocumentVersion.Status.DRAFT
            and can(user, Action.CHANGE, version),
            "can_decide": version.status == DocumentVersion.Status.IN_REVIEW
            and can(user, Action.APPROVE, version)
            and not own,
            "own_in_review": own
            and version.status == DocumentVersion.Status.IN_REVIEW
            and can(user, Action.APPROVE, version),
            "can_publish": version.status == DocumentVersion.Status.APPROVED
            and can(user, Action.APPROVE, version),
            "history": selectors.history_for(user=user, record=version),
        },
    )


@dashboard_access
def version_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The version exactly as the PDF prints it (the same template), in the page's browser."""
    version = _get(selectors.version_get, request, pk)
    return HttpResponse(documents.html(_rendered(request, version, changes=False), links=True))


@dashboard_access
def version_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in documents.FORMATS:
        raise Http404(_("No such format."))
    version = _get(selectors.version_get, request, pk)
    content = documents.render(_rendered(request, version, changes=False), fmt)
    response = HttpResponse(content, content_type=documents.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{documents.filename(version, fmt)}"'
    return response


@login_required
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = _get(selectors.version_get, request, pk)
    check(request.user, Action.CHANGE, version)
    if version.status != DocumentVersion.Status.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect(version)
    form = VersionForm(request.POST or None, instance=version)
    return form_page(
        request,
        form,
        update_from(request, form, services.version_update, version=version),
        template="council/version_form.html",
        context=lambda: {
            "version": version,
            "fields": FIELDS.values(),
            "blocks": BLOCKS.values(),
            "period": PERIOD,
        },
        done=lambda saved: _("%(r)s saved.") % {"r": saved},
        refusals=(ValidationError, AccessDenied, InvalidTransition),
    )


@login_required
def version_delete(request: HttpRequest, pk: int) -> HttpResponse:
    version = _get(selectors.version_get, request, pk)
    return delete_confirmation(
        request,
        record=version,
        delete=lambda v: services.version_delete(actor=request.user, version=version, expected_version=v),
        after=version.document.get_absolute_url(),
    )


@login_required
@require_POST
def version_transition(request: HttpRequest, pk: int) -> HttpResponse:
    version = _get(selectors.version_get, request, pk)
    step = request.POST.get("step", "")
    try:
        expected = int(request.POST.get("version", ""))
    except ValueError:
        messages.error(request, _("The form was incomplete; reload the page and try again."))
        return redirect(version)
    steps: dict[str, tuple[Callable[..., Any], str]] = {
        "submit": (services.version_submit, _("Version submitted for approval.")),
        "approve": (services.version_approve, _("Version approved; its figures are frozen.")),
        "publish": (services.version_publish, _("Version published.")),
    }
    try:
        if step == "return":
            services.version_return(
                actor=request.user,
                version=version,
                expected_version=expected,
                comment=request.POST.get("comment", ""),
            )
            done = _("Version returned to draft.")
        elif step in steps:
            service, done = steps[step]
            service(actor=request.user, version=version, expected_version=expected)
        else:
            raise Http404(_("No such step."))
    except (InvalidTransition, VersionConflict) as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(version)


def _lines(doc: Any) -> list[str]:
    return doc.text().splitlines()


@dashboard_access
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two versions side by side: the text (changed lines marked) and every figure of either."""
    document = _get(selectors.document_get, request, pk)
    versions = selectors.version_list(user=request.user, document=document)
    form = CompareForm(request.GET or None, versions=versions)
    context: dict[str, Any] = {"document": document, "form": form}
    if form.is_valid():
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        doc_a, doc_b = render_version(a), render_version(b)
        rows = []
        matcher = difflib.SequenceMatcher(a=_lines(doc_a), b=_lines(doc_b), autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            left, right = _lines(doc_a)[i1:i2], _lines(doc_b)[j1:j2]
            for index in range(max(len(left), len(right))):
                rows.append(
                    {
                        "tag": tag,
                        "left": left[index] if index < len(left) else "",
                        "right": right[index] if index < len(right) else "",
                    }
                )
        keys = sorted(set(doc_a.figures.fields) | set(doc_b.figures.fields))
        figures = [
            {
                "key": key,
                "left": doc_a.figures.fields.get(key, {}).get("value"),
                "right": doc_b.figures.fields.get(key, {}).get("value"),
                "unit": (doc_a.figures.fields.get(key) or doc_b.figures.fields.get(key) or {}).get(
                    "unit", ""
                ),
            }
            for key in keys
        ]
        for row in figures:
            row["changed"] = row["left"] != row["right"]
        context.update({"a": a, "b": b, "doc_a": doc_a, "doc_b": doc_b, "rows": rows, "figures": figures})
    elif request.GET:
        return render(request, "council/compare.html", context, status=400)
    return render(request, "council/compare.html", context)


@dashboard_access
def vocabulary(request: HttpRequest) -> HttpResponse:
    """The live fields and blocks a text may hold, with their arguments."""
    return render(request, "council/vocabulary.html", {"fields": FIELDS.values(), "blocks": BLOCKS.values()})
