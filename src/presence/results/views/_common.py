"""Private helpers shared by the `views` submodules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from presence.core.forms import VersionedModelForm
from presence.results.forms import FrameworkForm, GoalForm, OutcomeForm, OutputForm, PeriodForm
from presence.results.models import Framework, Outcome, Output, ReportingPeriod, StrategicGoal


def _current_year() -> int:
    return timezone.localdate().year


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
