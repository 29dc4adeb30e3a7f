from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _reminders(today: dt.date) -> Iterable[Any]:
    from presence.engagement.selectors import follow_up_reminders

    return follow_up_reminders(today=today)


def _home_panel(request: Any) -> dict[str, Any] | None:
    from presence.engagement.selectors import overdue_follow_ups

    overdue = overdue_follow_ups(user=request.user).count()
    if not overdue:
        return None
    return {"template": "engagement/home_panel.html", "overdue": overdue}


class EngagementConfig(AppConfig):
    name = "presence.engagement"
    label = "engagement"
    verbose_name = _("Engagement")
    default_auto_field = "django.db.models.BigAutoField"
    navigation = [
        (_("Events"), "engagement:event-list"),
        (_("Stakeholders"), "engagement:engagement-list"),
        (_("Opportunities"), "engagement:opportunity-list"),
    ]
    home_panel = staticmethod(_home_panel)
    reminders = staticmethod(_reminders)

    def load_demo(self, stdout: Any) -> tuple[str, ...]:
        """Load this app's demo records, for `presence demo` (after the reference data and demo users);
        answers the models `presence demo --scale N` copies."""
        from presence.engagement import demo

        demo.load(stdout=stdout)
        return tuple(demo.SCALED)
