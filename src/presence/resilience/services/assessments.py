"""Writes to assessments, their results and evidence."""

from __future__ import annotations

import codecs
import datetime as dt
import os
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from presence.core import figures
from presence.core.errors import InvalidTransition
from presence.core.models import AuditEntry
from presence.core.services import (
    Actor,
    diff,
    only_fields,
    snapshot,
    tracked_create,
    tracked_delete,
    tracked_update,
)
from presence.org.access import Action, check
from presence.resilience.confidential import check_confidential
from presence.resilience.models import (
    Assessment,
    Evidence,
    Requirement,
    RequirementResult,
)
from presence.resilience.rules import EVIDENCE_MAX_BYTES, EVIDENCE_TYPES
from presence.resilience.services._common import _refuse_locked

# Assessments and results ----------------------------------------------------------------------

ASSESSMENT_FIELDS = (
    "office",
    "template",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "assessors",
)


TRANSITIONS: dict[str, tuple[str, ...]] = {
    Assessment.Status.PLANNED: (Assessment.Status.IN_PROGRESS,),
    Assessment.Status.IN_PROGRESS: (Assessment.Status.COMPLETED,),
    Assessment.Status.COMPLETED: (Assessment.Status.ARCHIVED,),
    Assessment.Status.ARCHIVED: (),
}


@transaction.atomic
def assessment_create(*, actor: Actor, **data: Any) -> Assessment:
    only_fields(data, ASSESSMENT_FIELDS)
    check(actor, Action.ADD, Assessment(**data))
    template = data.get("template")
    if template is not None and not template.is_current:
        raise ValidationError(
            {"template": "This template version is no longer current; choose the current one."}
        )
    return tracked_create(model=Assessment, actor=actor, data={**data, "status": Assessment.Status.PLANNED})


@transaction.atomic
def assessment_update(
    *, actor: Actor, assessment: Assessment, expected_version: int | None, **data: Any
) -> Assessment:
    only_fields(data, ASSESSMENT_FIELDS)
    check(actor, Action.CHANGE, assessment)
    _refuse_locked(assessment)
    if "office" in data and data["office"] != assessment.office:
        check(actor, Action.ADD, Assessment(office=data["office"]))
    if "template" in data and data["template"] != assessment.template and assessment.results.exists():
        raise ValidationError({"template": "Results are already recorded against this template version."})
    return tracked_update(instance=assessment, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def assessment_transition(
    *, actor: Actor, assessment: Assessment, to: str, expected_version: int | None, on: dt.date | None = None
) -> Assessment:
    """Move an assessment through planned -> in progress -> completed -> archived.

    Completing needs a result for every requirement; from then on the assessment and its results
    are locked.
    """
    check(actor, Action.CHANGE, assessment)
    if to not in TRANSITIONS.get(assessment.status, ()):
        raise InvalidTransition(
            f"An assessment that is {assessment.get_status_display().lower()} cannot become "
            f"{Assessment.Status(to).label.lower() if to in Assessment.Status.values else to!r}."
        )
    day = on or timezone.localdate()
    data: dict[str, Any] = {"status": to}
    if to == Assessment.Status.IN_PROGRESS and not assessment.actual_start:
        data["actual_start"] = day
    if to == Assessment.Status.COMPLETED:
        missing = assessment.template.requirements.exclude(results__assessment=assessment).count()
        if missing:
            raise ValidationError(
                {
                    "__all__": f"{missing} requirement(s) have no result yet; "
                    "record every result before completing."
                }
            )
        if not assessment.actual_end:
            data["actual_end"] = max(day, assessment.actual_start or day)
    return tracked_update(
        instance=assessment,
        actor=actor,
        data=data,
        expected_version=expected_version,
        action=AuditEntry.Action.TRANSITION,
    )


@transaction.atomic
def assessment_delete(*, actor: Actor, assessment: Assessment, expected_version: int | None) -> None:
    check(actor, Action.DELETE, assessment)
    if assessment.status != Assessment.Status.PLANNED:
        raise ValidationError({"__all__": "Only a planned assessment can be deleted; archive it instead."})
    tracked_delete(instance=assessment, actor=actor, expected_version=expected_version)


@transaction.atomic
def result_record(
    *,
    actor: Actor,
    assessment: Assessment,
    requirement: Requirement,
    result: str,
    observation: str = "",
    expected_version: int | None = None,
) -> RequirementResult:
    """Record (or change) the result for one requirement of an assessment in progress."""
    existing = RequirementResult.objects.filter(assessment=assessment, requirement=requirement).first()
    record = existing or RequirementResult(assessment=assessment, requirement=requirement)
    check(actor, Action.CHANGE if existing else Action.ADD, record)
    check_confidential(actor, record)
    _refuse_locked(assessment)
    if assessment.status != Assessment.Status.IN_PROGRESS:
        raise ValidationError({"__all__": "Start the assessment (in progress) before recording results."})
    data = {"result": result, "observation": observation}
    if existing is None:
        return tracked_create(
            model=RequirementResult,
            actor=actor,
            data={"assessment": assessment, "requirement": requirement, **data},
        )
    return tracked_update(instance=existing, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def results_record_many(
    *, actor: Actor, assessment: Assessment, results: list[tuple[Requirement, str, str]]
) -> list[RequirementResult]:
    """Record the first results of several requirements of an assessment in progress, in bulk.

    `results` holds (requirement, result, observation). The checks of `result_record` are made once
    for the assessment and for every row before anything is written; a requirement that already has
    a result (change it with `result_record`) or belongs to another template refuses the whole batch.
    Results and their audit entries are inserted in two queries.
    """
    user: Any = actor if getattr(actor, "is_authenticated", False) else None
    probe = RequirementResult(assessment=assessment)
    check(actor, Action.ADD, probe)
    check_confidential(actor, probe)
    _refuse_locked(assessment)
    if assessment.status != Assessment.Status.IN_PROGRESS:
        raise ValidationError({"__all__": "Start the assessment (in progress) before recording results."})
    recorded = set(
        RequirementResult.objects.filter(
            assessment=assessment, requirement__in=[r for r, _result, _o in results]
        ).values_list("requirement_id", flat=True)
    )
    records = []
    errors: list[str] = []
    for requirement, result, observation in results:
        if requirement.template_id != assessment.template_id:
            errors.append(f"{requirement.code} is not part of the assessment's template.")
        elif requirement.pk in recorded:
            errors.append(f"{requirement.code} already has a result; change it on its own.")
        record = RequirementResult(
            assessment=assessment,
            requirement=requirement,
            result=result,
            observation=observation,
            created_by=user,
            updated_by=user,
        )
        try:
            record.full_clean(
                exclude=["assessment", "requirement", "created_by", "updated_by"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors.extend(f"{requirement.code}: {m}" for m in error.messages)
        records.append(record)
    if errors:
        raise ValidationError({"results": errors})
    created = RequirementResult.objects.bulk_create(records)
    kind = ContentType.objects.get_for_model(RequirementResult)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=user,
            action=AuditEntry.Action.CREATE,
            content_type=kind,
            object_id=str(record.pk),
            object_repr=str(record)[:300],
            changes=diff({}, {k: v for k, v in snapshot(record).items() if v not in (None, "", [])}),
        )
        for record in created
    )
    figures.bump("resilience")
    return created


def _evidence_problem(upload: UploadedFile) -> str:
    """Why an uploaded file is refused as evidence ("" when it is acceptable)."""
    name = os.path.basename(upload.name or "")
    extension = name.rsplit(".", 1)[1].lower() if "." in name else ""
    allowed = ", ".join(f".{ext}" for ext in EVIDENCE_TYPES)
    if extension not in EVIDENCE_TYPES:
        shown = f".{extension}" if extension else "without an extension"
        return f"Files of type {shown} are not accepted as evidence ({name}); allowed types: {allowed}."
    size = upload.size or 0
    if size > EVIDENCE_MAX_BYTES:
        return (
            f"{name} is {size / 1024 / 1024:.1f} MB; evidence files may be at most "
            f"{EVIDENCE_MAX_BYTES // 1024 // 1024} MB."
        )
    if size == 0:
        return f"{name} is empty."
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    signatures = EVIDENCE_TYPES[extension]
    if signatures and not any(head.startswith(signature) for signature in signatures):
        return f"The content of {name} is not a .{extension} file; upload it in the format its name says."
    if not signatures:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            return f"{name} is not plain UTF-8 text."
        if b"\x00" in head:
            return f"{name} is not plain text."
    return ""


@transaction.atomic
def evidence_add(*, actor: Actor, result: RequirementResult, upload: UploadedFile) -> Evidence:
    """Attach a file to a requirement result; refused files are never stored."""
    check(actor, Action.CHANGE, result)
    check_confidential(actor, result)
    _refuse_locked(result.assessment)
    problem = _evidence_problem(upload)
    if problem:
        raise ValidationError({"file": problem})
    name = get_valid_filename(os.path.basename(upload.name or "evidence"))[:200]
    upload.name = name
    return tracked_create(
        model=Evidence,
        actor=actor,
        data={
            "result": result,
            "file": upload,
            "original_name": name,
            "size": upload.size or 0,
            "content_type": (upload.content_type or "")[:100],
        },
    )


@transaction.atomic
def evidence_delete(*, actor: Actor, evidence: Evidence, expected_version: int | None) -> None:
    check(actor, Action.DELETE, evidence)
    check_confidential(actor, evidence)
    _refuse_locked(evidence.result.assessment)
    file = evidence.file
    tracked_delete(instance=evidence, actor=actor, expected_version=expected_version)
    transaction.on_commit(lambda: file.storage.delete(file.name) if file.name else None)
