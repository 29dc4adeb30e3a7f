"""Home page, health check and the global audit log."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from presence.core.errors import AccessDenied
from presence.core.selectors import audit_log
from presence.org.access import grants, is_superuser


def home(request: HttpRequest) -> HttpResponse:
    panels: list[dict[str, Any]] = []
    if request.user.is_authenticated:
        # The dashboard's panel leads, as its menu entry does; the others follow in app order.
        configs = sorted(apps.get_app_configs(), key=lambda config: config.label != "dashboard")
        for config in configs:
            panel = getattr(config, "home_panel", None)
            if panel is not None:
                context = panel(request)
                if context is not None:
                    panels.append(context)
    return render(request, "core/home.html", {"panels": panels})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as exc:  # the health check reports any database failure
        database = f"error: {exc.__class__.__name__}"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {
            "status": "ok" if status == 200 else "error",
            "database": database,
            "time": timezone.now().isoformat(),
        },
        status=status,
    )


def is_global_admin(user: Any) -> bool:
    return is_superuser(user) or any(grant.role == "admin" and grant.is_global for grant in grants(user))


@login_required
def audit_log_view(request: HttpRequest) -> HttpResponse:
    if not is_global_admin(request.user):
        raise AccessDenied("Only administrators can read the global audit log.")
    model = request.GET.get("model", "")
    entries = audit_log(model_label=model)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "model": model})
