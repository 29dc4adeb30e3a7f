"""Pages: staffing table, posts with their actions and history, recruitment pipeline, measures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presence.core.errors import AccessDenied
from presence.core.exports import Column, table_download
from presence.core.selectors import get_or_404
from presence.core.views import delete_confirmation, submit_form
from presence.org.access import Action, can, can_anywhere, check, has_role
from presence.org.models import Role
from presence.staffing import selectors, services
from presence.staffing.filters import (
    MeasuresFilterForm,
    PostFilterForm,
    RecruitmentFilterForm,
    StaffingTableFilterForm,
)
from presence.staffing.forms import PostActionForm, PostForm, RecruitmentForm
from presence.staffing.models import Post, Recruitment, Sector

PERSONAL_ROLES = (Role.HR, Role.ADMIN)


def _fmt(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format")
    return fmt if fmt in {"csv", "xlsx"} else None


def _may_see_names_somewhere(user: Any) -> bool:
    return has_role(user, PERSONAL_ROLES)


@login_required
def staffing_table(request: HttpRequest) -> HttpResponse:
    filters = StaffingTableFilterForm(request.GET or None)
    values = filters.values()
    on = values.get("on") or timezone.localdate()
    rows = selectors.staffing_table(
        user=request.user, on=on, region=values.get("region", ""), office=values.get("office", "")
    )
    fmt = _fmt(request)
    if fmt:
        columns = [
            Column("office", gettext_lazy("Office")),
            Column("region", gettext_lazy("Region")),
            Column("grade", gettext_lazy("Grade")),
        ]
        for sector in Sector.values:
            columns += [
                Column(f"{sector}_filled", _("%(sector)s filled") % {"sector": sector}),
                Column(f"{sector}_vacant", _("%(sector)s vacant") % {"sector": sector}),
            ]
        columns += [Column("filled", gettext_lazy("Filled")), Column("vacant", gettext_lazy("Vacant"))]
        data = []
        for row in rows:
            item: dict[str, Any] = {
                "office": row.office.name,
                "region": row.office.region.code if row.office.region else selectors.HQ,
                "grade": row.grade,
                "filled": row.total_filled,
                "vacant": row.total_vacant,
            }
            for sector in Sector.values:
                item[f"{sector}_filled"] = row.filled[sector]
                item[f"{sector}_vacant"] = row.vacant[sector]
            data.append(item)
        return table_download(
            columns=columns,
            rows=data,
            filename=f"staffing-{on:%Y-%m-%d}",
            fmt=fmt,
            title=gettext_lazy("Staffing"),
        )
    totals = {"filled": sum(r.total_filled for r in rows), "vacant": sum(r.total_vacant for r in rows)}
    return render(
        request,
        "staffing/staffing_table.html",
        {"rows": rows, "filters": filters, "on": on, "sectors": Sector.values, "totals": totals},
    )


@login_required
def measures_view(request: HttpRequest) -> HttpResponse:
    filters = MeasuresFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    start = values.get("start") or dt.date(2023, 1, 1)
    end = values.get("end") or timezone.localdate()
    rows = selectors.measures(user=request.user, start=start, end=end)
    fmt = _fmt(request)
    if fmt:
        columns = [
            Column("region", gettext_lazy("Region")),
            Column("g6_to_p2_upgrades", gettext_lazy("G6 to P2 upgrades")),
            Column("new_p5_posts", gettext_lazy("New P5 posts")),
            Column("relocations_to_field", gettext_lazy("Relocations to the field")),
            Column("tsb_field_deployments", gettext_lazy("TSB staff deployed to the field")),
            Column("new_field_posts", gettext_lazy("New field posts")),
        ]
        data = [{**vars(row), "region": row.region or "Total"} for row in rows]
        return table_download(
            columns=columns, rows=data, filename="staffing-measures", fmt=fmt, title=gettext_lazy("Measures")
        )
    return render(
        request,
        "staffing/measures.html",
        {"rows": rows[:-1], "total": rows[-1], "filters": filters, "start": start, "end": end},
    )


POST_COLUMNS = [
    Column("number", gettext_lazy("Post number")),
    Column("title", gettext_lazy("Title")),
    Column("office", gettext_lazy("Office")),
    Column("region", gettext_lazy("Region")),
    Column("unit", gettext_lazy("Unit")),
    Column("category", gettext_lazy("Category")),
    Column("grade", gettext_lazy("Grade")),
    Column("sector", gettext_lazy("Sector")),
    Column("funding", gettext_lazy("Funding")),
    Column("status", gettext_lazy("Status")),
    Column("start_date", gettext_lazy("Occupied from")),
    Column("end_date", gettext_lazy("Occupied until")),
]
INCUMBENT_COLUMN = Column("incumbent", gettext_lazy("Incumbent"))
POSTS_PER_PAGE = 100


@login_required
def post_list(request: HttpRequest) -> HttpResponse:
    filters = PostFilterForm(request.GET or None)
    posts = selectors.post_list(user=request.user, **filters.values())
    fmt = _fmt(request)
    names = _may_see_names_somewhere(request.user)
    if fmt:
        columns = [*POST_COLUMNS, INCUMBENT_COLUMN] if names else POST_COLUMNS
        rows = (
            {
                "number": p.number,
                "title": p.title,
                "office": p.office.name,
                "region": p.office.region.code if p.office.region else selectors.HQ,
                "unit": p.unit,
                "category": p.get_category_display(),
                "grade": p.grade,
                "sector": p.sector,
                "funding": p.get_funding_display(),
                "status": p.get_status_display(),
                "start_date": p.start_date,
                "end_date": p.end_date,
                "incumbent": selectors.incumbent_for(request.user, p) if names else None,
            }
            for p in posts
        )
        return table_download(
            columns=columns, rows=rows, filename="posts", fmt=fmt, title=gettext_lazy("Posts")
        )
    # Headquarters alone holds several hundred posts: the page shows them 100 at a time.
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    rows_for_page = [(p, selectors.incumbent_for(request.user, p) if names else None) for p in page]
    return render(
        request,
        "staffing/post_list.html",
        {
            "rows": rows_for_page,
            "page": page,
            "filters": filters,
            "show_names": names,
            "can_add": can_anywhere(request.user, Action.ADD, Post),
        },
    )


def _get_post(request: HttpRequest, pk: int) -> Post:
    return get_or_404(selectors.post_get, user=request.user, pk=pk)


@login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "staffing/post_detail.html",
        {
            "post": post,
            "incumbent": selectors.incumbent_for(request.user, post),
            "show_names": can(request.user, Action.VIEW_PERSONAL, post),
            "actions": selectors.post_actions(user=request.user, post=post),
            "recruitments": post.recruitments.all(),
            "state_today": selectors.post_state_on(post, today),
            "history": selectors.history_for(user=request.user, record=post),
            "can_change": can(request.user, Action.CHANGE, post),
            "can_delete": can(request.user, Action.DELETE, post),
        },
    )


@login_required
def post_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, Post):
        raise AccessDenied(_("You are not allowed to add posts."))
    names = _may_see_names_somewhere(request.user)
    form = PostForm(request.POST or None, show_personal=names)
    outcome = submit_form(
        request,
        form,
        lambda: services.post_create(
            actor=request.user, created_on=form.cleaned_data.get("created_on"), **form.service_data()
        ),
        done=lambda post: _("Post %(n)s created.") % {"n": post.number},
        refusals=(ValidationError, AccessDenied),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return render(
        request,
        "staffing/form.html",
        {"form": form, "title": _("New post"), "back": "staffing:post-list"},
        status=outcome,
    )


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    check(request.user, Action.CHANGE, post)
    form = PostForm(
        request.POST or None, instance=post, show_personal=can(request.user, Action.VIEW_PERSONAL, post)
    )
    outcome = submit_form(
        request,
        form,
        lambda: services.post_update(
            actor=request.user, post=post, expected_version=form.expected_version(), **form.service_data()
        ),
        done=lambda saved: _("Post %(n)s saved.") % {"n": saved.number},
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return render(
        request,
        "staffing/form.html",
        {"form": form, "title": _("Edit post %(n)s") % {"n": post.number}, "record": post},
        status=outcome,
    )


@login_required
def post_action_create(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    check(request.user, Action.CHANGE, post)
    form = PostActionForm(request.POST or None)
    outcome = submit_form(
        request,
        form,
        lambda: services.post_action_create(
            actor=request.user,
            post=post,
            expected_version=int(request.POST.get("post_version") or post.version),
            **{k: v for k, v in form.service_data().items() if v not in (None, "")},
        ),
        done=lambda _action: _("Action recorded on post %(n)s.") % {"n": post.number},
        after=lambda _action: post,
        refusals=(ValidationError, AccessDenied),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return render(
        request,
        "staffing/form.html",
        {
            "form": form,
            "title": _("Record an action on post %(n)s") % {"n": post.number},
            "record": post,
            "post_version": post.version,
        },
        status=outcome,
    )


RECRUITMENT_COLUMNS = [
    Column("vacancy_number", gettext_lazy("Vacancy number")),
    Column("post", gettext_lazy("Post number")),
    Column("title", gettext_lazy("Post title")),
    Column("grade", gettext_lazy("Grade")),
    Column("office", gettext_lazy("Office")),
    Column("region", gettext_lazy("Region")),
    Column("status", gettext_lazy("Status")),
    Column("opened_on", gettext_lazy("Opened on")),
    Column("closed_on", gettext_lazy("Closed on")),
    Column("selected_on", gettext_lazy("Selected on")),
    Column("on_board_on", gettext_lazy("On board on")),
    Column("time_to_fill", gettext_lazy("Time to fill (days)")),
]
CANDIDATE_COLUMN = Column("selected_candidate", gettext_lazy("Selected candidate"))


@login_required
def recruitment_list(request: HttpRequest) -> HttpResponse:
    filters = RecruitmentFilterForm(request.GET or None)
    values = filters.values()
    recruitments = selectors.recruitment_list(user=request.user, **values)
    names = _may_see_names_somewhere(request.user)
    fmt = _fmt(request)
    if fmt:
        columns = [*RECRUITMENT_COLUMNS, CANDIDATE_COLUMN] if names else RECRUITMENT_COLUMNS
        rows = (
            {
                "vacancy_number": r.vacancy_number,
                "post": r.post.number,
                "title": r.post.title,
                "grade": r.post.grade,
                "office": r.post.office.name,
                "region": r.post.office.region.code if r.post.office.region else selectors.HQ,
                "status": r.get_status_display(),
                "opened_on": r.opened_on,
                "closed_on": r.closed_on,
                "selected_on": r.selected_on,
                "on_board_on": r.on_board_on,
                "time_to_fill": r.time_to_fill,
                "selected_candidate": selectors.candidate_for(request.user, r) if names else None,
            }
            for r in recruitments
        )
        return table_download(
            columns=columns, rows=rows, filename="recruitments", fmt=fmt, title=gettext_lazy("Recruitments")
        )
    pipeline = selectors.recruitment_pipeline(
        user=request.user,
        region=values.get("region", ""),
        office=values.get("office", ""),
        opened_from=values.get("opened_from"),
        opened_to=values.get("opened_to"),
    )
    return render(
        request,
        "staffing/recruitment_list.html",
        {
            "recruitments": recruitments,
            "pipeline": pipeline,
            "filters": filters,
            "statuses": Recruitment.Status.choices,
            "can_add": can_anywhere(request.user, Action.ADD, Recruitment),
        },
    )


def _get_recruitment(request: HttpRequest, pk: int) -> Recruitment:
    return get_or_404(selectors.recruitment_get, user=request.user, pk=pk)


@login_required
def recruitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recruitment = _get_recruitment(request, pk)
    return render(
        request,
        "staffing/recruitment_detail.html",
        {
            "recruitment": recruitment,
            "candidate": selectors.candidate_for(request.user, recruitment),
            "show_names": can(request.user, Action.VIEW_PERSONAL, recruitment.post),
            "history": selectors.history_for(user=request.user, record=recruitment),
            "can_change": can(request.user, Action.CHANGE, recruitment),
            "can_delete": can(request.user, Action.DELETE, recruitment),
        },
    )


@login_required
def recruitment_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, Recruitment):
        raise AccessDenied(_("You are not allowed to add recruitments."))
    posts = selectors.post_list(user=request.user).exclude(status=Post.Status.ABOLISHED)
    initial = {"post": request.GET.get("post")} if request.GET.get("post") else None
    form = RecruitmentForm(
        request.POST or None,
        initial=initial,
        posts=posts,
        show_personal=_may_see_names_somewhere(request.user),
    )
    outcome = submit_form(
        request,
        form,
        lambda: services.recruitment_create(actor=request.user, **form.service_data()),
        done=lambda recruitment: _("Recruitment %(v)s created.") % {"v": recruitment.vacancy_number},
        refusals=(ValidationError, AccessDenied),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return render(
        request,
        "staffing/form.html",
        {"form": form, "title": _("New recruitment"), "back": "staffing:recruitment-list"},
        status=outcome,
    )


@login_required
def recruitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    recruitment = _get_recruitment(request, pk)
    check(request.user, Action.CHANGE, recruitment)
    form = RecruitmentForm(
        request.POST or None,
        instance=recruitment,
        show_personal=can(request.user, Action.VIEW_PERSONAL, recruitment.post),
    )
    outcome = submit_form(
        request,
        form,
        lambda: services.recruitment_update(
            actor=request.user,
            recruitment=recruitment,
            expected_version=form.expected_version(),
            **form.service_data(),
        ),
        done=lambda saved: _("Recruitment %(v)s saved.") % {"v": saved.vacancy_number},
        refusals=(ValidationError, AccessDenied),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    return render(
        request,
        "staffing/form.html",
        {
            "form": form,
            "title": _("Edit recruitment %(v)s") % {"v": recruitment.vacancy_number},
            "record": recruitment,
        },
        status=outcome,
    )


# --- Deletes: a confirmation page carrying the version the user saw -------------------------------


@login_required
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    return delete_confirmation(
        request,
        record=post,
        delete=lambda version: services.post_delete(actor=request.user, post=post, expected_version=version),
        label=_("post %(n)s") % {"n": post.number},
        cancel=post.get_absolute_url(),
        done=_("Post %(n)s deleted.") % {"n": post.number},
        after=reverse("staffing:post-list"),
        warning=_(
            "Delete only a post recorded in error, with its actions. A post that existed is abolished "
            "instead (record an abolition action), so that its history stays."
        ),
    )


@login_required
def post_action_delete(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    action = get_or_404(selectors.post_actions(user=request.user, post=post), pk=action_pk)
    return delete_confirmation(
        request,
        record=action,
        delete=lambda version: services.post_action_delete(
            actor=request.user, action=action, expected_version=version
        ),
        label=_("%(action)s on post %(n)s") % {"action": action, "n": post.number},
        cancel=post.get_absolute_url(),
        done=_("Action deleted from post %(n)s.") % {"n": post.number},
        after=post.get_absolute_url(),
        warning=_("The post's current grade, office and status follow from the actions that remain."),
    )


@login_required
def recruitment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    recruitment = _get_recruitment(request, pk)
    return delete_confirmation(
        request,
        record=recruitment,
        delete=lambda version: services.recruitment_delete(
            actor=request.user, recruitment=recruitment, expected_version=version
        ),
        label=_("recruitment %(v)s") % {"v": recruitment.vacancy_number},
        cancel=recruitment.get_absolute_url(),
        done=_("Recruitment %(v)s deleted.") % {"v": recruitment.vacancy_number},
        after=reverse("staffing:recruitment-list"),
        warning=_("A post it filled stays filled; edit the post if that was in error too."),
    )
