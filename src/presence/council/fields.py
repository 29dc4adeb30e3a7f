"""Live figures: the fixed, safe vocabulary of named fields a Council text may hold.

A text names a field as `{{name arg=value ...}}`, for example `{{projects_ongoing year=2023}}`. Each field
is computed by the same selectors as the dashboard (`presence.dashboard.selectors`) or, for figures the
dashboard does not show, by the domain selectors its pages use, and carries the link to the list of
records behind it. Nothing else of a text is evaluated: there is no template engine, only this table.

Every field also takes the display arguments `round=N` (to the nearest multiple of N), `floor=N` (down
to a multiple of N, for "over 1 500"), `words=yes` (whole numbers up to 999 in words, in English) and
`decimals=N`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from presence.core import formatting
from presence.core.years import YEAR_MAX, YEAR_MIN
from presence.dashboard import selectors as dashboard_selectors
from presence.dashboard.filters import DashboardFilters
from presence.dashboard.selectors import Dashboard, drill
from presence.engagement import selectors as engagement
from presence.resilience import selectors as resilience
from presence.staffing import selectors as staffing


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "year", "date", "int" or "choice"
    required: bool = False
    choices: tuple[str, ...] = ()


DISPLAY_PARAMS = (
    Param("round", "int"),
    Param("floor", "int"),
    Param("decimals", "int"),
    Param("words", "choice", choices=("yes", "no")),
)
PERIOD = (Param("year", "year"), Param("from", "date"), Param("to", "date"))


class Live:
    """Computes figures from the records for one reader, each dashboard year once."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.now = timezone.now()
        self._dashboards: dict[int, Dashboard] = {}

    def dashboard(self, year: int) -> Dashboard:
        if year not in self._dashboards:
            self._dashboards[year] = dashboard_selectors.dashboard(
                user=self.user, filters=DashboardFilters(year=year), mode="region", links=True
            )
        return self._dashboards[year]

    def figure(self, year: int, key: str) -> dashboard_selectors.Figure:
        for section in self.dashboard(year).sections:
            for figure in section.figures:
                if figure.key == key:
                    return figure
        raise LookupError(key)


def result(value: Any, url: str, unit: str = "", when: dt.datetime | None = None) -> dict[str, Any]:
    """A computed figure as stored on an approved version (JSON: the value as a decimal string)."""
    return {
        "value": None if value is None else str(value),
        "unit": unit,
        "url": url,
        "computed_at": (when or timezone.now()).isoformat(),
    }


def period_of(args: dict[str, Any]) -> tuple[dt.date, dt.date]:
    if "year" in args:
        return dt.date(args["year"], 1, 1), dt.date(args["year"], 12, 31)
    return args["from"], args["to"]


def _dates(args: dict[str, Any]) -> dict[str, str]:
    start, end = period_of(args)
    return {"start": start.isoformat(), "end": end.isoformat()}


def _dashboard_figure(
    key: str, *, scale: Decimal | None = None
) -> Callable[[Live, dict[str, Any]], dict[str, Any]]:
    def compute(live: Live, args: dict[str, Any]) -> dict[str, Any]:
        figure = live.figure(args["year"], key)
        value = figure.value
        unit = figure.unit
        # Dashboard amounts are exact; a version keeps them as the dashboard shows them (one decimal),
        # rounded once from the exact figure, in CHF million from the exact k CHF.
        if scale is not None and value is not None:
            value = formatting.rounded(Decimal(value) / scale, 1)
            unit = "CHF million"
        elif isinstance(value, Decimal):
            value = formatting.rounded(value, 1)
        return result(value, figure.url, unit, figure.as_of)

    return compute


def _projects_value(live: Live, args: dict[str, Any]) -> dict[str, Any]:
    scale = Decimal(1000) if args.get("in", "million") == "million" else None
    return _dashboard_figure("funding", scale=scale)(live, args)


def _forums(live: Live, args: dict[str, Any]) -> dict[str, Any]:
    start, end = period_of(args)
    count = engagement.event_list(user=live.user, kind="forum", start=start, end=end).count()
    return result(count, drill("engagement:event-list", kind="forum", **_dates(args)))


def _participants(kind: str) -> Callable[[Live, dict[str, Any]], dict[str, Any]]:
    def compute(live: Live, args: dict[str, Any]) -> dict[str, Any]:
        start, end = period_of(args)
        total = engagement.participation_summary(user=live.user, kind=kind, start=start, end=end)[-1]
        return result(total.participants, drill("engagement:event-list", kind=kind, **_dates(args)))

    return compute


def _stakeholders(live: Live, args: dict[str, Any]) -> dict[str, Any]:
    start, end = period_of(args)
    count = engagement.engagement_list(user=live.user, start=start, end=end).count()
    return result(count, drill("engagement:engagement-list", **_dates(args)))


def _measure(attribute: str) -> Callable[[Live, dict[str, Any]], dict[str, Any]]:
    def compute(live: Live, args: dict[str, Any]) -> dict[str, Any]:
        start, end = period_of(args)
        total = staffing.measures(user=live.user, start=start, end=end)[-1]
        return result(getattr(total, attribute), drill("staffing:measures", **_dates(args)))

    return compute


def _remaining_workdays(live: Live, args: dict[str, Any]) -> dict[str, Any]:
    progress = resilience.installation_progress(user=live.user)
    return result(
        progress.remaining_workdays, drill("resilience:installation-list", status="open"), "workdays"
    )


def _coverage(attribute: str, unit: str = "") -> Callable[[Live, dict[str, Any]], dict[str, Any]]:
    def compute(live: Live, args: dict[str, Any]) -> dict[str, Any]:
        summary = resilience.coverage_summary(
            resilience.coverage_by_office(user=live.user, on=args.get("on"))
        )
        return result(getattr(summary, attribute), drill("resilience:coverage"), unit)

    return compute


@dataclass(frozen=True)
class LiveField:
    name: str
    label: str | Promise
    params: tuple[Param, ...]
    compute: Callable[[Live, dict[str, Any]], dict[str, Any]]
    period: bool = False  # takes year=, or from= and to=
    display: bool = True  # takes the display arguments (blocks do not)

    def all_params(self) -> tuple[Param, ...]:
        return (*self.params, *(PERIOD if self.period else ()), *(DISPLAY_PARAMS if self.display else ()))


YEAR = Param("year", "year", required=True)
FIELDS: dict[str, LiveField] = {
    f.name: f
    for f in (
        LiveField(
            "projects_ongoing", _("Projects on-going in a year"), (YEAR,), _dashboard_figure("projects")
        ),
        LiveField(
            "projects_value",
            _("Funding of the projects on-going in a year (CHF million, or k CHF with in=thousand)"),
            (YEAR, Param("in", "choice", choices=("million", "thousand"))),
            _projects_value,
        ),
        LiveField(
            "activities", _("Operational-plan activities of a year"), (YEAR,), _dashboard_figure("activities")
        ),
        LiveField("forums", _("Regional development forums in a period"), (), _forums, period=True),
        LiveField(
            "forum_participants",
            _("Participants in the forums of a period"),
            (),
            _participants("forum"),
            period=True,
        ),
        LiveField(
            "participants", _("Participants in all events of a period"), (), _participants(""), period=True
        ),
        LiveField("stakeholders", _("Stakeholder engagements in a period"), (), _stakeholders, period=True),
        LiveField(
            "posts_upgraded_g6_p2",
            _("G6 posts upgraded to P2 in a period"),
            (),
            _measure("g6_to_p2_upgrades"),
            period=True,
        ),
        LiveField(
            "p5_posts_created", _("P5 posts created in a period"), (), _measure("new_p5_posts"), period=True
        ),
        LiveField(
            "tsb_field_staff",
            _("TSB-funded staff deployed to field offices in a period"),
            (),
            _measure("tsb_field_deployments"),
            period=True,
        ),
        LiveField(
            "relocations_to_field",
            _("Posts relocated from headquarters to the field in a period"),
            (),
            _measure("relocations_to_field"),
            period=True,
        ),
        LiveField(
            "installations_remaining_workdays",
            _("Staff workdays left in the installations plan"),
            (),
            _remaining_workdays,
        ),
        LiveField(
            "crisis_comms_registered",
            _("Staff registered for crisis communications (latest counts)"),
            (Param("on", "date"),),
            _coverage("registered"),
        ),
        LiveField(
            "crisis_comms_coverage",
            # A plain label, never %-formatted ("% of" only looks like a directive).
            # xgettext:no-python-format
            _("Crisis-communications coverage, % of staff"),
            (Param("on", "date"),),
            _coverage("percent", "%"),
        ),
    )
}


def parse_value(param: Param, raw: str) -> Any:
    """The argument's value, or ValueError with the reason."""
    if param.kind == "year":
        if not raw.isdigit() or not YEAR_MIN <= int(raw) <= YEAR_MAX:
            raise ValueError(_("a year from %(min)s to %(max)s") % {"min": YEAR_MIN, "max": YEAR_MAX})
        return int(raw)
    if param.kind == "date":
        try:
            value = dt.date.fromisoformat(raw)
        except ValueError:
            raise ValueError(_("a date as YYYY-MM-DD")) from None
        if not YEAR_MIN <= value.year <= YEAR_MAX:
            raise ValueError(_("a date from %(min)s to %(max)s") % {"min": YEAR_MIN, "max": YEAR_MAX})
        return value
    if param.kind == "int":
        if not raw.isdigit() or not 0 < int(raw) <= 1_000_000:
            raise ValueError(_("a whole number from 1 to 1000000"))
        return int(raw)
    if raw not in param.choices:
        raise ValueError(_("one of %(choices)s") % {"choices": ", ".join(param.choices)})
    return raw


def check_args(field: LiveField, raw: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Typed arguments and the problems found (each a sentence naming the argument)."""
    params = {p.name: p for p in field.all_params()}
    args: dict[str, Any] = {}
    problems: list[str] = []
    for name, value in raw.items():
        param = params.get(name)
        if param is None:
            problems.append(
                str(_("%(field)s takes no argument %(arg)s (it takes %(known)s)"))
                % {"field": field.name, "arg": name, "known": ", ".join(params)}
            )
            continue
        try:
            args[name] = parse_value(param, value)
        except ValueError as error:
            problems.append(
                str(_("%(field)s: %(arg)s=%(value)s is not %(expected)s"))
                % {"field": field.name, "arg": name, "value": value, "expected": error}
            )
    for param in field.all_params():
        if param.required and param.name not in raw:
            problems.append(str(_("%(field)s needs %(arg)s=")) % {"field": field.name, "arg": param.name})
    if field.period and not problems:
        has_year, has_range = "year" in args, "from" in args or "to" in args
        if has_year == has_range or (has_range and not ("from" in args and "to" in args)):
            problems.append(
                str(_("%(field)s needs either year= or both from= and to=")) % {"field": field.name}
            )
        elif has_range and args["from"] > args["to"]:
            problems.append(str(_("%(field)s: from= comes after to=")) % {"field": field.name})
    if "round" in args and "floor" in args:
        problems.append(str(_("%(field)s: give round= or floor=, not both")) % {"field": field.name})
    return args, problems


def shown(figure: dict[str, Any], args: dict[str, Any]) -> tuple[Decimal | None, bool, int | None]:
    """The value as the text shows it (rounded as asked), whether in words, and its decimals."""
    if figure.get("value") is None:
        return None, False, None
    value = Decimal(figure["value"])
    step = args.get("round") or args.get("floor")
    if step:
        mode = ROUND_HALF_UP if "round" in args else "ROUND_FLOOR"
        value = (value / step).quantize(Decimal(1), rounding=mode) * step
    decimals = args.get("decimals")
    if decimals is None and figure.get("unit") in ("CHF million", "k CHF", "%"):
        decimals = 1
    return value, args.get("words") == "yes", decimals
