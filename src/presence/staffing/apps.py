from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _home_panel(request: Any) -> dict[str, Any] | None:
    from presence.staffing.selectors import staffing_summary

    summary = staffing_summary(user=request.user)
    if not summary.total:
        return None
    return {"template": "staffing/home_panel.html", "summary": summary}


class StaffingConfig(AppConfig):
    name = "presence.staffing"
    label = "staffing"
    verbose_name = _("Staffing")
    default_auto_field = "django.db.models.BigAutoField"
    navigation = [
        (_("Staffing"), "staffing:staffing-table"),
        (_("Posts"), "staffing:post-list"),
        (_("Recruitment"), "staffing:recruitment-list"),
    ]
    home_panel = staticmethod(_home_panel)

    def load_demo(self, stdout: Any) -> tuple[str, ...]:
        """Load this app's demo records, for `presence demo` (after the reference data and demo users);
        answers the models `presence demo --scale N` copies."""
        from presence.staffing import demo

        demo.load(stdout=stdout)
        return tuple(demo.SCALED)
