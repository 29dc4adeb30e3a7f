"""Writes to the resilience register: access and invariants first, then the audited helpers."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from presence.core.errors import AccessDenied, InvalidTransition
from presence.core.models import AuditEntry
from presence.core.services import Actor, diff, snapshot, tracked_create, tracked_delete, tracked_update
from presence.org.access import Action, check, restrict
from presence.org.models import Office
from presence.resilience.confidential import check_confidential
from presence.resilience.models import (
    Assessment,
    AssessmentTemplate,
    CrisisCommsRegistration,
    Evidence,
    Finding,
    Installation,
    PlanningDocument,
    RemediationAction,
    Requirement,
    RequirementResult,
    ResilienceSettings,
)
from presence.resilience.rules import EVIDENCE_MAX_BYTES, EVIDENCE_TYPES


def _only(data: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    return data


def _refuse_locked(assessment: Assessment) -> None:
    if assessment.is_locked:
        raise ValidationError(
            {
                "__all__": f"This assessment is {assessment.get_status_display().lower()} and locked; "
                "it cannot be changed."
            }
        )


# Templates and requirements -------------------------------------------------------------------

TEMPLATE_FIELDS = ("kind", "name", "edition", "description", "is_current")
REQUIREMENT_FIELDS = ("code", "text", "category", "weight", "sort_order")


@transaction.atomic
def template_create(*, actor: Actor, **data: Any) -> AssessmentTemplate:
    _only(data, TEMPLATE_FIELDS)
    check(actor, Action.ADD, AssessmentTemplate(**data))
    return tracked_create(model=AssessmentTemplate, actor=actor, data=data)


@transaction.atomic
def template_update(
    *, actor: Actor, template: AssessmentTemplate, expected_version: int | None, **data: Any
) -> AssessmentTemplate:
    _only(data, TEMPLATE_FIELDS)
    check(actor, Action.CHANGE, template)
    if ("kind" in data or "edition" in data) and template.assessments.exists():
        changed = data.get("kind", template.kind) != template.kind or data.get(
            "edition", template.edition
        ) != (template.edition)
        if changed:
            raise ValidationError({"edition": "Assessments use this template; create a new version instead."})
    return tracked_update(instance=template, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def template_new_edition(*, actor: Actor, template: AssessmentTemplate) -> AssessmentTemplate:
    """Copy a template and its requirements as the next version; the old version stops being offered."""
    check(actor, Action.ADD, template)
    latest = AssessmentTemplate.objects.filter(kind=template.kind).order_by("-edition").first()
    edition = (latest.edition if latest else template.edition) + 1
    copy = tracked_create(
        model=AssessmentTemplate,
        actor=actor,
        data={
            "kind": template.kind,
            "name": template.name,
            "edition": edition,
            "description": template.description,
            "is_current": True,
        },
        reason=f"new version of {template}",
    )
    for requirement in template.requirements.all():
        tracked_create(
            model=Requirement,
            actor=actor,
            data={"template": copy, **{name: getattr(requirement, name) for name in REQUIREMENT_FIELDS}},
        )
    AssessmentTemplate.objects.filter(kind=template.kind).exclude(pk=copy.pk).filter(is_current=True).update(
        is_current=False
    )
    return copy


def _refuse_template_in_use(template: AssessmentTemplate) -> None:
    if template.assessments.exists():
        raise ValidationError(
            {
                "__all__": "Assessments already use this template version; "
                "create a new version to change requirements."
            }
        )


@transaction.atomic
def requirement_create(*, actor: Actor, template: AssessmentTemplate, **data: Any) -> Requirement:
    _only(data, REQUIREMENT_FIELDS)
    check(actor, Action.ADD, Requirement(template=template, **data))
    _refuse_template_in_use(template)
    return tracked_create(model=Requirement, actor=actor, data={"template": template, **data})


@transaction.atomic
def requirement_update(
    *, actor: Actor, requirement: Requirement, expected_version: int | None, **data: Any
) -> Requirement:
    _only(data, REQUIREMENT_FIELDS)
    check(actor, Action.CHANGE, requirement)
    _refuse_template_in_use(requirement.template)
    return tracked_update(instance=requirement, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def requirement_delete(*, actor: Actor, requirement: Requirement, expected_version: int | None) -> None:
    check(actor, Action.DELETE, requirement)
    _refuse_template_in_use(requirement.template)
    tracked_delete(instance=requirement, actor=actor, expected_version=expected_version)


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
    _only(data, ASSESSMENT_FIELDS)
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
    _only(data, ASSESSMENT_FIELDS)
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


# Findings and remediation actions -------------------------------------------------------------

FINDING_FIELDS = (
    "requirement",
    "title",
    "details",
    "likelihood",
    "impact",
    "treatment",
    "owner",
    "due_on",
    "status",
    "closed_on",
)
# Once the assessment is locked its findings keep what was found; follow-up fields stay editable.
FINDING_FOLLOW_UP = ("treatment", "owner", "due_on", "status", "closed_on")
ACTION_FIELDS = ("description", "owner", "due_on", "status", "completed_on")


@transaction.atomic
def finding_create(*, actor: Actor, assessment: Assessment, **data: Any) -> Finding:
    _only(data, FINDING_FIELDS)
    draft = Finding(assessment=assessment)
    check(actor, Action.ADD, draft)
    check_confidential(actor, draft)
    _refuse_locked(assessment)
    return tracked_create(model=Finding, actor=actor, data={"assessment": assessment, **data})


@transaction.atomic
def finding_update(*, actor: Actor, finding: Finding, expected_version: int | None, **data: Any) -> Finding:
    _only(data, FINDING_FIELDS)
    check(actor, Action.CHANGE, finding)
    check_confidential(actor, finding)
    if finding.assessment.is_locked:
        frozen = sorted(
            name for name in data if name not in FINDING_FOLLOW_UP and data[name] != getattr(finding, name)
        )
        if frozen:
            raise ValidationError(
                dict.fromkeys(
                    frozen, "The assessment is locked; only treatment, owner, due date and status can change."
                )
            )
    return tracked_update(instance=finding, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def finding_delete(*, actor: Actor, finding: Finding, expected_version: int | None) -> None:
    check(actor, Action.DELETE, finding)
    check_confidential(actor, finding)
    _refuse_locked(finding.assessment)
    finding.actions.all().delete()
    tracked_delete(instance=finding, actor=actor, expected_version=expected_version)


@transaction.atomic
def action_create(*, actor: Actor, finding: Finding, **data: Any) -> RemediationAction:
    _only(data, ACTION_FIELDS)
    draft = RemediationAction(finding=finding)
    check(actor, Action.ADD, draft)
    check_confidential(actor, draft)
    if finding.status == Finding.Status.CLOSED:
        raise ValidationError({"__all__": "The finding is closed; reopen it before adding actions."})
    return tracked_create(model=RemediationAction, actor=actor, data={"finding": finding, **data})


@transaction.atomic
def action_update(
    *, actor: Actor, action: RemediationAction, expected_version: int | None, **data: Any
) -> RemediationAction:
    _only(data, ACTION_FIELDS)
    check(actor, Action.CHANGE, action)
    check_confidential(actor, action)
    return tracked_update(instance=action, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def action_delete(*, actor: Actor, action: RemediationAction, expected_version: int | None) -> None:
    check(actor, Action.DELETE, action)
    check_confidential(actor, action)
    tracked_delete(instance=action, actor=actor, expected_version=expected_version)


# Planning documents, installations ------------------------------------------------------------

PLAN_FIELDS = ("office", "kind", "edition", "approved_on", "next_review_on", "owner", "notes")
INSTALLATION_FIELDS = (
    "office",
    "title",
    "status",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "estimated_workdays",
    "actual_workdays",
    "notes",
)


def _office_move(actor: Actor, model: type[Any], record: Any, data: dict[str, Any]) -> None:
    if "office" in data and data["office"] != record.office:
        check(actor, Action.ADD, model(office=data["office"]))


@transaction.atomic
def plan_create(*, actor: Actor, **data: Any) -> PlanningDocument:
    _only(data, PLAN_FIELDS)
    check(actor, Action.ADD, PlanningDocument(**data))
    return tracked_create(model=PlanningDocument, actor=actor, data=data)


@transaction.atomic
def plan_update(
    *, actor: Actor, plan: PlanningDocument, expected_version: int | None, **data: Any
) -> PlanningDocument:
    _only(data, PLAN_FIELDS)
    check(actor, Action.CHANGE, plan)
    _office_move(actor, PlanningDocument, plan, data)
    return tracked_update(instance=plan, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def plan_delete(*, actor: Actor, plan: PlanningDocument, expected_version: int | None) -> None:
    check(actor, Action.DELETE, plan)
    tracked_delete(instance=plan, actor=actor, expected_version=expected_version)


@transaction.atomic
def installation_create(*, actor: Actor, **data: Any) -> Installation:
    _only(data, INSTALLATION_FIELDS)
    check(actor, Action.ADD, Installation(**data))
    return tracked_create(model=Installation, actor=actor, data=data)


@transaction.atomic
def installation_update(
    *, actor: Actor, installation: Installation, expected_version: int | None, **data: Any
) -> Installation:
    _only(data, INSTALLATION_FIELDS)
    check(actor, Action.CHANGE, installation)
    _office_move(actor, Installation, installation, data)
    return tracked_update(instance=installation, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def installation_delete(*, actor: Actor, installation: Installation, expected_version: int | None) -> None:
    check(actor, Action.DELETE, installation)
    tracked_delete(instance=installation, actor=actor, expected_version=expected_version)


# Crisis-comms registrations -------------------------------------------------------------------

REGISTRATION_FIELDS = ("office", "counted_on", "registered", "staff_in_office", "notes")


@transaction.atomic
def registration_create(*, actor: Actor, source: str = "entered", **data: Any) -> CrisisCommsRegistration:
    _only(data, REGISTRATION_FIELDS)
    check(actor, Action.ADD, CrisisCommsRegistration(**data))
    counted_on = data.get("counted_on")
    if (
        counted_on
        and CrisisCommsRegistration.objects.filter(office=data.get("office"), counted_on=counted_on).exists()
    ):
        raise ValidationError(
            {"counted_on": "This office already has a count on this date; change that one."}
        )
    return tracked_create(model=CrisisCommsRegistration, actor=actor, data={**data, "source": source})


@transaction.atomic
def registration_update(
    *, actor: Actor, registration: CrisisCommsRegistration, expected_version: int | None, **data: Any
) -> CrisisCommsRegistration:
    _only(data, REGISTRATION_FIELDS)
    check(actor, Action.CHANGE, registration)
    _office_move(actor, CrisisCommsRegistration, registration, data)
    return tracked_update(instance=registration, actor=actor, data=data, expected_version=expected_version)


@transaction.atomic
def registration_delete(
    *, actor: Actor, registration: CrisisCommsRegistration, expected_version: int | None
) -> None:
    check(actor, Action.DELETE, registration)
    tracked_delete(instance=registration, actor=actor, expected_version=expected_version)


def _parse_count(value: str, label: str, line: int, errors: list[str], *, required: bool) -> int | None:
    value = (value or "").strip()
    if not value:
        if required:
            errors.append(f"Line {line}: {label} is missing.")
        return None
    try:
        number = int(value)
    except ValueError:
        errors.append(f"Line {line}: {label} {value!r} is not a whole number.")
        return None
    if number < 0:
        errors.append(f"Line {line}: {label} cannot be negative.")
        return None
    return number


@transaction.atomic
def registrations_import(*, actor: Actor, content: bytes) -> list[CrisisCommsRegistration]:
    """Load counts from CSV (columns office, counted_on, registered, optional staff_in_office).

    All rows or none: any bad row refuses the whole file, naming each problem by line. A row for an
    office and date that already has a count replaces that count.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": "The file is not UTF-8 CSV text."}) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = {"office", "counted_on", "registered"} - set(reader.fieldnames or [])
    if missing:
        raise ValidationError({"file": f"Missing column(s): {', '.join(sorted(missing))}."})
    offices = {office.code: office for office in restrict(Office.objects.all(), actor, Action.VIEW)}
    errors: list[str] = []
    rows: list[dict[str, Any]] = []
    for line, row in enumerate(reader, start=2):
        office = offices.get((row.get("office") or "").strip())
        if office is None:
            errors.append(f"Line {line}: unknown office code {row.get('office')!r}.")
        try:
            counted_on = dt.date.fromisoformat((row.get("counted_on") or "").strip())
        except ValueError:
            errors.append(f"Line {line}: counted_on {row.get('counted_on')!r} is not a date like 2024-09-01.")
            counted_on = None
        registered = _parse_count(row.get("registered") or "", "registered", line, errors, required=True)
        staff = _parse_count(
            row.get("staff_in_office") or "", "staff_in_office", line, errors, required=False
        )
        if office is not None and counted_on is not None and registered is not None:
            rows.append(
                {
                    "office": office,
                    "counted_on": counted_on,
                    "registered": registered,
                    "staff_in_office": staff,
                }
            )
    if not rows and not errors:
        errors.append("The file has no rows.")
    if errors:
        raise ValidationError({"file": errors})
    saved: list[CrisisCommsRegistration] = []
    for row in rows:
        existing = CrisisCommsRegistration.objects.filter(
            office=row["office"], counted_on=row["counted_on"]
        ).first()
        if existing:
            check(actor, Action.CHANGE, existing)
            saved.append(
                tracked_update(
                    instance=existing,
                    actor=actor,
                    expected_version=None,
                    reason="uploaded",
                    data={
                        "registered": row["registered"],
                        "staff_in_office": row["staff_in_office"],
                        "source": CrisisCommsRegistration.Source.UPLOADED,
                    },
                )
            )
        else:
            check(actor, Action.ADD, CrisisCommsRegistration(office=row["office"]))
            saved.append(
                tracked_create(
                    model=CrisisCommsRegistration,
                    actor=actor,
                    reason="uploaded",
                    data={**row, "source": CrisisCommsRegistration.Source.UPLOADED},
                )
            )
    return saved


# Settings -------------------------------------------------------------------------------------

SETTINGS_FIELDS = ("workdays_per_month", "coverage_threshold", "plan_warning_days")


@transaction.atomic
def settings_update(*, actor: Actor, expected_version: int | None, **data: Any) -> ResilienceSettings:
    _only(data, SETTINGS_FIELDS)
    current = ResilienceSettings.objects.order_by("pk").first()
    if current is None:
        check(actor, Action.ADD, ResilienceSettings())
        return tracked_create(model=ResilienceSettings, actor=actor, data=data)
    check(actor, Action.CHANGE, current)
    return tracked_update(instance=current, actor=actor, data=data, expected_version=expected_version)


def workdays(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(Decimal("0.1"))


__all__ = ["AccessDenied"]
