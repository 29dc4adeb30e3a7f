"""Pages: events with participation totals, stakeholder engagements with overdue follow-ups,
opportunities with the weighted pipeline per region and conversion into a project."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied, InvalidTransition
from presence.core.filtering import PER_PAGE, bind, list_page
from presence.core.forms import VersionedModelForm
from presence.core.selectors import get_or_404
from presence.core.views import create_from, delete_confirmation, form_page, update_from
from presence.engagement import selectors, services
from presence.engagement.filters import EngagementFilter, EventFilter, OpportunityFilter
from presence.engagement.forms import ConvertForm, EngagementForm, EventForm, OpportunityForm
from presence.engagement.models import Event, Opportunity, StakeholderEngagement, StakeholderType
from presence.org.access import Action, can, can_anywhere, check
from presence.org.pages import record_page


def _create(
    request: HttpRequest,
    *,
    model: type[models.Model],
    form_class: type[VersionedModelForm],
    service: Callable[..., Any],
    title: str,
    back: str,
) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, model):
        raise AccessDenied(_("You are not allowed to add %(m)s.") % {"m": model._meta.verbose_name_plural})
    form = form_class(request.POST or None)
    return form_page(
        request,
        form,
        create_from(request, form, service),
        template="engagement/form.html",
        context={"title": title, "back": back},
        done=lambda record: _("%(r)s saved.") % {"r": record},
        refusals=(ValidationError, AccessDenied),
    )


def _edit(
    request: HttpRequest,
    record: Any,
    *,
    form_class: type[VersionedModelForm],
    service: Callable[..., Any],
    argument: str,
) -> HttpResponse:
    check(request.user, Action.CHANGE, record)
    form = form_class(request.POST or None, instance=record)
    return form_page(
        request,
        form,
        update_from(request, form, service, **{argument: record}),
        template="engagement/form.html",
        context=lambda: {"title": _("Edit %(r)s") % {"r": record}, "record": record},
        done=lambda saved: _("%(r)s saved.") % {"r": saved},
        refusals=(ValidationError, AccessDenied, InvalidTransition),
    )


# Events -------------------------------------------------------------------------------------------


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    def rows(events: Any) -> Iterator[dict[str, Any]]:
        for e in events:
            yield {
                **{f"participants_{v}": getattr(e, f"participants_{v}") for v in StakeholderType.values},
                "title": e.title,
                "kind": e.get_kind_display(),
                "start_date": e.start_date,
                "end_date": e.end_date,
                "region": e.region.code,
                "office": e.office.localized_name if e.office else "",
                "host_country": e.host_country.name if e.host_country else "",
                "city": e.city,
                "kap_priority": e.kap_priority.code if e.kap_priority else "",
                "participants_total": e.participants_total,
                "type_unknown": e.participants_type_unknown,
                "participants_women": e.participants_women,
                "participants_men": e.participants_men,
                "gender_unknown": e.participants_gender_unknown,
            }

    def context(events: Any, page: Page) -> dict[str, Any]:
        totals = selectors.participation(events) if isinstance(events, QuerySet) else []
        return {
            "totals": totals[:-1],
            "total": totals[-1] if totals else None,
            "types": StakeholderType.choices,
            "can_add": can_anywhere(request.user, Action.ADD, Event),
        }

    return list_page(
        request,
        EventFilter,
        lambda filters: selectors.event_list(user=request.user, filters=filters),
        template="engagement/event_list.html",
        rows=rows,
        context=context,
    )


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_or_404(selectors.event_get, user=request.user, pk=pk)
    return record_page(request, "engagement/event_detail.html", event, name="event")


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    return _create(
        request,
        model=Event,
        form_class=EventForm,
        service=services.event_create,
        title=_("New event"),
        back="engagement:event-list",
    )


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(
        request,
        get_or_404(selectors.event_get, user=request.user, pk=pk),
        form_class=EventForm,
        service=services.event_update,
        argument="event",
    )


# Stakeholder engagements --------------------------------------------------------------------------


@login_required
def engagement_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()

    def rows(engagements: Any) -> Iterator[dict[str, Any]]:
        for e in engagements:
            yield {
                "date": e.date,
                "organization": e.organization,
                "organization_type": e.get_organization_type_display(),
                "country": e.country.name if e.country else "",
                "kind": e.get_kind_display(),
                "office": e.office.localized_name,
                "region": e.office.region.code if e.office.region else "HQ",
                "topic": e.topic,
                "outcome": e.outcome,
                "follow_up_on": e.follow_up_on,
                "follow_up_done": "yes" if e.follow_up_done else "no",
                "overdue": "yes" if e.is_overdue(today) else "no",
            }

    def context(engagements: Any, page: Page) -> dict[str, Any]:
        return {
            "today": today,
            "overdue_count": selectors.overdue_follow_ups(user=request.user, today=today).count(),
            "can_add": can_anywhere(request.user, Action.ADD, StakeholderEngagement),
        }

    return list_page(
        request,
        EngagementFilter,
        lambda filters: selectors.engagement_list(user=request.user, filters=filters),
        template="engagement/engagement_list.html",
        rows=rows,
        context=context,
    )


@login_required
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_or_404(selectors.engagement_get, user=request.user, pk=pk)
    return record_page(
        request,
        "engagement/engagement_detail.html",
        engagement,
        name="engagement",
        overdue=engagement.is_overdue(),
    )


@login_required
def engagement_create(request: HttpRequest) -> HttpResponse:
    return _create(
        request,
        model=StakeholderEngagement,
        form_class=EngagementForm,
        service=services.engagement_create,
        title=_("New stakeholder engagement"),
        back="engagement:engagement-list",
    )


@login_required
def engagement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(
        request,
        get_or_404(selectors.engagement_get, user=request.user, pk=pk),
        form_class=EngagementForm,
        service=services.engagement_update,
        argument="engagement",
    )


# Opportunities ------------------------------------------------------------------------------------


# The opportunities are listed a page at a time under the pipeline's figures (computed over all of them).
OPPORTUNITIES_PER_PAGE = PER_PAGE


@login_required
def opportunity_list(request: HttpRequest) -> HttpResponse:
    def rows(opportunities: Any) -> Iterator[dict[str, Any]]:
        for o in opportunities:
            yield {
                "title": o.title,
                "partner": o.partner.name,
                "office": o.office.localized_name,
                "region": o.region.code,
                "stage": o.get_stage_display(),
                "amount": o.amount,
                "currency": o.currency,
                "probability": o.probability,
                "weighted_amount": o.weighted_amount,
                "expected_signature_on": o.expected_signature_on,
                "signed_on": o.signed_on,
                "project": o.project.code if o.project else "",
            }

    filters = bind(OpportunityFilter, request)

    def context(opportunities: Any, page: Page) -> dict[str, Any]:
        valid = filters.is_valid()
        pipeline = selectors.opportunity_pipeline(user=request.user, filters=filters) if valid else []
        return {
            "pipeline": pipeline[:-1],
            "total": pipeline[-1] if pipeline else None,
            "can_add": can_anywhere(request.user, Action.ADD, Opportunity),
        }

    return list_page(
        request,
        OpportunityFilter,
        lambda filters: selectors.opportunity_list(user=request.user, filters=filters),
        template="engagement/opportunity_list.html",
        rows=rows,
        context=context,
        filters=filters,
        per_page=OPPORTUNITIES_PER_PAGE,
    )


@login_required
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_or_404(selectors.opportunity_get, user=request.user, pk=pk)
    can_change = can(request.user, Action.CHANGE, opportunity)
    return record_page(
        request,
        "engagement/opportunity_detail.html",
        opportunity,
        name="opportunity",
        can_delete=can(request.user, Action.DELETE, opportunity) and not opportunity.project_id,
        can_convert=can_change
        and opportunity.stage == Opportunity.Stage.SIGNED
        and not opportunity.project_id,
    )


@login_required
def opportunity_create(request: HttpRequest) -> HttpResponse:
    return _create(
        request,
        model=Opportunity,
        form_class=OpportunityForm,
        service=services.opportunity_create,
        title=_("New opportunity"),
        back="engagement:opportunity-list",
    )


@login_required
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(
        request,
        get_or_404(selectors.opportunity_get, user=request.user, pk=pk),
        form_class=OpportunityForm,
        service=services.opportunity_update,
        argument="opportunity",
    )


@login_required
def opportunity_convert(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_or_404(selectors.opportunity_get, user=request.user, pk=pk)
    check(request.user, Action.CHANGE, opportunity)
    initial = {"version": opportunity.version, "title": opportunity.title}
    form = ConvertForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda: services.opportunity_convert(
            actor=request.user,
            opportunity=opportunity,
            expected_version=form.expected_version(),
            code=form.cleaned_data["code"],
            title=form.cleaned_data["title"],
            planned_start=form.cleaned_data["planned_start"],
            planned_end=form.cleaned_data["planned_end"],
            source=form.cleaned_data["source"],
            status=form.cleaned_data["status"],
        ),
        template="engagement/form.html",
        context=lambda: {
            "title": _("Convert %(o)s into a project") % {"o": opportunity},
            "record": opportunity,
        },
        done=lambda project: _("Project %(code)s created from this opportunity.") % {"code": project.code},
        after=lambda _project: opportunity,
        refusals=(ValidationError, AccessDenied),
        conflicts=(InvalidTransition,),
    )


# Deletes: a confirmation page carrying the version the user saw ----------------------------------


@login_required
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_or_404(selectors.event_get, user=request.user, pk=pk)
    return delete_confirmation(
        request,
        record=event,
        delete=lambda version: services.event_delete(
            actor=request.user, event=event, expected_version=version
        ),
        after=reverse("engagement:event-list"),
        warning=_("Its participants no longer count in the participation totals."),
    )


@login_required
def engagement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_or_404(selectors.engagement_get, user=request.user, pk=pk)
    return delete_confirmation(
        request,
        record=engagement,
        delete=lambda version: services.engagement_delete(
            actor=request.user, engagement=engagement, expected_version=version
        ),
        after=reverse("engagement:engagement-list"),
    )


@login_required
def opportunity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_or_404(selectors.opportunity_get, user=request.user, pk=pk)
    return delete_confirmation(
        request,
        record=opportunity,
        delete=lambda version: services.opportunity_delete(
            actor=request.user, opportunity=opportunity, expected_version=version
        ),
        after=reverse("engagement:opportunity-list"),
        warning=_("It leaves the pipeline. An opportunity converted into a project cannot be deleted."),
    )
