"""Data interchange: IATI 2.03 import and export, spreadsheet templates with preview, background jobs."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    name = "presence.interchange"
    label = "interchange"
    verbose_name = _("Data interchange")
    navigation = [
        (_("Import and export"), "interchange:index"),
    ]
