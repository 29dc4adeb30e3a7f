"""Values every page needs: the navigation (only what exists) and the site's settings."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


def navigation() -> list[dict[str, Any]]:
    """One section per installed app that has menu entries (the dashboard first); entries that
    cannot be resolved are left out, so the menu lists only what exists."""
    sections: list[dict[str, Any]] = []
    for config in apps.get_app_configs():
        entries = []
        for label, url_name in getattr(config, "navigation", []):
            try:
                entries.append({"label": str(label), "url": reverse(url_name), "name": url_name})
            except NoReverseMatch:
                continue
        if entries:
            sections.append(
                {
                    "app": config.label,
                    "label": entries[0]["label"],
                    "url": entries[0]["url"],
                    "entries": entries,
                }
            )
    sections.sort(key=lambda section: section["app"] != "dashboard")
    return sections


def site(request: HttpRequest) -> dict[str, Any]:
    match = request.resolver_match
    namespace = match.namespace if match else ""
    current_name = f"{namespace}:{match.url_name}" if match else ""
    sections = navigation()
    current_section = None
    for section in sections:
        section["current"] = section["app"] == namespace
        for entry in section["entries"]:
            entry["current"] = entry["name"] == current_name
        if section["current"]:
            current_section = section
    return {
        "navigation": sections,
        "current_section": current_section,
        "public_dashboard": settings.PUBLIC_DASHBOARD,
        "presence_env": settings.PRESENCE_ENV,
    }
