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
