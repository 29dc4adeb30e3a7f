"""Pages: framework tree, activities, indicator chart, reviews and workflow, quarter overview, budget."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from presence.core.errors import AccessDenied, InvalidTransition, VersionConflict
from presence.core.exports import Column, table_download
from presence.core.forms import VersionedModelForm, add_service_error, with_defaults
from presence.core.selectors import audit_for_record
from presence.org.access import Action, can, can_anywhere, check, restrict, sees_personal_data
from presence.org.models import Region
from presence.results import selectors, services
from presence.results.forms import (
    ActivityFilterForm,
    ActivityForm,
    BudgetForm,
    CommentForm,
    FrameworkFilterForm,
    FrameworkForm,
    GoalForm,
    IndicatorForm,
    IndicatorValueForm,
    OutcomeForm,
    OutputForm,
    PeriodForm,
    PeriodYearForm,
    ProjectOutputsForm,
    ReviewFilterForm,
    ReviewForm,
)
from presence.results.models import (
    Activity,
    Framework,
    Indicator,
    IndicatorValue,
    Outcome,
    Output,
    QuarterlyReview,
    ReportingPeriod,
    StrategicGoal,
)

ACTIVITY_COLUMNS = [
    Column("year", "Year"),
    Column("code", "Code"),
    Column("title", "Title"),
    Column("level", "Scope"),
    Column("region", "Region"),
    Column("office", "Responsible office"),
    Column("countries", "Countries"),
    Column("outputs", "Outputs"),
    Column("planned_budget", "Planned budget (CHF)", "#,##0.00"),
    Column("status", "Status"),
    Column("indicators", "Indicators"),
]


def _get_or_404(fetch: Any, **kwargs: Any) -> Any:
    try:
        return fetch(**kwargs)
    except ObjectDoesNotExist:
        raise Http404(_("No such record, or you may not see it.")) from None


def _current_year() -> int:
    return timezone.localdate().year


# --- Framework ----------------------------------------------------------------------------------


@login_required
def framework(request: HttpRequest) -> HttpResponse:
    years = selectors.activity_years()
    default_year = years[0] if years else _current_year()
    filters = FrameworkFilterForm(
        with_defaults(request.GET or None, year=default_year), initial={"year": default_year}
    )
    values = filters.cleaned_data if filters.is_valid() else {}
    year = values.get("year") or default_year
    region = Region.objects.filter(code=values.get("region")).first() if values.get("region") else None
    current = selectors.framework_for_year(year)
    tree = (
        selectors.framework_tree(user=request.user, framework=current, year=year, region=region)
        if current
        else []
    )
    return render(
        request,
        "results/framework.html",
        {
            "filters": filters,
            "year": year,
            "region": region,
            "framework": current,
            "tree": tree,
            "frameworks": Framework.objects.all(),
            "can_add_framework": can_anywhere(request.user, Action.ADD, Framework),
        },
    )


# --- Activities ---------------------------------------------------------------------------------


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    years = selectors.activity_years()
    filters = ActivityFilterForm(request.GET or None, years=years)
    values = filters.cleaned_data if filters.is_valid() else {}
    activities = selectors.activity_list(
        user=request.user,
        year=values.get("year"),
        region=values.get("region", ""),
        office=values["office"].code if values.get("office") else "",
        level=values.get("level", ""),
        status=values.get("status", ""),
        output=values.get("output"),
        q=values.get("q", ""),
    )
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:
        rows = (
            {
                "year": a.year,
                "code": a.code,
                "title": a.title,
                "level": a.get_level_display(),
                "region": a.region.code if a.region else "",
                "office": a.responsible_office.name,
                "countries": ", ".join(c.iso2 for c in a.countries.all()),
                "outputs": ", ".join(o.code for o in a.outputs.all()),
                "planned_budget": a.planned_budget,
                "status": a.get_status_display(),
                "indicators": a.indicator_count,  # type: ignore[attr-defined]
            }
            for a in activities
        )
        return table_download(
            columns=ACTIVITY_COLUMNS, rows=rows, filename="activities", fmt=fmt, title="Activities"
        )
    activity_rows = list(activities)
    return render(
        request,
        "results/activity_list.html",
        {
            "activities": activity_rows,
            "filters": filters,
            "total_budget": sum((a.planned_budget for a in activity_rows), Decimal(0)),
            "can_add": can_anywhere(request.user, Action.ADD, Activity),
        },
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_or_404(selectors.activity_get, user=request.user, pk=pk)
    indicators = list(selectors.indicator_list(user=request.user, activity=activity))
    for indicator in indicators:
        indicator.figures = selectors.figures_for(indicator, list(indicator.values.all()), activity.year)  # type: ignore[attr-defined]
    periods = list(ReportingPeriod.objects.filter(year=activity.year))
    reviews = {r.period_id: r for r in selectors.review_list(user=request.user).filter(activity=activity)}
    return render(
        request,
        "results/activity_detail.html",
        {
            "activity": activity,
            "indicators": indicators,
            "quarters": [(p, reviews.get(p.pk)) for p in periods],
            "history": audit_for_record(activity)[:50],
            "can_change": can(request.user, Action.CHANGE, activity),
        },
    )


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, Activity):
        raise AccessDenied(_("You are not allowed to add activities."))
    form = ActivityForm(request.POST or None, initial={"year": _current_year()})
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user, **form.service_data())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Activity %(code)s created.") % {"code": activity.code})
            return redirect(activity)
    return render(request, "results/activity_form.html", {"form": form, "activity": None})


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_or_404(selectors.activity_get, user=request.user, pk=pk)
    check(request.user, Action.CHANGE, activity)
    form = ActivityForm(request.POST or None, instance=activity)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_update(
                actor=request.user,
                activity=activity,
                expected_version=form.expected_version(),
                **form.service_data(),
            )
        except VersionConflict as error:
            add_service_error(form, error)
            status = 409
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Activity %(code)s saved.") % {"code": activity.code})
            return redirect(activity)
    return render(request, "results/activity_form.html", {"form": form, "activity": activity}, status=status)


# --- Indicators ---------------------------------------------------------------------------------


def target_actual_chart(
    rows: list[selectors.PeriodRow], *, width: int = 640, height: int = 240
) -> dict[str, Any]:
    """Geometry of a grouped bar chart (target outlined and hatched, actual solid) readable in greyscale."""
    numbers = [v for r in rows for v in (r.target, r.actual) if v is not None]
    top = max(numbers, default=Decimal(0))
    top = top if top > 0 else Decimal(1)
    left, bottom, plot_h = 48, 28, height - 48
    slot = (width - left - 8) / max(len(rows), 1)
    bar = max(4.0, min(28.0, slot / 2 - 4))
    groups = []
    for index, row in enumerate(rows):
        x = left + index * slot + (slot - 2 * bar) / 2
        group: dict[str, Any] = {"label": row.label, "x_label": x + bar, "annual": row.quarter == 0}
        for name, offset in (("target", 0.0), ("actual", bar)):
            value = getattr(row, name)
            if value is None:
                group[name] = None
                continue
            h = float(value / top) * plot_h
            group[name] = {
                "x": round(x + offset, 1),
                "y": round(height - bottom - h, 1),
                "w": round(bar, 1),
                "h": round(h, 1),
                "value": value,
            }
        groups.append(group)
    ticks = [
        {
            "y": round(height - bottom - plot_h * f, 1),
            "value": (top * Decimal(str(f))).quantize(Decimal("0.1")),
        }
        for f in (0, 0.5, 1)
    ]
    return {
        "width": width,
        "height": height,
        "groups": groups,
        "ticks": ticks,
        "left": left,
        "baseline_y": height - bottom,
        "label_y": height - bottom + 16,
    }


@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _get_or_404(selectors.indicator_get, user=request.user, pk=pk)
    rows = selectors.indicator_series(indicator)
    breakdown = [v for v in indicator.values.all() if not v.is_total]
    return render(
        request,
        "results/indicator_detail.html",
        {
            "indicator": indicator,
            "rows": rows,
            "chart": target_actual_chart(rows) if indicator.is_quantitative and rows else None,
            "breakdown": breakdown,
            "history": audit_for_record(indicator)[:30],
            "can_change": can(request.user, Action.CHANGE, indicator),
            "value_form": IndicatorValueForm(initial={"year": _current_year(), "quarter": 0}),
        },
    )


# --- Reviews ------------------------------------------------------------------------------------


def _subject(request: HttpRequest, kind: str, pk: int) -> tuple[Activity | None, Any]:
    if kind == "activity":
        return _get_or_404(selectors.activity_get, user=request.user, pk=pk), None
    if kind == "project":
        from presence.portfolio.models import Project

        project = get_object_or_404(restrict(Project.objects.all(), request.user, Action.VIEW), pk=pk)
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
    quarter = get_object_or_404(ReportingPeriod, pk=period)
    activity, project = _subject(request, kind, pk)
    existing = QuarterlyReview.objects.filter(
        period=quarter, **({"activity": activity} if activity else {"project": project})
    ).first()
    if existing is not None:
        return redirect(existing)
    indicators, current = _indicators_and_values(activity, project, quarter)
    form = ReviewForm(request.POST or None, indicators=indicators, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(
                actor=request.user,
                period=quarter,
                activity=activity,
                project=project,
                actuals=form.actuals(),
                **form.service_data(),
            )
        except (ValidationError, InvalidTransition) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Review saved as draft."))
            return redirect(review)
    subject = activity if activity is not None else project
    return render(
        request,
        "results/review_form.html",
        {"form": form, "review": None, "period": quarter, "subject": subject},
    )


@login_required
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = _get_or_404(selectors.review_get, user=request.user, pk=pk)
    check(request.user, Action.CHANGE, review)
    indicators, current = _indicators_and_values(review.activity, review.project, review.period)
    form = ReviewForm(request.POST or None, instance=review, indicators=indicators, current=current)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_update(
                actor=request.user,
                review=review,
                expected_version=form.expected_version(),
                actuals=form.actuals(),
                **form.service_data(),
            )
        except VersionConflict as error:
            add_service_error(form, error)
            status = 409
        except (ValidationError, InvalidTransition) as error:
            add_service_error(form, error)
            status = 409 if isinstance(error, InvalidTransition) else 200
        else:
            messages.success(request, _("Review saved."))
            return redirect(review)
    return render(
        request,
        "results/review_form.html",
        {"form": form, "review": review, "period": review.period, "subject": review.subject},
        status=status,
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _get_or_404(selectors.review_get, user=request.user, pk=pk)
    indicators, current = _indicators_and_values(review.activity, review.project, review.period)
    today = timezone.localdate()
    user = request.user
    editable = (
        review.is_editable_state
        and can(user, Action.CHANGE, review)
        and (not review.period.is_closed(today) or services.is_admin_for(user, review))
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
            "history": audit_for_record(review)[:50],
            "closed": review.period.is_closed(today),
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
    review = _get_or_404(selectors.review_get, user=request.user, pk=pk)
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
    tasks = selectors.review_tasks(today=timezone.localdate(), user=request.user)
    groups = {
        kind: [t for t in tasks if t.kind == kind] for kind in ("overdue", "write", "returned", "approve")
    }
    return render(request, "results/review_inbox.html", {"groups": groups})


REVIEW_COLUMNS = [
    Column("year", "Year"),
    Column("quarter", "Quarter"),
    Column("kind", "Reviewed record"),
    Column("code", "Code"),
    Column("title", "Title"),
    Column("region", "Region"),
    Column("office", "Office"),
    Column("status", "Status"),
    Column("rating", "Rating"),
    Column("deadline", "Submission deadline"),
    Column("overdue", "Overdue"),
    Column("submitted_at", "Submitted at"),
    Column("decided_at", "Approved or returned at"),
]
# Names of people, left out for viewers without access to personal data (member-state viewers).
REVIEW_NAME_COLUMNS = [
    Column("submitted_by", "Submitted by"),
    Column("decided_by", "Approved or returned by"),
]
REVIEWS_PER_PAGE = 100


def _person(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """Every review the viewer may see, filtered in the URL; the same filters drive CSV and XLSX."""
    filters = ReviewFilterForm(request.GET or None)
    values = filters.selector_filters()
    today = timezone.localdate()
    reviews = selectors.review_list(user=request.user, today=today, **values)
    names = sees_personal_data(request.user)
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:
        rows = (
            {
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
            for r in reviews
        )
        columns = [*REVIEW_COLUMNS, *REVIEW_NAME_COLUMNS] if names else REVIEW_COLUMNS
        return table_download(columns=columns, rows=rows, filename="reviews", fmt=fmt, title="Reviews")
    page = Paginator(reviews, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "results/review_list.html",
        {
            "page": page,
            "filters": filters,
            "today": today,
            "show_names": names,
        },
    )


def my_reviews_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The home page's "My reviews" panel: to write (and overdue), to approve, returned to me."""
    tasks = selectors.review_tasks(today=timezone.localdate(), user=request.user)
    if not tasks:
        return None
    return {
        "template": "results/home_panel.html",
        "to_write": [t for t in tasks if t.kind in ("write", "overdue")],
        "to_approve": [t for t in tasks if t.kind == "approve"],
        "returned": [t for t in tasks if t.kind == "returned"],
        "overdue": sum(1 for t in tasks if t.kind == "overdue"),
    }


@login_required
def quarter_overview(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    period = get_object_or_404(ReportingPeriod, year=year, quarter=quarter)
    today = timezone.localdate()
    rows = selectors.quarter_overview(user=request.user, period=period, today=today)
    totals = selectors.RegionQuarter(None)
    for row in rows:
        for name in ("expected", "draft", "submitted", "approved", "returned", "missing", "overdue"):
            setattr(totals, name, getattr(totals, name) + getattr(row, name))
        totals.ratings.update(row.ratings)
    return render(
        request,
        "results/quarter_overview.html",
        {
            "period": period,
            "rows": rows,
            "totals": totals,
            "closed": period.is_closed(today),
            "periods": ReportingPeriod.objects.order_by("-year", "-quarter"),
            "ratings": QuarterlyReview.Rating.choices,
        },
    )


@login_required
def quarter_latest(request: HttpRequest) -> HttpResponse:
    period = (
        ReportingPeriod.objects.filter(starts_on__lte=timezone.localdate())
        .order_by("-year", "-quarter")
        .first()
    )
    period = period or ReportingPeriod.objects.order_by("year", "quarter").first()
    if period is None:
        return render(request, "results/quarter_overview.html", {"period": None, "rows": []})
    return redirect("results:quarter-overview", year=period.year, quarter=period.quarter)


# --- Budget allocation ----------------------------------------------------------------------------


@login_required
def budget_allocation(request: HttpRequest) -> HttpResponse:
    form = BudgetForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    years = selectors.activity_years()
    year = values.get("year") or (years[0] if years else _current_year())
    data = selectors.budget_allocation(user=request.user, year=year, total=values.get("total"))
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:
        columns = [
            Column("region", "Region"),
            Column("actual", "Actual (planned budgets, CHF)", "#,##0.00"),
        ] + [Column(key, f"{label} (CHF)", "#,##0.00") for key, label, _doc in data["methods"]]
        rows = [{"region": r.region.code, "actual": r.actual, **r.shares} for r in data["rows"]]
        return table_download(
            columns=columns,
            rows=rows,
            filename=f"budget-allocation-{year}",
            fmt=fmt,
            title="Budget allocation",
        )
    return render(request, "results/budget_allocation.html", {"form": form, "years": years, **data})


# --- Editing the framework, the reporting calendar and indicators --------------------------------------


@dataclass(frozen=True)
class ElementKind:
    model: type[Any]
    form: type[VersionedModelForm]
    label: Any
    parent: str  # the query parameter that preselects the parent on "add"


ELEMENTS = {
    "frameworks": ElementKind(Framework, FrameworkForm, gettext_lazy("results framework"), ""),
    "goals": ElementKind(StrategicGoal, GoalForm, gettext_lazy("strategic goal"), "framework"),
    "outcomes": ElementKind(Outcome, OutcomeForm, gettext_lazy("outcome"), "framework"),
    "outputs": ElementKind(Output, OutputForm, gettext_lazy("output"), "outcome"),
    "periods": ElementKind(ReportingPeriod, PeriodForm, gettext_lazy("reporting period"), ""),
}


def _element_kind(kind: str) -> ElementKind:
    if kind not in ELEMENTS:
        raise Http404(_("No such kind of framework element."))
    return ELEMENTS[kind]


def _framework_of(record: Any) -> Framework | None:
    if isinstance(record, Framework):
        return record
    if isinstance(record, StrategicGoal | Outcome):
        return record.framework
    if isinstance(record, Output):
        return record.outcome.framework
    return None


def _back(record: Any) -> str:
    framework = _framework_of(record)
    if framework is not None and framework.pk:
        return reverse("results:framework-manage", args=[framework.pk])
    return reverse("results:period-list")


@login_required
def element_create(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _element_kind(kind)
    if not can_anywhere(request.user, Action.ADD, spec.model):
        raise AccessDenied(_("Only administrators edit the results framework and the reporting calendar."))
    initial = {spec.parent: request.GET[spec.parent]} if spec.parent and request.GET.get(spec.parent) else {}
    form = spec.form(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                record = services.framework_element_create(
                    actor=request.user, model=spec.model, **form.service_data()
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("%(record)s created.") % {"record": record})
                return redirect(_back(record))
    return render(
        request,
        "results/element_form.html",
        {"form": form, "record": None, "label": spec.label, "kind": kind},
        status=status,
    )


@login_required
def element_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = _element_kind(kind)
    record = get_object_or_404(spec.model, pk=pk)
    check(request.user, Action.CHANGE, record)
    form = spec.form(request.POST or None, instance=record)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                record = services.framework_element_update(
                    actor=request.user,
                    instance=record,
                    expected_version=form.expected_version(),
                    **form.service_data(),
                )
            except VersionConflict as error:
                add_service_error(form, error)
                status = 409
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("%(record)s saved.") % {"record": record})
                return redirect(_back(record))
    return render(
        request,
        "results/element_form.html",
        {
            "form": form,
            "record": record,
            "label": spec.label,
            "kind": kind,
            "history": audit_for_record(record)[:50],
            "cancel_url": _back(record),
        },
        status=status,
    )


@login_required
def element_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = _element_kind(kind)
    record = get_object_or_404(spec.model, pk=pk)
    check(request.user, Action.DELETE, record)
    back = _back(record)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            services.framework_element_delete(
                actor=request.user, instance=record, expected_version=int(request.POST.get("version", "0"))
            )
        except (VersionConflict, InvalidTransition, ValueError) as exc:
            error = str(exc)
            status = 409
        else:
            messages.success(request, _("%(record)s deleted.") % {"record": record})
            return redirect(back if kind != "frameworks" else reverse("results:framework"))
    return render(
        request,
        "results/confirm_delete.html",
        {"record": record, "error": error, "cancel_url": back},
        status=status,
    )


@login_required
def framework_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """A framework's structure with its KPIs, and the links to edit every part (administrators)."""
    current = get_object_or_404(Framework, pk=pk)
    outcomes = list(
        Outcome.objects.filter(framework=current)
        .select_related("priority")
        .prefetch_related(
            "indicators", Prefetch("outputs", queryset=Output.objects.prefetch_related("indicators"))
        )
    )
    return render(
        request,
        "results/framework_manage.html",
        {
            "framework": current,
            "goals": StrategicGoal.objects.filter(framework=current).prefetch_related("priorities"),
            "outcomes": outcomes,
            "can_edit": can(request.user, Action.CHANGE, current),
            "history": audit_for_record(current)[:30],
        },
    )


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    """The reporting calendar: quarters with their deadlines; administrators add a year at once."""
    can_edit = can_anywhere(request.user, Action.ADD, ReportingPeriod)
    form = PeriodYearForm(request.POST or None, initial={"year": _current_year() + 1, "days_after": 30})
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise AccessDenied(_("Only administrators edit the reporting calendar."))
        status = 422
        if form.is_valid():
            try:
                services.periods_create_year(
                    actor=request.user,
                    year=form.cleaned_data["year"],
                    days_after=form.cleaned_data["days_after"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Quarters of %(y)s created.") % {"y": form.cleaned_data["year"]})
                return redirect("results:period-list")
    return render(
        request,
        "results/period_list.html",
        {
            "periods": ReportingPeriod.objects.order_by("-year", "quarter"),
            "form": form,
            "can_edit": can_edit,
            "today": timezone.localdate(),
        },
        status=status,
    )


ATTACH = ("outcome", "output", "activity", "project")


def _attachment(request: HttpRequest) -> tuple[str, Any]:
    """The record a new indicator will measure, named in the query (?activity=ID, ?project=CODE ...)."""
    for name in ATTACH:
        value = request.GET.get(name)
        if not value:
            continue
        if name == "activity":
            return name, _get_or_404(selectors.activity_get, user=request.user, pk=int(value))
        if name == "project":
            from presence.portfolio.models import Project

            return name, get_object_or_404(
                restrict(Project.objects.all(), request.user, Action.VIEW), code=value
            )
        model = Outcome if name == "outcome" else Output
        return name, get_object_or_404(model, pk=int(value))
    raise Http404(_("Say what the indicator measures: an outcome, output, activity or project."))


def _indicator_back(indicator: Indicator | None, name: str = "", record: Any = None) -> str:
    if indicator is not None:
        name, record = next(
            ((n, getattr(indicator, n)) for n in ATTACH if getattr(indicator, f"{n}_id")), ("", None)
        )
    if name == "activity":
        return str(record.get_absolute_url())
    if name == "project":
        return reverse("results:project-results", args=[record.code])
    if record is not None:
        return _back(record)
    return reverse("results:framework")


@login_required
def indicator_create(request: HttpRequest) -> HttpResponse:
    name, record = _attachment(request)
    form = IndicatorForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                indicator = services.indicator_create(
                    actor=request.user, **{name: record}, **form.service_data()
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Indicator %(code)s created.") % {"code": indicator.code})
                return redirect(indicator)
    else:
        # Show the form only to those the service will let through.
        region, office = services._indicator_place({name: record})
        check(request.user, Action.ADD, Indicator(region=region, office=office, **{name: record}))
        services._check_framework_kpi(request.user, Action.CHANGE, {name: record})
    return render(
        request,
        "results/indicator_form.html",
        {
            "form": form,
            "indicator": None,
            "measures": record,
            "cancel_url": _indicator_back(None, name, record),
        },
        status=status,
    )


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _get_or_404(selectors.indicator_get, user=request.user, pk=pk)
    check(request.user, Action.CHANGE, indicator)
    form = IndicatorForm(request.POST or None, instance=indicator)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                indicator = services.indicator_update(
                    actor=request.user,
                    indicator=indicator,
                    expected_version=form.expected_version(),
                    **form.service_data(),
                )
            except VersionConflict as error:
                add_service_error(form, error)
                status = 409
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Indicator %(code)s saved.") % {"code": indicator.code})
                return redirect(indicator)
    return render(
        request,
        "results/indicator_form.html",
        {
            "form": form,
            "indicator": indicator,
            "measures": indicator.measured_record,
            "cancel_url": indicator.get_absolute_url(),
            "history": audit_for_record(indicator)[:30],
        },
        status=status,
    )


@login_required
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _get_or_404(selectors.indicator_get, user=request.user, pk=pk)
    check(request.user, Action.DELETE, indicator)
    back = _indicator_back(indicator)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            services.indicator_delete(
                actor=request.user,
                indicator=indicator,
                expected_version=int(request.POST.get("version", "0")),
            )
        except (VersionConflict, InvalidTransition, ValueError) as exc:
            error = str(exc)
            status = 409
        else:
            messages.success(request, _("Indicator %(code)s deleted.") % {"code": indicator.code})
            return redirect(back)
    return render(
        request,
        "results/confirm_delete.html",
        {"record": indicator, "error": error, "cancel_url": indicator.get_absolute_url()},
        status=status,
    )


@login_required
@require_POST
def indicator_value(request: HttpRequest, pk: int) -> HttpResponse:
    """Set a target, actual or note of the indicator from its page; errors come back as messages."""
    indicator = _get_or_404(selectors.indicator_get, user=request.user, pk=pk)
    form = IndicatorValueForm(request.POST)
    if not form.is_valid():
        for field, field_errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(map(str, field_errors))}")
        return redirect(indicator)
    data = form.cleaned_data
    try:
        services.indicator_value_set(
            actor=request.user,
            indicator=indicator,
            year=data["year"],
            quarter=data["quarter"],
            breakdown_region=data["breakdown_region"],
            gender=data["gender"] or "",
            target=data["target"],
            actual=data["actual"],
            note=data["note"],
        )
    except ValidationError as error:
        for name, texts in error.message_dict.items():
            messages.error(request, f"{name}: {' '.join(texts)}")
    except (InvalidTransition, VersionConflict) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Value saved."))
    return redirect(indicator)


@login_required
def project_results(request: HttpRequest, code: str) -> HttpResponse:
    """A project's place in the framework: the outputs it contributes to, its indicators and reviews."""
    from presence.portfolio.models import Project

    project = get_object_or_404(
        restrict(
            Project.objects.select_related("region", "lead_office", "kap_priority"), request.user, Action.VIEW
        ),
        code=code,
    )
    can_change = can(request.user, Action.CHANGE, project)
    current = [link.output for link in project.output_links.select_related("output__outcome__framework")]
    form = ProjectOutputsForm(
        request.POST or None,
        initial={"outputs": current},
        first_year=project.start.year,
        last_year=project.end.year,
    )
    status = 200
    if request.method == "POST":
        check(request.user, Action.CHANGE, project)
        status = 422
        if form.is_valid():
            try:
                services.project_outputs_set(
                    actor=request.user, project=project, outputs=list(form.cleaned_data["outputs"])
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Contributions to outputs saved."))
                return redirect("results:project-results", code=project.code)
    indicators = list(selectors.indicator_list(user=request.user, project=project))
    year = timezone.localdate().year
    for indicator in indicators:
        years = sorted({v.year for v in indicator.values.all()})
        shown = year if year in years else (years[-1] if years else year)
        indicator.figures = selectors.figures_for(indicator, list(indicator.values.all()), shown)  # type: ignore[attr-defined]
        indicator.figures_year = shown  # type: ignore[attr-defined]
    return render(
        request,
        "results/project_results.html",
        {
            "project": project,
            "outputs": current,
            "form": form,
            "indicators": indicators,
            "reviews": selectors.review_list(user=request.user).filter(project=project),
            "can_change": can_change,
        },
        status=status,
    )
