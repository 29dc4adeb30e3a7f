"""Reads of the portfolio: project lists, Table 1, funding drill-downs, delivery and reporting timeliness.

Every read starts from `restrict(...)`, so a user sees the figures of the records they may view.
Query counts do not depend on the number of projects: amounts are fetched in one query each and
converted to CHF in Python with a `RateBook` read once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.org.access import Action, restrict
from presence.org.models import Office, Region
from presence.portfolio.models import (
    Budget,
    ExchangeRate,
    Funding,
    FundingSource,
    Partner,
    Project,
    RegionalInitiative,
    ReportingObligation,
    Transaction,
)
from presence.portfolio.rates import RateBook

KCHF = Decimal("0.1")
THOUSAND = Decimal(1000)
NOT_RUNNING = (Project.Status.PIPELINE, Project.Status.CANCELLED)


def to_kchf(chf: Decimal) -> Decimal:
    """CHF to thousands of CHF with one decimal, rounding halves up as the Council tables do."""
    return (chf / THOUSAND).quantize(KCHF, rounding=ROUND_HALF_UP)


# The one definition of "on-going in year Y" -------------------------------------------------------


def ongoing_in_year(queryset: QuerySet[Project], year: int) -> QuerySet[Project]:
    """Projects on-going in `year`: under way (not pipeline, not cancelled) at some time in that year.

    A project's period runs from its actual start (its planned start while it has not started) to its
    actual end (its planned end while it has not ended); it is on-going in Y when that period overlaps
    1 January to 31 December of Y. A project closed in March 2023 was on-going in 2023; a project
    whose planned start is 2024 was not, even if it was signed in 2023.
    """
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return (
        queryset.exclude(status__in=NOT_RUNNING)
        .annotate(
            period_start=Coalesce("actual_start", "planned_start"),
            period_end=Coalesce("actual_end", "planned_end"),
        )
        .filter(period_start__lte=last, period_end__gte=first)
    )


def project_list(
    *,
    user: Any,
    region: str = "",
    office: str = "",
    status: str = "",
    source: str = "",
    partner: int | str | None = None,
    year: int | None = None,
    initiative: int | str | None = None,
    priority: str = "",
    q: str = "",
) -> QuerySet[Project]:
    """Projects the user may view, filtered as on the list page, the export and the API."""
    projects = restrict(Project.objects.all(), user, Action.VIEW).select_related(
        "region", "lead_office", "kap_priority", "regional_initiative"
    )
    if year:
        projects = ongoing_in_year(projects, int(year))
    if region:
        projects = projects.filter(region__code=region)
    if office:
        projects = projects.filter(lead_office__code=office)
    if status:
        projects = projects.filter(status=status)
    if source:
        projects = projects.filter(pk__in=Funding.objects.filter(source__code=source).values("project"))
    if partner:
        projects = projects.filter(pk__in=Funding.objects.filter(partner_id=partner).values("project"))
    if initiative:
        projects = projects.filter(regional_initiative_id=int(initiative))
    if priority:
        projects = projects.filter(kap_priority__code=priority)
    if q:
        projects = projects.filter(
            Q(code__icontains=q) | Q(title__icontains=q) | Q(manager_name__icontains=q)
        )
    return projects.order_by("code")


def project_get(*, user: Any, code: str, action: Action = Action.VIEW) -> Project:
    return (
        restrict(Project.objects.all(), user, action)
        .select_related("region", "lead_office", "kap_priority", "regional_initiative")
        .get(code=code)
    )


def funding_totals_chf(
    projects: Iterable[Project], *, rates: RateBook | None = None
) -> dict[int, Decimal | None]:
    """Each project's total funding in CHF (None when an amount cannot be converted), one query."""
    ids = [project.pk for project in projects]
    book = rates or RateBook.load()
    totals: dict[int, Decimal | None] = dict.fromkeys(ids, Decimal(0))
    for project_id, amount, currency, signed_on in Funding.objects.filter(project_id__in=ids).values_list(
        "project_id", "amount", "currency", "signed_on"
    ):
        chf = book.to_chf(amount, currency, signed_on)
        current = totals[project_id]
        totals[project_id] = None if chf is None or current is None else current + chf
    return totals


# Table 1 ----------------------------------------------------------------------------------------

FIXED_COLUMNS = (
    (FundingSource.Kind.PARTNER, "funding_from_partners_kchf"),
    (FundingSource.Kind.ICTDF, "itu_funds_ictdf_kchf"),
    (FundingSource.Kind.RI, "itu_funds_ris_kchf"),
)


@dataclass(frozen=True)
class Table1Column:
    key: str  # "partner", "ictdf", "ri" or "source:<code>"
    label: str
    csv_name: str
    kind: str = ""
    source: str = ""


@dataclass
class Table1Row:
    label: str  # region code, or "Total"
    region: str  # region code, "" for the total row
    projects: int = 0
    chf: dict[str, Decimal] = field(default_factory=dict)  # exact CHF per column key
    total_chf: Decimal = Decimal(0)

    def kchf(self, key: str) -> Decimal:
        return to_kchf(self.chf.get(key, Decimal(0)))

    @property
    def total_kchf(self) -> Decimal:
        return to_kchf(self.total_chf)


@dataclass
class Table1:
    year: int
    columns: list[Table1Column]
    rows: list[Table1Row]  # regions in order, then MUL
    total: Table1Row
    unconverted: list[Funding] = field(default_factory=list)

    @property
    def all_rows(self) -> list[Table1Row]:
        return [*self.rows, self.total]

    def csv_header(self) -> list[str]:
        return [
            "region",
            "number_of_projects",
            *(c.csv_name for c in self.columns),
            "total_project_funding_kchf",
        ]

    def csv_records(self) -> Iterator[list[str]]:
        """Rows as the seed CSV writes them: one decimal, an empty cell for zero."""
        for row in self.all_rows:
            cells = [row.kchf(column.key) for column in self.columns]
            yield [
                row.label,
                str(row.projects),
                *("" if value == 0 else f"{value:.1f}" for value in cells),
                "" if row.total_kchf == 0 else f"{row.total_kchf:.1f}",
            ]


def column_key(funding_kind: str, source_code: str) -> str:
    return funding_kind if funding_kind in dict(FIXED_COLUMNS) else f"source:{source_code}"


def table1_fundings(
    *,
    user: Any,
    year: int,
    region: str = "",
    kind: str = "",
    source: str = "",
) -> QuerySet[Funding]:
    """The funding records behind Table 1 for `year` (and one of its cells when filtered).

    Table 1 counts, for every project on-going in the year, every contribution signed by the end of
    that year, converted to CHF at the rate valid on the signature date.
    """
    projects = ongoing_in_year(restrict(Project.objects.all(), user, Action.VIEW), year)
    fundings = Funding.objects.filter(project__in=projects.values("pk"), signed_on__lte=dt.date(year, 12, 31))
    if region:
        fundings = fundings.filter(project__region__code=region)
    if kind:
        fundings = fundings.filter(source__kind=kind)
    if source:
        fundings = fundings.filter(source__code=source)
    return fundings.select_related("project", "project__region", "source", "partner").order_by(
        "project__code", "signed_on", "pk"
    )


def with_chf(
    fundings: Iterable[Funding], rates: RateBook | None = None
) -> list[tuple[Funding, Decimal | None]]:
    book = rates or RateBook.load()
    return [
        (funding, book.to_chf(funding.amount, funding.currency, funding.signed_on)) for funding in fundings
    ]


def table1(*, user: Any, year: int) -> Table1:
    """Table 1 of the Council report for `year`: projects and funding per region, MUL and total, in k CHF."""
    book = RateBook.load()
    regions = list(
        Region.objects.order_by("is_geographic", "sort_order", "code").values_list("code", "is_geographic")
    )
    ordered = [code for code, geographic in regions if geographic] + [
        code for code, geographic in regions if not geographic
    ]
    rows = {code: Table1Row(label=code, region=code) for code in ordered}
    total = Table1Row(label="Total", region="")
    counts = (
        ongoing_in_year(restrict(Project.objects.all(), user, Action.VIEW), year)
        .values("region__code")
        .annotate(n=Count("pk"))
    )
    for entry in counts:
        rows[entry["region__code"]].projects = entry["n"]
        total.projects += entry["n"]
    further: dict[str, tuple[str, int]] = {}
    unconverted: list[Funding] = []
    for funding in table1_fundings(user=user, year=year):
        chf = book.to_chf(funding.amount, funding.currency, funding.signed_on)
        if chf is None:
            unconverted.append(funding)
            continue
        key = column_key(funding.source.kind, funding.source.code)
        if key.startswith("source:") and chf:
            further.setdefault(funding.source.code, (funding.source.name, funding.source.sort_order))
        row = rows[funding.project.region.code]
        for target in (row, total):
            target.chf[key] = target.chf.get(key, Decimal(0)) + chf
            target.total_chf += chf
    columns = [
        Table1Column(key=kind, label=str(FundingSource.Kind(kind).label), csv_name=csv_name, kind=kind)
        for kind, csv_name in FIXED_COLUMNS
    ]
    for code, (name, _order) in sorted(further.items(), key=lambda item: (item[1][1], item[0])):
        if total.chf.get(f"source:{code}", Decimal(0)) != 0:
            columns.append(
                Table1Column(
                    key=f"source:{code}", label=name, csv_name=f"{code.replace('-', '_')}_kchf", source=code
                )
            )
    return Table1(year=year, columns=columns, rows=list(rows.values()), total=total, unconverted=unconverted)


def table1_years(*, user: Any) -> list[int]:
    """Years in which some visible project is on-going (for the year picker and trends)."""
    bounds = (
        restrict(Project.objects.all(), user, Action.VIEW)
        .exclude(status__in=NOT_RUNNING)
        .values_list(Coalesce("actual_start", "planned_start"), Coalesce("actual_end", "planned_end"))
    )
    years: set[int] = set()
    for start, end in bounds:
        years.update(range(start.year, end.year + 1))
    return sorted(years)


# Project detail: funding, budget against expenditure, delivery ------------------------------------


@dataclass
class YearFinance:
    year: int
    budget_chf: Decimal = Decimal(0)
    expenditure_chf: Decimal = Decimal(0)

    @property
    def delivery_rate(self) -> Decimal | None:
        """Expenditure as a share of the year's budget, in per cent (None without a budget)."""
        if not self.budget_chf:
            return None
        return (self.expenditure_chf * 100 / self.budget_chf).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class ProjectFinance:
    funding_chf: Decimal
    years: list[YearFinance]
    committed_chf: Decimal
    disbursed_chf: Decimal
    spent_chf: Decimal

    @property
    def budget_chf(self) -> Decimal:
        return sum((year.budget_chf for year in self.years), Decimal(0))

    @property
    def delivery_rate(self) -> Decimal | None:
        budget = self.budget_chf
        if not budget:
            return None
        return (self.spent_chf * 100 / budget).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def project_finance(project: Project) -> ProjectFinance:
    """Budget against expenditure per year and the delivery rate (expenditure / budget), in CHF."""
    book = RateBook.load()
    funding = sum(
        (book.to_chf(f.amount, f.currency, f.signed_on) or Decimal(0) for f in project.fundings.all()),
        Decimal(0),
    )
    years: dict[int, YearFinance] = {}
    for budget in project.budgets.all():
        entry = years.setdefault(budget.year, YearFinance(budget.year))
        entry.budget_chf += book.to_chf(
            budget.amount, budget.currency, dt.date(budget.year, 1, 1)
        ) or Decimal(0)
    totals = dict.fromkeys(Transaction.Kind.values, Decimal(0))
    for record in project.transactions.all():
        chf = book.to_chf(record.amount, record.currency, record.date) or Decimal(0)
        totals[record.kind] += chf
        if record.kind == Transaction.Kind.EXPENDITURE:
            years.setdefault(record.date.year, YearFinance(record.date.year)).expenditure_chf += chf
    return ProjectFinance(
        funding_chf=funding,
        years=[years[year] for year in sorted(years)],
        committed_chf=totals[Transaction.Kind.COMMITMENT],
        disbursed_chf=totals[Transaction.Kind.DISBURSEMENT],
        spent_chf=totals[Transaction.Kind.EXPENDITURE],
    )


# Financial reporting obligations --------------------------------------------------------------------


@dataclass
class Timeliness:
    label: str
    due: int = 0
    on_time: int = 0
    late: int = 0
    outstanding: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        """Reports submitted by their due date, as a share of the reports due (in per cent)."""
        if not self.due:
            return None
        return (Decimal(self.on_time) * 100 / self.due).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class TimelinessReport:
    year: int
    by_region: list[Timeliness]
    by_office: list[Timeliness]
    total: Timeliness


def reporting_timeliness(
    *, user: Any, year: int, region: Region | str | None = None, office: Office | str | None = None
) -> TimelinessReport:
    """On-time rate of financial reports due in `year`, per project region and per lead office.

    A report is on time when submitted on or before its due date; late when submitted after it;
    outstanding when not submitted yet.
    """
    obligations = restrict(ReportingObligation.objects.all(), user, Action.VIEW).filter(due_on__year=year)
    if region:
        obligations = obligations.filter(project__region__code=getattr(region, "code", region))
    if office:
        obligations = obligations.filter(project__lead_office__code=getattr(office, "code", office))
    on_time = Q(submitted_on__isnull=False, submitted_on__lte=F("due_on"))
    late = Q(submitted_on__isnull=False, submitted_on__gt=F("due_on"))
    aggregates = {
        "due": Count("pk"),
        "on_time": Count("pk", filter=on_time),
        "late": Count("pk", filter=late),
        "outstanding": Count("pk", filter=Q(submitted_on__isnull=True)),
    }

    def group(path: str, sort: str) -> list[Timeliness]:
        return [
            Timeliness(label=entry[path] or "", **{k: entry[k] for k in aggregates})
            for entry in obligations.values(path).annotate(**aggregates).order_by(sort, path)
        ]

    totals = obligations.aggregate(**aggregates)
    return TimelinessReport(
        year=year,
        by_region=group("project__region__code", "project__region__sort_order"),
        by_office=group("project__lead_office__name", "project__lead_office__name"),
        total=Timeliness(label=_("Total"), **totals),
    )


def overdue_reports(*, user: Any, today: dt.date | None = None) -> QuerySet[ReportingObligation]:
    """Financial reports past their due date and not yet submitted, oldest first."""
    day = today or timezone.localdate()
    return (
        restrict(ReportingObligation.objects.all(), user, Action.VIEW)
        .filter(submitted_on__isnull=True, due_on__lt=day)
        .select_related("project", "project__region", "project__lead_office", "partner")
        .order_by("due_on", "pk")
    )


def reporting_reminders(*, today: dt.date) -> list[Any]:
    """Tell the editors of a project's lead office or region about its overdue financial reports; where
    the project has none (no editor for its office or region), headquarters' global editors and
    administrators, so that every overdue report reaches someone."""
    from presence.core.reminders import Reminder
    from presence.org.models import RoleAssignment

    overdue = list(
        ReportingObligation.objects.filter(submitted_on__isnull=True, due_on__lt=today).select_related(
            "project", "project__lead_office"
        )
    )
    if not overdue:
        return []
    editors = list(
        RoleAssignment.objects.filter(role__in=["editor", "admin"]).select_related("user").order_by("pk")
    )
    headquarters = [a for a in editors if a.region_id is None and a.office_id is None]
    items: list[Any] = []
    for obligation in overdue:
        project = obligation.project
        responsible = [
            assignment
            for assignment in editors
            if (
                assignment.region_id is not None
                and assignment.region_id in (project.region_id, project.lead_office.region_id)
            )
            or (assignment.office_id is not None and assignment.office_id == project.lead_office_id)
        ]
        people = {assignment.user.pk: assignment.user for assignment in responsible or headquarters}
        for person in people.values():
            items.append(
                Reminder(
                    user=person,
                    kind=_("financial report overdue"),
                    subject=f"{project.code}: {obligation.title}",
                    due=obligation.due_on,
                    url=project.get_absolute_url(),
                )
            )
    return items


# Lists used by filters, forms and the API -----------------------------------------------------------


def partner_list(*, user: Any, q: str = "") -> QuerySet[Partner]:
    partners = restrict(Partner.objects.select_related("country"), user, Action.VIEW)
    return partners.filter(name__icontains=q) if q else partners


def funding_source_list(*, user: Any) -> QuerySet[FundingSource]:
    return restrict(FundingSource.objects.all(), user, Action.VIEW)


def regional_initiative_list(
    *, user: Any, region: str = "", cycle: int | None = None
) -> QuerySet[RegionalInitiative]:
    initiatives = restrict(RegionalInitiative.objects.select_related("region"), user, Action.VIEW)
    if region:
        initiatives = initiatives.filter(region__code=region)
    if cycle:
        initiatives = initiatives.filter(cycle=cycle)
    return initiatives


def exchange_rate_list(*, user: Any, currency: str = "") -> QuerySet[ExchangeRate]:
    rates = restrict(ExchangeRate.objects.all(), user, Action.VIEW)
    return rates.filter(currency=currency.upper()) if currency else rates


def budget_list(*, user: Any, project: str = "", year: int | None = None) -> QuerySet[Budget]:
    budgets = restrict(Budget.objects.select_related("project"), user, Action.VIEW)
    if project:
        budgets = budgets.filter(project__code=project)
    if year:
        budgets = budgets.filter(year=year)
    return budgets


def transaction_list(
    *, user: Any, project: str = "", kind: str = "", year: int | None = None
) -> QuerySet[Transaction]:
    records = restrict(Transaction.objects.select_related("project"), user, Action.VIEW)
    if project:
        records = records.filter(project__code=project)
    if kind:
        records = records.filter(kind=kind)
    if year:
        records = records.filter(date__year=year)
    return records


def obligation_list(*, user: Any, project: str = "", overdue: bool = False) -> QuerySet[ReportingObligation]:
    records = restrict(ReportingObligation.objects.select_related("project", "partner"), user, Action.VIEW)
    if project:
        records = records.filter(project__code=project)
    if overdue:
        records = records.filter(submitted_on__isnull=True, due_on__lt=timezone.localdate())
    return records


def funding_list(
    *, user: Any, project: str = "", source: str = "", partner: int | str | None = None
) -> QuerySet[Funding]:
    records = restrict(Funding.objects.select_related("project", "source", "partner"), user, Action.VIEW)
    if project:
        records = records.filter(project__code=project)
    if source:
        records = records.filter(source__code=source)
    if partner:
        records = records.filter(partner_id=partner)
    return records
