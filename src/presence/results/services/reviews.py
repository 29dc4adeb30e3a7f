"""Writes to quarterly reviews and their workflow (submit, approve, return, reopen)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presence.core.errors import AccessDenied, InvalidTransition
from presence.core.services import Actor, only_fields, tracked_create, tracked_transition, tracked_update
from presence.core.workflow import Approval
from presence.org.access import Action, check
from presence.results.models import (
    Activity,
    Indicator,
    QuarterlyReview,
    ReportingPeriod,
)
from presence.results.services._common import _today, is_admin_for
from presence.results.services.indicators import _refuse_if_closed, indicator_value_set, reopened_by_return

REVIEW_FIELDS = ("rating", "progress", "risks", "next_steps")


# --- Quarterly reviews ------------------------------------------------------------------------------


def _review_place(activity: Activity | None, project: Any) -> tuple[Any, Any]:
    if (activity is None) == (project is None):
        raise ValidationError({"__all__": _("A review is of one activity or one project.")})
    if activity is not None:
        return activity.region, activity.responsible_office
    return project.region, project.lead_office


def _save_actuals(
    *, actor: Actor, review: QuarterlyReview, actuals: Mapping[int, Decimal | str | None], today: dt.date
) -> None:
    """Store the quarter's indicator actuals entered with the review (words for qualitative ones)."""
    if not actuals:
        return
    subject = review.subject
    owned = {
        i.pk: i
        for i in Indicator.objects.filter(
            **({"activity": subject} if review.activity_id else {"project": subject})
        )
    }
    errors: dict[str, str] = {}
    for indicator_id, value in actuals.items():
        indicator = owned.get(int(indicator_id))
        if indicator is None:
            errors[f"actual_{indicator_id}"] = _("This indicator does not measure the reviewed record.")
            continue
        values: dict[str, Any] = (
            {"note": str(value or "")} if not indicator.is_quantitative else {"actual": value}
        )
        try:
            indicator_value_set(
                actor=actor,
                indicator=indicator,
                year=review.period.year,
                quarter=review.period.quarter,
                today=today,
                **values,
            )
        except ValidationError as error:
            errors[f"actual_{indicator_id}"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def review_create(
    *,
    actor: Actor,
    period: ReportingPeriod,
    activity: Activity | None = None,
    project: Any = None,
    actuals: Mapping[int, Decimal | str | None] | None = None,
    today: dt.date | None = None,
    **data: Any,
) -> QuarterlyReview:
    only_fields(data, REVIEW_FIELDS)
    today = today or _today()
    region, office = _review_place(activity, project)
    draft = QuarterlyReview(period=period, activity=activity, project=project, region=region, office=office)
    check(actor, Action.ADD, draft)
    if activity is not None and activity.year != period.year:
        raise ValidationError(
            {
                "period": _("Activity %(code)s belongs to the %(y)s plan, not %(p)s.")
                % {"code": activity.code, "y": activity.year, "p": period.year}
            }
        )
    existing = QuarterlyReview.objects.filter(
        period=period, **({"activity": activity} if activity is not None else {"project": project})
    )
    if existing.exists():
        raise ValidationError({"period": _("This record already has a review for %(p)s.") % {"p": period}})
    _refuse_if_closed(actor, draft, period.year, period.quarter, today)
    review = tracked_create(
        model=QuarterlyReview,
        actor=actor,
        data={
            "period": period,
            "activity": activity,
            "project": project,
            "region": region,
            "office": office,
            **data,
        },
    )
    _save_actuals(actor=actor, review=review, actuals=actuals or {}, today=today)
    return review


def _refuse_unless_editable(review: QuarterlyReview) -> None:
    if review.status == QuarterlyReview.Status.APPROVED:
        raise InvalidTransition(
            _("Review %(r)s is approved and locked; only an administrator can reopen it.") % {"r": review}
        )
    if review.status == QuarterlyReview.Status.SUBMITTED:
        raise InvalidTransition(
            _("Review %(r)s is submitted and waits for a decision; it can be edited once returned.")
            % {"r": review}
        )


@transaction.atomic
def review_update(
    *,
    actor: Actor,
    review: QuarterlyReview,
    expected_version: int | None,
    actuals: Mapping[int, Decimal | str | None] | None = None,
    today: dt.date | None = None,
    **data: Any,
) -> QuarterlyReview:
    """Edit a draft or returned review; editing a returned review puts it back to draft."""
    only_fields(data, REVIEW_FIELDS)
    today = today or _today()
    check(actor, Action.CHANGE, review)
    _refuse_unless_editable(review)
    if not reopened_by_return(review):
        _refuse_if_closed(actor, review, review.period.year, review.period.quarter, today)
    if review.status == QuarterlyReview.Status.RETURNED:
        data["status"] = QuarterlyReview.Status.DRAFT
    review = tracked_update(
        instance=review,
        actor=actor,
        data=data,
        expected_version=expected_version,
    )
    _save_actuals(actor=actor, review=review, actuals=actuals or {}, today=today)
    return review


APPROVAL = Approval(
    check=check,
    change=Action.CHANGE,
    decide=Action.APPROVE,
    submit_from=(QuarterlyReview.Status.DRAFT, QuarterlyReview.Status.RETURNED),
    in_review=QuarterlyReview.Status.SUBMITTED,
    approved=QuarterlyReview.Status.APPROVED,
    returned=QuarterlyReview.Status.RETURNED,
    decided=("decided_by", "decided_at"),
    decided_on_return=True,
    names=lambda review: {"r": review, "s": review.get_status_display()},
    not_submittable=gettext_lazy("Only a draft or returned review can be submitted; review %(r)s is %(s)s."),
    not_in_review=gettext_lazy("Only a submitted review can be %(verb)s; review %(r)s is %(s)s."),
    own_work=gettext_lazy("You submitted review %(r)s; another approver must decide on it."),
    comment_required=gettext_lazy("Say what must change: a returned review needs a comment."),
)


def _ready(actor: Actor, review: QuarterlyReview, today: dt.date | None) -> None:
    if not reopened_by_return(review):
        _refuse_if_closed(actor, review, review.period.year, review.period.quarter, today or _today())
    errors: dict[str, str] = {}
    if not review.rating:
        errors["rating"] = _("Give a status rating before submitting.")
    if not review.progress.strip():
        errors["progress"] = _("Describe the progress before submitting.")
    if errors:
        raise ValidationError(errors)


def review_submit(
    *, actor: Actor, review: QuarterlyReview, expected_version: int | None, today: dt.date | None = None
) -> QuarterlyReview:
    return APPROVAL.submit(
        actor=actor,
        record=review,
        expected_version=expected_version,
        ready=lambda: _ready(actor, review, today),
    )


def review_approve(*, actor: Actor, review: QuarterlyReview, expected_version: int | None) -> QuarterlyReview:
    return APPROVAL.approve(actor=actor, record=review, expected_version=expected_version)


def review_return(
    *, actor: Actor, review: QuarterlyReview, expected_version: int | None, comment: str
) -> QuarterlyReview:
    return APPROVAL.return_(actor=actor, record=review, expected_version=expected_version, comment=comment)


@transaction.atomic
def review_reopen(
    *, actor: Actor, review: QuarterlyReview, expected_version: int | None, reason: str
) -> QuarterlyReview:
    """Unlock an approved review (administrators only); the reason stays in the audit trail."""
    check(actor, Action.VIEW, review)
    if not is_admin_for(actor, review):
        raise AccessDenied(_("Only an administrator can reopen an approved review."))
    if review.status != QuarterlyReview.Status.APPROVED:
        raise InvalidTransition(
            _("Only an approved review can be reopened; review %(r)s is %(s)s.")
            % {"r": review, "s": review.get_status_display()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening; the audit trail keeps it.")})
    return tracked_transition(
        actor=actor,
        instance=review,
        expected_version=expected_version,
        data={"status": QuarterlyReview.Status.DRAFT, "decided_by": None, "decided_at": None},
        reason=reason.strip(),
    )
