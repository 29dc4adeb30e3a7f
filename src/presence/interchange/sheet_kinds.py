"""Spreadsheet kinds for posts (staffing), events (engagement) and assessment results (resilience).

Each row goes through the owning app's services; the preview checks the same rules those services
and models apply (access, personal and confidential data, model `clean()`, workflow state), so a file
that previews without errors applies without errors.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presence.core.services import Actor
from presence.engagement import services as engagement
from presence.engagement.models import GENDER_FIELDS, TYPE_FIELDS, Event
from presence.interchange.sheets import (
    REGISTRY,
    Column,
    RowError,
    SheetKind,
    _codes,
    _diff,
    _query_codes,
    creating,
    register,
    updating,
)
from presence.org.access import Action, can
from presence.org.models import Country, Office, Region
from presence.resilience import services as resilience
from presence.resilience.confidential import sees_confidential
from presence.resilience.models import Assessment, AssessmentKind, Requirement, RequirementResult
from presence.staffing import services as staffing
from presence.staffing.models import Funding, Grade, Post, Sector, category_of


def _model_errors(instance: models.Model, kind: str) -> list[tuple[str, str]]:
    """The model's own rules (`clean()`), each on the column it names (else the kind's first column)."""
    columns = [column.name for column in REGISTRY[kind].columns]
    try:
        instance.clean()
    except ValidationError as error:
        found: list[tuple[str, str]] = []
        for name, messages in error.message_dict.items():
            column = name if name in columns else columns[0]
            found.extend((column, message) for message in messages)
        return found
    return []


def _office(code: str, column: str = "office") -> Office:
    office = Office.objects.filter(code=code).select_related("region").first()
    if office is None:
        raise RowError(column, _("There is no office %(code)r.") % {"code": code})
    return office


# --- Posts ----------------------------------------------------------------------------------------------

POST_EDITABLE = (
    "title",
    "unit",
    "sector",
    "funding",
    "status",
    "incumbent",
    "start_date",
    "end_date",
    "notes",
)


def _post_resolve(row: dict[str, Any]) -> dict[str, Any]:
    values = {**row, "office": _office(row["office"])}
    for name in ("unit", "incumbent", "notes"):
        values[name] = row[name] or ""
    values["sector"] = row["sector"] or Sector.BDT
    values["funding"] = row["funding"] or Funding.REGULAR
    values["status"] = row["status"] or Post.Status.VACANT
    return values


def _post_checks(actor: Actor, values: dict[str, Any], post: Post | None) -> list[tuple[str, str]]:
    problems = []
    if post is None:
        draft = Post(office=values["office"], grade=values["grade"], category=category_of(values["grade"]))
        if (
            values["incumbent"]
            and can(actor, Action.ADD, draft)
            and not can(actor, Action.VIEW_PERSONAL, draft)
        ):
            problems.append(("incumbent", _("You may not record the names of incumbents.")))
        problems.extend(_model_errors(Post(**{**values, "category": draft.category}), "posts"))
        return problems
    if values["grade"] != post.grade:
        problems.append(("grade", _("A grade changes through a dated post action (upgrade or downgrade).")))
    if values["office"].pk != post.office_id:
        problems.append(("office", _("A post moves to another office through a dated post action.")))
    if values["incumbent"] != post.incumbent and not can(actor, Action.VIEW_PERSONAL, post):
        problems.append(("incumbent", _("You may not change the names of incumbents.")))
    if values["status"] == Post.Status.ABOLISHED and post.status != Post.Status.ABOLISHED:
        problems.append(("status", _("Abolish a post by recording an abolition action with its date.")))
    return problems


register(
    SheetKind(
        key="posts",
        label=gettext_lazy("Posts"),
        columns=(
            Column("number", note="Post number; an existing number updates the post."),
            Column("title"),
            Column("office", "code", codes=_query_codes(Office, "code")),
            Column("grade", "code", codes=_codes(Grade.values)),
            Column("sector", "code", required=False, codes=_codes(Sector.values), note="Default BDT"),
            Column("funding", "code", required=False, codes=_codes(Funding.values), note="Default regular"),
            Column("status", "code", required=False, codes=_codes(Post.Status.values), note="Default vacant"),
            Column("unit", required=False),
            Column(
                "incumbent", required=False, note="Only human resources and administrators may fill this in."
            ),
            Column("start_date", "date", required=False),
            Column("end_date", "date", required=False),
            Column("notes", required=False),
        ),
        key_columns=("number",),
        scope_column="office",
        resolve=_post_resolve,
        find=lambda v: Post.objects.filter(number=v["number"]).first(),
        draft=lambda v: Post(office=v["office"]),
        changes=lambda post, v: _diff(post, v, POST_EDITABLE),
        create=creating(staffing.post_create, "number", "office", "grade", *POST_EDITABLE),
        update=updating(staffing.post_update, "post"),
        checks=_post_checks,
    )
)


# --- Events ---------------------------------------------------------------------------------------------

COUNTS = ("participants_total", *TYPE_FIELDS, *GENDER_FIELDS)
EVENT_EDITABLE = ("kind", "end_date", "office", "host_country", "city", *COUNTS, "notes")


def _event_resolve(row: dict[str, Any]) -> dict[str, Any]:
    values = dict(row)
    values["region"] = Region.objects.get(code=row["region"])
    values["office"] = _office(row["office"]) if row["office"] else None
    country = None
    if row["host_country"]:
        country = Country.objects.filter(iso2=row["host_country"].upper()).first()
        if country is None:
            raise RowError("host_country", _("There is no country %(code)r.") % {"code": row["host_country"]})
    values["host_country"] = country
    for name in COUNTS:
        if values[name] is None:
            values[name] = 0
        elif values[name] < 0:
            raise RowError(name, _("A number of participants cannot be negative."))
    values["city"] = row["city"] or ""
    values["notes"] = row["notes"] or ""
    return values


def _event_checks(actor: Actor, values: dict[str, Any], event: Event | None) -> list[tuple[str, str]]:
    fields = {name: values[name] for name in ("title", "start_date", "region", *EVENT_EDITABLE)}
    return _model_errors(Event(**fields), "events")


register(
    SheetKind(
        key="events",
        label=gettext_lazy("Events"),
        columns=(
            Column(
                "title", note="Title, start date and region identify the event; the same three update it."
            ),
            Column("start_date", "date"),
            Column("region", "code", codes=_query_codes(Region, "code")),
            Column("kind", "code", codes=_codes(Event.Kind.values)),
            Column("end_date", "date"),
            Column(
                "office", "code", required=False, codes=_query_codes(Office, "code"), note="Organizing office"
            ),
            Column("host_country", required=False, note="ISO 3166 two-letter code"),
            Column("city", required=False, note="Empty for an online event"),
            *(Column(name, "int", required=False, minimum=0) for name in COUNTS),
            Column("notes", required=False),
        ),
        key_columns=("title", "start_date", "region"),
        scope_column="region",
        resolve=_event_resolve,
        find=lambda v: Event.objects.filter(
            title=v["title"], start_date=v["start_date"], region=v["region"]
        ).first(),
        draft=lambda v: Event(region=v["region"], office=v["office"]),
        changes=lambda event, v: _diff(event, v, EVENT_EDITABLE),
        create=creating(engagement.event_create, "title", "start_date", "region", *EVENT_EDITABLE),
        update=updating(engagement.event_update, "event"),
        checks=_event_checks,
    )
)


# --- Assessment results ---------------------------------------------------------------------------------


def _result_resolve(row: dict[str, Any]) -> dict[str, Any]:
    office = _office(row["office"])
    assessments = list(
        Assessment.objects.select_related("office__region", "template").filter(
            office=office, template__kind=row["assessment_kind"], planned_start=row["planned_start"]
        )[:2]
    )
    if len(assessments) != 1:
        message = (
            _("There is no %(kind)s assessment of %(office)s planned to start on %(date)s.")
            if not assessments
            else _("Several %(kind)s assessments of %(office)s start on %(date)s.")
        )
        raise RowError(
            "planned_start",
            message % {"kind": row["assessment_kind"], "office": office.code, "date": row["planned_start"]},
        )
    assessment = assessments[0]
    requirement = Requirement.objects.filter(template=assessment.template, code=row["requirement"]).first()
    if requirement is None:
        raise RowError(
            "requirement",
            _("The assessment's template has no requirement %(code)r.") % {"code": row["requirement"]},
        )
    return {
        **row,
        "assessment": assessment,
        "requirement": requirement,
        "observation": row["observation"] or "",
    }


def _result_checks(
    actor: Actor, values: dict[str, Any], existing: RequirementResult | None
) -> list[tuple[str, str]]:
    assessment = values["assessment"]
    record = existing or RequirementResult(assessment=assessment, requirement=values["requirement"])
    if can(actor, Action.ADD, record) and not sees_confidential(actor, record):
        return [("office", _("Only the security role and HQ administrators may record results."))]
    if assessment.status != Assessment.Status.IN_PROGRESS:
        return [
            (
                "planned_start",
                _("The assessment is %(status)s; results are recorded while it is in progress.")
                % {"status": assessment.get_status_display().lower()},
            )
        ]
    return []


register(
    SheetKind(
        key="assessment-results",
        label=gettext_lazy("Assessment results"),
        columns=(
            Column("office", "code", codes=_query_codes(Office, "code")),
            Column("assessment_kind", "code", codes=_codes(AssessmentKind.values)),
            Column(
                "planned_start", "date", note="Planned start of the assessment, to tell assessments apart"
            ),
            Column("requirement", note="Requirement code in the assessment's template"),
            Column("result", "code", codes=_codes(RequirementResult.Result.values)),
            Column("observation", required=False),
        ),
        key_columns=("office", "assessment_kind", "planned_start", "requirement"),
        scope_column="office",
        resolve=_result_resolve,
        find=lambda v: RequirementResult.objects.filter(
            assessment=v["assessment"], requirement=v["requirement"]
        ).first(),
        draft=lambda v: RequirementResult(assessment=v["assessment"], requirement=v["requirement"]),
        changes=lambda existing, v: _diff(existing, v, ("result", "observation")),
        create=lambda actor, v: resilience.result_record(
            actor=actor,
            assessment=v["assessment"],
            requirement=v["requirement"],
            result=v["result"],
            observation=v["observation"],
        ),
        update=lambda actor, existing, changes: resilience.result_record(
            actor=actor,
            assessment=existing.assessment,
            requirement=existing.requirement,
            result=changes.get("result", existing.result),
            observation=changes.get("observation", existing.observation),
        ),
        checks=_result_checks,
    )
)
