"""Requests refused before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from presence.core.errors import InvalidParameter


class RefuseNulInPath:
    """A NUL character in the URL path is a 400: PostgreSQL cannot compare text holding one.

    Views look records up by codes taken from the path (`/portfolio/projects/<code>/`), so without this
    `%00` in a path is a 500 on PostgreSQL. The API answers problem+json, pages the 400 page. (NUL in
    query strings and bodies is refused at its field by forms and by the API's parser.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            message = _("Null characters are not allowed.")
            if request.path.startswith("/api/"):
                body = {"type": "about:blank", "title": "Bad request", "status": 400, "detail": message}
                return JsonResponse(body, status=400, content_type="application/problem+json")
            raise InvalidParameter("path", message)
        return self.get_response(request)
