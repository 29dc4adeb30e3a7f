"""Writes to posts, post actions and recruitments: access and invariants first, then audited saves."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from presence.core import figures
from presence.core.models import AuditEntry
from presence.core.services import (
    Actor,
    diff,
    only_fields,
    snapshot,
    tracked_create,
    tracked_delete,
    tracked_update,
)
from presence.org.access import Action, check
from presence.org.models import Office
from presence.org.writes import checked_delete
from presence.staffing.models import Post, PostAction, Recruitment, category_of
from presence.staffing.periods import rebuild_periods, replay

POST_FIELDS = (
    "number",
    "title",
    "office",
    "unit",
    "category",
    "grade",
    "sector",
    "funding",
    "status",
    "incumbent",
    "start_date",
    "end_date",
    "notes",
)
# Grade and office change only through dated post actions, so the history stays derivable.
POST_UPDATE_FIELDS = tuple(name for name in POST_FIELDS if name not in ("grade", "office", "category"))
PERSONAL_POST_FIELDS = ("incumbent",)
ACTION_FIELDS = (
    "kind",
    "effective_on",
    "from_grade",
    "to_grade",
    "from_office",
    "to_office",
    "reference",
    "notes",
)
RECRUITMENT_FIELDS = (
    "vacancy_number",
    "post",
    "status",
    "opened_on",
    "closed_on",
    "selected_on",
    "on_board_on",
    "selected_candidate",
    "notes",
)


def _require_personal(actor: Actor, post: Post, data: dict[str, Any], fields: tuple[str, ...]) -> None:
    """Only those who may see names may write them."""
    if any(data.get(name) for name in fields):
        check(actor, Action.VIEW_PERSONAL, post)


@transaction.atomic
def post_create(*, actor: Actor, created_on: Any = None, reference: str = "", **data: Any) -> Post:
    """Create a post and, when `created_on` is given, its dated creation action."""
    only_fields(data, POST_FIELDS)
    if not data.get("category") and data.get("grade"):
        data["category"] = category_of(data["grade"])
    post = Post(**data)
    check(actor, Action.ADD, post)
    _require_personal(actor, post, data, PERSONAL_POST_FIELDS)
    post = tracked_create(model=Post, actor=actor, data=data)
    if created_on is not None:
        tracked_create(
            model=PostAction,
            actor=actor,
            data={
                "post": post,
                "kind": PostAction.Kind.CREATION,
                "effective_on": created_on,
                "to_grade": post.grade,
                "to_office": post.office,
                "reference": reference,
            },
        )
    rebuild_periods([post.pk])
    return post


@transaction.atomic
def post_bulk_create(
    *,
    actor: Actor,
    rows: Iterable[Mapping[str, Any]],
    created_on: dt.date,
    reason: str,
    batch_size: int = 500,
) -> list[Post]:
    """Create many posts at once, each with its dated creation action and its audit entry.

    For establishments of hundreds of posts (the headquarters' units, an imported staffing table):
    every row is checked (access, names, model validation) before anything is written, then posts,
    actions and audit entries are inserted in a few bulk queries. A post number already in use
    refuses the whole batch, naming the numbers.
    """
    user: Any = actor if getattr(actor, "is_authenticated", False) else None
    posts: list[Post] = []
    errors: dict[str, list[str]] = {}
    for index, row in enumerate(rows, start=1):
        data = only_fields(row, POST_FIELDS)
        if not data.get("category") and data.get("grade"):
            data["category"] = category_of(data["grade"])
        post = Post(**data, created_by=user, updated_by=user)
        check(actor, Action.ADD, post)
        _require_personal(actor, post, data, PERSONAL_POST_FIELDS)
        try:
            # Foreign keys hold loaded instances (validating them would query per row); uniqueness is
            # checked for the whole batch below.
            post.full_clean(
                exclude=["office", "created_by", "updated_by"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(f"row {index} ({post.number}): {m}" for m in messages)
        posts.append(post)
    numbers = [post.number for post in posts]
    repeated = sorted(number for number, times in Counter(numbers).items() if times > 1)
    taken = sorted(Post.objects.filter(number__in=numbers).values_list("number", flat=True))
    if taken or repeated:
        errors.setdefault("number", []).append(
            _("Post numbers already in use: %(n)s.") % {"n": ", ".join([*taken, *repeated][:20])}
        )
    if errors:
        raise ValidationError(errors)
    created = Post.objects.bulk_create(posts, batch_size=batch_size)
    actions = PostAction.objects.bulk_create(
        [
            PostAction(
                post=post,
                kind=PostAction.Kind.CREATION,
                effective_on=created_on,
                to_grade=post.grade,
                to_office=post.office,
                reference=reason[:100],
                created_by=user,
                updated_by=user,
            )
            for post in created
        ],
        batch_size=batch_size,
    )
    post_type = ContentType.objects.get_for_model(Post)
    action_type = ContentType.objects.get_for_model(PostAction)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=user,
                action=AuditEntry.Action.CREATE,
                content_type=content_type,
                object_id=str(record.pk),
                object_repr=str(record)[:300],
                changes=diff({}, {k: v for k, v in snapshot(record).items() if v not in (None, "", [])}),
                reason=reason,
            )
            for content_type, records in ((post_type, created), (action_type, actions))
            for record in records
        ],
        batch_size=batch_size,
    )
    rebuild_periods([post.pk for post in created], batch_size=batch_size)
    figures.bump("staffing")
    return created


@transaction.atomic
def post_update(*, actor: Actor, post: Post, expected_version: int | None, **data: Any) -> Post:
    only_fields(data, POST_UPDATE_FIELDS)
    check(actor, Action.CHANGE, post)
    changed_personal = tuple(n for n in PERSONAL_POST_FIELDS if n in data and data[n] != getattr(post, n))
    if changed_personal:
        check(actor, Action.VIEW_PERSONAL, post)
    if data.get("status") == Post.Status.ABOLISHED and post.status != Post.Status.ABOLISHED:
        raise ValidationError({"status": _("Abolish a post by recording an abolition action with its date.")})
    post = tracked_update(instance=post, actor=actor, data=data, expected_version=expected_version)
    rebuild_periods([post.pk])
    return post


@transaction.atomic
def post_delete(*, actor: Actor, post: Post, expected_version: int | None) -> None:
    check(actor, Action.DELETE, post)
    if post.recruitments.exists():
        raise ValidationError(
            {"__all__": _("This post has recruitments; abolish it instead of deleting it.")}
        )
    post_id = post.pk
    tracked_delete(instance=post, actor=actor, expected_version=expected_version)
    rebuild_periods([post_id])  # none are left (they went with the post)


@transaction.atomic
def post_action_create(
    *, actor: Actor, post: Post, expected_version: int | None = None, **data: Any
) -> PostAction:
    """Record a dated action and bring the post's current grade, office and status in line with it.

    Actions are replayed by date, so an action dated before a later one changes only the history,
    not the post's current values.
    """
    only_fields(data, ACTION_FIELDS)
    check(actor, Action.CHANGE, post)
    kind = data.get("kind")
    if kind in (PostAction.Kind.UPGRADE, PostAction.Kind.DOWNGRADE) and not data.get("from_grade"):
        data["from_grade"] = post.grade
    if kind == PostAction.Kind.RELOCATION and not data.get("from_office"):
        data["from_office"] = post.office
    if kind == PostAction.Kind.CREATION and not data.get("to_office"):
        data["to_office"] = post.office
    if kind == PostAction.Kind.CREATION and not data.get("to_grade"):
        data["to_grade"] = post.grade
    effective_on = data.get("effective_on")
    if kind == PostAction.Kind.CREATION and post.actions.filter(kind=PostAction.Kind.CREATION).exists():
        raise ValidationError({"kind": _("This post already has a creation action.")})
    if effective_on is not None:
        creation = (
            post.actions.filter(kind=PostAction.Kind.CREATION).values_list("effective_on", flat=True).first()
        )
        if kind != PostAction.Kind.CREATION and creation is not None and effective_on < creation:
            raise ValidationError({"effective_on": _("The post was created on %(d)s.") % {"d": creation}})
        abolished = (
            post.actions.filter(kind=PostAction.Kind.ABOLITION).values_list("effective_on", flat=True).first()
        )
        if abolished is not None and effective_on >= abolished:
            raise ValidationError({"effective_on": _("The post was abolished on %(d)s.") % {"d": abolished}})
    action = tracked_create(model=PostAction, actor=actor, data={**data, "post": post})
    later = post.actions.filter(effective_on__gt=action.effective_on).exclude(pk=action.pk).exists()
    if not later:
        changes: dict[str, Any] = {}
        if kind in (PostAction.Kind.UPGRADE, PostAction.Kind.DOWNGRADE):
            changes = {"grade": action.to_grade, "category": category_of(action.to_grade)}
        elif kind == PostAction.Kind.RELOCATION:
            changes = {"office": action.to_office}
        elif kind == PostAction.Kind.ABOLITION:
            changes = {"status": Post.Status.ABOLISHED, "incumbent": ""}
        if changes:
            _apply_to_post(
                actor=actor, post=post, changes=changes, expected_version=expected_version, action=action
            )
    rebuild_periods([post.pk])
    return action


def _apply_to_post(
    *, actor: Actor, post: Post, changes: dict[str, Any], expected_version: int | None, action: PostAction
) -> None:
    if "office" in changes:
        # Moving a post is a change in the office it joins as well as the one it leaves.
        check(actor, Action.CHANGE, Post(office=changes["office"], pk=post.pk))
    tracked_update(
        instance=post,
        actor=actor,
        data=changes,
        expected_version=expected_version,
        reason=str(
            _("%(kind)s effective %(date)s")
            % {"kind": action.get_kind_display(), "date": action.effective_on}
        ),
    )


@transaction.atomic
def post_action_delete(*, actor: Actor, action: PostAction, expected_version: int | None) -> None:
    """Delete a dated action (recorded in error) and bring the post's current values back in line.

    The post's current grade, office and status are those its remaining actions give after the
    last of them (as when an action is recorded), so the history and the post stay consistent.
    """
    post = Post.objects.select_for_update().get(pk=action.post_id)
    check(actor, Action.DELETE, action)
    _delete_action(actor=actor, post=post, action=action, expected_version=expected_version)
    rebuild_periods([post.pk])


def _delete_action(*, actor: Actor, post: Post, action: PostAction, expected_version: int | None) -> None:
    kind = action.get_kind_display()
    effective_on = action.effective_on
    # The grade and office the post started with, read from all its actions before one goes.
    start = replay(post, list(post.actions.all()), dt.date.max, initial_only=True)
    tracked_delete(instance=action, actor=actor, expected_version=expected_version)
    if start is None:
        return
    base = Post(pk=post.pk, grade=start.grade, office_id=start.office_id)
    state = replay(base, list(post.actions.all()), dt.date.max)
    if state is None:
        return
    changes: dict[str, Any] = {}
    if state.grade != post.grade:
        changes.update(grade=state.grade, category=category_of(state.grade))
    if state.office_id != post.office_id:
        changes["office"] = Office.objects.get(pk=state.office_id)
        check(actor, Action.CHANGE, Post(office=changes["office"], pk=post.pk))
    if post.status == Post.Status.ABOLISHED and not state.abolished:
        changes["status"] = Post.Status.VACANT
    if changes:
        tracked_update(
            instance=post,
            actor=actor,
            data=changes,
            expected_version=None,
            reason=str(_("%(kind)s of %(date)s deleted") % {"kind": kind, "date": effective_on}),
        )


@transaction.atomic
def recruitment_create(*, actor: Actor, **data: Any) -> Recruitment:
    only_fields(data, RECRUITMENT_FIELDS)
    post = data.get("post")
    if not isinstance(post, Post):
        raise ValidationError({"post": _("Choose the post this vacancy fills.")})
    check(actor, Action.ADD, Recruitment(post=post))
    _require_personal(actor, post, data, ("selected_candidate",))
    if post.status == Post.Status.ABOLISHED:
        raise ValidationError({"post": _("The post %(n)s is abolished.") % {"n": post.number}})
    recruitment = tracked_create(model=Recruitment, actor=actor, data=data)
    _fill_post_if_on_board(actor=actor, recruitment=recruitment)
    return recruitment


@transaction.atomic
def recruitment_update(
    *, actor: Actor, recruitment: Recruitment, expected_version: int | None, **data: Any
) -> Recruitment:
    only_fields(data, tuple(n for n in RECRUITMENT_FIELDS if n != "post"))
    check(actor, Action.CHANGE, recruitment)
    if "selected_candidate" in data and data["selected_candidate"] != recruitment.selected_candidate:
        check(actor, Action.VIEW_PERSONAL, recruitment.post)
    was_on_board = recruitment.status == Recruitment.Status.ON_BOARD
    recruitment = tracked_update(
        instance=recruitment, actor=actor, data=data, expected_version=expected_version
    )
    if not was_on_board:
        _fill_post_if_on_board(actor=actor, recruitment=recruitment)
    return recruitment


def _fill_post_if_on_board(*, actor: Actor, recruitment: Recruitment) -> None:
    """The selected candidate's arrival fills the post, in the same transaction."""
    if recruitment.status != Recruitment.Status.ON_BOARD or not recruitment.selected_candidate:
        return
    post = Post.objects.select_for_update().get(pk=recruitment.post_id)
    tracked_update(
        instance=post,
        actor=actor,
        data={
            "status": Post.Status.FILLED,
            "incumbent": recruitment.selected_candidate,
            "start_date": recruitment.on_board_on,
            "end_date": None,
        },
        expected_version=None,
        reason=str(_("Filled by recruitment %(v)s") % {"v": recruitment.vacancy_number}),
    )
    rebuild_periods([post.pk])


@transaction.atomic
def recruitment_delete(*, actor: Actor, recruitment: Recruitment, expected_version: int | None) -> None:
    checked_delete(recruitment, actor=actor, expected_version=expected_version)
