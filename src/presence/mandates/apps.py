from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MandatesConfig(AppConfig):
    name = "presence.mandates"
    label = "mandates"
    verbose_name = _("Governing-body requests")
    default_auto_field = "django.db.models.BigAutoField"
    navigation = [(_("Requests"), "mandates:mandate-list")]

    def load_demo(self, stdout: Any) -> tuple[str, ...]:
        """Load this app's demo records, for `presence demo` (after the reference data and demo users);
        answers the models `presence demo --scale N` copies (none: requests sit in no office)."""
        from presence.mandates import demo

        demo.load(stdout=stdout)
        return tuple(demo.SCALED)
