"""Project portfolio and funding: projects, partners, funding sources, budgets, transactions, Table 1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _reminders(today: dt.date) -> Iterable[Any]:
    from presence.portfolio.selectors import reporting_reminders

    return reporting_reminders(today=today)


class PortfolioConfig(AppConfig):
    name = "presence.portfolio"
    label = "portfolio"
    verbose_name = _("Project portfolio")
    navigation = [
        (_("Projects"), "portfolio:project-list"),
        (_("Table 1"), "portfolio:table1"),
        (_("Financial reporting"), "portfolio:reporting"),
        (_("Exchange rates"), "portfolio:exchange-rates"),
        (_("Partners"), "portfolio:partners"),
        (_("Funding agreements"), "portfolio:agreement-list"),
    ]
    reminders = staticmethod(_reminders)

    @staticmethod
    def home_panel(request: Any) -> dict[str, Any] | None:
        from presence.portfolio.views import home_panel

        return home_panel(request)

    def load_demo(self, stdout: Any) -> tuple[str, ...]:
        """Load this app's demo records, for `presence demo` (after the reference data and demo users);
        answers the models `presence demo --scale N` copies."""
        from presence.portfolio import demo

        demo.load(stdout=stdout)
        return tuple(demo.SCALED)
