"""The portfolio's lists, each declared once: its filters (page, CSV/XLSX export and API) and its export.

See `core/filtering.py`. The selectors apply these after `org.access.restrict`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters as df
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from presence.core.exports import Column
from presence.core.filtering import CodeFilter, Export, FlagFilter, ListFilter, YearFilter, by_code
from presence.core.forms import CodeInput, with_defaults
from presence.org.filters import priority_codes
from presence.org.models import Office, Region
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

YEAR_HELP = _("Projects on-going in that year (see the definition in the documentation).")
NOT_RUNNING = (Project.Status.PIPELINE, Project.Status.CANCELLED)


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


# Projects ---------------------------------------------------------------------------------------------


class ProjectFilter(ListFilter):
    q = df.CharFilter(label=_("Search"), method="search")
    region = by_code(Region, _("Region"), field_name="region")
    office = by_code(Office, _("Lead office"), field_name="lead_office")
    status = df.ChoiceFilter(label=_("Status"), choices=Project.Status.choices, empty_label=_("Any"))
    source = by_code(FundingSource, _("Funding source"), method="funded_by_source")
    partner = df.ModelChoiceFilter(
        label=_("Partner"), queryset=Partner.objects.all(), method="funded_by_partner"
    )
    year = YearFilter(label=_("On-going in year"), help_text=YEAR_HELP, method="ongoing")
    initiative = df.ModelChoiceFilter(
        label=_("Regional initiative"),
        queryset=RegionalInitiative.objects.select_related("region"),
        field_name="regional_initiative",
    )
    priority = CodeFilter(label=_("KAP priority"), codes=priority_codes, field_name="kap_priority__code")

    class Meta:
        model = Project
        fields: list[str] = []

    export = Export(
        filename="projects",
        title=_("Projects"),
        columns=[
            Column("code", _("Code")),
            Column("title", _("Title")),
            Column("region", _("Region")),
            Column("lead_office", _("Lead office")),
            Column("status", _("Status")),
            Column("start", _("Start")),
            Column("end", _("End")),
            Column("kap_priority", _("KAP priority")),
            Column("regional_initiative", _("Regional initiative")),
            Column("manager", _("Project manager")),
            Column("manager_location", _("Manager based")),
            Column("funding_kchf", _("Funding (k CHF)"), "#,##0.0"),
            Column("is_demo", _("Demo data")),
        ],
    )

    def search(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        return queryset.filter(
            Q(code__icontains=value) | Q(title__icontains=value) | Q(manager_name__icontains=value)
        )

    def funded_by_source(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet[Project]:
        return queryset.filter(pk__in=Funding.objects.filter(source=value).values("project"))

    def funded_by_partner(self, queryset: QuerySet[Project], name: str, value: Any) -> QuerySet[Project]:
        return queryset.filter(pk__in=Funding.objects.filter(partner=value).values("project"))

    def ongoing(self, queryset: QuerySet[Project], name: str, value: int) -> QuerySet[Project]:
        return ongoing_in_year(queryset, value)


# Funding: the contributions behind a Table 1 cell -----------------------------------------------------


# The columns of a list of contributions (`views._common.funding_rows` writes them), Table 1's or as recorded.
FUNDING_COLUMNS = [
    Column("project", _("Project")),
    Column("region", _("Region")),
    Column("source", _("Funding source")),
    Column("partner", _("Partner")),
    Column("signed_on", _("Signed on")),
    Column("amount", _("Amount"), "#,##0.00"),
    Column("currency", _("Currency")),
    Column("chf", _("Amount (CHF)"), "#,##0.00"),
]


class FundingFilter(ListFilter):
    """The contributions behind a Table 1 cell: year (Table 1 is per year: the current one unless the
    link names another), region, kind of source, one source."""

    year = YearFilter(label=_("Year"), help_text=YEAR_HELP, required=True, method="table1_year")
    region = by_code(Region, _("Region"), field_name="project__region")
    kind = df.ChoiceFilter(
        label=_("Kind of source"),
        choices=FundingSource.Kind.choices,
        field_name="source__kind",
        empty_label=_("Any"),
    )
    source = by_code(FundingSource, _("Funding source"), field_name="source")

    class Meta:
        model = Funding
        fields: list[str] = []

    export = Export(
        filename="funding",
        title=_("Funding"),
        columns=FUNDING_COLUMNS,
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(with_defaults(data, year=timezone.localdate().year), *args, **kwargs)

    def table1_year(self, queryset: QuerySet[Funding], name: str, value: int) -> QuerySet[Funding]:
        """Table 1 counts, for every project on-going in the year, every contribution signed by its end."""
        projects = ongoing_in_year(Project.objects.all(), value)
        return queryset.filter(project__in=projects.values("pk"), signed_on__lte=dt.date(value, 12, 31))


# Records of projects (the API's lists) -----------------------------------------------------------------


NO_SUCH_PROJECT = {"invalid_choice": _("No project has the code %(value)s.")}


def _project() -> df.ModelChoiceFilter:
    return by_code(
        Project, _("Project code"), field_name="project", widget=CodeInput, error_messages=NO_SUCH_PROJECT
    )


class FundingRecordFilter(ListFilter):
    """Contributions as recorded (the contributions page and the API): by project, source, partner, the
    project's region and the year of signature. A partner page's totals link here."""

    project = _project()
    source = by_code(FundingSource, _("Funding source"), field_name="source")
    partner = df.ModelChoiceFilter(label=_("Partner"), queryset=Partner.objects.all(), field_name="partner")
    region = by_code(Region, _("Region"), field_name="project__region")
    year = YearFilter(label=_("Signed in year"), field_name="signed_on__year")

    class Meta:
        model = Funding
        fields: list[str] = []

    export = Export(
        filename="contributions",
        title=_("Contributions"),
        columns=FUNDING_COLUMNS,
    )


class BudgetFilter(ListFilter):
    project = _project()
    year = YearFilter(label=_("Year"), field_name="year")

    class Meta:
        model = Budget
        fields: list[str] = []


class TransactionFilter(ListFilter):
    project = _project()
    kind = df.ChoiceFilter(label=_("Kind"), choices=Transaction.Kind.choices, field_name="kind")
    year = YearFilter(label=_("Year"), field_name="date__year")

    class Meta:
        model = Transaction
        fields: list[str] = []


class ObligationFilter(ListFilter):
    project = _project()
    overdue = FlagFilter(label=_("Overdue only"), method="overdue_only")

    class Meta:
        model = ReportingObligation
        fields: list[str] = []

    def overdue_only(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        return queryset.filter(submitted_on__isnull=True, due_on__lt=timezone.localdate())


# Shared lists ---------------------------------------------------------------------------------------------


class PartnerFilter(ListFilter):
    q = df.CharFilter(label=_("Name contains"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = Partner
        fields: list[str] = []


class AgreementFilter(ListFilter):
    q = df.CharFilter(label=_("Search"), method="search")
    partner = df.ModelChoiceFilter(label=_("Partner"), queryset=Partner.objects.all(), field_name="partner")
    project = by_code(
        Project, _("Project code"), method="linking_project", widget=CodeInput, error_messages=NO_SUCH_PROJECT
    )
    region = by_code(Region, _("Region"), method="in_region")
    status = df.ChoiceFilter(
        label=_("Status"), choices=FundingAgreement.Status.choices, field_name="status", empty_label=_("Any")
    )
    currency = df.CharFilter(label=_("Currency"), field_name="currency", lookup_expr="iexact")
    year = YearFilter(label=_("Signed in year"), field_name="signed_on__year")

    class Meta:
        model = FundingAgreement
        fields: list[str] = []

    export = Export(
        filename="funding-agreements",
        title=_("Funding agreements"),
        columns=[
            Column("reference", _("Reference")),
            Column("title", _("Title")),
            Column("partner", _("Partner")),
            Column("status", _("Status")),
            Column("signed_on", _("Signed on")),
            Column("amount", _("Amount"), "#,##0.00"),
            Column("currency", _("Currency")),
            Column("reporting_frequency", _("Reporting frequency")),
            Column("next_report_due", _("Next report due")),
            Column("reporting_obligations", _("Reporting obligations")),
            Column("projects", _("Projects")),
        ],
    )

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))

    def linking_project(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset.filter(pk__in=FundingAgreement.objects.filter(projects=value).values("pk"))

    def in_region(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        """Agreements linking at least one project of the region."""
        return queryset.filter(pk__in=FundingAgreement.objects.filter(projects__region=value).values("pk"))


class ExchangeRateFilter(ListFilter):
    currency = df.CharFilter(label=_("Currency"), field_name="currency", lookup_expr="iexact")

    class Meta:
        model = ExchangeRate
        fields: list[str] = []


class RegionalInitiativeFilter(ListFilter):
    region = by_code(Region, _("Region"), field_name="region")
    cycle = YearFilter(label=_("Cycle"), field_name="cycle")

    class Meta:
        model = RegionalInitiative
        fields: list[str] = []
