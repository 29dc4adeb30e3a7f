"""The results app: framework, operational plan, indicators and quarterly reviews."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _reminders(today: dt.date) -> Iterable[Any]:
    from presence.results.selectors import review_reminders

    return review_reminders(today=today)


def _home_panel(request: HttpRequest) -> dict[str, Any] | None:
    from presence.results.views import my_reviews_panel

    return my_reviews_panel(request)


class ResultsConfig(AppConfig):
    name = "presence.results"
    label = "results"
    verbose_name = _("Results")
    navigation = [
        (_("Framework"), "results:framework"),
        (_("Activities"), "results:activity-list"),
        (_("Indicators"), "results:indicator-list"),
        (_("Reviews"), "results:review-inbox"),
        (_("Quarters"), "results:quarter-latest"),
        (_("Reporting calendar"), "results:period-list"),
        (_("Budget allocation"), "results:budget-allocation"),
    ]
    reminders = staticmethod(_reminders)
    home_panel = staticmethod(_home_panel)

    def ready(self) -> None:
        # Indicators and reviews of a project keep a copy of its place: they move when it moves.
        from presence.portfolio.services import follow_project_moves
        from presence.results.services import project_moved

        follow_project_moves(project_moved)

    def load_demo(self, stdout: Any) -> tuple[str, ...]:
        """Load this app's demo records, for `presence demo` (after the reference data and demo users);
        answers the models `presence demo --scale N` copies."""
        from presence.results import demo

        demo.load(stdout=stdout)
        return tuple(demo.SCALED)
