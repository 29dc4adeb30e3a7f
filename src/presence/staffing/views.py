"""Pages: staffing table, posts with their actions and history, recruitment pipeline, measures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presence.core.errors import AccessDenied
from presence.core.exports import Column, table_download
from presence.core.filtering import bind, list_page, paginate, requested_format
from presence.core.selectors import get_or_404
from presence.core.views import create_from, delete_confirmation, form_page, update_from
from presence.org.access import Action, can, can_anywhere, check, has_role
from presence.org.models import Role
from presence.staffing import selectors, services
from presence.staffing.filters import (
    CANDIDATE_COLUMN,
    INCUMBENT_COLUMN,
    MeasuresFilterForm,
    PostFilter,
    RecruitmentFilter,
    StaffingTableFilter,
)
from presence.staffing.forms import PostActionForm, PostForm, RecruitmentForm
from presence.staffing.models import Post, Recruitment, Sector

PERSONAL_ROLES = (Role.HR, Role.ADMIN)


def _may_see_names_somewhere(user: Any) -> bool:
    return has_role(user, PERSONAL_ROLES)


OFFICES_PER_PAGE = 25


@login_required
def staffing_table(request: HttpRequest) -> HttpResponse:
    filters = bind(StaffingTableFilter, request)
    valid = filters.is_valid()
    values = filters.table_values()
    on = values["on"] or timezone.localdate()
    where = {"user": request.user, "on": on, "region": values["region"], "office": values["office"]}
    fmt = requested_format(request) if valid else None
    if fmt:
        rows = selectors.staffing_table(**where)
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
                "office": row.office.localized_name,
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
    # A page of offices at a time (all their grades), so the page reads the same however many offices
    # there are; the caption's totals count every office the filters keep. A refused value: the page
    # with the error at its field, 400, nothing counted and no download.
    offices = selectors.staffing_offices(**where) if valid else []
    page = paginate(request, offices, per_page=OFFICES_PER_PAGE)
    return render(
        request,
        "staffing/staffing_table.html",
        {
            "rows": selectors.staffing_table(**where, offices=page.object_list) if valid else [],
            "page": page,
            "filters": filters.form,
            "on": on,
            "sectors": Sector.values,
            "totals": selectors.staffing_totals(**where) if valid else {"filled": 0, "vacant": 0},
        },
        status=200 if valid else 400,
    )


@login_required
def measures_view(request: HttpRequest) -> HttpResponse:
    filters = MeasuresFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    start = values.get("start") or dt.date(2023, 1, 1)
    end = values.get("end") or timezone.localdate()
    rows = selectors.measures(user=request.user, start=start, end=end)
    fmt = requested_format(request)
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


POSTS_PER_PAGE = 100


@login_required
def post_list(request: HttpRequest) -> HttpResponse:
    names = _may_see_names_somewhere(request.user)

    def rows(posts: Any) -> Iterator[dict[str, Any]]:
        for p in posts:
            yield {
                "number": p.number,
                "title": p.title,
                "office": p.office.localized_name,
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

    def context(posts: Any, page: Page) -> dict[str, Any]:
        return {
            "rows": [(p, selectors.incumbent_for(request.user, p) if names else None) for p in page],
            "show_names": names,
            "can_add": can_anywhere(request.user, Action.ADD, Post),
        }

    return list_page(
        request,
        PostFilter,
        lambda filters: selectors.post_list(user=request.user, filters=filters),
        template="staffing/post_list.html",
        rows=rows,
        context=context,
        extra_columns=[INCUMBENT_COLUMN] if names else [],
        per_page=POSTS_PER_PAGE,  # headquarters alone holds several hundred posts
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
    return form_page(
        request,
        form,
        lambda: services.post_create(
            actor=request.user, created_on=form.cleaned_data.get("created_on"), **form.service_data()
        ),
        template="staffing/form.html",
        context=lambda: {"title": _("New post"), "back": "staffing:post-list"},
        done=lambda post: _("Post %(n)s created.") % {"n": post.number},
        refusals=(ValidationError, AccessDenied),
    )


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    check(request.user, Action.CHANGE, post)
    form = PostForm(
        request.POST or None, instance=post, show_personal=can(request.user, Action.VIEW_PERSONAL, post)
    )
    return form_page(
        request,
        form,
        update_from(request, form, services.post_update, post=post),
        template="staffing/form.html",
        context=lambda: {"title": _("Edit post %(n)s") % {"n": post.number}, "record": post},
        done=lambda saved: _("Post %(n)s saved.") % {"n": saved.number},
    )


@login_required
def post_action_create(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    check(request.user, Action.CHANGE, post)
    form = PostActionForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: services.post_action_create(
            actor=request.user,
            post=post,
            expected_version=int(request.POST.get("post_version") or post.version),
            **{k: v for k, v in form.service_data().items() if v not in (None, "")},
        ),
        template="staffing/form.html",
        context=lambda: {
            "title": _("Record an action on post %(n)s") % {"n": post.number},
            "record": post,
            "post_version": post.version,
        },
        done=lambda _action: _("Action recorded on post %(n)s.") % {"n": post.number},
        after=lambda _action: post,
        refusals=(ValidationError, AccessDenied),
    )


@login_required
def recruitment_list(request: HttpRequest) -> HttpResponse:
    names = _may_see_names_somewhere(request.user)

    def rows(recruitments: Any) -> Iterator[dict[str, Any]]:
        for r in recruitments:
            yield {
                "vacancy_number": r.vacancy_number,
                "post": r.post.number,
                "title": r.post.title,
                "grade": r.post.grade,
                "office": r.post.office.localized_name,
                "region": r.post.office.region.code if r.post.office.region else selectors.HQ,
                "status": r.get_status_display(),
                "opened_on": r.opened_on,
                "closed_on": r.closed_on,
                "selected_on": r.selected_on,
                "on_board_on": r.on_board_on,
                "time_to_fill": r.time_to_fill,
                "selected_candidate": selectors.candidate_for(request.user, r) if names else None,
            }

    def context(recruitments: Any, page: Page) -> dict[str, Any]:
        # The pipeline by status covers every status: it takes the place and period filters only.
        values = filters.form.cleaned_data if filters.is_valid() else {}
        period = ("region", "office", "opened_from", "opened_to")
        return {
            "pipeline": selectors.recruitment_pipeline(
                user=request.user, **{name: values.get(name) for name in period}
            ),
            "statuses": Recruitment.Status.choices,
            "can_add": can_anywhere(request.user, Action.ADD, Recruitment),
        }

    filters = bind(RecruitmentFilter, request)
    return list_page(
        request,
        RecruitmentFilter,
        lambda filters: selectors.recruitment_list(user=request.user, filters=filters),
        template="staffing/recruitment_list.html",
        rows=rows,
        context=context,
        filters=filters,
        extra_columns=[CANDIDATE_COLUMN] if names else [],
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
    posts = selectors.recruitable_posts(user=request.user)
    initial = {"post": request.GET.get("post")} if request.GET.get("post") else None
    form = RecruitmentForm(
        request.POST or None,
        initial=initial,
        posts=posts,
        show_personal=_may_see_names_somewhere(request.user),
    )
    return form_page(
        request,
        form,
        create_from(request, form, services.recruitment_create),
        template="staffing/form.html",
        context=lambda: {"title": _("New recruitment"), "back": "staffing:recruitment-list"},
        done=lambda recruitment: _("Recruitment %(v)s created.") % {"v": recruitment.vacancy_number},
        refusals=(ValidationError, AccessDenied),
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
    return form_page(
        request,
        form,
        update_from(request, form, services.recruitment_update, recruitment=recruitment),
        template="staffing/form.html",
        context=lambda: {
            "title": _("Edit recruitment %(v)s") % {"v": recruitment.vacancy_number},
            "record": recruitment,
        },
        done=lambda saved: _("Recruitment %(v)s saved.") % {"v": saved.vacancy_number},
        refusals=(ValidationError, AccessDenied),
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
