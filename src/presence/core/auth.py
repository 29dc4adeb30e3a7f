"""Logins and login sessions: the client's address, the session timeouts, and the audit of logins.

Django's login, logout and failed-login signals are recorded in the audit trail through
`core.services.audit_authentication`; login throttling itself is django-axes (see settings).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

SESSION_STARTED = "presence_session_started"
SESSION_SEEN = "presence_session_seen"
# The last-seen time is written back at most this often (seconds), not on every request.
SEEN_RESOLUTION = 60


def client_address(request: HttpRequest) -> str:
    """The client's IP address: the connection's, or the one the trusted proxies reported.

    With TRUSTED_PROXIES = N, each of the N proxies appended the address it received the request
    from to X-Forwarded-For, so the client is the N-th entry from the right; entries further left
    were sent by the client and are not trusted.
    """
    proxies = int(getattr(settings, "TRUSTED_PROXIES", 0))
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def _now() -> int:
    return int(timezone.now().timestamp())


class SessionTimeoutMiddleware:
    """Ends a login session after SESSION_IDLE_TIMEOUT seconds idle or SESSION_MAX_LIFETIME in all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is not None and user is not None and user.is_authenticated:
            self._check(request, session)
        return self.get_response(request)

    def _check(self, request: HttpRequest, session: Any) -> None:
        now = _now()
        started = session.get(SESSION_STARTED)
        seen = session.get(SESSION_SEEN)
        if not isinstance(started, int) or not isinstance(seen, int):
            session[SESSION_STARTED] = session[SESSION_SEEN] = now
            return
        if now - seen > settings.SESSION_IDLE_TIMEOUT:
            self._end(request, "idle", _("Your session ended after a period without activity: log in again."))
        elif now - started > settings.SESSION_MAX_LIFETIME:
            self._end(request, "lifetime", _("Your session reached its maximum length: log in again."))
        elif now - seen >= SEEN_RESOLUTION:
            session[SESSION_SEEN] = now

    @staticmethod
    def _end(request: HttpRequest, reason: str, message: str) -> None:
        request.presence_logout_reason = reason  # type: ignore[attr-defined]
        logout(request)
        messages.info(request, message)


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    from presence.core.services import audit_authentication

    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED] = request.session[SESSION_SEEN] = _now()
    audit_authentication(event="login", user=user, address=_address(request))


def on_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    from presence.core.services import audit_authentication

    if user is None:
        return
    reason = getattr(request, "presence_logout_reason", "")
    audit_authentication(event="logout", user=user, address=_address(request), reason=reason)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    from presence.core.services import audit_authentication

    # Only the name tried is kept: Django has already masked the password in `credentials`.
    username = str(credentials.get(get_user_model().USERNAME_FIELD, ""))
    audit_authentication(event="login_failed", username=username, address=_address(request))


def _address(request: HttpRequest | None) -> str:
    return client_address(request) if request is not None else ""
