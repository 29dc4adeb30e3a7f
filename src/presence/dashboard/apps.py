"""The Regional Presence Dashboard: overview, region and office pages, read only."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _home_panel(request: Any) -> dict[str, Any] | None:
    return {"template": "dashboard/home_panel.html"}


class DashboardConfig(AppConfig):
    name = "presence.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")
    navigation = [(_("Dashboard"), "dashboard:overview")]
    home_panel = staticmethod(_home_panel)
