"""Admins that write records through the services: versioned, audited, refusals on the form.

Nothing about one request is kept on the admin instances, which every request shares: what a save
needs travels in local variables, and a refusal to show on the form again travels on the request.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.forms.formsets import DELETION_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.utils.translation import gettext as _

from presence.core.errors import InvalidTransition, VersionConflict
from presence.core.forms import add_service_error
from presence.core.services import (
    Actor,
    tracked_create,
    tracked_delete,
    tracked_update,
)

# What a service may refuse with; the admin shows it instead of answering 500.
REFUSALS: tuple[type[Exception], ...] = (
    VersionConflict,
    InvalidTransition,
    ValidationError,
    ProtectedError,
    RestrictedError,
    ObjectDoesNotExist,
)
# The request attribute carrying a refused save to the form shown again (never the admin instance).
REFUSAL_ATTRIBUTE = "_presence_admin_refusal"


class IncompleteForm(Exception):
    """A delete confirmation posted without the version it was shown."""


DELETE_REFUSALS: tuple[type[Exception], ...] = (*REFUSALS, IncompleteForm)


@dataclass(frozen=True)
class RecordServices:
    """An app's own write services for one model, as the admin calls them.

    `create(actor=..., **data)` (with `parent=` the record an inline row belongs to, under that
    keyword), `update(actor=..., <record>=..., expected_version=..., **data)` and
    `delete(actor=..., <record>=..., expected_version=...)`. A missing one falls back to the
    generic tracked write.
    """

    record: str
    create: Callable[..., Any] | None = None
    update: Callable[..., Any] | None = None
    delete: Callable[..., Any] | None = None
    parent: str = ""


def create_record(
    model: type[models.Model], services: RecordServices | None, *, actor: Actor, data: dict[str, Any]
) -> Any:
    if services is not None and services.create is not None:
        return services.create(actor=actor, **data)
    return tracked_create(model=model, actor=actor, data=data)  # type: ignore[type-var]


def update_record(
    services: RecordServices | None,
    *,
    actor: Actor,
    instance: Any,
    data: dict[str, Any],
    expected_version: int | None,
) -> Any:
    if services is not None and services.update is not None:
        return services.update(
            actor=actor, **{services.record: instance}, expected_version=expected_version, **data
        )
    return tracked_update(instance=instance, actor=actor, data=data, expected_version=expected_version)


def delete_record(
    services: RecordServices | None, *, actor: Actor, instance: Any, expected_version: int | None
) -> None:
    if services is not None and services.delete is not None:
        services.delete(actor=actor, **{services.record: instance}, expected_version=expected_version)
    else:
        tracked_delete(instance=instance, actor=actor, expected_version=expected_version)


class VersionedAdminForm(forms.ModelForm):
    """An admin form that carries the record's version and shows a refused save at the top."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    # Set on a per-request subclass (see AuditedAdmin.get_form) when the save was refused.
    refusal: ClassVar[Exception | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Shown on the page; on a POST, the version now, so only a stale version counts as a change.
            self.initial["version"] = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.refusal is not None:
            add_service_error(self, self.refusal)
        return cleaned if cleaned is not None else self.cleaned_data

    def _post_clean(self) -> None:
        # The record stays as it was read: the service applies the values and validates the model.
        pass

    def expected_version(self) -> int | None:
        value = self.cleaned_data.get("version")
        return int(value) if value else None


def form_data(form: forms.ModelForm, names: Iterable[str], *, skip: Iterable[str] = ()) -> dict[str, Any]:
    """The cleaned values of the model fields among `names`, as keyword arguments for a service."""
    model = form._meta.model
    left_out = set(skip)
    data: dict[str, Any] = {}
    for name in names:
        if name in left_out or name not in form.cleaned_data:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if getattr(field, "concrete", False) and getattr(field, "editable", False) and not field.primary_key:
            data[name] = form.cleaned_data[name]
    return data


def refuse_stale(instance: Any, expected_version: int | None) -> None:
    """Raise VersionConflict when `instance` is no longer at the version the form was shown."""
    model = type(instance)
    current = model._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
    if current is None:
        raise model.DoesNotExist(f"{model._meta.verbose_name} {instance.pk} no longer exists.")
    if expected_version is not None and current != expected_version:
        raise VersionConflict(
            current_version=current,
            expected_version=expected_version,
            label=str(model._meta.verbose_name).capitalize(),
        )


def with_version(fieldsets: Any) -> list[Any]:
    """The fieldsets with the hidden version field, so the form always sends back what it showed."""
    fieldsets = list(fieldsets)
    if not fieldsets or "version" in flatten_fieldsets(fieldsets):
        return fieldsets
    (name, options), *rest = fieldsets
    return [(name, {**options, "fields": [*options["fields"], "version"]}), *rest]


def model_fields(fields: Any) -> list[str]:
    """The names (or fieldsets' names) the model form is built from; the version is the form's own."""
    names = [name for name in fields if isinstance(name, str)]
    return [
        name
        for name in (names if len(names) == len(fields) else flatten_fieldsets(fields))
        if name != "version"
    ]


def _refusal_message(error: Exception) -> str:
    if isinstance(error, ProtectedError | RestrictedError):
        return _("Other records still refer to this one; it cannot be deleted.")
    if isinstance(error, IncompleteForm):
        return _("The form was incomplete; reload the page and try again.")
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _refusal_status(error: Exception, *, other: int) -> int:
    if isinstance(error, VersionConflict | InvalidTransition):
        return 409
    if isinstance(error, IncompleteForm):
        return 400
    return other


class AuditedAdmin(admin.ModelAdmin):
    """Saves and deletes made in the admin go through the services: versioned and audited."""

    form = VersionedAdminForm
    services: ClassVar[RecordServices | None] = None
    # Who wrote a record is set by the write itself, never typed in.
    exclude = ("created_by", "updated_by")
    delete_confirmation_template = "admin/presence/delete_confirmation.html"

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if "fields" not in kwargs:
            kwargs["fields"] = self.get_fieldsets(request, obj)
        if kwargs["fields"] is not None:
            kwargs["fields"] = model_fields(kwargs["fields"])
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, REFUSAL_ATTRIBUTE, None)
        if refusal is None:
            return form
        return type(form.__name__, (form,), {"refusal": refusal})

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return with_version(super().get_fieldsets(request, obj))

    def service_data(self, request: HttpRequest, form: Any, names: Iterable[str]) -> dict[str, Any]:
        """The values a save passes to the service (subclasses may complete them)."""
        return form_data(form, names)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except REFUSALS as error:
            # Everything of that save was rolled back; show the form again with the reason on it.
            refusal: Exception = error
        setattr(request, REFUSAL_ATTRIBUTE, refusal)
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            response.status_code = _refusal_status(refusal, other=200)
        return response

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            data = self.service_data(request, form, form.changed_data)
            if data:
                update_record(
                    self.services,
                    actor=request.user,
                    instance=obj,
                    data=data,
                    expected_version=form.expected_version(),
                )
            else:
                # Nothing to write, but a form from a stale version is still refused, as on the pages.
                refuse_stale(obj, form.expected_version())
            return
        created = create_record(
            self.model,
            self.services,
            actor=request.user,
            data=self.service_data(request, form, form.cleaned_data),
        )
        obj.__dict__.update(created.__dict__)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Many-to-many values went to the service with the record; inline rows go row by row.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        row_services = getattr(formset, "row_services", None)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if row_services is None:
            if formset.has_changed():
                raise TypeError(f"{type(formset).__name__} is neither audited nor read-only.")
            return
        save_rows(formset, row_services.services, actor=request.user, parent=form.instance)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except DELETE_REFUSALS as error:
            refusal: Exception = error
        messages.error(request, _refusal_message(refusal))
        again = copy.copy(request)
        again.method = "GET"
        again.POST = QueryDict()
        response = super().delete_view(again, object_id, extra_context)
        response.status_code = _refusal_status(refusal, other=422)
        return response

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            raise IncompleteForm from None
        delete_record(self.services, actor=request.user, instance=obj, expected_version=version)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                delete_record(self.services, actor=request.user, instance=obj, expected_version=None)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        try:
            with transaction.atomic():
                return super().changelist_view(request, extra_context)
        except REFUSALS as error:
            messages.error(request, _refusal_message(error))
            return HttpResponseRedirect(request.get_full_path())


@dataclass(frozen=True)
class RowServices:
    """Marks an inline formset as audited, with the services its rows are written through."""

    services: RecordServices | None


def save_rows(formset: Any, services: RecordServices | None, *, actor: Actor, parent: Any) -> None:
    """Write an inline formset's deleted, changed and new rows through the services."""
    fk = formset.fk.name
    for row in formset.initial_forms:
        if row.cleaned_data.get(DELETION_FIELD_NAME):
            delete_record(
                services, actor=actor, instance=row.instance, expected_version=row.expected_version()
            )
            formset.deleted_objects.append(row.instance)
        elif row.has_changed():
            data = form_data(row, row.changed_data, skip=(fk,))
            if data:
                update_record(
                    services,
                    actor=actor,
                    instance=row.instance,
                    data=data,
                    expected_version=row.expected_version(),
                )
                formset.changed_objects.append((row.instance, list(data)))
    for row in formset.extra_forms:
        if not row.has_changed() or row.cleaned_data.get(DELETION_FIELD_NAME):
            continue
        data = form_data(row, row.cleaned_data, skip=(fk,))
        keyword = services.parent if services is not None and services.parent else fk
        formset.new_objects.append(
            create_record(formset.model, services, actor=actor, data={keyword: parent, **data})
        )


class AuditedInline(admin.TabularInline):
    """Inline rows written through the services, each carrying the version it was shown."""

    form = VersionedAdminForm
    services: ClassVar[RecordServices | None] = None
    exclude = ("created_by", "updated_by")
    extra = 0

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return with_version(super().get_fieldsets(request, obj))

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if "fields" not in kwargs:
            kwargs["fields"] = self.get_fieldsets(request, obj)
        if kwargs["fields"] is not None:
            kwargs["fields"] = model_fields(kwargs["fields"])
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"row_services": RowServices(self.services)})


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown in the admin, written only by its own workflow."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """Inline rows shown for reference, written only by their own workflow."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
