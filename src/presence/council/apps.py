"""Council documents as records: versions per language, live figures, frozen on approval, PDF and DOCX."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "presence.council"
    label = "council"
    verbose_name = _("Council documents")
    default_auto_field = "django.db.models.BigAutoField"
    navigation = [(_("Council documents"), "council:document-list")]

    def load_demo(self, stdout: Any) -> tuple[str, ...]:
        """The 2024 report to the Council Working Group rebuilt from records (for `presence demo`)."""
        from presence.council import demo

        demo.load(stdout=stdout)
        return tuple(demo.SCALED)
