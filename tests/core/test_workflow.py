"""The one approval workflow (core.workflow.Approval), on its own: its transitions, who may take them,
the comment a return needs, the audit entry and the stale-version refusal.

The record here is a Council document version, but the approval is this test's own (its statuses,
messages and a recording access check), so what is tested is the building block, not the Council
app's use of it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from presence.core.errors import AccessDenied, InvalidTransition, VersionConflict
from presence.core.models import AuditEntry
from presence.core.workflow import Approval
from presence.council.models import CouncilDocument, DocumentVersion
from presence.org.models import Office

Status = DocumentVersion.Status


class Checks:
    """An access check that records what it was asked and refuses the users it is told to."""

    def __init__(self) -> None:
        self.asked: list[tuple[Any, str]] = []
        self.refused: set[int] = set()

    def __call__(self, actor: Any, action: str, record: Any) -> None:
        self.asked.append((actor, action))
        if actor.pk in self.refused:
            raise AccessDenied(f"No {action}.")


def approval(checks: Checks, **options: Any) -> Approval:
    values: dict[str, Any] = {
        "check": checks,
        "change": "change",
        "decide": "approve",
        "submit_from": (Status.DRAFT,),
        "in_review": Status.IN_REVIEW,
        "approved": Status.APPROVED,
        "returned": Status.DRAFT,
        "decided": ("approved_by", "approved_at"),
        "names": lambda record: {"n": record.document.number, "s": record.status},
        "not_submittable": gettext_lazy("%(n)s is %(s)s; not submittable."),
        "not_in_review": gettext_lazy("%(n)s is %(s)s; it cannot be %(verb)s."),
        "own_work": gettext_lazy("%(n)s is yours."),
        "comment_required": gettext_lazy("%(n)s needs a comment."),
    }
    return Approval(**(values | options))


@pytest.fixture
def people(make_user: Any) -> dict[str, Any]:
    return {name: make_user(name) for name in ("author", "submitter", "approver")}


@pytest.fixture
def version(reference: None, people: dict[str, Any]) -> DocumentVersion:
    document = CouncilDocument.objects.create(
        governing_body="Council",
        session="Twentieth meeting",
        number="C-1",
        title="Report",
        year_from=2024,
        year_to=2024,
        languages="en",
        office=Office.objects.get(code="geneva"),
    )
    return DocumentVersion.objects.create(
        document=document,
        language="en",
        number=1,
        date=dt.date(2024, 9, 2),
        body="Text.",
        created_by=people["author"],
    )


def transitions(record: Any) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(object_id=str(record.pk), action=AuditEntry.Action.TRANSITION).order_by(
            "pk"
        )
    )


def test_submit_checks_access_then_state_then_readiness_and_records_the_step(version, people):
    checks = Checks()
    flow = approval(checks)
    order: list[str] = []

    def ready() -> None:
        order.append("ready")
        assert version.status == Status.DRAFT  # runs before anything is written

    submitted = flow.submit(actor=people["submitter"], record=version, expected_version=1, ready=ready)

    assert checks.asked == [(people["submitter"], "change")]
    assert order == ["ready"]
    submitted.refresh_from_db()
    assert submitted.status == Status.IN_REVIEW
    assert submitted.submitted_by == people["submitter"]
    assert submitted.submitted_at is not None
    assert submitted.version == 2
    [entry] = transitions(version)
    assert entry.actor == people["submitter"]
    assert entry.changes["status"] == [Status.DRAFT, Status.IN_REVIEW]

    # Submitted, it cannot be submitted again: the app's message, formatted with its names.
    with pytest.raises(InvalidTransition, match=r"^C-1 is in_review; not submittable\.$"):
        flow.submit(actor=people["submitter"], record=submitted, expected_version=2)


def test_what_keeps_a_record_from_being_submitted_writes_nothing(version, people):
    def ready() -> None:
        raise ValidationError({"body": "Write it first."})

    with pytest.raises(ValidationError) as refused:
        approval(Checks()).submit(actor=people["author"], record=version, expected_version=1, ready=ready)
    assert refused.value.message_dict == {"body": ["Write it first."]}
    version.refresh_from_db()
    assert (version.status, version.version) == (Status.DRAFT, 1)
    assert transitions(version) == []


def test_the_access_check_refuses_before_the_state_is_looked_at(version, people):
    checks = Checks()
    checks.refused.add(people["approver"].pk)
    flow = approval(checks)
    with pytest.raises(AccessDenied, match="No change"):
        flow.submit(actor=people["approver"], record=version, expected_version=1)
    # Not in review either, but the access refusal comes first.
    with pytest.raises(AccessDenied, match="No approve"):
        flow.approve(actor=people["approver"], record=version, expected_version=1)


def test_only_a_record_in_review_is_decided_on(version, people):
    flow = approval(Checks())
    with pytest.raises(InvalidTransition, match=r"^C-1 is draft; it cannot be approved\.$"):
        flow.approve(actor=people["approver"], record=version, expected_version=1)
    with pytest.raises(InvalidTransition, match=r"^C-1 is draft; it cannot be returned\.$"):
        flow.return_(actor=people["approver"], record=version, expected_version=1, comment="Why")


@pytest.mark.parametrize(
    ("authors", "refused"),
    [(("submitted_by",), {"submitter"}), (("submitted_by", "created_by"), {"submitter", "author"})],
)
def test_an_author_never_decides_on_their_own_work(version, people, authors, refused):
    flow = approval(Checks(), authors=authors)
    version = flow.submit(actor=people["submitter"], record=version, expected_version=1)
    for name in ("author", "submitter"):
        if name in refused:
            with pytest.raises(AccessDenied, match=r"^C-1 is yours\.$"):
                flow.approve(actor=people[name], record=version, expected_version=2)
    deciders = [name for name in ("author", "approver") if name not in refused]
    approved = flow.approve(actor=people[deciders[0]], record=version, expected_version=2)
    assert approved.status == Status.APPROVED
    assert approved.approved_by == people[deciders[0]]


def test_approval_stores_the_decider_and_what_the_app_adds_once_allowed(version, people):
    flow = approval(Checks())
    version = flow.submit(actor=people["submitter"], record=version, expected_version=1)
    computed: list[int] = []

    def frozen() -> dict[str, Any]:
        computed.append(1)
        return {"frozen": {"fields": {"x": 1}}}

    with pytest.raises(AccessDenied):
        flow.approve(actor=people["submitter"], record=version, expected_version=2, then=frozen)
    assert computed == []  # nothing computed for a refused decision

    approved = flow.approve(actor=people["approver"], record=version, expected_version=2, then=frozen)
    approved.refresh_from_db()
    assert (approved.status, approved.approved_by, approved.frozen) == (
        Status.APPROVED,
        people["approver"],
        {"fields": {"x": 1}},
    )
    assert approved.approved_at is not None
    assert [e.actor for e in transitions(version)] == [people["submitter"], people["approver"]]


def test_a_return_needs_a_comment_which_the_audit_trail_keeps(version, people):
    flow = approval(Checks())
    version = flow.submit(actor=people["submitter"], record=version, expected_version=1)
    with pytest.raises(ValidationError) as refused:
        flow.return_(actor=people["approver"], record=version, expected_version=2, comment="  \n ")
    assert refused.value.message_dict == {"return_comment": ["C-1 needs a comment."]}

    returned = flow.return_(
        actor=people["approver"], record=version, expected_version=2, comment=" Add the table. "
    )
    returned.refresh_from_db()
    assert (returned.status, returned.return_comment) == (Status.DRAFT, "Add the table.")
    assert returned.approved_by is None  # a return is no approval unless the app says so
    assert transitions(version)[-1].reason == "Add the table."

    # Submitting again clears the comment.
    again = flow.submit(actor=people["submitter"], record=returned, expected_version=3)
    assert again.return_comment == ""


def test_a_return_may_name_who_decided(version, people):
    flow = approval(Checks(), decided_on_return=True)
    version = flow.submit(actor=people["submitter"], record=version, expected_version=1)
    returned = flow.return_(actor=people["approver"], record=version, expected_version=2, comment="Redo")
    assert returned.approved_by == people["approver"]
    assert returned.approved_at is not None


def test_a_step_from_a_stale_version_is_refused_and_writes_nothing(version, people):
    flow = approval(Checks())
    with pytest.raises(VersionConflict) as conflict:
        flow.submit(actor=people["submitter"], record=version, expected_version=7)
    assert (conflict.value.current_version, conflict.value.expected_version) == (1, 7)
    version.refresh_from_db()
    assert (version.status, version.version) == (Status.DRAFT, 1)
    assert transitions(version) == []
