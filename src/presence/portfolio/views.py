"""Pages: projects and their records, Table 1 with drill-down and downloads, reconciliation, shared lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied, InvalidTransition, VersionConflict
from presence.core.exports import Column, table_download
from presence.core.forms import VersionedModelForm, add_service_error
from presence.core.models import TrackedModel
from presence.core.selectors import audit_for_record
from presence.org.access import Action, can, can_anywhere, check, restrict, sees_personal_data
from presence.portfolio import documents, selectors, services
from presence.portfolio.filters import FundingFilterForm, ProjectFilterForm
from presence.portfolio.forms import (
    BudgetForm,
    CountryShareFormSet,
    ExchangeRateForm,
    FundingForm,
    ObligationForm,
    PartnerForm,
    ProjectForm,
    ReconcileForm,
    TransactionForm,
)
from presence.portfolio.models import (
    Budget,
    ExchangeRate,
    Funding,
    Partner,
    Project,
    ReportingObligation,
    Transaction,
)
from presence.portfolio.rates import RateBook
from presence.portfolio.reconcile import TableError, reconcile_csv

PROJECT_COLUMNS = [
    Column("code", "Code"),
    Column("title", "Title"),
    Column("region", "Region"),
    Column("lead_office", "Lead office"),
    Column("status", "Status"),
    Column("start", "Start"),
    Column("end", "End"),
    Column("kap_priority", "KAP priority"),
    Column("regional_initiative", "Regional initiative"),
    Column("manager", "Project manager"),
    Column("manager_location", "Manager based"),
    Column("funding_kchf", "Funding (k CHF)", "#,##0.0"),
    Column("is_demo", "Demo data"),
]
FUNDING_COLUMNS = [
    Column("project", "Project"),
    Column("region", "Region"),
    Column("source", "Funding source"),
    Column("partner", "Partner"),
    Column("signed_on", "Signed on"),
    Column("amount", "Amount", "#,##0.00"),
    Column("currency", "Currency"),
    Column("chf", "Amount (CHF)", "#,##0.00"),
]


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year - 1


# Projects -------------------------------------------------------------------------------------------


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    filters = ProjectFilterForm(request.GET or None)
    projects = list(selectors.project_list(user=request.user, **filters.selector_kwargs()))
    totals = selectors.funding_totals_chf(projects)
    personal = sees_personal_data(request.user)
    rows = [(project, totals[project.pk]) for project in projects]
    total_chf = sum((chf for _p, chf in rows if chf is not None), Decimal(0))
    shown = [(project, selectors.to_kchf(chf) if chf is not None else None) for project, chf in rows]
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:
        records = (
            {
                "code": p.code,
                "title": p.title,
                "region": p.region.code,
                "lead_office": p.lead_office.name,
                "status": p.get_status_display(),
                "start": p.actual_start or p.planned_start,
                "end": p.actual_end or p.planned_end,
                "kap_priority": p.kap_priority.code if p.kap_priority else "",
                "regional_initiative": p.regional_initiative.code if p.regional_initiative else "",
                "manager": p.manager_name if personal else "",
                "manager_location": p.get_manager_location_display(),
                "funding_kchf": selectors.to_kchf(chf) if chf is not None else None,
                "is_demo": "yes" if p.is_demo else "",
            }
            for p, chf in rows
        )
        return table_download(
            columns=PROJECT_COLUMNS, rows=records, filename="projects", fmt=fmt, title="Projects"
        )
    return render(
        request,
        "portfolio/project_list.html",
        {
            "rows": shown,
            "filters": filters,
            "total_kchf": selectors.to_kchf(total_chf),
            "can_add": can_anywhere(request.user, Action.ADD, Project),
            "personal": personal,
        },
    )


def _project(request: HttpRequest, code: str, action: Action = Action.VIEW) -> Project:
    try:
        return selectors.project_get(user=request.user, code=code)
    except Project.DoesNotExist as error:
        raise Http404(_("No such project.")) from error


@login_required
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    project = _project(request, code)
    book = RateBook.load()
    fundings = [
        (funding, book.to_chf(funding.amount, funding.currency, funding.signed_on))
        for funding in project.fundings.select_related("source", "partner")
    ]
    return render(
        request,
        "portfolio/project_detail.html",
        {
            "project": project,
            "fundings": fundings,
            "finance": selectors.project_finance(project),
            "countries": project.countries.select_related("country"),
            "budgets": project.budgets.all(),
            "transactions": project.transactions.all(),
            "obligations": project.reporting_obligations.select_related("partner"),
            "today": timezone.localdate(),
            "history": audit_for_record(project)[:50],
            "can_change": can(request.user, Action.CHANGE, project),
            "can_delete": can(request.user, Action.DELETE, project),
            "personal": sees_personal_data(request.user),
        },
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, Project):
        raise AccessDenied(_("You are not allowed to add projects."))
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=request.user, **form.service_data())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Project %(code)s created.") % {"code": project.code})
            return redirect(project)
    return render(request, "portfolio/project_form.html", {"form": form, "project": None})


@login_required
def project_edit(request: HttpRequest, code: str) -> HttpResponse:
    project = _project(request, code)
    check(request.user, Action.CHANGE, project)
    form = ProjectForm(request.POST or None, instance=project)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_update(
                actor=request.user,
                project=project,
                expected_version=form.expected_version(),
                **form.service_data(),
            )
        except VersionConflict as error:
            add_service_error(form, error)
            status = 409
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Project %(code)s saved.") % {"code": project.code})
            return redirect(project)
    return render(request, "portfolio/project_form.html", {"form": form, "project": project}, status=status)


@login_required
def project_delete(request: HttpRequest, code: str) -> HttpResponse:
    project = _project(request, code)
    check(request.user, Action.DELETE, project)
    error = ""
    if request.method == "POST":
        try:
            services.project_delete(
                actor=request.user, project=project, expected_version=int(request.POST.get("version", "0"))
            )
        except (VersionConflict, ValueError, ValidationError, ProtectedError) as exc:
            error = str(exc)
        else:
            messages.success(request, _("Project %(code)s deleted.") % {"code": code})
            return redirect("portfolio:project-list")
    return render(
        request, "portfolio/confirm_delete.html", {"record": project, "project": project, "error": error}
    )


@login_required
def project_countries(request: HttpRequest, code: str) -> HttpResponse:
    project = _project(request, code)
    check(request.user, Action.CHANGE, project)
    initial = [
        {"country": c.country, "percentage": c.percentage}
        for c in project.countries.select_related("country")
    ]
    formset = CountryShareFormSet(request.POST or None, initial=initial)
    error = ""
    if request.method == "POST" and formset.is_valid():
        shares = [
            (form.cleaned_data["country"], form.cleaned_data.get("percentage"))
            for form in formset.forms
            if form.cleaned_data.get("country") and not form.cleaned_data.get("DELETE")
        ]
        try:
            services.project_countries_set(actor=request.user, project=project, countries=shares)
        except ValidationError as exc:
            error = " ".join(" ".join(messages_) for messages_ in exc.message_dict.values())
        else:
            messages.success(request, _("Recipient countries saved."))
            return redirect(project)
    return render(
        request, "portfolio/project_countries.html", {"project": project, "formset": formset, "error": error}
    )


# Records attached to a project: one set of views, one entry per kind -----------------------------------


@dataclass(frozen=True)
class ChildKind:
    model: type[Any]
    form: type[VersionedModelForm]
    label: str
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    argument: str  # the keyword the update and delete services take the record by


CHILDREN = {
    "funding": ChildKind(
        Funding,
        FundingForm,
        "funding",
        services.funding_create,
        services.funding_update,
        services.funding_delete,
        "funding",
    ),
    "budget": ChildKind(
        Budget,
        BudgetForm,
        "budget",
        services.budget_create,
        services.budget_update,
        services.budget_delete,
        "budget",
    ),
    "transaction": ChildKind(
        Transaction,
        TransactionForm,
        "transaction",
        services.transaction_create,
        services.transaction_update,
        services.transaction_delete,
        "transaction_record",
    ),
    "report": ChildKind(
        ReportingObligation,
        ObligationForm,
        "reporting obligation",
        services.obligation_create,
        services.obligation_update,
        services.obligation_delete,
        "obligation",
    ),
}


def _child(kind: str) -> ChildKind:
    if kind not in CHILDREN:
        raise Http404(_("No such kind of record."))
    return CHILDREN[kind]


@login_required
def child_create(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    spec = _child(kind)
    project = _project(request, code)
    check(request.user, Action.ADD, spec.model(project=project))
    form = spec.form(request.POST or None, initial={"currency": project.currency})
    if request.method == "POST" and form.is_valid():
        try:
            spec.create(actor=request.user, project=project, **form.service_data())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(label)s added.") % {"label": spec.label.capitalize()})
            return redirect(project)
    return render(
        request,
        "portfolio/child_form.html",
        {"form": form, "project": project, "label": spec.label, "record": None},
    )


@login_required
def child_edit(request: HttpRequest, code: str, kind: str, pk: int) -> HttpResponse:
    spec = _child(kind)
    project = _project(request, code)
    record = get_object_or_404(spec.model, pk=pk, project=project)
    check(request.user, Action.CHANGE, record)
    form = spec.form(request.POST or None, instance=record)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            spec.update(
                actor=request.user,
                expected_version=form.expected_version(),
                **{spec.argument: record},
                **form.service_data(),
            )
        except VersionConflict as error:
            add_service_error(form, error)
            status = 409
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(label)s saved.") % {"label": spec.label.capitalize()})
            return redirect(project)
    return render(
        request,
        "portfolio/child_form.html",
        {"form": form, "project": project, "label": spec.label, "record": record},
        status=status,
    )


@login_required
def child_delete(request: HttpRequest, code: str, kind: str, pk: int) -> HttpResponse:
    spec = _child(kind)
    project = _project(request, code)
    record = get_object_or_404(spec.model, pk=pk, project=project)
    check(request.user, Action.DELETE, record)
    error = ""
    if request.method == "POST":
        try:
            spec.delete(
                actor=request.user,
                expected_version=int(request.POST.get("version", "0")),
                **{spec.argument: record},
            )
        except (VersionConflict, ValueError, ValidationError) as exc:
            error = str(exc)
        else:
            messages.success(request, _("%(label)s deleted.") % {"label": spec.label.capitalize()})
            return redirect(project)
    return render(
        request, "portfolio/confirm_delete.html", {"record": record, "project": project, "error": error}
    )


# Table 1 and the records behind each cell -----------------------------------------------------------


def _drop_empty(**params: str) -> dict[str, str]:
    return {key: value for key, value in params.items() if value}


def _cell_url(year: int, **params: str) -> str:
    query = {"year": str(year), **{k: v for k, v in params.items() if v}}
    return f"{reverse('portfolio:funding-list')}?{urlencode(query)}"


@login_required
def table1(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    table = selectors.table1(user=request.user, year=year)
    fmt = request.GET.get("format", "")
    if fmt in documents.FORMATS:
        response = HttpResponse(documents.render(table, fmt), content_type=documents.FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="table1-{year}.{fmt}"'
        return response
    project_url = reverse("portfolio:project-list")
    rows = []
    for row in table.all_rows:
        cells = []
        for column in table.columns:
            url = _cell_url(year, region=row.region, kind=column.kind, source=column.source)
            cells.append((row.kchf(column.key), url))
        rows.append(
            {
                "label": row.label,
                "projects": row.projects,
                "projects_url": f"{project_url}?{urlencode(_drop_empty(year=str(year), region=row.region))}",
                "cells": cells,
                "total": row.total_kchf,
                "total_url": _cell_url(year, region=row.region),
            }
        )
    return render(
        request,
        "portfolio/table1.html",
        {
            "table": table,
            "rows": rows,
            "year": year,
            "years": selectors.table1_years(user=request.user),
            "headings": documents.headings(table),
            "footnote": _(documents.MUL_FOOTNOTE),
        },
    )


@login_required
def funding_list(request: HttpRequest) -> HttpResponse:
    filters = FundingFilterForm(request.GET or None)
    pairs: list[tuple[Funding, Decimal | None]] = []
    if filters.is_valid():
        pairs = selectors.with_chf(selectors.table1_fundings(user=request.user, **filters.selector_kwargs()))
    total = sum((chf for _f, chf in pairs if chf is not None), Decimal(0))
    fmt = request.GET.get("format")
    if fmt in {"csv", "xlsx"}:
        records = (
            {
                "project": f.project.code,
                "region": f.project.region.code,
                "source": f.source.name,
                "partner": f.partner.name if f.partner else "",
                "signed_on": f.signed_on,
                "amount": f.amount,
                "currency": f.currency,
                "chf": chf.quantize(Decimal("0.01")) if chf is not None else None,
            }
            for f, chf in pairs
        )
        return table_download(
            columns=FUNDING_COLUMNS, rows=records, filename="funding", fmt=fmt, title="Funding"
        )
    return render(
        request,
        "portfolio/funding_list.html",
        {
            "filters": filters,
            "pairs": pairs,
            "total_chf": total,
            "total_kchf": selectors.to_kchf(total),
            "unconverted": [f for f, chf in pairs if chf is None],
        },
    )


@login_required
def reconcile(request: HttpRequest) -> HttpResponse:
    form = ReconcileForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = reconcile_csv(upload.read().decode("utf-8-sig"))
        except (TableError, UnicodeDecodeError) as error:
            form.add_error("file", str(error))
    return render(request, "portfolio/reconcile.html", {"form": form, "result": result})


# Reporting obligations, exchange rates, partners -----------------------------------------------------


@login_required
def reporting(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    return render(
        request,
        "portfolio/reporting.html",
        {
            "year": year,
            "report": selectors.reporting_timeliness(user=request.user, year=year),
            "overdue": selectors.overdue_reports(user=request.user),
        },
    )


def _shared_list(
    request: HttpRequest,
    *,
    model: type[TrackedModel],
    form_class: type[VersionedModelForm],
    create: Callable[..., Any],
    records: Any,
    template: str,
) -> HttpResponse:
    can_add = can_anywhere(request.user, Action.ADD, model)
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_add:
            raise AccessDenied(_("You are not allowed to add these records."))
        if form.is_valid():
            try:
                create(actor=request.user, **form.service_data())
            except ValidationError as error:
                add_service_error(form, error)
                status = 422
            else:
                messages.success(request, _("Saved."))
                return redirect(request.path)
        else:
            status = 422
    context = {
        "form": form,
        "records": records,
        "can_add": can_add,
        "can_change": can_anywhere(request.user, Action.CHANGE, model),
    }
    return render(request, template, context, status=status)


@login_required
def exchange_rates(request: HttpRequest) -> HttpResponse:
    return _shared_list(
        request,
        model=ExchangeRate,
        form_class=ExchangeRateForm,
        create=services.exchange_rate_create,
        records=selectors.exchange_rate_list(user=request.user, currency=request.GET.get("currency", "")),
        template="portfolio/exchange_rates.html",
    )


@login_required
def partners(request: HttpRequest) -> HttpResponse:
    return _shared_list(
        request,
        model=Partner,
        form_class=PartnerForm,
        create=services.partner_create,
        records=selectors.partner_list(user=request.user, q=request.GET.get("q", "")),
        template="portfolio/partners.html",
    )


@dataclass(frozen=True)
class SharedKind:
    """A shared list (exchange rates, partners) whose entries have edit and delete pages."""

    model: type[TrackedModel]
    form: type[VersionedModelForm]
    label: str
    list_url: str
    update: Callable[..., Any]
    delete: Callable[..., Any]
    argument: str


SHARED = {
    "exchange-rates": SharedKind(
        ExchangeRate,
        ExchangeRateForm,
        "exchange rate",
        "portfolio:exchange-rates",
        services.exchange_rate_update,
        services.exchange_rate_delete,
        "rate",
    ),
    "partners": SharedKind(
        Partner,
        PartnerForm,
        "partner",
        "portfolio:partners",
        services.partner_update,
        services.partner_delete,
        "partner",
    ),
}


def _shared(kind: str, pk: int, user: Any) -> tuple[SharedKind, Any]:
    if kind not in SHARED:
        raise Http404(_("No such list."))
    spec = SHARED[kind]
    record = get_object_or_404(restrict(spec.model._default_manager.all(), user, Action.VIEW), pk=pk)
    return spec, record


@login_required
def shared_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec, record = _shared(kind, pk, request.user)
    check(request.user, Action.CHANGE, record)
    form = spec.form(request.POST or None, instance=record)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                spec.update(
                    actor=request.user,
                    expected_version=form.expected_version(),
                    **{spec.argument: record},
                    **form.service_data(),
                )
            except VersionConflict as error:
                add_service_error(form, error)
                status = 409
            except ValidationError as error:
                add_service_error(form, error)
                status = 422
            else:
                messages.success(request, _("%(label)s saved.") % {"label": spec.label.capitalize()})
                return redirect(spec.list_url)
        else:
            status = 422
    return render(
        request,
        "portfolio/shared_form.html",
        {
            "form": form,
            "record": record,
            "label": spec.label,
            "kind": kind,
            "list_url": reverse(spec.list_url),
            "history": audit_for_record(record)[:50],
            "can_delete": can(request.user, Action.DELETE, record),
        },
        status=status,
    )


@login_required
def shared_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec, record = _shared(kind, pk, request.user)
    check(request.user, Action.DELETE, record)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            spec.delete(
                actor=request.user,
                expected_version=int(request.POST.get("version", "0")),
                **{spec.argument: record},
            )
        except (VersionConflict, InvalidTransition, ValueError, ValidationError) as exc:
            error = str(exc)
            status = 409
        else:
            messages.success(request, _("%(label)s deleted.") % {"label": spec.label.capitalize()})
            return redirect(spec.list_url)
    return render(
        request,
        "portfolio/confirm_delete.html",
        {"record": record, "error": error, "cancel_url": reverse(spec.list_url)},
        status=status,
    )


def home_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The home page's portfolio panel: the current year's Table 1 totals and overdue reports."""
    if not getattr(request.user, "is_authenticated", False):
        return None
    year = timezone.localdate().year
    table = selectors.table1(user=request.user, year=year)
    return {
        "template": "portfolio/home_panel.html",
        "portfolio_year": year,
        "portfolio_total": table.total,
        "portfolio_overdue": selectors.overdue_reports(user=request.user).count(),
    }
