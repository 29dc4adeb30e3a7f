"""Pages: the framework tree, editing its elements (goals, outcomes, outputs) and a project's results."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied
from presence.core.forms import with_defaults
from presence.core.selectors import get_or_404
from presence.core.views import create_from, delete_confirmation, form_page, submit_form, update_from
from presence.org.access import Action, can, can_anywhere, check, restrict
from presence.org.models import Region
from presence.org.personal import history_for
from presence.portfolio.models import Project
from presence.results import selectors, services
from presence.results.forms import FrameworkFilterForm, ProjectOutputsForm
from presence.results.models import Framework, Outcome, Output, StrategicGoal
from presence.results.views._common import ELEMENTS, ElementKind, _back, _current_year


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


def _element_kind(kind: str) -> ElementKind:
    if kind not in ELEMENTS:
        raise Http404(_("No such kind of framework element."))
    return ELEMENTS[kind]


@login_required
def element_create(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _element_kind(kind)
    if not can_anywhere(request.user, Action.ADD, spec.model):
        raise AccessDenied(_("Only administrators edit the results framework and the reporting calendar."))
    initial = {spec.parent: request.GET[spec.parent]} if spec.parent and request.GET.get(spec.parent) else {}
    form = spec.form(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        create_from(request, form, services.framework_element_create, model=spec.model),
        template="results/element_form.html",
        context=lambda: {"record": None, "label": spec.label, "kind": kind},
        done=lambda record: _("%(record)s created.") % {"record": record},
        after=_back,
    )


@login_required
def element_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = _element_kind(kind)
    record = get_or_404(spec.model, pk=pk)
    check(request.user, Action.CHANGE, record)
    form = spec.form(request.POST or None, instance=record)
    return form_page(
        request,
        form,
        update_from(request, form, services.framework_element_update, instance=record),
        template="results/element_form.html",
        context=lambda: {
            "record": record,
            "label": spec.label,
            "kind": kind,
            "history": history_for(user=request.user, record=record, limit=50),
            "cancel_url": _back(record),
        },
        done=lambda saved: _("%(record)s saved.") % {"record": saved},
        after=_back,
    )


@login_required
def element_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = _element_kind(kind)
    record = get_or_404(spec.model, pk=pk)
    back = _back(record)
    return delete_confirmation(
        request,
        record=record,
        delete=lambda version: services.framework_element_delete(
            actor=request.user, instance=record, expected_version=version
        ),
        after=back if kind != "frameworks" else reverse("results:framework"),
        cancel=back,
        done=_("%(record)s deleted.") % {"record": record},
    )


@login_required
def framework_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """A framework's structure with its KPIs, and the links to edit every part (administrators)."""
    current = get_or_404(Framework, pk=pk)
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
            "history": history_for(user=request.user, record=current, limit=30),
        },
    )


@login_required
def project_results(request: HttpRequest, code: str) -> HttpResponse:
    """A project's place in the framework: the outputs it contributes to, its indicators and reviews."""
    project = get_or_404(
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
    if request.method == "POST":
        check(request.user, Action.CHANGE, project)
    status = submit_form(
        request,
        form,
        lambda: services.project_outputs_set(
            actor=request.user, project=project, outputs=list(form.cleaned_data["outputs"])
        ),
        done=lambda _saved: _("Contributions to outputs saved."),
        after=lambda _saved: reverse("results:project-results", kwargs={"code": project.code}),
    )
    if isinstance(status, HttpResponse):
        return status
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
