"""Council-ready reports: the list of documents the system produces, and the dashboard's tables as files."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "presence.reports"
    label = "reports"
    verbose_name = _("Reports")
    navigation = [(_("Reports"), "reports:report-list")]
