"""Writes to projects and everything attached to them; every write checks access and invariants first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext as _

from presence.core.errors import InvalidTransition
from presence.core.models import AuditEntry, TrackedModel
from presence.core.services import Actor, only_fields, tracked_create, tracked_delete, tracked_update
from presence.core.years import check_year
from presence.org.access import Action, check
from presence.org.models import Country
from presence.org.writes import checked_create, checked_delete, checked_update
from presence.portfolio.models import (
    Budget,
    ExchangeRate,
    Funding,
    FundingAgreement,
    FundingSource,
    Partner,
    Project,
    ProjectCountry,
    RegionalInitiative,
    ReportingObligation,
    Transaction,
)
from presence.portfolio.rates import RateBook, rate_problem

M = TypeVar("M", bound=TrackedModel)

# Records of other apps that sit where their project sits (results' indicators and quarterly reviews)
# keep their own copy of its region and lead office. Such an app registers a follower when it is
# ready (portfolio imports none of them); project_update calls every follower after a move, in the
# same transaction and for the same user, so the records move with the project or nothing does.
ProjectFollower = Callable[[Actor, Project], None]
_FOLLOWERS: list[ProjectFollower] = []


def follow_project_moves(follower: ProjectFollower) -> None:
    """Call `follower(actor, project)` whenever a project moves to another region or lead office."""
    if follower not in _FOLLOWERS:
        _FOLLOWERS.append(follower)


PROJECT_FIELDS = (
    "code",
    "title",
    "description",
    "status",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "lead_office",
    "region",
    "kap_priority",
    "regional_initiative",
    "manager_name",
    "manager_location",
    "currency",
)
FUNDING_FIELDS = ("source", "partner", "amount", "currency", "signed_on")
BUDGET_FIELDS = ("year", "amount", "currency")
TRANSACTION_FIELDS = ("kind", "date", "amount", "currency", "description")
OBLIGATION_FIELDS = ("title", "partner", "due_on", "submitted_on")
RATE_FIELDS = ("currency", "valid_from", "rate_to_chf")
PARTNER_FIELDS = ("name", "organisation_type", "iati_identifier", "country")
SOURCE_FIELDS = ("code", "name", "name_translations", "kind", "sort_order")
INITIATIVE_FIELDS = ("cycle", "region", "code", "title")
AGREEMENT_FIELDS = (
    "partner",
    "reference",
    "title",
    "status",
    "signed_on",
    "amount",
    "currency",
    "reporting_obligations",
    "reporting_frequency",
    "next_report_due",
    "projects",
)


def _require_rate(currency: str, on: dt.date | None) -> None:
    """An amount must be convertible to CHF at its date: refuse it while no rate covers that date."""
    if not currency or on is None or len(currency) != 3:
        return
    problem = rate_problem(RateBook.for_currencies([currency]), currency, on)
    if problem is not None:
        raise ValidationError({"currency": problem})


def _check_project_invariants(project: Project) -> None:
    if project.regional_initiative_id and project.region_id:
        initiative = project.regional_initiative
        if initiative is not None and initiative.region_id != project.region_id:
            raise ValidationError(
                {
                    "regional_initiative": _(
                        "The regional initiative belongs to another region than the project."
                    )
                }
            )


# Projects ----------------------------------------------------------------------------------------


@transaction.atomic
def project_create(*, actor: Actor, is_demo: bool = False, **fields: Any) -> Project:
    only_fields(fields, PROJECT_FIELDS)
    draft = Project(**fields)
    check(actor, Action.ADD, draft)
    _check_project_invariants(draft)
    return tracked_create(model=Project, actor=actor, data={**fields, "is_demo": is_demo})


@transaction.atomic
def project_update(
    *,
    actor: Actor,
    project: Project,
    expected_version: int | None,
    reason: str = "",
    action: str = AuditEntry.Action.UPDATE,
    **fields: Any,
) -> Project:
    """Change a project (and move what follows it); an import passes its own `action` and `reason`."""
    only_fields(fields, PROJECT_FIELDS)
    check(actor, Action.CHANGE, project)
    if "region" in fields or "lead_office" in fields:
        # Moving a project is a change in both its old and its new place.
        moved = Project(
            region=fields.get("region", project.region),
            lead_office=fields.get("lead_office", project.lead_office),
        )
        check(actor, Action.CHANGE, moved)
    draft = Project(**{**{name: getattr(project, name) for name in PROJECT_FIELDS}, **fields})
    _check_project_invariants(draft)
    place = (project.region_id, project.lead_office_id)
    project = tracked_update(
        instance=project,
        actor=actor,
        data=fields,
        expected_version=expected_version,
        reason=reason,
        action=action,
    )
    if (project.region_id, project.lead_office_id) != place:
        for follower in _FOLLOWERS:
            follower(actor, project)
    return project


@transaction.atomic
def project_delete(*, actor: Actor, project: Project, expected_version: int | None) -> None:
    checked_delete(project, actor=actor, expected_version=expected_version)


def country_share_problem(countries: Sequence[tuple[Country, Decimal | None]]) -> tuple[str, str] | None:
    """(field, message) when a project's recipient countries and their shares are not valid: a country
    listed twice, a percentage outside 0-100, percentages given for some countries only or not
    totalling 100. The rule of `project_countries_set` and of the IATI import's plan."""
    seen: set[int] = set()
    for country, percentage in countries:
        if country.pk in seen:
            return "country", _("%(country)s is listed twice.") % {"country": country}
        seen.add(country.pk)
        if percentage is not None and not (Decimal(0) <= percentage <= Decimal(100)):
            return "percentage", _("A percentage lies between 0 and 100.")
    given = [percentage for _country, percentage in countries if percentage is not None]
    if given and len(given) != len(countries):
        return "percentage", _("Give a percentage for every country, or for none.")
    if given and sum(given, Decimal(0)) != Decimal(100):
        return "percentage", _("The country percentages total %(total)s; they must total 100.") % {
            "total": sum(given, Decimal(0))
        }
    return None


@transaction.atomic
def project_countries_set(
    *, actor: Actor, project: Project, countries: Sequence[tuple[Country, Decimal | None]]
) -> list[ProjectCountry]:
    """Replace a project's recipient countries in one step; given percentages must total 100."""
    check(actor, Action.CHANGE, project)
    problem = country_share_problem(countries)
    if problem is not None:
        raise ValidationError({problem[0]: problem[1]})
    for existing in list(ProjectCountry.objects.filter(project=project)):
        tracked_delete(instance=existing, actor=actor, expected_version=None)
    return [
        tracked_create(
            model=ProjectCountry,
            actor=actor,
            data={"project": project, "country": country, "percentage": percentage},
        )
        for country, percentage in countries
    ]


# Records attached to a project -------------------------------------------------------------------


def _child_create(
    model: type[M], *, actor: Actor, project: Project, data: dict[str, Any], dated: str = ""
) -> M:
    check(actor, Action.ADD, model(project=project, **data))
    if dated:
        _require_rate(data.get("currency", "CHF"), data.get(dated))
    return tracked_create(model=model, actor=actor, data={"project": project, **data})


def _child_update(
    instance: M, *, actor: Actor, expected_version: int | None, data: dict[str, Any], dated: str = ""
) -> M:
    check(actor, Action.CHANGE, instance)
    if dated:
        _require_rate(
            data.get("currency", getattr(instance, "currency", "CHF")),
            data.get(dated, getattr(instance, dated)),
        )
    return tracked_update(instance=instance, actor=actor, data=data, expected_version=expected_version)


def _child_delete(instance: TrackedModel, *, actor: Actor, expected_version: int | None) -> None:
    checked_delete(instance, actor=actor, expected_version=expected_version)


@transaction.atomic
def funding_create(
    *,
    actor: Actor,
    project: Project,
    source: FundingSource,
    amount: Decimal,
    currency: str,
    signed_on: dt.date,
    partner: Partner | None = None,
) -> Funding:
    data = {
        "source": source,
        "partner": partner,
        "amount": amount,
        "currency": currency,
        "signed_on": signed_on,
    }
    return _child_create(Funding, actor=actor, project=project, data=data, dated="signed_on")


@transaction.atomic
def funding_update(*, actor: Actor, funding: Funding, expected_version: int | None, **fields: Any) -> Funding:
    only_fields(fields, FUNDING_FIELDS)
    return _child_update(
        funding, actor=actor, expected_version=expected_version, data=fields, dated="signed_on"
    )


@transaction.atomic
def funding_delete(*, actor: Actor, funding: Funding, expected_version: int | None) -> None:
    _child_delete(funding, actor=actor, expected_version=expected_version)


@transaction.atomic
def budget_create(*, actor: Actor, project: Project, year: int, amount: Decimal, currency: str) -> Budget:
    check(actor, Action.ADD, Budget(project=project))
    year = check_year(year)
    if Budget.objects.filter(project=project, year=year).exists():
        raise ValidationError({"year": _("This project already has a budget for %(year)s.") % {"year": year}})
    # A budget is converted at the rate valid on 1 January of its year.
    _require_rate(currency, dt.date(year, 1, 1))
    return tracked_create(
        model=Budget,
        actor=actor,
        data={"project": project, "year": year, "amount": amount, "currency": currency},
    )


@transaction.atomic
def budget_update(*, actor: Actor, budget: Budget, expected_version: int | None, **fields: Any) -> Budget:
    only_fields(fields, BUDGET_FIELDS)
    check(actor, Action.CHANGE, budget)
    year = check_year(fields.get("year", budget.year))
    if Budget.objects.filter(project=budget.project, year=year).exclude(pk=budget.pk).exists():
        raise ValidationError({"year": _("This project already has a budget for %(year)s.") % {"year": year}})
    _require_rate(fields.get("currency", budget.currency), dt.date(year, 1, 1))
    return tracked_update(instance=budget, actor=actor, data=fields, expected_version=expected_version)


@transaction.atomic
def budget_delete(*, actor: Actor, budget: Budget, expected_version: int | None) -> None:
    _child_delete(budget, actor=actor, expected_version=expected_version)


@transaction.atomic
def transaction_create(
    *,
    actor: Actor,
    project: Project,
    kind: str,
    date: dt.date,
    amount: Decimal,
    currency: str,
    description: str = "",
) -> Transaction:
    data = {"kind": kind, "date": date, "amount": amount, "currency": currency, "description": description}
    return _child_create(Transaction, actor=actor, project=project, data=data, dated="date")


@transaction.atomic
def transaction_update(
    *, actor: Actor, transaction_record: Transaction, expected_version: int | None, **fields: Any
) -> Transaction:
    only_fields(fields, TRANSACTION_FIELDS)
    return _child_update(
        transaction_record, actor=actor, expected_version=expected_version, data=fields, dated="date"
    )


@transaction.atomic
def transaction_delete(
    *, actor: Actor, transaction_record: Transaction, expected_version: int | None
) -> None:
    _child_delete(transaction_record, actor=actor, expected_version=expected_version)


@transaction.atomic
def obligation_create(
    *,
    actor: Actor,
    project: Project,
    due_on: dt.date,
    title: str = "Financial report",
    partner: Partner | None = None,
    submitted_on: dt.date | None = None,
) -> ReportingObligation:
    data = {"title": title, "partner": partner, "due_on": due_on, "submitted_on": submitted_on}
    return _child_create(ReportingObligation, actor=actor, project=project, data=data)


@transaction.atomic
def obligation_update(
    *, actor: Actor, obligation: ReportingObligation, expected_version: int | None, **fields: Any
) -> ReportingObligation:
    only_fields(fields, OBLIGATION_FIELDS)
    return _child_update(obligation, actor=actor, expected_version=expected_version, data=fields)


@transaction.atomic
def obligation_delete(*, actor: Actor, obligation: ReportingObligation, expected_version: int | None) -> None:
    _child_delete(obligation, actor=actor, expected_version=expected_version)


# Shared lists: exchange rates, partners, funding sources, regional initiatives -----------------------


@transaction.atomic
def exchange_rate_create(
    *, actor: Actor, currency: str, valid_from: dt.date, rate_to_chf: Decimal
) -> ExchangeRate:
    data = {"currency": currency, "valid_from": valid_from, "rate_to_chf": rate_to_chf}
    check(actor, Action.ADD, ExchangeRate(**data))
    if ExchangeRate.objects.filter(currency=currency, valid_from=valid_from).exists():
        raise ValidationError({"valid_from": _("%(currency)s already has a rate from this date.") % data})
    return tracked_create(model=ExchangeRate, actor=actor, data=data)


def _amounts_before(currency: str, earliest: dt.date | None) -> int:
    """How many amounts in `currency` are dated before `earliest` (all of them when there is no rate)."""
    if currency == "CHF":
        return 0
    fundings = Funding.objects.filter(currency=currency)
    transactions = Transaction.objects.filter(currency=currency)
    budgets = Budget.objects.filter(currency=currency)
    if earliest is not None:
        fundings = fundings.filter(signed_on__lt=earliest)
        transactions = transactions.filter(date__lt=earliest)
        # A budget converts at 1 January of its year.
        budgets = budgets.filter(
            year__lt=earliest.year + (0 if (earliest.month, earliest.day) == (1, 1) else 1)
        )
    return fundings.count() + transactions.count() + budgets.count()


def _stranded(rate: ExchangeRate, replacement: dt.date | None) -> int:
    """Amounts in the rate's currency that lose their rate when it goes (or moves to `replacement`)."""
    rates = ExchangeRate.objects.filter(currency=rate.currency)
    before = rates.aggregate(first=Min("valid_from"))["first"]
    dates = [*rates.exclude(pk=rate.pk).values_list("valid_from", flat=True)]
    if replacement is not None:
        dates.append(replacement)
    after = min(dates, default=None)
    return _amounts_before(rate.currency, after) - _amounts_before(rate.currency, before)


@transaction.atomic
def exchange_rate_update(
    *, actor: Actor, rate: ExchangeRate, expected_version: int | None, **fields: Any
) -> ExchangeRate:
    """Change a rate; refused when it would leave recorded amounts without a rate for their date."""
    only_fields(fields, RATE_FIELDS)
    check(actor, Action.CHANGE, rate)
    currency = fields.get("currency", rate.currency)
    valid_from = fields.get("valid_from", rate.valid_from)
    if ExchangeRate.objects.filter(currency=currency, valid_from=valid_from).exclude(pk=rate.pk).exists():
        raise ValidationError(
            {"valid_from": _("%(currency)s already has a rate from this date.") % {"currency": currency}}
        )
    stranded = _stranded(rate, valid_from if currency == rate.currency else None)
    if stranded > 0:
        raise ValidationError(
            {
                "currency" if currency != rate.currency else "valid_from": _(
                    "%(n)d recorded amounts in %(currency)s would have no exchange rate for their date."
                )
                % {"n": stranded, "currency": rate.currency}
            }
        )
    return tracked_update(instance=rate, actor=actor, data=fields, expected_version=expected_version)


@transaction.atomic
def exchange_rate_delete(*, actor: Actor, rate: ExchangeRate, expected_version: int | None) -> None:
    """Delete a rate; refused when recorded amounts would be left without a rate for their date."""
    check(actor, Action.DELETE, rate)
    stranded = _stranded(rate, None)
    if stranded > 0:
        raise InvalidTransition(
            _(
                "%(n)d recorded amounts in %(currency)s are converted with this rate and no earlier one; "
                "add an earlier rate or change those amounts first."
            )
            % {"n": stranded, "currency": rate.currency}
        )
    tracked_delete(instance=rate, actor=actor, expected_version=expected_version)


def _refuse_if_used(record: TrackedModel, uses: dict[str, int]) -> None:
    """Refuse deleting a list entry that records still point to (InvalidTransition, 409 in the API)."""
    used = {label: n for label, n in uses.items() if n}
    if used:
        raise InvalidTransition(
            _("%(record)s is still used by %(uses)s; change those records first.")
            % {"record": record, "uses": ", ".join(f"{n} {label}" for label, n in used.items())}
        )


@transaction.atomic
def partner_create(*, actor: Actor, **fields: Any) -> Partner:
    return checked_create(Partner, actor=actor, data=fields, fields=PARTNER_FIELDS)


@transaction.atomic
def partner_update(*, actor: Actor, partner: Partner, expected_version: int | None, **fields: Any) -> Partner:
    return checked_update(
        partner, actor=actor, data=fields, fields=PARTNER_FIELDS, expected_version=expected_version
    )


@transaction.atomic
def partner_delete(*, actor: Actor, partner: Partner, expected_version: int | None) -> None:
    check(actor, Action.DELETE, partner)
    _refuse_if_used(
        partner,
        {
            _("contributions"): Funding.objects.filter(partner=partner).count(),
            _("reporting obligations"): ReportingObligation.objects.filter(partner=partner).count(),
            _("funding agreements"): FundingAgreement.objects.filter(partner=partner).count(),
        },
    )
    tracked_delete(instance=partner, actor=actor, expected_version=expected_version)


@transaction.atomic
def funding_source_create(*, actor: Actor, **fields: Any) -> FundingSource:
    return checked_create(FundingSource, actor=actor, data=fields, fields=SOURCE_FIELDS)


@transaction.atomic
def funding_source_update(
    *, actor: Actor, source: FundingSource, expected_version: int | None, **fields: Any
) -> FundingSource:
    return checked_update(
        source, actor=actor, data=fields, fields=SOURCE_FIELDS, expected_version=expected_version
    )


@transaction.atomic
def funding_source_delete(*, actor: Actor, source: FundingSource, expected_version: int | None) -> None:
    check(actor, Action.DELETE, source)
    _refuse_if_used(source, {_("contributions"): Funding.objects.filter(source=source).count()})
    tracked_delete(instance=source, actor=actor, expected_version=expected_version)


@transaction.atomic
def regional_initiative_create(*, actor: Actor, **fields: Any) -> RegionalInitiative:
    return checked_create(RegionalInitiative, actor=actor, data=fields, fields=INITIATIVE_FIELDS)


@transaction.atomic
def regional_initiative_update(
    *, actor: Actor, initiative: RegionalInitiative, expected_version: int | None, **fields: Any
) -> RegionalInitiative:
    only_fields(fields, INITIATIVE_FIELDS)
    check(actor, Action.CHANGE, initiative)
    region = fields.get("region")
    if region is not None and region.pk != initiative.region_id:
        check(actor, Action.CHANGE, RegionalInitiative(region=region))
        elsewhere = initiative.projects.exclude(region=region).count()
        if elsewhere:
            raise ValidationError(
                {
                    "region": _("%(n)d projects of another region belong to this initiative.")
                    % {"n": elsewhere}
                }
            )
    return tracked_update(instance=initiative, actor=actor, data=fields, expected_version=expected_version)


@transaction.atomic
def regional_initiative_delete(
    *, actor: Actor, initiative: RegionalInitiative, expected_version: int | None
) -> None:
    check(actor, Action.DELETE, initiative)
    _refuse_if_used(initiative, {_("projects"): initiative.projects.count()})
    tracked_delete(instance=initiative, actor=actor, expected_version=expected_version)


# Funding agreements: a partner's, linking projects ---------------------------------------------------


def agreement_problems(agreement: FundingAgreement) -> dict[str, str]:
    """Field -> message for each rule a funding agreement breaks ({} when none): an agreement no longer
    in negotiation has a signature date; the next report is not due before the signature; the amount
    converts to CHF at the signature date. Every write of an agreement (`agreement_create`, `_update`)
    checks them on the record as it would be saved."""
    problems: dict[str, str] = {}
    if agreement.status != FundingAgreement.Status.NEGOTIATION and agreement.signed_on is None:
        problems["signed_on"] = _("Give the signature date of a signed agreement.")
    if agreement.signed_on and agreement.next_report_due and agreement.next_report_due < agreement.signed_on:
        problems["next_report_due"] = _("The next report cannot be due before the signature date.")
    if agreement.currency and agreement.signed_on and "currency" not in problems:
        problem = rate_problem(
            RateBook.for_currencies([agreement.currency]), agreement.currency, agreement.signed_on
        )
        if problem is not None:
            problems["currency"] = problem
    return problems


def _refuse_problems(agreement: FundingAgreement) -> None:
    problems = agreement_problems(agreement)
    if problems:
        raise ValidationError(problems)


def _check_projects(actor: Actor, projects: Iterable[Project]) -> None:
    """Linking or unlinking a project is a change of that project: refused where the actor may not
    change it (an editor of one region links that region's projects only)."""
    for linked in projects:
        check(actor, Action.CHANGE, linked)


@transaction.atomic
def agreement_create(*, actor: Actor, projects: Iterable[Project] = (), **fields: Any) -> FundingAgreement:
    """Record a funding agreement; its rules are `models.agreement_problems` (checked on save)."""
    only_fields(fields, AGREEMENT_FIELDS)
    draft = FundingAgreement(**fields)
    check(actor, Action.ADD, draft)
    _refuse_problems(draft)
    linked = list(projects)
    _check_projects(actor, linked)
    return tracked_create(model=FundingAgreement, actor=actor, data={**fields, "projects": linked})


@transaction.atomic
def agreement_update(
    *, actor: Actor, agreement: FundingAgreement, expected_version: int | None, **fields: Any
) -> FundingAgreement:
    """Change an agreement: allowed to whoever may change every project it links, before and after."""
    only_fields(fields, AGREEMENT_FIELDS)
    check(actor, Action.CHANGE, agreement)
    _check_projects(actor, agreement.projects.all())
    if fields.get("projects") is not None:
        fields["projects"] = list(fields["projects"])
        _check_projects(actor, fields["projects"])
    plain = {name: value for name, value in fields.items() if name != "projects"}
    _refuse_problems(
        FundingAgreement(**{**{n: getattr(agreement, n) for n in AGREEMENT_FIELDS[:-1]}, **plain})
    )
    return tracked_update(instance=agreement, actor=actor, data=fields, expected_version=expected_version)


@transaction.atomic
def agreement_delete(*, actor: Actor, agreement: FundingAgreement, expected_version: int | None) -> None:
    check(actor, Action.DELETE, agreement)
    _check_projects(actor, agreement.projects.all())
    tracked_delete(instance=agreement, actor=actor, expected_version=expected_version)
