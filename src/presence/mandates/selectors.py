"""Reads of the governing bodies' requests, and their evidence computed from the domains' records.

Each evidence measure is a count "value of total" over the records the reader may view, read through
the domain apps' selectors (the same ones behind the dashboard's figures), with links to the lists
behind it. Progress is that count as a share; nothing of it is typed.

Every role reads requests; member-state viewers (and the public) only published ones, without names.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, DateField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from presence.core.filtering import ListFilter
from presence.mandates.filters import MandateFilter
from presence.mandates.models import YEARLY, Evidence, Mandate
from presence.org import personal
from presence.org.access import Action, has_role, restrict
from presence.org.models import Office, Role
from presence.portfolio import selectors as portfolio
from presence.resilience import selectors as resilience
from presence.resilience.models import Assessment, AssessmentKind, PlanningDocument
from presence.results import selectors as results
from presence.results.models import Activity, IndicatorValue
from presence.staffing import selectors as staffing

# Days from a vacancy's opening to the selection within which a recruitment counts as timely.
RECRUITMENT_TARGET_DAYS = 120

STAFF_ROLES = frozenset(Role) - {Role.MEMBER_STATE}


def sees_unpublished(user: Any) -> bool:
    """Staff (any role but member-state viewer) read requests not yet published."""
    return has_role(user, STAFF_ROLES)


def mandate_list(
    *, user: Any, filters: ListFilter | None = None, published_only: bool = False, **values: Any
) -> QuerySet[Mandate]:
    """Requests the user may read (member-state viewers: published ones), narrowed by
    `filters.MandateFilter` (a bound one, or its values)."""
    mandates = restrict(Mandate.objects.select_related("owner"), user, Action.VIEW)
    if published_only or not sees_unpublished(user):
        mandates = mandates.filter(published=True)
    return MandateFilter.apply(mandates, filters or values)


def mandate_get(*, user: Any, pk: int) -> Mandate:
    return mandate_list(user=user).get(pk=pk)


def history_for(*, user: Any, record: Mandate, limit: int = 50) -> list[Any]:
    return personal.history_for(user=user, record=record, limit=limit)


# Evidence ------------------------------------------------------------------------------------------


@dataclass
class Link:
    label: str
    url: str


@dataclass
class Figure:
    """One evidence measure: `value` of `total` records, with the lists behind them."""

    key: str
    label: str
    value: int
    total: int
    year: int | None
    links: list[Link] = field(default_factory=list)
    note: str = ""

    @property
    def percent(self) -> Decimal | None:
        """Progress: the value as a share of the total, in per cent (None when there is nothing to count)."""
        if not self.total:
            return None
        return (Decimal(self.value) * 100 / self.total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _url(name: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    url = reverse(name)
    return f"{url}?{query}" if query else url


def field_offices(*, user: Any) -> QuerySet[Office]:
    """Open offices of the six regions (headquarters is not a field office)."""
    return resilience.office_list(user=user).filter(region__isnull=False)


def _audited(user: Any, kinds: Iterable[str], offices: set[int]) -> set[int]:
    """Field offices with a completed (or archived) assessment of every kind in `kinds`."""
    kinds = list(kinds)
    done: dict[int, set[str]] = defaultdict(set)
    rows = resilience.visible_assessments(user, None, None).filter(
        status__in=Assessment.LOCKED, template__kind__in=kinds
    )
    for office_id, kind in rows.values_list("office_id", "template__kind").distinct():
        done[office_id].add(kind)
    return {o for o in offices if done[o] >= set(kinds)}


def _assessment_figure(user: Any, key: Evidence, kinds: list[str]) -> Figure:
    offices = set(field_offices(user=user).values_list("pk", flat=True))
    done = _audited(user, kinds, offices)
    labels = dict(AssessmentKind.choices)
    return Figure(
        key=key,
        label=str(key.label),
        value=len(done),
        total=len(offices),
        year=None,
        links=[
            Link(
                _("%(kind)s: completed") % {"kind": labels[kind]},
                _url("resilience:assessment-list", kind=kind, status=Assessment.Status.COMPLETED),
            )
            for kind in kinds
        ]
        + [Link(_("Offices by region"), _url("resilience:overview"))],
        note=_("%(done)s of %(total)s field offices") % {"done": len(done), "total": len(offices)},
    )


def _plans_figure(user: Any, today: dt.date) -> Figure:
    """Field offices holding a business-continuity AND a crisis-management plan whose latest edition
    is not due for review yet (next review after today)."""
    offices = set(field_offices(user=user).values_list("pk", flat=True))
    kinds = {PlanningDocument.Kind.BCP.value, PlanningDocument.Kind.CMP.value}
    current: dict[int, set[str]] = defaultdict(set)
    plans = resilience.plan_list(user=user, current_only=True).filter(
        kind__in=kinds, next_review_on__gt=today
    )
    # Each office's kinds once, however many current plans of a kind it holds.
    for office_id, kind in plans.order_by().values_list("office_id", "kind").distinct():
        current[office_id].add(kind)
    value = sum(1 for o in offices if current[o] >= kinds)
    return Figure(
        key=Evidence.BC_CM_PLANS,
        label=str(Evidence.BC_CM_PLANS.label),
        value=value,
        total=len(offices),
        year=None,
        links=[
            Link(_("Planning documents"), _url("resilience:plan-list")),
            Link(_("Plans due for review"), _url("resilience:plan-list", expiring=1)),
        ],
        note=_("%(done)s of %(total)s field offices") % {"done": value, "total": len(offices)},
    )


def _reports_figure(user: Any, year: int) -> Figure:
    total = portfolio.reporting_total(user=user, year=year)
    return Figure(
        key=Evidence.REPORTS_ON_TIME,
        label=str(Evidence.REPORTS_ON_TIME.label),
        value=total.on_time,
        total=total.due,
        year=year,
        links=[
            Link(_("Financial reporting %(year)s") % {"year": year}, _url("portfolio:reporting", year=year))
        ],
        note=_("%(on_time)s of %(due)s due in %(year)s; %(outstanding)s outstanding")
        % {"on_time": total.on_time, "due": total.due, "year": year, "outstanding": total.outstanding},
    )


def aligned_activities(activities: QuerySet[Activity], year: int) -> QuerySet[Activity]:
    """Activities linked to a KAP output that carry a KPI with a target for `year`: their own
    indicator's, or one of their outputs'."""
    # Each condition a set computed once (the activities with a target of their own, the outputs with
    # one and the activities linked to those): joining activities to their outputs' indicators' values
    # and keeping distinct activities made 34 million rows at 100 times the demo (25 s).
    targets = IndicatorValue.objects.filter(year=year, target__isnull=False)
    links = Activity.outputs.through.objects
    own = targets.filter(indicator__activity__isnull=False).values("indicator__activity")
    outputs = targets.filter(indicator__output__isnull=False).values("indicator__output")
    via_outputs = links.filter(output__in=outputs).values("activity")
    return Activity.objects.filter(pk__in=activities.values("pk")).filter(
        Exists(links.filter(activity=OuterRef("pk"))), Q(pk__in=own) | Q(pk__in=via_outputs)
    )


def _activities_figure(user: Any, year: int) -> Figure:
    activities = results.activity_list(user=user, year=year)
    total = activities.count()
    value = aligned_activities(activities, year).count()
    return Figure(
        key=Evidence.ACTIVITIES_ALIGNED,
        label=str(Evidence.ACTIVITIES_ALIGNED.label),
        value=value,
        total=total,
        year=year,
        links=[
            Link(_("Activities %(year)s") % {"year": year}, _url("results:activity-list", year=year)),
            Link(_("Indicators %(year)s") % {"year": year}, _url("results:indicator-list", year=year)),
        ],
        note=_("%(done)s of %(total)s activities of %(year)s")
        % {"done": value, "total": total, "year": year},
    )


def _recruitments_figure(user: Any, year: int) -> Figure:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    selected = staffing.recruitment_list(user=user, opened_from=start, opened_to=end).filter(
        selected_on__isnull=False
    )
    # Counted in the database: a selection is timely when its time to fill (`Recruitment.time_to_fill`,
    # the days from opening to selection) is at most the target, i.e. selected by the opening + target.
    deadline = ExpressionWrapper(
        F("opened_on") + dt.timedelta(days=RECRUITMENT_TARGET_DAYS), output_field=DateField()
    )
    counts = selected.order_by().aggregate(
        total=Count("pk"), value=Count("pk", filter=Q(selected_on__lte=deadline))
    )
    value, total = counts["value"], counts["total"]
    return Figure(
        key=Evidence.RECRUITMENTS_IN_TIME,
        label=str(Evidence.RECRUITMENTS_IN_TIME.label),
        value=value,
        total=total,
        year=year,
        links=[
            Link(
                _("Recruitments opened in %(year)s") % {"year": year},
                _url("staffing:recruitment-list", opened_from=start.isoformat(), opened_to=end.isoformat()),
            ),
        ],
        note=_(
            "%(done)s of %(total)s selections made within %(days)s days of opening (vacancies of %(year)s)"
        )
        % {"done": value, "total": total, "days": RECRUITMENT_TARGET_DAYS, "year": year},
    )


def measure(*, user: Any, key: str, year: int | None = None, today: dt.date | None = None) -> Figure:
    """The evidence measure `key` as `user` may count it (for `year` where the measure is yearly)."""
    today = today or timezone.localdate()
    year = year or today.year
    builders: dict[str, Callable[[], Figure]] = {
        Evidence.SRM_ASSESSMENT: lambda: _assessment_figure(
            user, Evidence.SRM_ASSESSMENT, [AssessmentKind.SRM]
        ),
        Evidence.ICT_AUDIT: lambda: _assessment_figure(user, Evidence.ICT_AUDIT, [AssessmentKind.ICT]),
        Evidence.CYBER_AUDIT: lambda: _assessment_figure(user, Evidence.CYBER_AUDIT, [AssessmentKind.CYBER]),
        Evidence.ICT_CYBER_AUDIT: lambda: _assessment_figure(
            user, Evidence.ICT_CYBER_AUDIT, [AssessmentKind.ICT, AssessmentKind.CYBER]
        ),
        Evidence.BC_CM_PLANS: lambda: _plans_figure(user, today),
        Evidence.REPORTS_ON_TIME: lambda: _reports_figure(user, year),
        Evidence.ACTIVITIES_ALIGNED: lambda: _activities_figure(user, year),
        Evidence.RECRUITMENTS_IN_TIME: lambda: _recruitments_figure(user, year),
    }
    if key not in builders:
        raise ValueError(f"Unknown evidence measure {key!r}.")
    return builders[key]()


class EvidenceCache:
    """Each measure computed once per reader, however many requests share it."""

    def __init__(self, user: Any, today: dt.date | None = None) -> None:
        self.user = user
        self.today = today or timezone.localdate()
        self.found: dict[tuple[str, int | None], Figure] = {}

    def __call__(self, mandate: Mandate) -> Figure | None:
        if not mandate.evidence:
            return None
        year = (mandate.evidence_year or self.today.year) if mandate.evidence in YEARLY else None
        key = (mandate.evidence, year)
        if key not in self.found:
            self.found[key] = measure(user=self.user, key=mandate.evidence, year=year, today=self.today)
        return self.found[key]


def evidence_for(*, user: Any, mandate: Mandate, today: dt.date | None = None) -> Figure | None:
    """The request's evidence measure, or None where the system holds none for it."""
    return EvidenceCache(user, today)(mandate)


@dataclass
class MandateRow:
    mandate: Mandate
    evidence: Figure | None
    owner: str

    @property
    def progress(self) -> Decimal | None:
        return self.evidence.percent if self.evidence else None


def owner_label(user: Any, mandate: Mandate) -> str:
    """The owning office or unit, and the person where the reader may see names."""
    person = personal.shown_person(user, mandate, "owner")
    parts = [part for part in (mandate.owner_unit, person) if part]
    return ", ".join(parts)


def mandate_rows(*, user: Any, mandates: Iterable[Mandate], today: dt.date | None = None) -> list[MandateRow]:
    cache = EvidenceCache(user, today)
    return [MandateRow(m, cache(m), owner_label(user, m)) for m in mandates]


def tracker_rows(
    *, user: Any, published_only: bool = True, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Plain rows for a document's annex: one per request the reader may see, in the list's order.

    Keys: body, session, reference, text, owner, due, status, evidence_label, evidence_value,
    evidence_total, progress (per cent or None), assessment. Names of people only where the reader
    may see them.
    """
    mandates = mandate_list(user=user, published_only=published_only)
    return [plain_row(row) for row in mandate_rows(user=user, mandates=mandates, today=today)]


def plain_row(row: MandateRow) -> dict[str, Any]:
    """One request as plain values (tracker_rows, the list's CSV and XLSX downloads)."""
    m, figure = row.mandate, row.evidence
    return {
        "body": m.get_body_display(),
        "session": m.session,
        "reference": m.reference,
        "text": m.text,
        "owner": row.owner,
        "due": m.due_on,
        "status": m.get_status_display(),
        "evidence_label": figure.label if figure else "",
        "evidence_value": figure.value if figure else None,
        "evidence_total": figure.total if figure else None,
        "progress": row.progress,
        "assessment": m.get_assessment_display() if m.assessment else "",
    }
