"""Pages: quarterly reviews, their workflow, the review inbox, the review list and the home panel."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presence.core.errors import AccessDenied, InvalidTransition, VersionConflict
from presence.core.filtering import list_page
from presence.core.selectors import get_or_404
from presence.core.views import form_page, submit_form
from presence.org.access import Action, can, check, restrict
from presence.org.personal import history_for, sees_personal, shown_people
from presence.portfolio.models import Project
from presence.results import selectors, services
from presence.results.filters import ReviewFilter
from presence.results.forms import CommentForm, ReviewForm
from presence.results.models import Activity, Indicator, IndicatorValue, QuarterlyReview, ReportingPeriod


def _subject(request: HttpRequest, kind: str, pk: int) -> tuple[Activity | None, Any]:
    if kind == "activity":
        return get_or_404(selectors.activity_get, user=request.user, pk=pk), None
    if kind == "project":
        project = get_or_404(restrict(Project.objects.all(), request.user, Action.VIEW), pk=pk)
        return None, project
    raise Http404(_("Reviews are of activities or projects."))


def _indicators_and_values(
    activity: Activity | None, project: Any, period: ReportingPeriod
) -> tuple[list[Indicator], dict[int, IndicatorValue]]:
    indicators = list(
        Indicator.objects.filter(**({"activity": activity} if activity else {"project": project}))
    )
    current = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(
            indicator__in=indicators,
            year=period.year,
            quarter=period.quarter,
            breakdown_region__isnull=True,
            gender="",
        )
    }
    return indicators, current


@login_required
def review_create(request: HttpRequest, period: int, kind: str, pk: int) -> HttpResponse:
    quarter = get_or_404(ReportingPeriod, pk=period)
    activity, project = _subject(request, kind, pk)
    existing = QuarterlyReview.objects.filter(
        period=quarter, **({"activity": activity} if activity else {"project": project})
    ).first()
    if existing is not None:
        return redirect(existing)
    indicators, current = _indicators_and_values(activity, project, quarter)
    form = ReviewForm(request.POST or None, indicators=indicators, current=current)
    outcome = submit_form(
        request,
        form,
        lambda: services.review_create(
            actor=request.user,
            period=quarter,
            activity=activity,
            project=project,
            actuals=form.actuals(),
            **form.service_data(),
        ),
        done=lambda _review: _("Review saved as draft."),
        refusals=(ValidationError, InvalidTransition),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    subject = activity if activity is not None else project
    return render(
        request,
        "results/review_form.html",
        {"form": form, "review": None, "period": quarter, "subject": subject},
        status=outcome,
    )


@login_required
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_or_404(selectors.review_get, user=request.user, pk=pk)
    check(request.user, Action.CHANGE, review)
    if not review.is_editable_state:
        messages.error(
            request,
            _("Review %(r)s is %(s)s: it cannot be edited now.")
            % {"r": review, "s": review.get_status_display().lower()},
        )
        return redirect(review)
    indicators, current = _indicators_and_values(review.activity, review.project, review.period)
    form = ReviewForm(request.POST or None, instance=review, indicators=indicators, current=current)
    return form_page(
        request,
        form,
        lambda: services.review_update(
            actor=request.user,
            review=review,
            expected_version=form.expected_version(),
            actuals=form.actuals(),
            **form.service_data(),
        ),
        template="results/review_form.html",
        context=lambda: {"review": review, "period": review.period, "subject": review.subject},
        done=lambda _review: _("Review saved."),
        conflicts=(InvalidTransition,),
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_or_404(selectors.review_get, user=request.user, pk=pk)
    indicators, current = _indicators_and_values(review.activity, review.project, review.period)
    today = timezone.localdate()
    user = request.user
    editable = (
        review.is_editable_state
        and can(user, Action.CHANGE, review)
        and (
            not review.period.is_closed(today)
            or services.reopened_by_return(review)
            or services.is_admin_for(user, review)
        )
    )
    deciding = (
        review.status == QuarterlyReview.Status.SUBMITTED
        and can(user, Action.APPROVE, review)
        and review.submitted_by_id != user.pk
    )
    return render(
        request,
        "results/review_detail.html",
        {
            "review": review,
            "actuals": [(i, current.get(i.pk)) for i in indicators],
            "history": history_for(user=request.user, record=review, limit=50),
            "people": shown_people(request.user, review),
            "closed": review.period.is_closed(today) and not services.reopened_by_return(review),
            "can_edit": editable,
            "can_submit": editable,
            "can_decide": deciding,
            "can_reopen": review.status == QuarterlyReview.Status.APPROVED
            and services.is_admin_for(user, review),
        },
    )


@login_required
@require_POST
def review_transition(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    review = get_or_404(selectors.review_get, user=request.user, pk=pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; reload the review and try again."))
        return redirect(review)
    version = form.cleaned_data["version"]
    comment = form.cleaned_data["comment"]
    try:
        if step == "submit":
            services.review_submit(actor=request.user, review=review, expected_version=version)
            done = _("Review submitted for approval.")
        elif step == "approve":
            services.review_approve(actor=request.user, review=review, expected_version=version)
            done = _("Review approved.")
        elif step == "return":
            services.review_return(
                actor=request.user, review=review, expected_version=version, comment=comment
            )
            done = _("Review returned to its submitter.")
        elif step == "reopen":
            services.review_reopen(
                actor=request.user, review=review, expected_version=version, reason=comment
            )
            done = _("Review reopened as a draft.")
        else:
            raise Http404(_("No such step."))
    except (InvalidTransition, VersionConflict, AccessDenied) as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("results:review-detail", pk=pk)


@login_required
def review_inbox(request: HttpRequest) -> HttpResponse:
    """The viewer's own work: reviews to write, overdue, returned to them, to approve."""
    limit = selectors.INBOX_LIMIT
    inbox = selectors.review_inbox(user=request.user, today=timezone.localdate(), limit=limit)
    return render(
        request,
        "results/review_inbox.html",
        {"groups": inbox.groups, "counts": inbox.counts, "limit": limit},
    )


REVIEWS_PER_PAGE = 100


def _person(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """Every review the viewer may see, filtered in the URL; the same filters drive CSV and XLSX."""
    today = timezone.localdate()
    names = sees_personal(request.user)

    def rows(reviews: Any) -> Iterator[dict[str, Any]]:
        for r in reviews:
            yield {
                "year": r.period.year,
                "quarter": r.period.quarter,
                "kind": "activity" if r.activity_id else "project",
                "code": r.subject.code,
                "title": r.subject.title,
                "region": r.region.code if r.region else "",
                "office": r.office.code if r.office else "",
                "status": r.status,
                "rating": r.rating,
                "deadline": r.period.submission_deadline,
                "overdue": "yes" if r.period.is_closed(today) and r.status != r.Status.APPROVED else "",
                "submitted_at": r.submitted_at,
                "decided_at": r.decided_at,
                "submitted_by": _person(r.submitted_by),
                "decided_by": _person(r.decided_by),
            }

    return list_page(
        request,
        ReviewFilter,
        lambda filters: selectors.review_list(user=request.user, filters=filters, today=today),
        template="results/review_list.html",
        rows=rows,
        context=lambda reviews, page: {"today": today, "show_names": names},
        extra_columns=ReviewFilter.name_columns if names else (),
        per_page=REVIEWS_PER_PAGE,
    )


def my_reviews_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The home page's "My reviews" panel: to write (and overdue), to approve, returned to me.

    The viewer's inbox (`selectors.review_inbox`): counted in the database, the first tasks listed."""
    limit = selectors.PANEL_LIMIT
    inbox = selectors.review_inbox(user=request.user, today=timezone.localdate(), limit=limit)
    if not any(inbox.counts.values()):
        return None
    groups, counts = inbox.groups, inbox.counts
    return {
        "template": "results/home_panel.html",
        "to_write": [*groups["overdue"], *groups["write"]][:limit],
        "to_approve": groups["approve"],
        "returned": groups["returned"],
        "to_write_count": counts["overdue"] + counts["write"],
        "to_approve_count": counts["approve"],
        "returned_count": counts["returned"],
        "overdue": counts["overdue"],
    }
