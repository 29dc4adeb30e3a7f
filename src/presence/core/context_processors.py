"""Values every page needs: the navigation (only what exists) and the site's settings."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


def navigation() -> list[tuple[str, str, str]]:
    """(label, url, url name) for each installed app's menu entries, in app order."""
    items: list[tuple[str, str, str]] = []
    for config in apps.get_app_configs():
        for label, url_name in getattr(config, "navigation", []):
            try:
                items.append((str(label), reverse(url_name), url_name))
            except NoReverseMatch:
                continue
    return items


def site(request: HttpRequest) -> dict[str, Any]:
    current = request.resolver_match.namespace if request.resolver_match else ""
    return {
        "navigation": [
            {
                "label": label,
                "url": url,
                "current": current and url_name.split(":")[0] == current and request.path.startswith(url),
            }
            for label, url, url_name in navigation()
        ],
        "public_dashboard": settings.PUBLIC_DASHBOARD,
        "presence_env": settings.PRESENCE_ENV,
    }
