"""What a record type declares, and the context its builders receive."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models

Grant = tuple[str, ...]  # ("editor", "office:dakar"), ("viewer",), ("editor", "AFR"): see make_user
Record = Any
Path = Callable[[Record], str]


class Ctx:
    """What a builder gets: users by grant (made once per test) and a counter for unique values."""

    def __init__(self, make_user: Callable[..., Any]) -> None:
        self._make_user = make_user
        self._users: dict[Grant, Any] = {}
        self._n = 0
        self._made: dict[str, Any] = {}

    def user(self, grant: Grant) -> Any:
        if grant not in self._users:
            name = "kit-" + "-".join(part.replace(":", "-") for part in grant).lower()
            self._users[grant] = self._make_user(name, grant)
        return self._users[grant]

    @property
    def admin(self) -> Any:
        return self.user(("admin",))

    def once(self, key: str, build: Callable[[], Any]) -> Any:
        """The same record for every builder of one test (the project a funding is created on)."""
        if key not in self._made:
            self._made[key] = build()
        return self._made[key]

    def n(self) -> int:
        """A number new on each call: for codes and titles that must be unique."""
        self._n += 1
        return self._n


@dataclass(frozen=True)
class RecordType:
    """One record type's sample data, URLs and users; the kit's tests run on every declaration.

    Builders take the context (`make`, `form`, `api_payload`, `create_page`, `api_create`)
    or a record (the page and API paths of one record). Leave a URL None where the record type has no
    such page or route: the tests that need it are not generated for it.
    """

    name: str
    model: type[models.Model]
    make: Callable[[Ctx], Record]  # a valid record, written through its service
    shown: Callable[[Record], str]  # text of the record its list and detail page show
    edit: tuple[str, Any]  # (field, new value): the same name in the form, the API and the model
    # Pages
    list_page: str | None = None
    detail_page: Path | None = None
    create_page: Callable[[Ctx], str] | None = None
    edit_page: Path | None = None
    delete_page: Path | None = None
    form: Callable[[Ctx], dict[str, Any]] = lambda ctx: {}  # a valid create form, over the page's initial
    invalid: dict[str, Any] = field(default_factory=dict)  # form values that make the form invalid
    # API
    api_list: str | None = None
    api_detail: Path | None = None
    api_create: Callable[[Ctx], str] | None = None
    api_payload: Callable[[Ctx], dict[str, Any]] = lambda ctx: {}
    api_edit: tuple[str, Any] | None = None  # the edit as the API spells it, when it differs
    api_methods: tuple[str, ...] = ("GET", "PATCH", "DELETE")  # what api_detail answers
    api_id: tuple[str, Callable[[Record], Any]] = ("id", lambda r: r.pk)  # how the API names a record
    # Who
    writer: Grant = ("editor", "office:dakar")
    reader: Grant = ("viewer",)
    refused: tuple[Grant, ...] = (("viewer",), ("editor", "office:cairo"))
    # Where a record's History is shown, when not on its detail page; history=False: shown nowhere
    history_page: Path | None = None
    history: bool = True
    # Filters of its list (page and API) with the value the record `make` builds has, or a function of
    # the record giving it: {"region": "AFR", "project": lambda r: r.project.code}. The kit's filter
    # tests (test_filters.py) refuse a malformed value of each of the list's filters, and check that
    # these narrow the list to the record.
    filters: Mapping[str, str | Callable[[Record], Any]] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name

    def history_url(self, record: Record) -> str | None:
        page = self.history_page or self.detail_page
        return page(record) if page is not None and self.history else None


def pages(base: str, key: Callable[[Record], Any] = lambda r: r.pk) -> dict[str, Any]:
    """The usual pages under `base`: the list, `new/`, and `<key>/`, `<key>/edit/`, `<key>/delete/`."""
    return {
        "list_page": base,
        "detail_page": lambda r: f"{base}{key(r)}/",
        "create_page": lambda ctx: f"{base}new/",
        "edit_page": lambda r: f"{base}{key(r)}/edit/",
        "delete_page": lambda r: f"{base}{key(r)}/delete/",
    }


def api(base: str, key: Callable[[Record], Any] = lambda r: r.pk) -> dict[str, Any]:
    """The usual API routes: the list (POST creates) at `base`, the record at `<base><key>`."""
    return {
        "api_list": base,
        "api_detail": lambda r: f"{base}{key(r)}",
        "api_create": lambda ctx: base,
    }
