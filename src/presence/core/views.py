"""Home page, health check and the global audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from presence.core.errors import AccessDenied, InvalidParameter, InvalidTransition, VersionConflict
from presence.core.forms import add_service_error
from presence.core.guards import guards
from presence.core.selectors import audit_log


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 page (Django's handler400): what is wrong when a parameter is out of range, and 413
    for a body over DATA_UPLOAD_MAX_MEMORY_SIZE. A standalone page: the request may be unusable."""
    if isinstance(exception, RequestDataTooBig):
        context = {
            "title": _("Too large"),
            "message": _("What you sent is larger than the %(limit)s bytes accepted. Nothing was saved.")
            % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
        }
        return render(request, "400.html", context, status=413)
    message = (
        str(exception)
        if isinstance(exception, InvalidParameter)
        else _("The request could not be understood. Nothing was saved.")
    )
    return render(request, "400.html", {"title": _("Bad request"), "message": message}, status=400)


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


INVALID = 422
"""The status of a form shown again because its data was refused (invalid, or refused by the service)."""


def submit_form(
    request: HttpRequest,
    form: Any,
    save: Callable[[], Any],
    *,
    done: Callable[[Any], str],
    after: Callable[[Any], Any] | None = None,
    refusals: tuple[type[Exception], ...] = (ValidationError,),
    conflicts: tuple[type[Exception], ...] = (),
) -> HttpResponse | int:
    """Save a POSTed form through its service: the redirect on success, else the status to show it with.

    Every create and edit page answers the same statuses through it. On a valid POST, `save()` calls
    the service. Success: the message `done(record)` and a redirect to `after(record)` (the record
    itself by default). A stale version, or an error in `conflicts` (a workflow step the record's
    state no longer allows): the conflict on the form, 409. An invalid form, or a refusal in
    `refusals` (shown at its fields by `add_service_error`): 422 Unprocessable Content. A GET: 200.
    Nothing is written when the service refuses.
    """
    if request.method != "POST":
        return 200
    if not form.is_valid():
        return INVALID
    try:
        record = save()
    except VersionConflict as error:
        add_service_error(form, error)
        return 409
    except conflicts as error:
        add_service_error(form, error)
        return 409
    except refusals as error:
        add_service_error(form, error)
        return INVALID
    messages.success(request, done(record))
    return redirect(after(record) if after is not None else record)


def create_from(
    request: HttpRequest, form: Any, service: Callable[..., Any], **values: Any
) -> Callable[[], Any]:
    """A create page's save: `service(actor=the user, **values, **the form's data)`."""
    return lambda: service(actor=request.user, **values, **form.service_data())


def update_from(
    request: HttpRequest, form: Any, service: Callable[..., Any], **records: Any
) -> Callable[[], Any]:
    """An edit page's save: `service(actor=the user, **records, expected_version=the version the form was
    shown with, **the form's data)`; `records` names the record as the service takes it (`project=`)."""
    return lambda: service(
        actor=request.user, **records, expected_version=form.expected_version(), **form.service_data()
    )


def form_page(
    request: HttpRequest,
    form: Any,
    save: Callable[[], Any],
    *,
    template: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
    done: Callable[[Any], str],
    after: Callable[[Any], Any] | None = None,
    refusals: tuple[type[Exception], ...] = (ValidationError,),
    conflicts: tuple[type[Exception], ...] = (),
) -> HttpResponse:
    """A create or edit page: the POST through `submit_form`, else `template` with the form (as
    `form`) and `context` (a dict, or a function giving it when the page is shown) at the status
    `submit_form` answers: 200 on a GET, 422 invalid or refused, 409 stale."""
    outcome = submit_form(request, form, save, done=done, after=after, refusals=refusals, conflicts=conflicts)
    if isinstance(outcome, HttpResponse):
        return outcome
    extra = context() if callable(context) else context or {}
    return render(request, template, {"form": form, **extra}, status=outcome)


def delete_confirmation(
    request: HttpRequest,
    *,
    record: Any,
    delete: Callable[[int], None],
    after: str,
    label: str = "",
    cancel: str = "",
    done: str = "",
    warning: str = "",
) -> HttpResponse:
    """Confirm, then delete through the service with the version the user saw.

    A stale version (409), a refusal by the service or records still pointing at this one (422)
    are shown on the page; nothing is deleted then.
    """
    guards().check_delete(request.user, record)
    label = label or f"{record._meta.verbose_name} {record}"
    error = ""
    status = 200
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            error, status = _("The form was incomplete; reload the page and try again."), 400
        else:
            try:
                delete(version)
            except (VersionConflict, InvalidTransition) as exc:
                error, status = str(exc), 409
            except ValidationError as exc:
                error, status = " ".join(exc.messages), 422
            except (ProtectedError, RestrictedError):
                error, status = _("Other records still refer to this one; it cannot be deleted."), 422
            else:
                messages.success(request, done or _("%(r)s deleted.") % {"r": label[:1].upper() + label[1:]})
                return redirect(after)
    context = {
        "record": record,
        "label": label,
        "cancel": cancel or record.get_absolute_url(),
        "warning": warning,
        "error": error,
    }
    return render(request, "core/confirm_delete.html", context, status=status)


def is_global_admin(user: Any) -> bool:
    return guards().is_global_admin(user)


@login_required
def audit_log_view(request: HttpRequest) -> HttpResponse:
    if not is_global_admin(request.user):
        raise AccessDenied(_("Only administrators can read the global audit log."))
    model = request.GET.get("model", "")
    entries = audit_log(model_label=model)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "model": model})
