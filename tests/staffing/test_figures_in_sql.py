"""The measures and the recruitment pipeline, counted in the database, equal a count over the records;
a recruitment's post is typed by its number, found only among the posts the user may recruit for."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from presence.org.access import Action, restrict
from presence.org.models import Office
from presence.staffing import selectors
from presence.staffing.models import Post, PostAction, Recruitment
from presence.staffing.periods import replay

D = dt.date
USERS = ("admin", "dakar.editor", "afr.approver")


def _measures_by_replay(user, start, end) -> dict[str, tuple[int, ...]]:
    """The report's measures counted action by action, each upgrade's office replayed from the post's
    actions (the definition the stored periods follow)."""
    offices = {o.pk: o for o in Office.objects.select_related("region")}
    actions = list(
        restrict(PostAction.objects.select_related("post"), user, Action.VIEW).filter(
            effective_on__gte=start, effective_on__lte=end
        )
    )
    every: dict[int, list[PostAction]] = defaultdict(list)
    for action in PostAction.objects.filter(post__in={a.post_id for a in actions}):
        every[action.post_id].append(action)
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * 5)

    def region(office_id: int) -> str:
        found = offices[office_id].region
        return found.code if found else "HQ"

    def field(office_id: int) -> bool:
        return offices[office_id].region_id is not None

    for a in actions:
        target = a.to_office_id or a.post.office_id
        deployed = False
        if a.kind == "upgrade" and (a.from_grade, a.to_grade) == ("G6", "P2"):
            state = replay(a.post, every[a.post_id], a.effective_on)
            counts[region(state.office_id if state else a.post.office_id)][0] += 1
        elif a.kind == "creation":
            counts[region(target)][1] += a.to_grade == "P5"
            counts[region(target)][4] += field(target)
            deployed = field(target)
        elif a.kind == "relocation" and a.to_office_id:
            from_hq = a.from_office_id is not None and not field(a.from_office_id)
            counts[region(target)][2] += field(target) and from_hq
            deployed = field(target)
        counts[region(target)][3] += deployed and a.post.sector == "TSB"
    return {code: tuple(values) for code, values in counts.items() if any(values)}


@pytest.mark.parametrize("username", USERS)
def test_the_measures_equal_a_count_of_the_actions(demo, username):
    user = get_user_model().objects.get(username=username)
    start, end = D(2000, 1, 1), D(2030, 12, 31)
    rows = selectors.measures(user=user, start=start, end=end)
    found = {
        row.region: (
            row.g6_to_p2_upgrades,
            row.new_p5_posts,
            row.relocations_to_field,
            row.tsb_field_deployments,
            row.new_field_posts,
        )
        for row in rows[:-1]
    }
    expected = _measures_by_replay(user, start, end)
    assert {code: values for code, values in found.items() if any(values)} == expected
    assert sum(values[0] for values in expected.values()) == rows[-1].g6_to_p2_upgrades
    if username == "admin":
        assert rows[-1].new_field_posts > 0
        assert rows[-1].g6_to_p2_upgrades > 0


@pytest.mark.parametrize("username", USERS)
def test_the_pipeline_equals_a_count_of_the_recruitments(demo, username):
    user = get_user_model().objects.get(username=username)
    pipeline = selectors.recruitment_pipeline(user=user)
    statuses: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(Recruitment.Status.values, 0))
    days: dict[str, list[int]] = defaultdict(list)
    for recruitment in restrict(Recruitment.objects.select_related("post__office"), user, Action.VIEW):
        for key in (recruitment.post.office.code, "total"):
            statuses[key][recruitment.status] += 1
            if recruitment.time_to_fill is not None:
                days[key].append(recruitment.time_to_fill)

    def average(values: list[int]) -> float | None:
        return round(sum(values) / len(values), 1) if values else None

    assert {row.office.code: row.by_status for row in pipeline.rows} == {
        code: counts for code, counts in statuses.items() if code != "total"
    }
    assert {row.office.code: row.average_time_to_fill for row in pipeline.rows} == {
        code: average(days[code]) for code in statuses if code != "total"
    }
    assert pipeline.total is not None
    assert pipeline.total.by_status == statuses["total"]
    assert pipeline.total.average_time_to_fill == average(days["total"])


def _new_recruitment(number: str) -> dict[str, str]:
    return {"vacancy_number": "VA-TYPED-1", "post": number, "status": "open", "opened_on": "2026-01-05"}


def test_a_recruitment_is_opened_on_a_post_typed_by_its_number(demo, client):
    client.force_login(get_user_model().objects.get(username="admin"))
    post = Post.objects.exclude(status=Post.Status.ABOLISHED).order_by("number").first()
    form = client.get(reverse("staffing:recruitment-create") + f"?post={post.number}")
    assert form.status_code == 200
    assert f'value="{post.number}"' in form.content.decode()
    assert "<option" not in form.content.decode().split('name="post"')[1].split("</p>")[0]
    response = client.post(reverse("staffing:recruitment-create"), _new_recruitment(post.number))
    assert response.status_code == 302
    assert Recruitment.objects.get(vacancy_number="VA-TYPED-1").post == post


def test_an_unknown_post_number_is_a_clear_error_at_the_field(demo, client):
    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.post(reverse("staffing:recruitment-create"), _new_recruitment("NO-SUCH-POST"))
    assert response.status_code == 422
    assert "post" in response.context["form"].errors
    assert "No post numbered NO-SUCH-POST" in response.content.decode()
    assert not Recruitment.objects.filter(vacancy_number="VA-TYPED-1").exists()


def test_an_abolished_post_takes_no_recruitment(demo, client):
    client.force_login(get_user_model().objects.get(username="admin"))
    abolished = Post.objects.order_by("number").first()
    Post.objects.filter(pk=abolished.pk).update(status=Post.Status.ABOLISHED)
    response = client.post(reverse("staffing:recruitment-create"), _new_recruitment(abolished.number))
    assert response.status_code == 422
    assert "post" in response.context["form"].errors


def test_an_editor_finds_only_the_posts_of_their_office(demo, client):
    editor = get_user_model().objects.get(username="dakar.editor")
    client.force_login(editor)
    dakar = Office.objects.get(code="dakar")
    elsewhere = Post.objects.exclude(office=dakar).exclude(status=Post.Status.ABOLISHED).first()
    response = client.post(reverse("staffing:recruitment-create"), _new_recruitment(elsewhere.number))
    assert response.status_code == 422
    assert "post" in response.context["form"].errors
    own = Post.objects.filter(office=dakar).exclude(status=Post.Status.ABOLISHED).first()
    response = client.post(reverse("staffing:recruitment-create"), _new_recruitment(own.number))
    assert response.status_code == 302
    assert Recruitment.objects.get(vacancy_number="VA-TYPED-1").post == own
