"""One approval workflow: a record is submitted, then approved, or returned with a comment.

Council document versions and quarterly reviews go through it. An `Approval` holds what the app
decides: its statuses, the fields that name who decided and when, who counts as an author (an author
never decides on their own work), its messages (each names its own kind of record) and the access
check. The check is the project's one access mechanism (`org.access.check`), handed in by the app
with the actions each step needs (change to submit, approve to decide), since core imports no app.
Each step is a `tracked_transition`, so a stale version is refused (`VersionConflict`: 412 in the
API, the "changed by someone else" message on pages) and the audit trail records the step, with the
comment of a return as its reason. A step refused in the record's state raises `InvalidTransition`
(409), a decision on one's own work `AccessDenied` (403), a return without comment a
`ValidationError` on `return_comment`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from presence.core.errors import AccessDenied, InvalidTransition
from presence.core.models import TrackedModel
from presence.core.services import Actor, tracked_transition

R = TypeVar("R", bound=TrackedModel)

# check(actor, action, record): raises AccessDenied unless the actor may do the action on the record.
AccessCheck = Callable[[Any, Any, Any], None]


@dataclass(frozen=True)
class Approval:
    """The submit / approve / return steps of one kind of record.

    Messages are lazy translations formatted with `names(record)` (plus `verb`, "approved" or
    "returned" in the reader's language, for `not_in_review`), so each app keeps its own wording.
    """

    check: AccessCheck
    change: Any  # the action submitting needs (Action.CHANGE)
    decide: Any  # the action approving or returning needs (Action.APPROVE)
    submit_from: tuple[str, ...]  # the statuses a record may be submitted from
    in_review: str
    approved: str
    returned: str  # the status a returned record goes back to
    decided: tuple[str, str]  # the fields (who, when) set by an approval
    not_submittable: Any
    not_in_review: Any
    own_work: Any
    comment_required: Any
    names: Callable[[Any], Mapping[str, Any]]
    authors: tuple[str, ...] = ("submitted_by",)  # those who may not decide on the record
    decided_on_return: bool = False  # a return names who decided and when, like an approval

    def say(self, message: Any, record: Any, **more: Any) -> str:
        return str(message % {**self.names(record), **more})

    def refuse_unless_submittable(self, actor: Actor, record: Any) -> None:
        """May `actor` submit `record` now: the access check, then the record's status."""
        self.check(actor, self.change, record)
        if record.status not in self.submit_from:
            raise InvalidTransition(self.say(self.not_submittable, record))

    def refuse_unless_decider(self, actor: Actor, record: Any, verb: str) -> None:
        """May `actor` approve or return `record`: an approver of its scope, not one of its authors,
        on a record in review. `verb` is the step the message names ("approved", "returned")."""
        self.check(actor, self.decide, record)
        if record.status != self.in_review:
            raise InvalidTransition(self.say(self.not_in_review, record, verb=verb))
        authors = {getattr(record, f"{name}_id") for name in self.authors} - {None}
        if actor is not None and actor.pk in authors:
            raise AccessDenied(self.say(self.own_work, record))

    @transaction.atomic
    def submit(
        self,
        *,
        actor: Actor,
        record: R,
        expected_version: int | None,
        ready: Callable[[], None] | None = None,
    ) -> R:
        """Submit for review. `ready` runs after the status check and raises what keeps the record
        from being submitted (a ValidationError naming the missing fields)."""
        self.refuse_unless_submittable(actor, record)
        if ready is not None:
            ready()
        return tracked_transition(
            actor=actor,
            instance=record,
            expected_version=expected_version,
            data={
                "status": self.in_review,
                "submitted_by": actor,
                "submitted_at": timezone.now(),
                "return_comment": "",
            },
        )

    @transaction.atomic
    def approve(
        self,
        *,
        actor: Actor,
        record: R,
        expected_version: int | None,
        then: Callable[[], Mapping[str, Any]] | None = None,
    ) -> R:
        """Approve a record in review; `then` gives further values to store with the approval,
        computed once the decision is allowed (a Council version's frozen figures)."""
        self.refuse_unless_decider(actor, record, _("approved"))
        by, at = self.decided
        data = {"status": self.approved, by: actor, at: timezone.now(), **(then() if then else {})}
        return tracked_transition(actor=actor, instance=record, expected_version=expected_version, data=data)

    @transaction.atomic
    def return_(self, *, actor: Actor, record: R, expected_version: int | None, comment: str) -> R:
        """Send a record in review back to its author, saying what must change (required)."""
        self.refuse_unless_decider(actor, record, _("returned"))
        comment = comment.strip()
        if not comment:
            raise ValidationError({"return_comment": self.say(self.comment_required, record)})
        data: dict[str, Any] = {"status": self.returned, "return_comment": comment}
        if self.decided_on_return:
            by, at = self.decided
            data.update({by: actor, at: timezone.now()})
        return tracked_transition(
            actor=actor, instance=record, expected_version=expected_version, data=data, reason=comment
        )
