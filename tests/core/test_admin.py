"""The admin writes through the versioned, audited path, like the pages and the API.

Every model registered in the admin is either read-only there or saved through its services: a
change made at /admin/<app>/<model>/<pk>/change/ bumps the version and leaves exactly one audit
entry with the values before and after, and a form saved from a stale version is refused on the
form (409) with nothing written.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client, RequestFactory

from presence.core.admin import AuditedAdmin, AuditedInline
from presence.core.models import AuditEntry, TrackedModel
from presence.core.services import tracked_update
from presence.engagement.models import Event, Opportunity
from presence.org import services as org_services
from presence.portfolio.models import Partner, Project
from presence.resilience import services as resilience_services
from presence.resilience.models import AssessmentTemplate, Requirement

# Models of Django and of the libraries the project installs: not project records (no version).
THIRD_PARTY_APPS = {"auth", "django_tasks_database", "axes"}


@pytest.fixture
def root(demo: None) -> Any:
    return get_user_model().objects.create_user(
        username="admin-root", password="pw", is_staff=True, is_superuser=True
    )


@pytest.fixture
def admin_client(client: Any, root: Any) -> Any:
    client.force_login(root)
    return client


class _FormReader(HTMLParser):
    """The values a browser would send back from each form of a page (inputs, selects, textareas)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self.data: dict[str, list[str]] | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def add(self, name: str, value: str) -> None:
        assert self.data is not None
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.data = {}
            self.forms.append((a.get("id", ""), self.data))
            return
        if self.data is None or "__prefix__" in a.get("name", ""):
            return
        if tag == "input" and "name" in a:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.add(a["name"], a.get("value") or "on")
                return
            self.add(a["name"], a.get("value", ""))
        elif tag == "select" and "name" in a:
            self.select = a["name"]
            self.data.setdefault(a["name"], [])
        elif tag == "option" and self.select is not None and "selected" in a:
            self.add(self.select, a.get("value", ""))
        elif tag == "textarea" and "name" in a:
            self.textarea = a["name"]
            self.add(a["name"], "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.data = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None and self.data is not None:
            values = self.data[self.textarea]
            values[-1] += data.removeprefix("\n") if not values[-1] else data


def page_forms(client: Any, url: str) -> list[tuple[str, dict[str, list[str]]]]:
    response = client.get(url)
    assert response.status_code == 200, url
    reader = _FormReader()
    reader.feed(response.content.decode())
    return reader.forms


def change_form(client: Any, url: str, model: type[models.Model]) -> dict[str, list[str]]:
    """The admin's change (or add) form of `model` as the page shows it."""
    wanted = f"{model._meta.model_name}_form"
    found = [data for form_id, data in page_forms(client, url) if form_id == wanted]
    assert found, f"no {wanted} at {url}"
    return found[0]


def edit_form(client: Any, url: str) -> dict[str, list[str]]:
    """The form of a record's edit page (the one carrying the record's version)."""
    found = [data for _, data in page_forms(client, url) if "version" in data]
    assert found, f"no versioned form at {url}"
    return found[0]


def flat(data: dict[str, list[str]]) -> dict[str, Any]:
    return {name: values if len(values) != 1 else values[0] for name, values in data.items()}


def _longer(model: type[models.Model], name: str, value: str) -> str:
    limit = getattr(model._meta.get_field(name), "max_length", None) or 10_000
    return (value + " (revised)")[:limit] if len(value) + 10 <= limit else "Revised"[:limit]


# The field an admin edit changes, for models without a text field to revise.
EDITS: dict[str, Callable[[list[str]], str]] = {
    "portfolio.exchangerate.rate_to_chf": lambda v: str(Decimal(v[0]) + Decimal("0.01")),
    "results.reportingperiod.submission_deadline": lambda v: str(
        dt.date.fromisoformat(v[0]) + dt.timedelta(days=1)
    ),
    "resilience.resiliencesettings.plan_warning_days": lambda v: str(int(v[0]) + 1),
    "org.roleassignment.role": lambda v: "viewer" if v[0] != "viewer" else "editor",
}
TEXT_FIELDS = ("notes", "title", "name", "text", "description", "organization")


def edit(model: type[models.Model], data: dict[str, list[str]]) -> tuple[str, dict[str, Any]]:
    """One harmless change to the form's values: which field, and the values to post."""
    changed: dict[str, Any] = {
        name: values if len(values) != 1 else values[0] for name, values in data.items()
    }
    for key, change in EDITS.items():
        label, field = key.rsplit(".", 1)
        if label == model._meta.label_lower:
            changed[field] = change(data[field])
            return field, changed
    for field in TEXT_FIELDS:
        if field in data:
            changed[field] = _longer(model, field, data[field][0])
            return field, changed
    raise AssertionError(f"Tell the test which field of {model._meta.label} to change (EDITS).")


def _audit(record: models.Model) -> Any:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=str(record.pk)
    )


def _is_read_only(model_admin: Any, request: Any, *inline_of: Any) -> bool:
    return not (
        model_admin.has_add_permission(request, *inline_of)
        or model_admin.has_change_permission(request, *inline_of)
        or model_admin.has_delete_permission(request, *inline_of)
    )


# Records the demo does not hold, made through their services for the test.
MAKE: dict[str, Callable[[Any], Any]] = {
    "org.PersonalAccessToken": lambda user: org_services.token_create(user=user, name="admin test")[0],
    "resilience.ResilienceSettings": lambda user: resilience_services.settings_update(
        actor=user, expected_version=None, plan_warning_days=30
    ),
}


REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
PROJECT_ADMINS = [(m, a) for m, a in REGISTERED if m._meta.app_label not in THIRD_PARTY_APPS]


def test_admin_registers_no_other_library_models_than_the_known_ones() -> None:
    labels = {model._meta.app_label for model, _ in REGISTERED}
    project = {model._meta.app_label for model, _ in PROJECT_ADMINS}
    assert labels - project <= THIRD_PARTY_APPS
    assert all(model.__module__.startswith("presence.") for model, _ in PROJECT_ADMINS)


@pytest.mark.parametrize(
    ("model", "model_admin"), PROJECT_ADMINS, ids=[m._meta.label for m, _ in PROJECT_ADMINS]
)
def test_every_admin_model_is_read_only_or_changes_through_the_versioned_audited_path(
    model: type[models.Model], model_admin: admin.ModelAdmin, admin_client: Any, root: Any
) -> None:
    request = RequestFactory().get("/admin/")
    request.user = root
    record = model._default_manager.order_by("pk").first()
    if record is None and model._meta.label in MAKE:
        record = MAKE[model._meta.label](root)
    assert record is not None, f"the demo has no {model._meta.label}"
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{record.pk}/change/"
    entries = AuditEntry.objects.count()
    state = dict(vars(model_admin))  # the admin instance is shared by every request: it keeps nothing
    if _is_read_only(model_admin, request):
        assert admin_client.post(url, {}).status_code == 403
        assert admin_client.post(url.replace("/change/", "/delete/"), {"post": "yes"}).status_code == 403
        assert model._default_manager.filter(pk=record.pk).exists()
        assert AuditEntry.objects.count() == entries
        assert vars(model_admin) == state
        return
    assert isinstance(model_admin, AuditedAdmin), f"{model._meta.label} is editable outside the audited path"
    assert issubclass(model, TrackedModel)
    for inline in model_admin.get_inline_instances(request, record):
        assert _is_read_only(inline, request, record) or isinstance(inline, AuditedInline), inline

    data = change_form(admin_client, url, model)
    last = _last_entry()
    assert data["version"] == [str(record.version)], "the form carries the version it was shown"
    assert not {"created_by", "updated_by"} & set(data), "authorship is set by the write"
    field, posted = edit(model, data)
    response = admin_client.post(url, posted)
    assert response.status_code == 302, response.content.decode()[:3000]
    after = model._default_manager.get(pk=record.pk)
    assert after.version == record.version + 1
    new = list(_audit(record).filter(pk__gt=last))
    assert len(new) == 1, [(e.action, e.changes) for e in new]
    assert new[0].action == "update"
    assert new[0].actor == root
    assert field in new[0].changes
    before_value, after_value = new[0].changes[field]
    assert before_value != after_value

    # The same form again, from the version it was shown: refused on the form, nothing written.
    field, stale = edit(
        model, {name: value if isinstance(value, list) else [value] for name, value in posted.items()}
    )
    entries = AuditEntry.objects.count()
    response = admin_client.post(url, stale)
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert model._default_manager.get(pk=record.pk).version == record.version + 1
    assert AuditEntry.objects.count() == entries
    assert vars(model_admin) == state


def _last_entry() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.fixture
def converted(demo: None, root: Any) -> Opportunity:
    """An opportunity that became a project (its amount and deletion belong to the project now)."""
    opportunity = Opportunity.objects.filter(project__isnull=True).order_by("-pk").first()
    assert opportunity is not None
    return tracked_update(
        instance=opportunity, actor=root, data={"project": Project.objects.first()}, expected_version=None
    )


def _admin_url(record: models.Model, view: str = "change") -> str:
    return f"/admin/{record._meta.app_label}/{record._meta.model_name}/{record.pk}/{view}/"


EDIT_PAGES = {
    "engagement.Event": "/engagement/events/{pk}/edit/",
    "engagement.StakeholderEngagement": "/engagement/stakeholders/{pk}/edit/",
    "engagement.Opportunity": "/engagement/opportunities/{pk}/edit/",
    "staffing.Post": "/staffing/posts/{pk}/edit/",
    "staffing.Recruitment": "/staffing/recruitments/{pk}/edit/",
}


@pytest.mark.parametrize("label", list(EDIT_PAGES))
def test_admin_edit_then_an_editors_stale_form_save_is_refused_with_409(
    label: str, admin_client: Any, make_user: Callable[..., Any]
) -> None:
    model = next(m for m in admin.site._registry if m._meta.label == label)
    record = model._default_manager.filter(project__isnull=True).first() if model is Opportunity else None
    record = record or model._default_manager.order_by("pk").first()
    editor = Client()
    editor.force_login(make_user(f"editor-{model._meta.model_name}", ("editor",), ("hr",)))
    page = EDIT_PAGES[label].format(pk=record.pk)
    editors_form = edit_form(editor, page)
    assert editors_form["version"] == [str(record.version)]

    field, posted = edit(model, change_form(admin_client, _admin_url(record), model))
    assert admin_client.post(_admin_url(record), posted).status_code == 302
    admins_value = getattr(model._default_manager.get(pk=record.pk), field)
    entries = AuditEntry.objects.count()

    # The editor saves the form opened before the admin's change: refused, the admin's value stays.
    other = "notes" if field != "notes" and "notes" in editors_form else field
    response = editor.post(page, {**flat(editors_form), other: "Editor's overwrite"})
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    current = model._default_manager.get(pk=record.pk)
    assert getattr(current, field) == admins_value
    assert current.version == record.version + 1
    assert AuditEntry.objects.count() == entries


def test_admin_keeps_no_per_request_state_on_the_shared_model_admin(admin_client: Any) -> None:
    model_admin = admin.site._registry[Event]
    state = dict(vars(model_admin))
    event = Event.objects.order_by("pk").first()
    assert event is not None
    _field, posted = edit(Event, change_form(admin_client, _admin_url(event), Event))
    assert admin_client.post(_admin_url(event), posted).status_code == 302
    assert admin_client.post(_admin_url(event), posted).status_code == 409  # the same, now stale
    delete = admin_client.post(_admin_url(event, "delete"), {"post": "yes", "version": event.version})
    assert delete.status_code == 409
    assert vars(model_admin) == state


def test_a_refusal_on_one_request_does_not_reach_the_next(admin_client: Any) -> None:
    event = Event.objects.order_by("pk").first()
    assert event is not None
    data = change_form(admin_client, _admin_url(event), Event)
    _, posted = edit(Event, data)
    assert admin_client.post(_admin_url(event), posted).status_code == 302
    assert admin_client.post(_admin_url(event), posted).status_code == 409
    fresh = admin_client.get(_admin_url(event))
    assert fresh.status_code == 200
    assert "changed by someone else" not in fresh.content.decode()


def test_admin_delete_refuses_a_stale_version_then_deletes_through_the_service(admin_client: Any) -> None:
    event = Event.objects.order_by("pk").first()
    assert event is not None
    form = next(data for _, data in page_forms(admin_client, _admin_url(event, "delete")) if "post" in data)
    assert form["version"] == [str(event.version)]
    _, posted = edit(Event, change_form(admin_client, _admin_url(event), Event))
    assert admin_client.post(_admin_url(event), posted).status_code == 302  # someone else's change

    response = admin_client.post(_admin_url(event, "delete"), flat(form))
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert Event.objects.filter(pk=event.pk).exists()

    incomplete = admin_client.post(_admin_url(event, "delete"), {"post": "yes"})
    assert incomplete.status_code == 400
    assert Event.objects.filter(pk=event.pk).exists()

    response = admin_client.post(_admin_url(event, "delete"), {"post": "yes", "version": event.version + 1})
    assert response.status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()
    deletion = _audit(event).get(action="delete")
    assert deletion.changes["title"] == [event.title, None]


def test_admin_bulk_delete_is_audited_per_record_and_refused_as_a_whole(
    admin_client: Any, converted: Opportunity
) -> None:
    free = list(Opportunity.objects.filter(project__isnull=True).order_by("pk")[:2])
    assert len(free) == 2
    action = {"action": "delete_selected", "post": "yes"}

    response = admin_client.post(
        "/admin/engagement/opportunity/", {**action, "_selected_action": [free[0].pk, converted.pk]}
    )
    assert response.status_code == 302
    assert Opportunity.objects.filter(pk__in=[free[0].pk, converted.pk]).count() == 2
    assert not _audit(free[0]).filter(action="delete").exists()
    assert "became a project" in admin_client.get(response["Location"]).content.decode()

    response = admin_client.post(
        "/admin/engagement/opportunity/", {**action, "_selected_action": [o.pk for o in free]}
    )
    assert response.status_code == 302
    assert not Opportunity.objects.filter(pk__in=[o.pk for o in free]).exists()
    assert [_audit(o).filter(action="delete").count() for o in free] == [1, 1]


def test_a_service_refusal_in_the_admin_is_shown_on_the_form_and_nothing_is_written(
    admin_client: Any, converted: Opportunity
) -> None:
    data = flat(change_form(admin_client, _admin_url(converted), Opportunity))
    entries = AuditEntry.objects.count()
    response = admin_client.post(_admin_url(converted), {**data, "amount": "1", "title": "Renamed"})
    assert response.status_code == 409
    assert "change the project&#x27;s funding instead" in response.content.decode()
    assert Opportunity.objects.get(pk=converted.pk).title == converted.title
    assert AuditEntry.objects.count() == entries


def test_admin_add_creates_through_the_service_with_one_audit_entry(admin_client: Any, root: Any) -> None:
    data = flat(change_form(admin_client, "/admin/portfolio/partner/add/", Partner))
    data.update(name="Admin-made partner", organisation_type="10")
    response = admin_client.post("/admin/portfolio/partner/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    partner = Partner.objects.get(name="Admin-made partner")
    assert (partner.version, partner.created_by) == (1, root)
    assert [(e.action, e.changes["name"]) for e in _audit(partner)] == [
        ("create", [None, "Admin-made partner"])
    ]


def _template_with_a_rule(root: Any, *, edition: int, text: str) -> tuple[Any, Any]:
    """A template that is not current, holding one requirement R1 with `text`."""
    template = resilience_services.template_create(
        actor=root,
        kind=AssessmentTemplate.objects.first().kind,
        name="Admin rows",
        edition=edition,
        is_current=False,
    )
    requirement = resilience_services.requirement_create(
        actor=root, template=template, code="R1", text=text, category="Power", weight=1, sort_order=1
    )
    return template, requirement


def test_requirement_rows_in_the_template_admin_are_versioned_and_audited(
    admin_client: Any, root: Any
) -> None:
    template, requirement = _template_with_a_rule(root, edition=99, text="Generator tested")
    url = _admin_url(template)
    data = flat(change_form(admin_client, url, AssessmentTemplate))
    row = next(name.removesuffix("-text") for name in data if name.endswith("-0-text"))
    assert data[f"{row}-version"] == str(requirement.version)
    response = admin_client.post(url, {**data, f"{row}-text": "Generator tested monthly"})
    assert response.status_code == 302, response.content.decode()[:2000]
    requirement.refresh_from_db()
    assert (requirement.text, requirement.version) == ("Generator tested monthly", 2)
    assert [e.changes for e in _audit(requirement).filter(action="update")] == [
        {"text": ["Generator tested", "Generator tested monthly"]}
    ]
    assert not _audit(template).filter(action="update").exists()  # the template itself did not change

    entries = AuditEntry.objects.count()
    response = admin_client.post(url, {**data, f"{row}-text": "Stale row"})
    assert response.status_code == 409
    requirement.refresh_from_db()
    assert requirement.text == "Generator tested monthly"
    assert AuditEntry.objects.count() == entries


def test_account_changes_in_the_admin_are_audited_without_the_password_hash(
    admin_client: Any, root: Any, make_user: Callable[..., Any]
) -> None:
    user = make_user("audited-account")
    url = f"/admin/auth/user/{user.pk}/change/"
    data = flat(change_form(admin_client, url, get_user_model()))
    response = admin_client.post(url, {**data, "is_staff": "on", "first_name": "Awa"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [(e.action, e.actor, e.changes) for e in _audit(user)] == [
        ("update", root, {"first_name": ["", "Awa"], "is_staff": [False, True]})
    ]

    password = admin_client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {
            "usable_password": "true",
            "password1": "Kilimanjaro-2026-snow",
            "password2": "Kilimanjaro-2026-snow",
        },
    )
    assert password.status_code == 302
    user.refresh_from_db()
    assert _audit(user).filter(action="update").first().changes == {"password": [None, "changed"]}

    assert admin_client.post(f"/admin/auth/user/{user.pk}/delete/", {"post": "yes"}).status_code == 302
    deletion = _audit(user).get(action="delete")
    assert deletion.changes["username"] == ["audited-account", None]
    assert all(user.password not in str(entry.changes) for entry in _audit(user))
    assert all(
        "password" not in entry.changes or entry.changes["password"][0] is None for entry in _audit(user)
    )


def test_requirement_rows_added_and_deleted_in_the_template_admin_are_audited(
    admin_client: Any, root: Any
) -> None:
    template, old = _template_with_a_rule(root, edition=98, text="Old rule")
    url = _admin_url(template)
    data = flat(change_form(admin_client, url, AssessmentTemplate))
    prefix = next(name.removesuffix("-TOTAL_FORMS") for name in data if name.endswith("-TOTAL_FORMS"))
    new_row = {
        f"{prefix}-1-sort_order": "2",
        f"{prefix}-1-code": "R2",
        f"{prefix}-1-category": "Power",
        f"{prefix}-1-text": "New rule",
        f"{prefix}-1-weight": "1",
    }
    response = admin_client.post(
        url, {**data, f"{prefix}-0-DELETE": "on", f"{prefix}-TOTAL_FORMS": "2", **new_row}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = Requirement.objects.get(template=template)
    assert (new.code, new.version) == ("R2", 1)
    assert [e.action for e in _audit(new)] == ["create"]
    assert _audit(old).get(action="delete").changes["text"] == ["Old rule", None]
    # The admin's own history of the template names the rows added and deleted.
    logged = LogEntry.objects.filter(object_id=str(template.pk)).order_by("-id").first()
    assert logged is not None
    assert {next(iter(part)) for part in json.loads(logged.change_message)} == {"added", "deleted"}


def test_admin_honours_the_access_rules_of_the_services(
    admin_client: Any, make_user: Callable[..., Any]
) -> None:
    event = Event.objects.filter(region__code="AFR").order_by("pk").first()
    assert event is not None
    data = flat(change_form(admin_client, _admin_url(event), Event))
    staff = make_user("asp-staff", ("editor", "ASP"))
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_event", "change_event"]))
    other = Client()
    other.force_login(staff)
    entries = AuditEntry.objects.count()
    response = other.post(_admin_url(event), {**data, "title": "Moved by another region"})
    assert response.status_code == 403
    assert Event.objects.get(pk=event.pk).title == event.title
    assert AuditEntry.objects.count() == entries


def test_group_changes_in_the_admin_are_audited(admin_client: Any, root: Any) -> None:
    data = flat(change_form(admin_client, "/admin/auth/group/add/", Group))
    assert admin_client.post("/admin/auth/group/add/", {**data, "name": "Auditors"}).status_code == 302
    group = Group.objects.get(name="Auditors")
    url = f"/admin/auth/group/{group.pk}/change/"
    permission = Permission.objects.get(codename="view_event")
    data = flat(change_form(admin_client, url, Group))
    assert admin_client.post(url, {**data, "permissions": [permission.pk]}).status_code == 302
    assert [(e.action, e.actor, e.changes) for e in _audit(group).order_by("id")] == [
        ("create", root, {"name": [None, "Auditors"]}),
        ("update", root, {"permissions": [[], [str(permission)]]}),
    ]
