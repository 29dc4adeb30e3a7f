"""Pages: the quarter overview and the reporting periods."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied
from presence.core.selectors import get_or_404
from presence.core.views import form_page
from presence.org.access import Action, can_anywhere
from presence.results import selectors, services
from presence.results.forms import PeriodYearForm
from presence.results.models import QuarterlyReview, ReportingPeriod
from presence.results.views._common import _current_year


@login_required
def quarter_overview(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    period = get_or_404(ReportingPeriod, year=year, quarter=quarter)
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


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    """The reporting calendar: quarters with their deadlines; administrators add a year at once."""
    can_edit = can_anywhere(request.user, Action.ADD, ReportingPeriod)
    form = PeriodYearForm(request.POST or None, initial={"year": _current_year() + 1, "days_after": 30})
    if request.method == "POST" and not can_edit:
        raise AccessDenied(_("Only administrators edit the reporting calendar."))
    return form_page(
        request,
        form,
        lambda: services.periods_create_year(
            actor=request.user,
            year=form.cleaned_data["year"],
            days_after=form.cleaned_data["days_after"],
        ),
        template="results/period_list.html",
        context=lambda: {
            "periods": ReportingPeriod.objects.order_by("-year", "quarter"),
            "can_edit": can_edit,
            "today": timezone.localdate(),
        },
        done=lambda _periods: _("Quarters of %(y)s created.") % {"y": form.cleaned_data["year"]},
        after=lambda _periods: reverse("results:period-list"),
    )
