from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _reminders(today: dt.date) -> Iterable[Any]:
    from presence.resilience.selectors import action_reminders, plan_reminders

    return [*action_reminders(today=today), *plan_reminders(today=today)]


def _home_panel(request: HttpRequest) -> dict[str, Any] | None:
    from presence.resilience.selectors import home_panel

    return home_panel(user=request.user)


class ResilienceConfig(AppConfig):
    name = "presence.resilience"
    label = "resilience"
    verbose_name = _("Resilience")
    default_auto_field = "django.db.models.BigAutoField"
    navigation = [(_("Resilience"), "resilience:overview")]
    reminders = staticmethod(_reminders)
    home_panel = staticmethod(_home_panel)

    def load_demo(self, stdout: Any) -> tuple[str, ...]:
        """Load this app's demo records, for `presence demo` (after the reference data and demo users);
        answers the models `presence demo --scale N` copies."""
        from presence.resilience import demo

        demo.load(stdout=stdout)
        return tuple(demo.SCALED)
