"""A post's stored periods: equal to replaying its actions, kept so by every write, read by the counts."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F, Q

from presence.core.errors import VersionConflict
from presence.core.scale import build_copies
from presence.interchange import services as interchange
from presence.interchange import sheets
from presence.interchange.models import Job
from presence.org import scale as org_scale
from presence.org.access import Action, restrict
from presence.org.models import Office
from presence.staffing import demo as staffing_demo
from presence.staffing import periods, selectors, services
from presence.staffing.filters import HQ
from presence.staffing.models import GRADE_ORDER, Grade, Post, PostAction, PostPeriod, Recruitment
from tests.core.test_admin import change_form, flat
from tests.interchange.test_sheets import csv_bytes, upload

D = dt.date


def stored() -> dict[int, list[tuple[Any, ...]]]:
    """Every post's stored periods, in order."""
    rows: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in PostPeriod.objects.order_by("post_id", "valid_from").values_list(
        "post_id", "valid_from", "valid_to", "office_id", "grade", "filled"
    ):
        rows[row[0]].append(row[1:])
    return dict(rows)


def computed() -> dict[int, list[tuple[Any, ...]]]:
    """Every post's periods as `periods_of` gives them from the post and its actions now."""
    actions: dict[int, list[PostAction]] = defaultdict(list)
    for action in PostAction.objects.all():
        actions[action.post_id].append(action)
    rows = {
        post.pk: [
            (p.valid_from, p.valid_to, p.office_id, p.grade, p.filled)
            for p in periods.periods_of(post, actions[post.pk])
        ]
        for post in Post.objects.all()
    }
    return {pk: value for pk, value in rows.items() if value}


def assert_periods_current() -> None:
    assert stored() == computed()
    # The post's own values are copied onto each of its periods.
    copied = PostPeriod.objects.filter(
        sector=F("post__sector"),
        category=F("post__category"),
        funding=F("post__funding"),
        frozen=Q(post__status=Post.Status.FROZEN),
    )
    assert copied.count() == PostPeriod.objects.count()


# --- The periods answer as the replay ---------------------------------------------------------------


def _random_history(actor: Any, rng: random.Random, posts: list[Post], offices: list[Office]) -> int:
    """Dated actions of every kind and occupancy changes on these posts, through the services (those
    they refuse, e.g. dated before the post's creation, are skipped); answers how many were written."""
    written = 0
    for post in posts:
        for _ in range(rng.randint(1, 4)):
            post.refresh_from_db()
            on = D(2012, 1, 1) + dt.timedelta(days=rng.randint(0, 6000))
            kind = rng.choice(["upgrade", "relocation", "abolition", "creation", "occupancy", "occupancy"])
            try:
                if kind == "occupancy":
                    end = rng.choice([None, on + dt.timedelta(days=rng.randint(0, 900))])
                    status = rng.choice(["filled", "filled", "vacant", "frozen"])
                    services.post_update(
                        actor=actor,
                        post=post,
                        expected_version=post.version,
                        status=status,
                        incumbent="A. Person" if status == "filled" else "",
                        start_date=on,
                        end_date=end,
                    )
                elif kind == "upgrade":
                    grade = rng.choice([g for g in Grade.values if g != post.grade])
                    services.post_action_create(
                        actor=actor,
                        post=post,
                        expected_version=post.version,
                        kind="upgrade" if GRADE_ORDER[grade] > GRADE_ORDER[post.grade] else "downgrade",
                        effective_on=on,
                        to_grade=grade,
                    )
                elif kind == "relocation":
                    services.post_action_create(
                        actor=actor,
                        post=post,
                        expected_version=post.version,
                        kind="relocation",
                        effective_on=on,
                        to_office=rng.choice([o for o in offices if o.pk != post.office_id]),
                    )
                else:
                    services.post_action_create(
                        actor=actor, post=post, expected_version=post.version, kind=kind, effective_on=on
                    )
                written += 1
            except ValidationError:
                continue
    return written


def _expected(user: Any, on: dt.date, region: str = "", office: str = "") -> dict[str, Any]:
    """The staffing table, the summary and the staff per office on `on`, replayed post by post."""
    offices = {o.pk: o for o in Office.objects.select_related("region")}
    visible = restrict(Post.objects.all(), user, Action.VIEW)
    posts = list(visible.prefetch_related("actions"))
    states = selectors.post_states_on(posts, on)
    table: dict[tuple[int, str], tuple[Counter[str], Counter[str]]] = {}
    summary: Counter[str] = Counter()
    counts: Counter[int] = Counter()
    for post in posts:
        state = states.get(post.pk)
        if state is None or state.abolished:
            continue
        then = offices[state.office_id]
        if office and then.code != office:
            continue
        if region == HQ and then.region is not None:
            continue
        if region and region != HQ and (then.region is None or then.region.code != region):
            continue
        filled = post.is_filled_on(on)
        counts[state.office_id] += filled
        cell = table.setdefault((state.office_id, state.grade), (Counter(), Counter()))
        cell[0 if filled else 1][post.sector] += 1
        summary["total"] += 1
        summary["filled"] += filled
        summary["frozen"] += not filled and post.status == Post.Status.FROZEN
        summary["hq_posts"] += then.region is None
        for name in ("sector", "category", "funding"):
            summary[f"{name}:{getattr(post, name)}"] += 1
    return {"table": table, "summary": summary, "counts": {k: v for k, v in counts.items() if v}}


def _answered(user: Any, on: dt.date, region: str = "", office: str = "") -> dict[str, Any]:
    """The same figures from the selectors (which read the stored periods)."""
    table = {
        (row.office.pk, row.grade): (
            Counter({k: v for k, v in row.filled.items() if v}),
            Counter({k: v for k, v in row.vacant.items() if v}),
        )
        for row in selectors.staffing_table(user=user, on=on, region=region, office=office)
    }
    s = selectors.staffing_summary(user=user, on=on, region=region, office=office)
    summary = Counter(
        {
            "total": s.total,
            "filled": s.filled,
            "frozen": s.frozen,
            "hq_posts": s.hq_posts,
            **{f"sector:{k}": v for k, v in s.by_sector.items()},
            **{f"category:{k}": v for k, v in s.by_category.items()},
            **{f"funding:{k}": v for k, v in s.by_funding.items()},
        }
    )
    assert s.vacant == s.total - s.filled - s.frozen
    return {"table": table, "summary": +summary}


def test_counts_from_the_periods_equal_the_replay_on_the_demo_with_random_actions(demo, make_user) -> None:
    root = make_user("root-periods", superuser=True)
    afr = make_user("afr-viewer", ("viewer", "AFR"))
    rng = random.Random(14)
    offices = list(Office.objects.all())
    posts = rng.sample(list(Post.objects.order_by("pk")), 60)
    assert _random_history(root, rng, posts, offices) > 60
    assert_periods_current()
    kinds = set(PostAction.objects.filter(post__in=posts).values_list("kind", flat=True))
    assert kinds >= {"creation", "upgrade", "downgrade", "relocation", "abolition"}

    # Days around every change of the sampled posts (the day before, of and after), and a few others.
    changes = set(PostAction.objects.filter(post__in=posts).values_list("effective_on", flat=True))
    changes |= {p.start_date for p in Post.objects.filter(pk__in=[p.pk for p in posts]) if p.start_date}
    around = {day + dt.timedelta(days=delta) for day in changes for delta in (-1, 0, 1)}
    dates = sorted(
        [*rng.sample(sorted(around), 25), D(2000, 1, 1), D(2014, 12, 31), D(2015, 1, 1), D(2035, 1, 1)]
    )

    staff = selectors.staff_counts_by_office_on(dates=dates)
    for on in dates:
        expected = _expected(root, on)
        assert staff[on] == expected["counts"], on
        assert selectors.staff_count_by_office(on=on) == expected["counts"], on
        answered = _answered(root, on)
        assert answered["table"] == expected["table"], on
        assert answered["summary"] == +expected["summary"], on
    for on in dates[::4]:
        for region, office in (("AFR", ""), (HQ, ""), ("", "dakar"), ("ASP", "bangkok")):
            expected, answered = _expected(root, on, region, office), _answered(root, on, region, office)
            assert (answered["table"], answered["summary"]) == (expected["table"], +expected["summary"])
        expected, answered = _expected(afr, on), _answered(afr, on)
        assert (answered["table"], answered["summary"]) == (expected["table"], +expected["summary"])
    dakar = Office.objects.get(code="dakar").pk
    some = selectors.staff_counts_by_office_on(dates=dates[:3], offices=[dakar])
    assert some == {on: {k: v for k, v in staff[on].items() if k == dakar} for on in dates[:3]}


def test_periods_of_a_post_follow_its_creation_changes_occupancy_and_abolition() -> None:
    post = Post(
        pk=1, office_id=7, grade="P3", status="filled", start_date=D(2021, 3, 1), end_date=D(2022, 2, 28)
    )
    actions = [
        PostAction(pk=1, kind="creation", effective_on=D(2020, 1, 1), to_grade="P2", to_office_id=5),
        PostAction(pk=2, kind="relocation", effective_on=D(2021, 1, 1), from_office_id=5, to_office_id=7),
        PostAction(pk=3, kind="upgrade", effective_on=D(2021, 3, 1), from_grade="P2", to_grade="P3"),
        PostAction(pk=4, kind="abolition", effective_on=D(2023, 1, 1)),
    ]
    assert periods.periods_of(post, actions) == [
        periods.Period(D(2020, 1, 1), D(2021, 1, 1), 5, "P2", False),
        periods.Period(D(2021, 1, 1), D(2021, 3, 1), 7, "P2", False),
        periods.Period(D(2021, 3, 1), D(2022, 3, 1), 7, "P3", True),
        periods.Period(D(2022, 3, 1), D(2023, 1, 1), 7, "P3", False),
    ]
    # Without a creation action the post existed from the start, with its current values when unchanged.
    assert periods.periods_of(Post(pk=2, office_id=3, grade="G4", status="vacant"), []) == [
        periods.Period(periods.BEGINNING, None, 3, "G4", False)
    ]


# --- Every write keeps them -------------------------------------------------------------------------


def test_every_service_write_of_a_post_or_an_action_rebuilds_its_periods(admin_user, office) -> None:
    dakar, harare = office("dakar"), office("harare")
    post = services.post_create(
        actor=admin_user,
        number="AFR-900",
        title="Officer",
        office=dakar,
        grade="P3",
        created_on=D(2020, 1, 1),
    )
    assert stored()[post.pk] == [(D(2020, 1, 1), None, dakar.pk, "P3", False)]

    post = services.post_update(
        actor=admin_user,
        post=post,
        expected_version=post.version,
        status="filled",
        incumbent="A. Person",
        start_date=D(2021, 1, 1),
    )
    assert stored()[post.pk] == [
        (D(2020, 1, 1), D(2021, 1, 1), dakar.pk, "P3", False),
        (D(2021, 1, 1), None, dakar.pk, "P3", True),
    ]
    services.post_action_create(
        actor=admin_user, post=post, kind="relocation", effective_on=D(2022, 1, 1), to_office=harare
    )
    post.refresh_from_db()
    upgrade = services.post_action_create(
        actor=admin_user,
        post=post,
        expected_version=post.version,
        kind="upgrade",
        effective_on=D(2023, 1, 1),
        to_grade="P4",
    )
    assert [row[2:4] for row in stored()[post.pk]] == [
        (dakar.pk, "P3"),
        (dakar.pk, "P3"),
        (harare.pk, "P3"),
        (harare.pk, "P4"),
    ]
    assert_periods_current()

    services.post_action_delete(actor=admin_user, action=upgrade, expected_version=upgrade.version)
    assert stored()[post.pk][-1] == (D(2022, 1, 1), None, harare.pk, "P3", True)
    post.refresh_from_db()
    services.post_action_create(
        actor=admin_user,
        post=post,
        expected_version=post.version,
        kind="abolition",
        effective_on=D(2024, 6, 1),
    )
    # An abolished post is no longer filled (its status says so), on any day.
    assert stored()[post.pk] == [
        (D(2020, 1, 1), D(2022, 1, 1), dakar.pk, "P3", False),
        (D(2022, 1, 1), D(2024, 6, 1), harare.pk, "P3", False),
    ]
    assert_periods_current()

    vacant = services.post_create(
        actor=admin_user, number="AFR-901", title="Assistant", office=dakar, grade="G5"
    )
    recruitment = services.recruitment_create(
        actor=admin_user,
        vacancy_number="VA-901",
        post=vacant,
        status="on_board",
        opened_on=D(2024, 1, 1),
        closed_on=D(2024, 2, 1),
        selected_on=D(2024, 3, 1),
        on_board_on=D(2024, 5, 1),
        selected_candidate="B. Person",
    )
    assert stored()[vacant.pk] == [
        (periods.BEGINNING, D(2024, 5, 1), dakar.pk, "G5", False),
        (D(2024, 5, 1), None, dakar.pk, "G5", True),
    ]
    bulk = services.post_bulk_create(
        actor=admin_user,
        rows=[{"number": f"AFR-95{i}", "title": "Clerk", "office": dakar, "grade": "G3"} for i in range(3)],
        created_on=D(2019, 1, 1),
        reason="Establishment",
    )
    assert all(stored()[p.pk] == [(D(2019, 1, 1), None, dakar.pk, "G3", False)] for p in bulk)
    assert_periods_current()

    Recruitment.objects.filter(pk=recruitment.pk).delete()
    vacant.refresh_from_db()
    services.post_delete(actor=admin_user, post=vacant, expected_version=vacant.version)
    assert vacant.pk not in stored()
    assert_periods_current()


def test_a_refused_write_leaves_the_periods_as_they_were(admin_user, office) -> None:
    post = services.post_create(
        actor=admin_user,
        number="AFR-910",
        title="Officer",
        office=office("dakar"),
        grade="P3",
        created_on=D(2020, 1, 1),
    )
    before = stored()
    with pytest.raises(ValidationError):
        services.post_action_create(
            actor=admin_user, post=post, kind="upgrade", effective_on=D(2019, 1, 1), to_grade="P4"
        )
    with pytest.raises(ValidationError):  # not an upgrade
        services.post_action_create(
            actor=admin_user, post=post, kind="upgrade", effective_on=D(2021, 1, 1), to_grade="P2"
        )
    with pytest.raises(VersionConflict):
        services.post_update(actor=admin_user, post=post, expected_version=post.version - 1, status="frozen")
    with pytest.raises(ValidationError):
        services.post_update(
            actor=admin_user,
            post=post,
            expected_version=post.version,
            status="filled",
            start_date=D(2021, 1, 1),
        )
    assert stored() == before
    assert Post.objects.get(pk=post.pk).status == Post.Status.VACANT


def test_posts_imported_from_a_spreadsheet_have_their_periods(admin_user, office) -> None:
    existing = services.post_create(
        actor=admin_user, number="AFR-920", title="Officer", office=office("dakar"), grade="P3"
    )
    header = [column.name for column in sheets.REGISTRY["posts"].columns]

    def row(**values: Any) -> list[Any]:
        return [values.get(name) for name in header]

    rows = [
        row(number="AFR-920", title="Officer", office="dakar", grade="P3", status="filled",
            incumbent="C. Person", start_date="2024-02-01"),
        row(number="AFR-921", title="Assistant", office="dakar", grade="G5"),
    ]  # fmt: skip
    job = interchange.sheet_preview(
        actor=admin_user, kind="posts", upload=upload(csv_bytes([header, *rows]), "p.csv")
    )
    interchange.sheet_confirm(actor=admin_user, job=job)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    dakar = office("dakar").pk
    assert stored()[existing.pk] == [
        (periods.BEGINNING, D(2024, 2, 1), dakar, "P3", False),
        (D(2024, 2, 1), None, dakar, "P3", True),
    ]
    assert stored()[Post.objects.get(number="AFR-921").pk] == [(periods.BEGINNING, None, dakar, "G5", False)]
    assert_periods_current()


def test_posts_added_and_changed_in_the_admin_have_their_periods(demo, client, make_user) -> None:
    root = make_user("root-admin-periods", superuser=True)
    client.force_login(root)
    dakar = Office.objects.get(code="dakar")
    data = flat(change_form(client, "/admin/staffing/post/add/", Post))
    data.update(
        number="AFR-930", title="Analyst", office=str(dakar.pk), category="P", grade="P2", status="vacant"
    )
    assert client.post("/admin/staffing/post/add/", data).status_code == 302
    post = Post.objects.get(number="AFR-930")
    assert stored()[post.pk] == [(periods.BEGINNING, None, dakar.pk, "P2", False)]

    url = f"/admin/staffing/post/{post.pk}/change/"
    data = flat(change_form(client, url, Post))
    data.update(status="filled", incumbent="D. Person", start_date="2025-01-01")
    assert client.post(url, data).status_code == 302
    assert stored()[post.pk] == [
        (periods.BEGINNING, D(2025, 1, 1), dakar.pk, "P2", False),
        (D(2025, 1, 1), None, dakar.pk, "P2", True),
    ]
    assert_periods_current()


def test_rebuilding_every_post_gives_the_stored_periods_of_the_demo(demo) -> None:
    before = stored()
    assert before == computed()
    assert periods.rebuild_all_periods(batch_size=97) == sum(len(rows) for rows in before.values())
    assert stored() == before


def test_the_demo_copied_at_scale_has_each_copy_s_periods(demo) -> None:
    before = PostPeriod.objects.count()
    written = build_copies(
        ["org.Office", *staffing_demo.SCALED],
        [2],
        hooks={"org.Office": org_scale.OfficeCopies()},
        keep=lambda record: isinstance(record, Office) and org_scale.is_kept(record),
    )
    assert written["staffing.PostPeriod"] == before == PostPeriod.objects.count() // 2
    assert_periods_current()
