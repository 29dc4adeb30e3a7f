"""Every model that declares a scope, against every role x scope x action, on the demo data.

For each scoped model a demo record placed in AFR and led by Dakar (or the nearest the demo has) is the
sample. For each role on each scope (global, AFR, ASP, the Dakar office):

- decisions: `can` and `restrict` agree with the written rule (the role may do the action on that
  model, and the grant covers the record's region AND its office);
- services: each app's `<thing>_update` / `<thing>_delete` service taking the record, and "add" of a
  copy at the same place through `check`, refuse exactly the cases the rule refuses;
- API: PATCH and DELETE of the record's route refuse exactly those cases;

and every refusal leaves the model's rows, the record's version and the audit trail as they were.
Models with their own region and office fields are also tried with the record misplaced (an AFR
record led by Bangkok, as stored before the rule existed): only global grants cover it.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections import Counter
from collections.abc import Callable, Iterator
from importlib import import_module
from typing import Any

import hypothesis
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.test import Client
from hypothesis import strategies as st

from presence.api import api
from presence.core.errors import AccessDenied
from presence.core.models import AuditEntry
from presence.org.access import Action, allowed_roles, can, check, restrict, scope_of
from presence.org.models import Office, Region, RoleAssignment
from presence.org.placement import placement_fields
from presence.resilience.models import CONFIDENTIAL_POLICY
from tests import demo_db

ROLES = ["viewer", "member_state", "editor", "approver", "hr", "security", "admin"]
SCOPES = ["", "AFR", "ASP", "office:dakar"]
ACTIONS = list(Action)

SCOPED = sorted(
    (m for m in apps.get_models() if getattr(m, "scope", None) and (m.scope.region or m.scope.office)),
    key=lambda m: m._meta.label,
)

# The API route (as the OpenAPI document writes it) of each scoped model's records.
API_ROUTES: dict[str, str] = {
    "org.Office": "/api/org/offices/{code}",
    "portfolio.RegionalInitiative": "/api/portfolio/regional-initiatives/{pk}",
    "portfolio.Project": "/api/portfolio/projects/{code}",
    "portfolio.Funding": "/api/portfolio/fundings/{pk}",
    "portfolio.Budget": "/api/portfolio/budgets/{pk}",
    "portfolio.Transaction": "/api/portfolio/transactions/{pk}",
    "portfolio.ReportingObligation": "/api/portfolio/reporting-obligations/{pk}",
    "results.Activity": "/api/results/activities/{pk}",
    "results.Indicator": "/api/results/indicators/{pk}",
    "results.QuarterlyReview": "/api/results/reviews/{pk}",
    "staffing.Post": "/api/staffing/posts/{pk}",
    "staffing.PostAction": "/api/staffing/posts/{pk}/actions/{action_pk}",
    "staffing.Recruitment": "/api/staffing/recruitments/{pk}",
    "engagement.Event": "/api/engagement/events/{pk}",
    "engagement.StakeholderEngagement": "/api/engagement/engagements/{pk}",
    "engagement.Opportunity": "/api/engagement/opportunities/{pk}",
    "resilience.Assessment": "/api/resilience/assessments/{pk}",
    "resilience.Finding": "/api/resilience/findings/{pk}",
    "resilience.PlanningDocument": "/api/resilience/plans/{pk}",
    "resilience.Installation": "/api/resilience/installations/{pk}",
    "resilience.CrisisCommsRegistration": "/api/resilience/registrations/{pk}",
    "council.CouncilDocument": "/api/council/documents/{pk}",
    "council.DocumentVersion": "/api/council/versions/{pk}",
}
# Record routes of models without a region or office (shared lists and reference lists).
UNSCOPED_ROUTES = {
    "/api/portfolio/exchange-rates/{pk}",
    "/api/portfolio/partners/{pk}",
    "/api/portfolio/agreements/{pk}",  # read by all; writes check the linked projects (tests/portfolio)
    "/api/portfolio/funding-sources/{code}",
    "/api/results/frameworks/{pk}",
    "/api/results/goals/{pk}",
    "/api/results/outcomes/{pk}",
    "/api/results/outputs/{pk}",
    "/api/results/quarters/{pk}",
    "/api/mandates/requests/{pk}",  # headquarters writes; every staff role reads (tests/mandates)
}

FIGURES: Counter[str] = Counter()


@pytest.fixture(scope="module")
def demo_module(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The demo data and one user per role x scope, loaded once and rolled back at the end."""
    with django_db_blocker.unblock(), demo_db.demo_loaded():
        _add_what_the_demo_lacks()
        users = {}
        for role in ROLES:
            for scope in SCOPES:
                user = get_user_model().objects.create_user(f"m-{role}-{scope or 'global'}".replace(":", "-"))
                if scope.startswith("office:"):
                    RoleAssignment.objects.create(
                        user=user, role=role, office=Office.objects.get(code=scope[7:])
                    )
                elif scope:
                    RoleAssignment.objects.create(user=user, role=role, region=Region.objects.get(code=scope))
                else:
                    RoleAssignment.objects.create(user=user, role=role)
                users[role, scope] = user
        yield users


def _add_what_the_demo_lacks() -> None:
    """One record, at Dakar, of the scoped models the demo leaves empty (IATI activities, evidence)."""
    from presence.interchange.models import IatiActivity
    from presence.portfolio.models import Project
    from presence.resilience.models import Evidence, RequirementResult

    project = Project.objects.filter(lead_office__code="dakar", iati__isnull=True).order_by("pk").first()
    if project is not None and not IatiActivity.objects.exists():
        IatiActivity.objects.create(project=project, identifier="XM-DAC-41303-MATRIX", fingerprint="0" * 64)
    result = RequirementResult.objects.filter(assessment__office__code="dakar").order_by("pk").first()
    if result is not None and not Evidence.objects.exists():
        Evidence.objects.create(result=result, file="evidence/matrix.pdf", original_name="matrix.pdf", size=1)


@pytest.fixture(scope="module")
def clients(demo_module: dict[str, Any], django_db_blocker: Any) -> dict[tuple[str, str], Client]:
    """One logged-in client per user, for the module: their sessions are written with the module's data."""
    with django_db_blocker.unblock():
        logged_in = {}
        for key, user in demo_module.items():
            logged_in[key] = Client()
            logged_in[key].force_login(user)
        return logged_in


@pytest.fixture
def users(demo_module: dict[str, Any], db: Any) -> dict[tuple[str, str], Any]:
    return demo_module


@functools.cache
def _openapi_paths() -> dict[str, Any]:
    """The OpenAPI document's paths (built once: building it takes a while)."""
    return api.get_openapi_schema()["paths"]


def _path_to(scope_path: str, attribute: str) -> str:
    return attribute if scope_path == "pk" else f"{scope_path}__{attribute}"


def _sample(model: type[models.Model]) -> models.Model | None:
    """A demo record led by Dakar, else one in AFR, else any."""
    scope = scope_of(model)
    records = model._default_manager.order_by("pk")
    if scope.office:
        found = records.filter(**{_path_to(scope.office, "code"): "dakar"}).first()
        if found is not None:
            return found
    if scope.region:
        found = records.filter(**{_path_to(scope.region, "code"): "AFR"}).first()
        if found is not None:
            return found
    return records.first()


def _place(record: models.Model) -> tuple[str | None, str | None, str | None]:
    """(region code, office code, office's region code) of a stored record, read through the ORM."""
    scope = scope_of(type(record))
    paths = {
        "region": _path_to(scope.region, "code") if scope.region else None,
        "office": _path_to(scope.office, "code") if scope.office else None,
        "office_region": (
            ("region__code" if scope.office == "pk" else f"{scope.office}__region__code")
            if scope.office
            else None
        ),
    }
    wanted = [path for path in paths.values() if path]
    row = dict(
        zip(
            wanted, type(record)._default_manager.filter(pk=record.pk).values_list(*wanted).get(), strict=True
        )
    )
    region, office, office_region = (row.get(path) if path else None for path in paths.values())
    return region, office, office_region


def _covered(scope: str, place: tuple[str | None, str | None, str | None]) -> bool:
    """The written rule: a grant covers a record's region and its office (headquarters has no region)."""
    region, office, office_region = place
    if scope == "":
        return True
    if scope.startswith("office:"):
        return office == scope[7:] and (region is None or office_region is None or region == office_region)
    if region is not None:
        return region == scope and (office is None or office_region in (None, scope))
    return office is not None and office_region == scope


def _expected(model: type[models.Model], role: str, scope: str, action: Action, place: Any) -> bool:
    if role not in allowed_roles(model, action):
        return False
    if action in getattr(model, "unscoped_actions", ()):
        return True
    return _covered(scope, place)


def _written(model: type[models.Model], role: str, scope: str, action: Action, place: Any) -> bool:
    """The rule for writes through services and the API: confidential resilience records are stricter
    still (the security role, or administrators with a global grant; `resilience.confidential`)."""
    if getattr(model, "access_policy", None) is CONFIDENTIAL_POLICY and role == "admin" and scope:
        return False
    return _expected(model, role, scope, action, place)


def _add_place(model: type[models.Model], place: Any) -> tuple[str | None, str | None, str | None]:
    """Where a copy of the record sits before it is saved: a path through its own key leads nowhere."""
    scope = scope_of(model)
    region, office, office_region = place
    if scope.office == "pk":
        office = office_region = None
    if scope.region == "pk":
        region = None
    return region, office, office_region


def _state(model: type[models.Model], record: models.Model) -> tuple[int, int, Any]:
    version = model._default_manager.filter(pk=record.pk).values_list("version", flat=True).first()
    return model._default_manager.count(), AuditEntry.objects.count(), version


def _services(model: type[models.Model]) -> dict[str, tuple[Callable[..., Any], str]]:
    """The app's update and delete services taking a record of `model`: {"change"|"delete": (fn, param)}."""
    found: dict[str, tuple[Callable[..., Any], str]] = {}
    module = import_module(f"presence.{model._meta.app_label}.services")
    for name, function in inspect.getmembers(module, inspect.isfunction):
        if name.startswith("_") or not name.endswith(("_update", "_delete")) or name.startswith("tracked_"):
            continue
        params = inspect.signature(function).parameters
        names = inspect.unwrap(function).__globals__
        record_params = [p.name for p in params.values() if names.get(str(p.annotation)) is model]
        required = {
            p.name
            for p in params.values()
            if p.default is inspect.Parameter.empty and p.kind is inspect.Parameter.KEYWORD_ONLY
        }
        if len(record_params) != 1 or required - {"actor", "expected_version", record_params[0]}:
            continue
        found["change" if name.endswith("_update") else "delete"] = (function, record_params[0])
    return found


def _call_service(function: Callable[..., Any], param: str, user: Any, record: models.Model) -> None:
    kwargs: dict[str, Any] = {"actor": user, param: type(record)._default_manager.get(pk=record.pk)}
    if "expected_version" in inspect.signature(function).parameters:
        kwargs["expected_version"] = getattr(record, "version", None)
    function(**kwargs)


def _misplace(model: type[models.Model], record: models.Model) -> bool:
    """Store the record in AFR led by Bangkok, as before the rule; False when the model cannot be."""
    fields = placement_fields(model)
    if fields is None:
        return False
    region_field, office_field = fields
    model._default_manager.filter(pk=record.pk).update(
        **{region_field: Region.objects.get(code="AFR"), office_field: Office.objects.get(code="bangkok")}
    )
    return True


def _api_url(model: type[models.Model], record: models.Model) -> str | None:
    route = API_ROUTES.get(model._meta.label)
    if route is None:
        return None
    if "{action_pk}" in route:  # a post action sits under its post
        return route.format(pk=getattr(record, "post_id", ""), action_pk=record.pk)
    return route.format(pk=record.pk, code=getattr(record, "code", ""))


def _api_methods(model: type[models.Model]) -> list[str]:
    route = API_ROUTES.get(model._meta.label)
    operations = _openapi_paths().get(route, {}) if route else {}
    return [method for method in ("patch", "delete") if method in operations]


def test_every_record_route_with_writes_is_mapped_to_a_scoped_model_or_known_unscoped() -> None:
    routes = {
        path
        for path, operations in _openapi_paths().items()
        if path.endswith("}") and ("patch" in operations or "delete" in operations)
    }
    assert routes - set(API_ROUTES.values()) - UNSCOPED_ROUTES == set()
    labels = {m._meta.label for m in SCOPED}
    assert set(API_ROUTES) <= labels


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m._meta.label)
def test_scoped_model_access_matrix(
    users: dict[tuple[str, str], Any], clients: dict[tuple[str, str], Client], model: type[models.Model]
) -> None:
    sample = _sample(model)
    if sample is None:
        pytest.skip(f"the demo has no {model._meta.verbose_name}")
    services = _services(model)
    url = _api_url(model, sample)
    methods = _api_methods(model)
    variants = [False, True] if placement_fields(model) else [False]
    cases = 0
    for misplaced in variants:
        with transaction.atomic():
            if misplaced:
                _misplace(model, sample)
            place = _place(sample)
            record = model._default_manager.get(pk=sample.pk)
            for (role, scope), user in users.items():
                for action in ACTIONS:
                    expected = _expected(model, role, scope, action, place)
                    assert can(user, action, record) is expected, (role, scope, action, place)
                    listed = restrict(model._default_manager.filter(pk=record.pk), user, action).exists()
                    assert listed is expected, (role, scope, action, place, "restrict")
                    cases += 2
                # "add": a copy of the record at the same place, as the services check it.
                draft = model._default_manager.get(pk=record.pk)
                draft.pk = None
                before = _state(model, record)
                allowed = _expected(model, role, scope, Action.ADD, _add_place(model, place))
                if allowed:
                    check(user, Action.ADD, draft)
                else:
                    with pytest.raises(AccessDenied):
                        check(user, Action.ADD, draft)
                assert _state(model, record) == before
                cases += 1
                for action_name, (function, param) in services.items():
                    action = Action(action_name)
                    allowed = _written(model, role, scope, action, place)
                    before = _state(model, record)
                    with transaction.atomic():
                        try:
                            _call_service(function, param, user, record)
                        except AccessDenied:
                            assert not allowed, (role, scope, action_name, function.__name__, place)
                            assert _state(model, record) == before
                        except Exception:  # a business rule refused it, after access was granted
                            assert allowed, (role, scope, action_name, function.__name__, place)
                        else:
                            assert allowed, (role, scope, action_name, function.__name__, place)
                        transaction.set_rollback(True)
                    cases += 1
                if url is None:
                    continue
                client = clients[role, scope]
                for method in methods:
                    action = Action.CHANGE if method == "patch" else Action.DELETE
                    allowed = _written(model, role, scope, action, place)
                    before = _state(model, record)
                    with transaction.atomic():
                        version = before[2]
                        headers = {"If-Match": f'"{record.pk}-{version}"'}
                        if method == "patch":
                            response = client.patch(
                                url, json.dumps({}), content_type="application/json", headers=headers
                            )
                        else:
                            response = client.delete(url, headers=headers)
                        refused = response.status_code in (403, 404)
                        assert refused is not allowed, (role, scope, method, url, response.status_code, place)
                        if refused:
                            assert _state(model, record) == before
                        transaction.set_rollback(True)
                    cases += 1
            transaction.set_rollback(True)
    FIGURES[model._meta.label] = cases
    print(f"\n{model._meta.label}: {cases} cases; services {sorted(services)}; api {methods}")
    assert cases > 0


# restrict() and can() agree --------------------------------------------------------------------------------

SCOPE_MODELS = sorted(
    (m for m in apps.get_models() if getattr(m, "scope", None) is not None), key=lambda m: m._meta.label
)


def _related_paths(model: type[models.Model]) -> list[str]:
    """The relations `record_scope` walks, to read them with the records."""
    scope = scope_of(model)
    paths = set()
    for path in (scope.region, scope.office):
        if path and path != "pk":
            parts = path.split("__")
            paths.update("__".join(parts[:n]) for n in range(1, len(parts)))
    if scope.office and scope.office != "pk":
        paths.add(scope.office)
    return sorted(paths)


@pytest.mark.parametrize("model", SCOPE_MODELS, ids=lambda m: m._meta.label)
def test_restrict_and_can_agree_on_every_demo_record_for_every_demo_user_and_action(
    users: dict[tuple[str, str], Any], model: type[models.Model]
) -> None:
    from presence.org.demo import DEMO_USERS

    people = [get_user_model().objects.get(username=username) for username, *_rest in DEMO_USERS]
    records = list(model._default_manager.select_related(*_related_paths(model)).order_by("pk"))
    checked = 0
    for person in people:
        for action in ACTIONS:
            allowed = set(restrict(model._default_manager.all(), person, action).values_list("pk", flat=True))
            disagree = [r.pk for r in records if can(person, action, r) is not (r.pk in allowed)]
            assert not disagree, (person.username, action, disagree[:10])
            checked += len(records)
    FIGURES[f"agree {model._meta.label}"] = checked


REGION_CODES = ["AFR", "AMS", "ARB", "ASP", "CIS", "EUR", "MUL"]
OFFICE_CODES = [
    "geneva",
    "addis-ababa",
    "dakar",
    "harare",
    "brasilia",
    "cairo",
    "bangkok",
    "new-delhi",
    "moscow",
]
grant_strategy = st.tuples(
    st.sampled_from(ROLES),
    st.one_of(
        st.just(""),
        st.sampled_from(REGION_CODES),
        st.sampled_from([f"office:{code}" for code in OFFICE_CODES]),
    ),
)


@hypothesis.settings(
    max_examples=150, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)
@hypothesis.given(
    grants=st.lists(grant_strategy, min_size=1, max_size=3, unique=True),
    region=st.sampled_from(REGION_CODES),
    office=st.sampled_from(OFFICE_CODES),
    action=st.sampled_from(ACTIONS),
)
def test_restrict_and_can_agree_wherever_a_project_and_its_records_are_placed_even_misplaced(
    users: dict[tuple[str, str], Any], grants: list[tuple[str, str]], region: str, office: str, action: Action
) -> None:
    from presence.portfolio.models import Funding, Project
    from presence.results.models import Indicator

    with transaction.atomic():
        user = get_user_model().objects.create_user(f"h-{len(grants)}-{region}-{office}-{action}")
        for role, scope in grants:
            place = (
                {"office": Office.objects.get(code=scope[7:])}
                if scope.startswith("office:")
                else {"region": Region.objects.get(code=scope)}
                if scope
                else {}
            )
            RoleAssignment.objects.create(user=user, role=role, **place)
        project = Project.objects.filter(fundings__isnull=False).order_by("pk").first()
        assert project is not None
        # Stored directly, as a record written before the rule existed could be.
        Project.objects.filter(pk=project.pk).update(
            region=Region.objects.get(code=region), lead_office=Office.objects.get(code=office)
        )
        Indicator.objects.filter(project=project).update(
            region=Region.objects.get(code=region), office=Office.objects.get(code=office)
        )
        for model, records in (
            (Project, Project.objects.filter(pk=project.pk)),
            (Funding, Funding.objects.filter(project=project)),
            (Indicator, Indicator.objects.filter(project=project)),
        ):
            allowed = set(
                restrict(model._default_manager.filter(pk__in=records), user, action).values_list(
                    "pk", flat=True
                )
            )
            for record in model._default_manager.filter(pk__in=records):
                assert can(user, action, record) is (record.pk in allowed), (
                    model,
                    grants,
                    region,
                    office,
                    action,
                )
        transaction.set_rollback(True)
