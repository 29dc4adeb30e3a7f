"""Reads of the portfolio: project lists, Table 1, funding drill-downs, delivery and reporting timeliness.

Every read starts from `restrict(...)`, so a user sees the figures of the records they may view.
Query counts do not depend on the number of projects: amounts are fetched in one query each and
converted to CHF in Python with a `RateBook` read once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.core.filtering import ListFilter
from presence.org.access import Action, can, restrict
from presence.org.models import Office, Region
from presence.portfolio.filters import (
    NOT_RUNNING,
    AgreementFilter,
    BudgetFilter,
    ExchangeRateFilter,
    FundingFilter,
    FundingRecordFilter,
    ObligationFilter,
    PartnerFilter,
    ProjectFilter,
    RegionalInitiativeFilter,
    TransactionFilter,
    ongoing_in_year,
)
from presence.portfolio.models import (
    Budget,
    ExchangeRate,
    Funding,
    FundingAgreement,
    FundingSource,
    Partner,
    Project,
    RegionalInitiative,
    ReportingObligation,
    Transaction,
)
from presence.portfolio.rates import BASE, RateBook

KCHF = Decimal("0.1")
THOUSAND = Decimal(1000)


def to_kchf(chf: Decimal) -> Decimal:
    """CHF to thousands of CHF with one decimal, rounding halves up as the Council tables do.

    For display only, once, from a sum in full precision: a sum of rounded amounts may differ from the
    rounded sum by a tenth (docs/architecture.md, "Figures").
    """
    return (chf / THOUSAND).quantize(KCHF, rounding=ROUND_HALF_UP)


def in_kchf(chf: Decimal) -> Decimal:
    """CHF to thousands of CHF in full precision, for figures that are still to be added or compared."""
    return chf / THOUSAND


def project_list(*, user: Any, filters: ListFilter | None = None, **values: Any) -> QuerySet[Project]:
    """Projects the user may view, narrowed by the list's filters (`filters.ProjectFilter`: a bound one
    from the page or the API, else `values` such as `year=2024, region="AFR"`)."""
    projects = restrict(Project.objects.all(), user, Action.VIEW).select_related(
        "region", "lead_office", "kap_priority", "regional_initiative"
    )
    return ProjectFilter.apply(projects, filters or values).order_by("code")


def ongoing_counts(projects: QuerySet[Project], years: Iterable[int]) -> dict[int, int]:
    """Year -> how many of `projects` were on-going in it (`filters.ongoing_in_year`'s rule), counted
    in one query: one conditional count per year over the projects under way."""
    wanted = sorted(set(years))
    if not wanted:
        return {}
    running = (
        projects.order_by()
        .exclude(status__in=NOT_RUNNING)
        .annotate(
            period_start=Coalesce("actual_start", "planned_start"),
            period_end=Coalesce("actual_end", "planned_end"),
        )
    )
    counted = running.aggregate(
        **{
            f"y{year}": Count(
                "pk",
                filter=Q(period_start__lte=dt.date(year, 12, 31), period_end__gte=dt.date(year, 1, 1)),
            )
            for year in wanted
        }
    )
    return {year: counted[f"y{year}"] or 0 for year in wanted}


def project_get(*, user: Any, code: str, action: Action = Action.VIEW) -> Project:
    return (
        restrict(Project.objects.all(), user, action)
        .select_related("region", "lead_office", "kap_priority", "regional_initiative")
        .get(code=code)
    )


class _ChfUnits(Func):
    """SQL: a funding's amount times its rate in hundred-millionths of a CHF, exactly (amounts have two
    decimals, rates six): numeric arithmetic on PostgreSQL, integers on SQLite (whose decimals are
    floating point). Summed per project, exact up to some 92 billion CHF on SQLite."""

    output_field = IntegerField()
    template = "(%(expressions)s * 100000000)"
    arg_joiner = " * "

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            template="(CAST(ROUND(%(expressions)s * 1000000) AS INTEGER))",
            arg_joiner=" * 100) AS INTEGER) * CAST(ROUND(",
            **extra,
        )


def _rate_to_chf() -> Case:
    """SQL: the CHF rate of a funding's currency on its signature date (1 for CHF, NULL: none)."""
    rate = DecimalField(max_digits=14, decimal_places=6)
    return Case(
        When(currency=BASE, then=Value(Decimal(1), output_field=rate)),
        default=Subquery(
            ExchangeRate.objects.filter(currency=OuterRef("currency"), valid_from__lte=OuterRef("signed_on"))
            .order_by("-valid_from")
            .values("rate_to_chf")[:1]
        ),
        output_field=rate,
    )


def funding_totals_chf(
    projects: Iterable[Project], *, rates: RateBook | None = None
) -> dict[int, Decimal | None]:
    """Each project's total funding in CHF (None when an amount cannot be converted), one query and one
    row per project: the amounts are converted at the rate of their signature date and summed in the
    database (`rates` is not needed)."""
    ids = [project.pk for project in projects]
    fundings = Funding.objects.filter(project=OuterRef("pk")).order_by().values("project")
    units = fundings.annotate(units=Sum(_ChfUnits("amount", _rate_to_chf()))).values("units")
    rows = (
        Project.objects.filter(pk__in=ids)
        .order_by()
        .annotate(
            units=Subquery(units, output_field=IntegerField()),
            unconverted=Exists(
                fundings.exclude(currency=BASE).annotate(rate=_rate_to_chf()).filter(rate=None)
            ),
        )
        .values_list("pk", "units", "unconverted")
    )
    totals: dict[int, Decimal | None] = dict.fromkeys(ids, Decimal(0))
    for pk, total, unconverted in rows:
        totals[pk] = None if unconverted else Decimal(total or 0).scaleb(-8)
    return totals


def funding_total_of_projects_chf(projects: QuerySet[Project], *, rates: RateBook | None = None) -> Decimal:
    """The total funding in CHF of the projects whose every amount converts (`funding_totals_chf`'s
    figures summed), summed in the database per currency and rate period (`chf_totals`)."""
    fundings = Funding.objects.filter(project__in=projects.order_by().values("pk"))
    unconverted = unconverted_fundings(fundings).order_by().values("project_id")
    return sum(chf_totals(fundings.exclude(project__in=unconverted), rates=rates).values(), Decimal(0))


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


def table1_fundings(*, user: Any, filters: ListFilter | None = None, **values: Any) -> QuerySet[Funding]:
    """The funding records behind Table 1 for a year (and one of its cells when filtered): the year and the
    cell's region, kind of source or source are `filters.FundingFilter`'s.

    Table 1 counts, for every project on-going in the year, every contribution signed by the end of
    that year, converted to CHF at the rate valid on the signature date.
    """
    projects = restrict(Project.objects.all(), user, Action.VIEW)
    fundings = Funding.objects.all()
    if projects.query.has_filters():  # a reader who sees every project needs no condition on them
        fundings = fundings.filter(project__in=projects.values("pk"))
    return (
        FundingFilter.apply(fundings, filters or values)
        .select_related("project", "project__region", "source", "partner")
        .order_by("project__code", "signed_on", "pk")
    )


def with_chf(
    fundings: Iterable[Funding], rates: RateBook | None = None
) -> list[tuple[Funding, Decimal | None]]:
    book = rates or RateBook.load()
    return [
        (funding, book.to_chf(funding.amount, funding.currency, funding.signed_on)) for funding in fundings
    ]


def chf_totals(
    fundings: QuerySet[Funding], *fields: str, rates: RateBook | None = None
) -> dict[tuple[Any, ...], Decimal]:
    """The fundings' amounts in CHF per combination of `fields`, summed in the database.

    Amounts are summed per group, currency and date of signature (CHF amounts, whose rate is 1, per
    group alone: the rows fetched grow with those, not with the records), then converted with the
    rate valid on that date, looked up in the rate book (no subquery per record for its rate): the
    same total as converting each record at the rate valid on its signature date. Amounts in a
    currency without a rate on their date are left out (`unconverted_fundings` lists them).
    """
    book = rates or RateBook.load()
    totals: dict[tuple[Any, ...], Decimal] = {}
    signed = Case(When(currency=BASE, then=Value(None)), default=F("signed_on"), output_field=DateField())
    grouped = (
        fundings.order_by()
        .annotate(rate_on=signed)
        .values(*fields, "currency", "rate_on")
        .annotate(amount=Sum("amount"))
        .values_list(*fields, "currency", "rate_on", "amount")
    )
    # SQLite sums in floating point: back to the amounts' own decimal places, as the records hold them.
    cents = Decimal(1).scaleb(-(Funding._meta.get_field("amount").decimal_places or 0))
    for *group, currency, rate_on, amount in grouped:
        amount = Decimal(amount).quantize(cents)
        rate = Decimal(1) if currency == BASE else (book.rate(currency, rate_on) if rate_on else None)
        if rate is not None:
            key = tuple(group)
            totals[key] = totals.get(key, Decimal(0)) + amount * rate
    return totals


def unconverted_fundings(fundings: QuerySet[Funding]) -> QuerySet[Funding]:
    """The fundings in a currency without an exchange rate on their signature date."""
    # No rate valid from the signature date or earlier: an anti-join, not a lookup per contribution.
    rates = ExchangeRate.objects.filter(currency=OuterRef("currency"), valid_from__lte=OuterRef("signed_on"))
    return fundings.exclude(currency=BASE).exclude(Exists(rates))


def funding_total_chf(fundings: Iterable[Funding], rates: RateBook | None = None) -> Decimal:
    """The CHF total of contributions (those without a rate left out), reading only their amounts."""
    book = rates or RateBook.load()
    if isinstance(fundings, QuerySet):  # summed in the database, whatever the number of records
        return sum(chf_totals(fundings, rates=book).values(), Decimal(0))
    rows = [(f.amount, f.currency, f.signed_on) for f in fundings]
    converted = (book.to_chf(amount, currency, signed_on) for amount, currency, signed_on in rows)
    return sum((chf for chf in converted if chf is not None), Decimal(0))


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
    fundings = table1_fundings(user=user, year=year)
    unconverted = list(unconverted_fundings(fundings))
    by_group = chf_totals(
        fundings,
        "project__region__code",
        "source__kind",
        "source__code",
        "source__name",
        "source__sort_order",
        rates=book,
    )
    for (region_code, kind, code, name, sort_order), chf in by_group.items():
        key = column_key(kind, code)
        if key.startswith("source:") and chf:
            further.setdefault(code, (name, sort_order))
        row = rows[region_code]
        for target in (row, total):
            target.chf[key] = target.chf.get(key, Decimal(0)) + chf
            target.total_chf += chf
    columns = [
        Table1Column(key=kind, label=str(FundingSource.Kind(kind).label), csv_name=csv_name, kind=kind)
        for kind, csv_name in FIXED_COLUMNS
    ]
    # Further sources are headed by their names in the reader's language (grouped by the canonical one).
    # (All sources, a short list, in one query whatever the data: `code__in=[]` would skip the query.)
    localized = {s.code: s.localized_name for s in FundingSource.objects.all()}
    for code, (name, _order) in sorted(further.items(), key=lambda item: (item[1][1], item[0])):
        if total.chf.get(f"source:{code}", Decimal(0)) != 0:
            columns.append(
                Table1Column(
                    key=f"source:{code}",
                    label=localized.get(code, name),
                    csv_name=f"{code.replace('-', '_')}_kchf",
                    source=code,
                )
            )
    return Table1(year=year, columns=columns, rows=list(rows.values()), total=total, unconverted=unconverted)


def table1_years(*, user: Any) -> list[int]:
    """Years in which some visible project is on-going (for the year picker and trends)."""
    bounds = (
        restrict(Project.objects.all(), user, Action.VIEW)
        .exclude(status__in=NOT_RUNNING)
        .order_by()
        .values_list(
            ExtractYear(Coalesce("actual_start", "planned_start")),
            ExtractYear(Coalesce("actual_end", "planned_end")),
        )
        .distinct()
    )
    years: set[int] = set()
    for start, end in bounds:
        years.update(range(start, end + 1))
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


def _obligations_due(
    user: Any, year: int, region: Region | str | None, office: Office | str | None
) -> tuple[QuerySet[ReportingObligation], dict[str, Count]]:
    """The financial reports due in `year` the user may see, in the place, and their counts as
    aggregates: due, on time (submitted on or before the due date), late, outstanding."""
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
    return obligations, aggregates


def reporting_total(
    *, user: Any, year: int, region: Region | str | None = None, office: Office | str | None = None
) -> Timeliness:
    """`reporting_timeliness`' total alone: one row of counts, whatever the number of offices."""
    obligations, aggregates = _obligations_due(user, year, region, office)
    return Timeliness(label=_("Total"), **obligations.aggregate(**aggregates))


def reporting_timeliness(
    *, user: Any, year: int, region: Region | str | None = None, office: Office | str | None = None
) -> TimelinessReport:
    """On-time rate of financial reports due in `year`, per project region and per lead office.

    A report is on time when submitted on or before its due date; late when submitted after it;
    outstanding when not submitted yet.
    """
    obligations, aggregates = _obligations_due(user, year, region, office)

    def group(path: str, sort: str) -> list[Timeliness]:
        return [
            Timeliness(label=entry[path] or "", **{k: entry[k] for k in aggregates})
            for entry in obligations.values(path).annotate(**aggregates).order_by(sort, path)
        ]

    # Offices are grouped by their canonical names and labelled in the reader's language.
    office_names = {o.name: o.localized_name for o in Office.objects.all()}
    return TimelinessReport(
        year=year,
        by_region=group("project__region__code", "project__region__sort_order"),
        by_office=[
            replace(row, label=office_names.get(row.label, row.label))
            for row in group("project__lead_office__name", "project__lead_office__name")
        ],
        total=reporting_total(user=user, year=year, region=region, office=office),
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


def partner_list(*, user: Any, filters: ListFilter | None = None, **values: Any) -> QuerySet[Partner]:
    partners = restrict(Partner.objects.select_related("country"), user, Action.VIEW)
    return PartnerFilter.apply(partners, filters or values).order_by("name")


def funding_source_list(*, user: Any) -> QuerySet[FundingSource]:
    return restrict(FundingSource.objects.all(), user, Action.VIEW)


def regional_initiative_list(
    *, user: Any, filters: ListFilter | None = None, **values: Any
) -> QuerySet[RegionalInitiative]:
    initiatives = restrict(RegionalInitiative.objects.select_related("region"), user, Action.VIEW)
    return RegionalInitiativeFilter.apply(initiatives, filters or values)


def exchange_rate_list(
    *, user: Any, filters: ListFilter | None = None, **values: Any
) -> QuerySet[ExchangeRate]:
    rates = restrict(ExchangeRate.objects.all(), user, Action.VIEW)
    return ExchangeRateFilter.apply(rates, filters or values)


def budget_list(*, user: Any, filters: ListFilter | None = None, **values: Any) -> QuerySet[Budget]:
    budgets = restrict(Budget.objects.select_related("project"), user, Action.VIEW)
    return BudgetFilter.apply(budgets, filters or values)


def transaction_list(*, user: Any, filters: ListFilter | None = None, **values: Any) -> QuerySet[Transaction]:
    records = restrict(Transaction.objects.select_related("project"), user, Action.VIEW)
    return TransactionFilter.apply(records, filters or values)


def obligation_list(
    *, user: Any, filters: ListFilter | None = None, **values: Any
) -> QuerySet[ReportingObligation]:
    records = restrict(ReportingObligation.objects.select_related("project", "partner"), user, Action.VIEW)
    return ObligationFilter.apply(records, filters or values)


def funding_list(*, user: Any, filters: ListFilter | None = None, **values: Any) -> QuerySet[Funding]:
    """Contributions the user may view (those of projects they may view), narrowed by
    `filters.FundingRecordFilter`: the contributions page, its export and the API list."""
    records = restrict(
        Funding.objects.select_related("project", "project__region", "source", "partner"), user, Action.VIEW
    )
    return FundingRecordFilter.apply(records, filters or values).order_by("project__code", "signed_on", "pk")


# A partner: contributions by year, region and project; agreements ----------------------------------


def partner_get(*, user: Any, pk: int) -> Partner:
    return restrict(Partner.objects.select_related("country"), user, Action.VIEW).get(pk=pk)


@dataclass(frozen=True)
class ContributionTotal:
    """One line of a partner page's totals: its label, the filter values of the contributions behind
    it (`funding_list` with `partner` and these gives exactly them), their count and CHF total."""

    label: str
    params: dict[str, str]
    count: int
    chf: Decimal


@dataclass
class PartnerContributions:
    by_year: list[ContributionTotal]
    by_region: list[ContributionTotal]
    by_project: list[ContributionTotal]
    count: int
    total_chf: Decimal
    unconverted: int  # contributions in a currency without a rate on their date, in no total


def partner_contributions(*, user: Any, partner: Partner) -> PartnerContributions:
    """The partner's contributions the user may view, in CHF per year of signature, per region of the
    project and per project: summed in the database (`chf_totals`, Table 1's conversion at the rate
    valid on the signature date), a few queries whatever the number of records."""
    book = RateBook.load()
    fundings = funding_list(user=user, partner=partner.pk).annotate(signed_year=ExtractYear("signed_on"))

    def totals(fields: tuple[str, ...], order: tuple[str, ...], param: str) -> list[ContributionTotal]:
        chf = chf_totals(fundings, *fields, rates=book)
        counts = fundings.order_by().values(*fields).annotate(n=Count("pk")).order_by(*order)
        return [
            ContributionTotal(
                label=" ".join(str(entry[name]) for name in fields),
                params={param: str(entry[fields[0]])},
                count=entry["n"],
                chf=chf.get(tuple(entry[name] for name in fields), Decimal(0)),
            )
            for entry in counts
        ]

    by_year = totals(("signed_year",), ("signed_year",), "year")
    return PartnerContributions(
        by_year=by_year,
        by_region=totals(
            ("project__region__code",),
            ("-project__region__is_geographic", "project__region__sort_order", "project__region__code"),
            "region",
        ),
        by_project=totals(("project__code", "project__title"), ("project__code",), "project"),
        count=sum(line.count for line in by_year),
        total_chf=sum((line.chf for line in by_year), Decimal(0)),
        unconverted=unconverted_fundings(fundings).count(),
    )


def agreement_list(
    *, user: Any, filters: ListFilter | None = None, **values: Any
) -> QuerySet[FundingAgreement]:
    """Funding agreements (everybody reads them, like partners), narrowed by `filters.AgreementFilter`;
    each with the linked projects the user may view (`visible_projects`)."""
    agreements = restrict(FundingAgreement.objects.select_related("partner"), user, Action.VIEW)
    visible = restrict(Project.objects.select_related("region"), user, Action.VIEW).order_by("code")
    return AgreementFilter.apply(agreements, filters or values).prefetch_related(
        Prefetch("projects", queryset=visible, to_attr="visible_projects")
    )


def agreement_get(*, user: Any, pk: int) -> FundingAgreement:
    return restrict(FundingAgreement.objects.select_related("partner"), user, Action.VIEW).get(pk=pk)


def agreement_projects(*, user: Any, agreement: FundingAgreement) -> QuerySet[Project]:
    """The projects the agreement links that the user may view."""
    return restrict(agreement.projects.select_related("region"), user, Action.VIEW).order_by("code")


def agreement_writable(user: Any, agreement: FundingAgreement, action: Action = Action.CHANGE) -> bool:
    """Whether the user may change (or delete) the agreement: the services' rule, for the buttons."""
    return can(user, action, agreement) and all(
        can(user, Action.CHANGE, project) for project in agreement.projects.all()
    )
