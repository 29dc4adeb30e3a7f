"""What every app's API shares: authentication, problem+json errors, ETags and If-Match."""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    ValidationError,
)
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Router, Schema
from ninja import pagination as ninja_pagination
from ninja.errors import AuthenticationError
from ninja.errors import HttpError as NinjaHttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from presence.core.errors import InvalidTransition, VersionConflict
from presence.core.guards import guards
from presence.core.selectors import get_or_404

PROBLEM_TYPE = "application/problem+json"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class PreconditionRequired(Exception):
    """An update came without If-Match."""


class SessionAuth(APIKeyCookie):
    """The browser's login session, with Django's CSRF check on writes.

    CSRF protects cookies only: a request without a logged-in session is left to the token check
    (a cross-site page cannot add an Authorization header), and a session's unsafe request
    without a valid CSRF token is refused.
    """

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        unsafe = request.method not in SAFE_METHODS and not getattr(request, "_ninja_csrf_exempt", False)
        if unsafe and check_csrf(request):
            raise PermissionDenied(
                _(
                    "CSRF check failed: a write with the login session needs the csrftoken "
                    "cookie's value in an X-CSRFToken header; scripts should send a personal "
                    "access token (Authorization: Bearer) instead."
                )
            )
        return "session"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        return user if key and user is not None and user.is_authenticated else None


class TokenAuth(HttpBearer):
    """A personal access token: `Authorization: Bearer prs_...`; a read-only token may not write."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = guards().token_user(token)
        if found is None:
            return None
        user, name, can_write = found
        if request.method not in SAFE_METHODS and not can_write:
            raise PermissionDenied(
                _("Token %(name)s is read-only: create a read-write token on your account page to write.")
                % {"name": name}
            )
        request.user = user
        return user


# Lists: `limit` and `offset` within bounds a database can take (an offset past 2**63 used to answer 500).
PAGE_SIZE = 100
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000


class LimitOffsetPagination(ninja_pagination.LimitOffsetPagination):
    """Ninja's limit/offset pagination with both bounded: out of range is a 422 naming the parameter."""

    class Input(Schema):
        limit: int = Field(PAGE_SIZE, ge=1, le=MAX_LIMIT, description="Items per page (1-1000).")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip (0-1,000,000,000).")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


# Text a database cannot store: NUL (PostgreSQL refuses it) and lone UTF-16 surrogates (not Unicode,
# so no database encoding can hold them; JSON allows them as "\ud800").


def unstorable_text_errors(data: Any, path: str = "") -> dict[str, list[str]]:
    """Field path -> message for every string in `data` (nested dicts and lists) no database can store."""
    errors: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{path}.{key}" if path else str(key)
            errors.update(unstorable_text_errors(str(key), name) if isinstance(key, str) else {})
            errors.update(unstorable_text_errors(value, name))
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            errors.update(unstorable_text_errors(value, f"{path}.{index}" if path else str(index)))
    elif isinstance(data, str):
        if "\x00" in data:
            errors[path or "__all__"] = [_("Null characters are not allowed.")]
        else:
            try:
                data.encode("utf-8")
            except UnicodeEncodeError:
                errors[path or "__all__"] = [
                    _("The text holds a lone surrogate (U+D800 to U+DFFF), which is not a character.")
                ]
    return errors


class InputParser(Parser):
    """JSON bodies, query strings and forms, refusing text no database can store (422 at its field)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        errors = unstorable_text_errors(data)
        if errors:
            raise ValidationError(errors)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        errors = unstorable_text_errors(result)
        if errors:
            raise ValidationError(errors)
        return result


def problem(
    api: NinjaAPI, request: HttpRequest, *, status: int, title: str, detail: str = "", **extra: Any
) -> HttpResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM_TYPE
    return response


def install_error_handlers(api: NinjaAPI) -> None:
    """problem+json for every error the API expects, and the parser refusing unstorable text."""
    api.parser = InputParser()

    def invalid(request: HttpRequest, errors: dict[str, list[str]]) -> HttpResponse:
        return problem(
            api,
            request,
            status=422,
            title="Invalid input",
            detail="; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()),
            errors=errors,
        )

    def validation(request: HttpRequest, exc: Any) -> HttpResponse:
        return invalid(request, exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages})

    def ninja_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            parts = [str(part) for part in error.get("loc", ())]
            for envelope in ("body", "payload"):  # a request body's envelope, not a name (`?body=council`)
                if parts[:1] == [envelope]:
                    parts = parts[1:]
            location = ".".join(parts)
            errors.setdefault(location or "__all__", []).append(str(error.get("msg", "invalid")))
        return invalid(request, errors)

    def stating(status: int, title: str, default: str = "") -> Callable[[HttpRequest, Any], HttpResponse]:
        """A handler answering `status` with the exception's message (else `default`) as the detail."""
        return lambda request, exc: problem(
            api, request, status=status, title=title, detail=str(exc) or default
        )

    def conflict(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem(
            api,
            request,
            status=412,
            title="Precondition failed",
            detail=str(exc),
            current_version=exc.current_version,
        )

    not_found = stating(404, "Not found", "No such record.")

    def unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem(
            api,
            request,
            status=401,
            title="Unauthorized",
            detail="Log in, or send a personal access token as 'Authorization: Bearer <token>'.",
        )

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        cause = exc.__cause__  # ninja answers 400 "Cannot parse request body" for anything the parser raised
        if isinstance(cause, ValidationError):
            return validation(request, cause)
        if isinstance(cause, RequestDataTooBig):
            return too_big(request, cause)
        if isinstance(cause, ValueError):  # not JSON, or not UTF-8
            return problem(
                api,
                request,
                status=400,
                title="Bad request",
                detail=_("The request body is not valid JSON in UTF-8: %(error)s") % {"error": cause},
            )
        return problem(api, request, status=exc.status_code, title=str(exc), detail=str(exc))

    def too_big(request: HttpRequest, exc: Any) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return problem(
            api,
            request,
            status=413,
            title="Content too large",
            detail=_("The request body is larger than the %(limit)s bytes accepted.") % {"limit": limit}
            if limit
            else str(exc),
        )

    api.add_exception_handler(ValidationError, validation)
    api.add_exception_handler(NinjaValidationError, ninja_validation)
    api.add_exception_handler(PermissionDenied, stating(403, "Forbidden", "Not allowed."))
    api.add_exception_handler(VersionConflict, conflict)
    api.add_exception_handler(PreconditionRequired, stating(428, "Precondition required"))
    api.add_exception_handler(InvalidTransition, stating(409, "Conflict"))
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ObjectDoesNotExist, not_found)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(NinjaHttpError, http_error)
    api.add_exception_handler(RequestDataTooBig, too_big)

    def out_of_range(request: HttpRequest, exc: Any) -> HttpResponse:
        # An integer past 64 bits (SQLite's OverflowError) or a value the column cannot hold (DataError):
        # the request's own data, so a 422, never a 500; the service's transaction has rolled back.
        return problem(
            api,
            request,
            status=422,
            title="Invalid input",
            detail=_("A value is out of the range the database can store: %(error)s") % {"error": exc},
        )

    def malformed_multipart(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem(
            api,
            request,
            status=400,
            title="Bad request",
            detail=_("The multipart/form-data body cannot be read: %(error)s") % {"error": exc},
        )

    api.add_exception_handler(OverflowError, out_of_range)
    api.add_exception_handler(DataError, out_of_range)
    api.add_exception_handler(MultiPartParserError, malformed_multipart)


def etag(record: Any) -> str:
    return f'"{record.pk}-{record.version}"'


def set_etag(response: HttpResponse, record: Any) -> None:
    response["ETag"] = etag(record)


_TAG = re.compile(r'^(?:W/)?"(?P<pk>[^"-]+)-(?P<version>\d+)"$')


def expected_version(request: HttpRequest, record: Any) -> int:
    """The version named by the request's If-Match header.

    A missing header, or `*` (which would match any version and so switch off the lost-update check),
    is refused with 428; a tag of another record or version is a conflict (412).
    """
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired(
            "Send the record's ETag in an If-Match header (GET the record first), "
            "so that a stale update is refused."
        )
    if header == "*":
        raise PreconditionRequired(
            "If-Match: * is not accepted: send the record's own ETag (GET the record first), "
            "so that an update made from a stale copy is refused."
        )
    match = _TAG.match(header)
    if match is None or match["pk"] != str(record.pk):
        raise VersionConflict(
            current_version=record.version,
            expected_version=0,
            label=str(type(record)._meta.verbose_name).capitalize(),
        )
    return int(match["version"])


class PackageRouter(Router):
    """A router for an app whose `api` is a package: operation ids stay `presence_<app>_api_<function>`.

    Ninja names an operation after its function's module; when an app's routes live in submodules,
    the OpenAPI operation ids (which clients may generate code from) would otherwise change.
    """

    def __init__(self, *, app: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.operation_prefix = f"presence_{app}_api_"

    def add_api_operation(
        self, path: str, methods: list[str], view_func: Callable[..., Any], **kwargs: Any
    ) -> None:
        if kwargs.get("operation_id") is None:
            kwargs["operation_id"] = f"{self.operation_prefix}{view_func.__name__}"
        super().add_api_operation(path, methods, view_func, **kwargs)


def _named(handler: Callable[..., Any], name: str, module: str) -> Callable[..., Any]:
    """Give a generated handler the name and module a hand-written one would have.

    Ninja derives an operation's id (`<module>_<name>`, or PackageRouter's prefix + name) and its
    summary ("Get event") from them, so generated and hand-written routes look alike to clients.
    """
    handler.__name__ = handler.__qualname__ = name
    handler.__module__ = module
    return handler


def _keyed(handler: Callable[..., Any], key: str) -> Callable[..., Any]:
    """`handler`, whose path parameter is `pk: int`, answering at a path whose parameter is `key`
    (a code: a string). Ninja reads the parameters from the signature given here."""
    if key == "pk":
        return handler

    def keyed(request: HttpRequest, **kwargs: Any) -> Any:
        kwargs["pk"] = kwargs.pop(key)
        return handler(request, **kwargs)

    keyed.__doc__ = handler.__doc__
    signature = inspect.signature(handler)
    keyed.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[
            parameter.replace(name=key, annotation=str) if parameter.name == "pk" else parameter
            for parameter in signature.parameters.values()
        ]
    )
    return keyed


def record_routes(
    router: Router,
    path: str,
    *,
    noun: str,
    module: str,
    out: Any,
    key: str = "pk",
    argument: str | None = None,
    readable: bool = True,
    get: Callable[..., Any] | None = None,
    fetch: Callable[[HttpRequest, Any], Any] | None = None,
    records: Callable[..., Any] | None = None,
    new: Any = None,
    create: Callable[..., Any] | None = None,
    patch: Any = None,
    update: Callable[..., Any] | None = None,
    delete: Callable[..., Any] | None = None,
    resolve: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    docs: dict[str, str] | None = None,
    under: tuple[str, Callable[[HttpRequest, Any], Any], str] | None = None,
) -> None:
    """GET, PATCH and DELETE of one record at `path/{pk}`, each the same three steps in every app.

    GET: the selector `get(user=, pk=)` (access checked there), or the record of that key among the
    selector `records(user=)`'s (the list the user may see), or `fetch(request, pk)` where the app
    reads the record another way, with the record's ETag. PATCH: the
    record read the same way, the version from If-Match (428 without it), then the service
    `update(actor=, <noun>=record, expected_version=, **fields)` with the fields sent (through
    `resolve`, which turns codes into records), and the new ETag. DELETE: the service
    `delete(actor=, <noun>=record, expected_version=)`, 204. Handlers are named get_<noun>,
    update_<noun> and delete_<noun> in `module`, as hand-written ones were; `docs` gives an
    operation's description by "get", "update" or "delete". `key="code"` puts the records at
    `path/{code}` instead, read by `get(user=, code=)` or `fetch(request, code)`. With `create`,
    POST `path/` too: the service `create(actor=, **fields)` with the `new` schema's fields (through
    `resolve`), 201 with the record and its ETag, named create_<noun>. `argument` names
    the record for the services where it is not `noun`; `readable=False` leaves out the GET (records
    read only through their lists). `under=(parent_path, parent, parent_argument)` creates records
    under their parent instead: POST `parent_path + path + "/"` (`/projects/{code}/budgets/`), the
    parent read by `parent(request, key)` and given to `create` as `parent_argument`.
    """
    if [get, fetch, records].count(None) != 2:
        raise TypeError("record_routes needs exactly one of get and records (selectors) and fetch")
    docs = docs or {}
    selector = get
    argument = argument or noun

    def read(request: HttpRequest, pk: Any) -> Any:
        if fetch is not None:
            return fetch(request, pk)
        if records is not None:
            return get_or_404(records(user=request.user), **{key: pk})
        return get_or_404(selector, user=request.user, **{key: pk}) if selector is not None else None

    def get_record(request: HttpRequest, response: HttpResponse, pk: int) -> Any:
        record = read(request, pk)
        set_etag(response, record)
        return record

    if create is not None and under is not None:
        parent_path, parent, parent_argument = under
        _create_under(
            router,
            f"{parent_path}{path}/",
            name=f"create_{noun}",
            module=module,
            out=out,
            new=new,
            parent=parent,
            argument=parent_argument,
            create=create,
            resolve=resolve,
        )

    get_record.__doc__ = docs.get("get")
    if readable:
        router.get(f"{path}/{{{key}}}", response=out)(_named(_keyed(get_record, key), f"get_{noun}", module))

    if create is not None and under is None:
        make = create

        def create_record(request: HttpRequest, response: HttpResponse, payload: Any) -> Any:
            fields = payload.dict()
            record = make(actor=request.user, **(resolve(fields) if resolve is not None else fields))
            set_etag(response, record)
            return 201, record

        create_record.__annotations__ = {**create_record.__annotations__, "payload": new}
        create_record.__doc__ = docs.get("create")
        router.post(f"{path}/", response={201: out})(_named(create_record, f"create_{noun}", module))

    if update is not None:
        change = update

        def update_record(request: HttpRequest, response: HttpResponse, pk: int, payload: Any) -> Any:
            record = read(request, pk)
            version = expected_version(request, record)
            fields = payload.dict(exclude_unset=True)
            record = change(
                actor=request.user,
                expected_version=version,
                **{argument: record},
                **(resolve(fields) if resolve is not None else fields),
            )
            set_etag(response, record)
            return record

        update_record.__annotations__ = {**update_record.__annotations__, "payload": patch}
        update_record.__doc__ = docs.get("update")
        router.patch(f"{path}/{{{key}}}", response=out)(
            _named(_keyed(update_record, key), f"update_{noun}", module)
        )

    if delete is not None:
        remove = delete

        def delete_record(request: HttpRequest, pk: int) -> Any:
            record = read(request, pk)
            remove(
                actor=request.user, expected_version=expected_version(request, record), **{argument: record}
            )
            return 204, None

        delete_record.__doc__ = docs.get("delete")
        router.delete(f"{path}/{{{key}}}", response={204: None})(
            _named(_keyed(delete_record, key), f"delete_{noun}", module)
        )


def _create_under(
    router: Router,
    path: str,
    *,
    name: str,
    module: str,
    out: Any,
    new: Any,
    parent: Callable[[HttpRequest, Any], Any],
    argument: str,
    create: Callable[..., Any],
    resolve: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> None:
    """POST of a record created under its parent, at `path` naming the parent's key: the parent read by
    `parent(request, key)` (access checked there), the service `create(actor=, <argument>=parent,
    **fields)` with the `new` schema's fields (through `resolve`), 201 with the record and its ETag.
    The key is a string, or an integer where it is `pk`."""
    (key,) = re.findall(r"\{(\w+)\}", path)

    def create_record(request: HttpRequest, response: HttpResponse, payload: Any, **keys: Any) -> Any:
        fields = payload.dict()
        record = create(
            actor=request.user,
            **{argument: parent(request, keys[key])},
            **(resolve(fields) if resolve is not None else fields),
        )
        set_etag(response, record)
        return 201, record

    create_record.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=HttpRequest),
            inspect.Parameter("response", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=HttpResponse),
            inspect.Parameter(
                key, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=int if key == "pk" else str
            ),
            inspect.Parameter("payload", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=new),
        ],
        return_annotation=Any,
    )
    router.post(path, response={201: out})(_named(create_record, name, module))
