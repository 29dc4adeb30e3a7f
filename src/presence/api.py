"""The REST API: one NinjaAPI with a router per app, at /api/."""

from __future__ import annotations

import importlib
import importlib.util

from django.conf import settings
from ninja import NinjaAPI, Swagger

from presence import __version__
from presence.core.api import SessionAuth, TokenAuth, install_error_handlers

api = NinjaAPI(
    title="Regional Presence API",
    version=__version__,
    description=(
        "Records of the regional presence: offices, portfolio, results, staffing, engagement and resilience. "
        "Authenticate with the browser session or a personal access token (Bearer). Updates need If-Match "
        "with the record's ETag. Errors are application/problem+json."
    ),
    # The token first: a request carrying one is judged by it, never by a cookie's CSRF rule.
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    # Swagger UI would otherwise show a badge image from validator.swagger.io on public host names.
    docs=Swagger(settings={"validatorUrl": None}),
)
install_error_handlers(api)

for app in ["presence.org", *settings.DOMAIN_APPS]:
    if importlib.util.find_spec(f"{app}.api") is None:  # reports has pages only
        continue
    module = importlib.import_module(f"{app}.api")
    router = getattr(module, "router", None)
    if router is not None:
        api.add_router(f"/{app.rsplit('.', 1)[1]}/", router)
