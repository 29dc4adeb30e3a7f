"""Pages for offices and regions, and the user's account (roles and API tokens)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied
from presence.core.filtering import list_page
from presence.core.forms import add_service_error
from presence.core.selectors import get_or_404
from presence.core.views import create_from, delete_confirmation, form_page, update_from
from presence.org import selectors, services
from presence.org.access import Action, can_anywhere, check
from presence.org.filters import OfficeFilter
from presence.org.forms import OfficeForm, TokenForm
from presence.org.models import Office, PersonalAccessToken
from presence.org.pages import record_page


@login_required
def office_list(request: HttpRequest) -> HttpResponse:
    def rows(offices: Any) -> Iterator[dict[str, Any]]:
        for o in offices:
            yield {
                "code": o.code,
                "name": o.localized_name,
                "kind": o.get_kind_display(),
                "region": o.region.code if o.region else "",
                "city": o.localized_city,
                "country": o.country.name,
                "covered_countries": getattr(o, "covered_count", 0),
                "opened_on": o.opened_on,
                "closed_on": o.closed_on,
            }

    return list_page(
        request,
        OfficeFilter,
        lambda filters: selectors.office_list(user=request.user, filters=filters),
        template="org/office_list.html",
        rows=rows,
        context=lambda offices, page: {"can_add": can_anywhere(request.user, Action.ADD, Office)},
    )


@login_required
def office_detail(request: HttpRequest, code: str) -> HttpResponse:
    office = get_or_404(selectors.office_get, user=request.user, code=code)
    return record_page(request, "org/office_detail.html", office, name="office")


@login_required
def office_create(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, Action.ADD, Office):
        raise AccessDenied(_("You are not allowed to add offices."))
    form = OfficeForm(request.POST or None)
    return form_page(
        request,
        form,
        create_from(request, form, services.office_create),
        template="org/office_form.html",
        context={"office": None},
        done=lambda office: _("Office %(name)s created.") % {"name": office.localized_name},
    )


@login_required
def office_edit(request: HttpRequest, code: str) -> HttpResponse:
    office = get_or_404(selectors.office_list(user=request.user), code=code)
    check(request.user, Action.CHANGE, office)
    form = OfficeForm(request.POST or None, instance=office)
    return form_page(
        request,
        form,
        update_from(request, form, services.office_update, office=office),
        template="org/office_form.html",
        context={"office": office},
        done=lambda saved: _("Office %(name)s saved.") % {"name": saved.name},
    )


@login_required
def office_delete(request: HttpRequest, code: str) -> HttpResponse:
    office = get_or_404(selectors.office_list(user=request.user), code=code)
    return delete_confirmation(
        request,
        record=office,
        delete=lambda version: services.office_delete(
            actor=request.user, office=office, expected_version=version
        ),
        after=reverse("org:office-list"),
        label=office.localized_name,
        done=_("Office %(name)s deleted.") % {"name": office.localized_name},
        warning=_("Its coverage goes with it; the audit trail keeps its last values."),
    )


@login_required
def region_list(request: HttpRequest) -> HttpResponse:
    return render(request, "org/region_list.html", {"regions": selectors.region_list(user=request.user)})


@login_required
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = get_or_404(selectors.region_get, user=request.user, code=code)
    return render(
        request,
        "org/region_detail.html",
        {
            "region": region,
            "offices": selectors.region_offices(user=request.user, region=region),
            "countries": selectors.country_list(user=request.user, region=region.code),
        },
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = ""
    if request.method == "POST" and form.is_valid():
        try:
            _record, new_token = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                access=form.cleaned_data["access"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            form = TokenForm()
    response = render(
        request,
        "org/account.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": PersonalAccessToken.objects.filter(user=cast(Any, request.user)),
            "assignments": selectors.role_assignments_for(user=request.user),
        },
    )
    # The page may show a new token: no browser or proxy may keep a copy.
    add_never_cache_headers(response)
    return response


@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_or_404(PersonalAccessToken.objects.filter(user=cast(Any, request.user)), pk=pk)
    if request.method == "POST":
        services.token_revoke(user=request.user, token=token)
        messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("org:account")
