"""Pages: events with participation totals, stakeholder engagements with overdue follow-ups,
opportunities with the weighted pipeline per region and conversion into a project."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presence.core.errors import AccessDenied, InvalidTransition
from presence.core.exports import Column, table_download
from presence.core.forms import VersionedModelForm
from presence.core.selectors import get_or_404
from presence.core.views import delete_confirmation, submit_form
from presence.engagement import selectors, services
from presence.engagement.filters import EngagementFilterForm, EventFilterForm, OpportunityFilterForm
from presence.engagement.forms import ConvertForm, EngagementForm, EventForm, OpportunityForm
from presence.engagement.models import Event, Opportunity, StakeholderEngagement, StakeholderType
from presence.org.access import Action, can, can_anywhere, check
from presence.org.personal import history_for


def _fmt(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in {"csv", "xlsx"} else None


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
    outcome = submit_form(
        request,
        form,
        lambda: service(actor=request.user, **form.service_data()),
        done=lambda record: _("%(r)s saved.") % {"r": record},
        refusals=(ValidationError, AccessDenied),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return render(
        request, "engagement/form.html", {"form": form, "title": title, "back": back}, status=outcome
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
    outcome = submit_form(
        request,
        form,
        lambda: service(
            actor=request.user,
            expected_version=form.expected_version(),
            **{argument: record},
            **form.service_data(),
        ),
        done=lambda saved: _("%(r)s saved.") % {"r": saved},
        refusals=(ValidationError, AccessDenied, InvalidTransition),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return render(
        request,
        "engagement/form.html",
        {"form": form, "title": _("Edit %(r)s") % {"r": record}, "record": record},
        status=outcome,
    )


# Events -------------------------------------------------------------------------------------------

EVENT_COLUMNS = [
    Column("title", gettext_lazy("Title")),
    Column("kind", gettext_lazy("Kind")),
    Column("start_date", gettext_lazy("Start")),
    Column("end_date", gettext_lazy("End")),
    Column("region", gettext_lazy("Region")),
    Column("office", gettext_lazy("Office")),
    Column("host_country", gettext_lazy("Host country")),
    Column("city", gettext_lazy("City")),
    Column("kap_priority", gettext_lazy("KAP priority")),
    Column("participants_total", gettext_lazy("Participants")),
    *[Column(f"participants_{value}", label) for value, label in StakeholderType.choices],
    Column("type_unknown", gettext_lazy("Stakeholder type unknown")),
    Column("participants_women", gettext_lazy("Women")),
    Column("participants_men", gettext_lazy("Men")),
    Column("gender_unknown", gettext_lazy("Gender unknown")),
]


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    filters = EventFilterForm(request.GET or None)
    events = selectors.event_list(user=request.user, **filters.values())
    fmt = _fmt(request)
    if fmt:
        rows = (
            {
                **{f"participants_{v}": getattr(e, f"participants_{v}") for v in StakeholderType.values},
                "title": e.title,
                "kind": e.get_kind_display(),
                "start_date": e.start_date,
                "end_date": e.end_date,
                "region": e.region.code,
                "office": e.office.name if e.office else "",
                "host_country": e.host_country.name if e.host_country else "",
                "city": e.city,
                "kap_priority": e.kap_priority.code if e.kap_priority else "",
                "participants_total": e.participants_total,
                "type_unknown": e.participants_type_unknown,
                "participants_women": e.participants_women,
                "participants_men": e.participants_men,
                "gender_unknown": e.participants_gender_unknown,
            }
            for e in events
        )
        return table_download(
            columns=EVENT_COLUMNS, rows=rows, filename="events", fmt=fmt, title=gettext_lazy("Events")
        )
    totals = selectors.participation(events)
    return render(
        request,
        "engagement/event_list.html",
        {
            "events": events,
            "filters": filters,
            "totals": totals[:-1],
            "total": totals[-1],
            "types": StakeholderType.choices,
            "can_add": can_anywhere(request.user, Action.ADD, Event),
        },
    )


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_or_404(selectors.event_get, user=request.user, pk=pk)
    return render(
        request,
        "engagement/event_detail.html",
        {
            "event": event,
            "history": history_for(user=request.user, record=event, limit=50),
            "can_change": can(request.user, Action.CHANGE, event),
            "can_delete": can(request.user, Action.DELETE, event),
        },
    )


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

ENGAGEMENT_COLUMNS = [
    Column("date", gettext_lazy("Date")),
    Column("organization", gettext_lazy("Organization")),
    Column("organization_type", gettext_lazy("Organization type")),
    Column("country", gettext_lazy("Country")),
    Column("kind", gettext_lazy("Kind")),
    Column("office", gettext_lazy("Office")),
    Column("region", gettext_lazy("Region")),
    Column("topic", gettext_lazy("Topic")),
    Column("outcome", gettext_lazy("Outcome")),
    Column("follow_up_on", gettext_lazy("Follow up by")),
    Column("follow_up_done", gettext_lazy("Follow-up done")),
    Column("overdue", gettext_lazy("Overdue")),
]


@login_required
def engagement_list(request: HttpRequest) -> HttpResponse:
    filters = EngagementFilterForm(request.GET or None)
    engagements = selectors.engagement_list(user=request.user, **filters.values())
    today = timezone.localdate()
    fmt = _fmt(request)
    if fmt:
        rows = (
            {
                "date": e.date,
                "organization": e.organization,
                "organization_type": e.get_organization_type_display(),
                "country": e.country.name if e.country else "",
                "kind": e.get_kind_display(),
                "office": e.office.name,
                "region": e.office.region.code if e.office.region else "HQ",
                "topic": e.topic,
                "outcome": e.outcome,
                "follow_up_on": e.follow_up_on,
                "follow_up_done": "yes" if e.follow_up_done else "no",
                "overdue": "yes" if e.is_overdue(today) else "no",
            }
            for e in engagements
        )
        return table_download(
            columns=ENGAGEMENT_COLUMNS,
            rows=rows,
            filename="stakeholder-engagements",
            fmt=fmt,
            title="Engagements",
        )
    return render(
        request,
        "engagement/engagement_list.html",
        {
            "engagements": engagements,
            "filters": filters,
            "today": today,
            "overdue_count": selectors.overdue_follow_ups(user=request.user, today=today).count(),
            "can_add": can_anywhere(request.user, Action.ADD, StakeholderEngagement),
        },
    )


@login_required
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = get_or_404(selectors.engagement_get, user=request.user, pk=pk)
    return render(
        request,
        "engagement/engagement_detail.html",
        {
            "engagement": engagement,
            "history": history_for(user=request.user, record=engagement, limit=50),
            "overdue": engagement.is_overdue(),
            "can_change": can(request.user, Action.CHANGE, engagement),
            "can_delete": can(request.user, Action.DELETE, engagement),
        },
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

OPPORTUNITY_COLUMNS = [
    Column("title", gettext_lazy("Title")),
    Column("partner", gettext_lazy("Donor or partner")),
    Column("office", gettext_lazy("Office")),
    Column("region", gettext_lazy("Region")),
    Column("stage", gettext_lazy("Stage")),
    Column("amount", gettext_lazy("Amount"), "#,##0.00"),
    Column("currency", gettext_lazy("Currency")),
    Column("probability", gettext_lazy("Probability (%)")),
    Column("weighted_amount", gettext_lazy("Weighted amount"), "#,##0.00"),
    Column("expected_signature_on", gettext_lazy("Expected signature")),
    Column("signed_on", gettext_lazy("Signed on")),
    Column("project", gettext_lazy("Project")),
]


@login_required
def opportunity_list(request: HttpRequest) -> HttpResponse:
    filters = OpportunityFilterForm(request.GET or None)
    values = filters.values()
    opportunities = selectors.opportunity_list(user=request.user, **values)
    fmt = _fmt(request)
    if fmt:
        rows = (
            {
                "title": o.title,
                "partner": o.partner.name,
                "office": o.office.name,
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
            for o in opportunities
        )
        return table_download(
            columns=OPPORTUNITY_COLUMNS,
            rows=rows,
            filename="opportunities",
            fmt=fmt,
            title=gettext_lazy("Opportunities"),
        )
    pipeline = selectors.opportunity_pipeline(user=request.user, **values)
    return render(
        request,
        "engagement/opportunity_list.html",
        {
            "opportunities": opportunities,
            "filters": filters,
            "pipeline": pipeline[:-1],
            "total": pipeline[-1],
            "can_add": can_anywhere(request.user, Action.ADD, Opportunity),
        },
    )


@login_required
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_or_404(selectors.opportunity_get, user=request.user, pk=pk)
    can_change = can(request.user, Action.CHANGE, opportunity)
    return render(
        request,
        "engagement/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "history": history_for(user=request.user, record=opportunity, limit=50),
            "can_change": can_change,
            "can_delete": can(request.user, Action.DELETE, opportunity) and not opportunity.project_id,
            "can_convert": can_change
            and opportunity.stage == Opportunity.Stage.SIGNED
            and not opportunity.project_id,
        },
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
    status = submit_form(
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
        done=lambda project: _("Project %(code)s created from this opportunity.") % {"code": project.code},
        after=lambda _project: opportunity,
        refusals=(ValidationError, AccessDenied),
        conflicts=(InvalidTransition,),
    )
    if isinstance(status, HttpResponse):
        return status
    return render(
        request,
        "engagement/form.html",
        {
            "form": form,
            "title": _("Convert %(o)s into a project") % {"o": opportunity},
            "record": opportunity,
        },
        status=status,
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
