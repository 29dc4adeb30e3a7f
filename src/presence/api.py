"""The REST API: one NinjaAPI with a router per app, at /api/."""

from __future__ import annotations

from ninja import NinjaAPI, Swagger

from presence import __version__
from presence.core.api import SessionAuth, TokenAuth, install_error_handlers
from presence.council import api as council_api
from presence.dashboard import api as dashboard_api
from presence.engagement import api as engagement_api
from presence.interchange import api as interchange_api
from presence.mandates import api as mandates_api
from presence.org import api as org_api
from presence.portfolio import api as portfolio_api
from presence.resilience import api as resilience_api
from presence.results import api as results_api
from presence.staffing import api as staffing_api

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

# One router per app, in the order of settings.DOMAIN_APPS (reports has pages only).
ROUTERS = {
    "org": org_api.router,
    "portfolio": portfolio_api.router,
    "results": results_api.router,
    "staffing": staffing_api.router,
    "engagement": engagement_api.router,
    "resilience": resilience_api.router,
    "dashboard": dashboard_api.router,
    "mandates": mandates_api.router,
    "council": council_api.router,
    "interchange": interchange_api.router,
}
for label, router in ROUTERS.items():
    api.add_router(f"/{label}/", router)
