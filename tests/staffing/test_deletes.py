"""Deletes with consequences: a post with recruitments stays; a deleted post action leaves the post in line
with the actions that remain. The common tests of posts and recruitments are the kit's (tests/kit/)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from presence.core.models import AuditEntry
from presence.org.models import Office
from presence.staffing import services
from presence.staffing.models import Post, PostAction

D = dt.date


@pytest.fixture
def people(reference, admin_user, make_user):
    return {
        "admin": admin_user,
        "dakar_editor": make_user("dakar-ed", ("editor", "office:dakar")),
        "viewer": make_user("viewer", ("viewer",)),
    }


def make_post(actor, number="DAK-9", office="dakar", grade="G6") -> Post:
    return services.post_create(
        actor=actor,
        number=number,
        title="Programme Assistant",
        office=Office.objects.get(code=office),
        grade=grade,
        created_on=D(2020, 1, 1),
    )


def delete_through_api(client, url: str, record) -> None:
    response = client.delete(url, headers={"If-Match": f'"{record.pk}-{record.version}"'})
    assert response.status_code == 204, response.content


def test_a_post_with_recruitments_is_not_deleted_and_the_page_says_why(people, login):
    post = make_post(people["admin"])
    services.recruitment_create(
        actor=people["admin"], vacancy_number="VA-DAK-9", post=post, opened_on=D(2024, 1, 5)
    )
    client = login(people["admin"])
    response = client.post(reverse("staffing:post-delete", args=[post.pk]), {"version": post.version})
    assert response.status_code == 422
    assert "abolish it instead" in response.content.decode()
    assert Post.objects.filter(pk=post.pk).exists()


def test_deleting_an_upgrade_recorded_in_error_restores_the_posts_grade(people, login):
    post = make_post(people["admin"], grade="G6")
    upgrade = services.post_action_create(
        actor=people["admin"], post=post, kind="upgrade", effective_on=D(2024, 1, 1), to_grade="P2"
    )
    post.refresh_from_db()
    assert (post.grade, post.category) == ("P2", "P")
    client = login(people["dakar_editor"])
    url = reverse("staffing:post-action-delete", args=[post.pk, upgrade.pk])
    assert url in client.get(post.get_absolute_url()).content.decode()
    assert client.post(url, {"version": upgrade.version + 1}).status_code == 409
    assert client.post(url, {"version": upgrade.version}).status_code == 302
    assert not PostAction.objects.filter(pk=upgrade.pk).exists()
    post.refresh_from_db()
    assert (post.grade, post.category) == ("G6", "GS")
    assert AuditEntry.objects.filter(object_id=str(post.pk), reason__contains="deleted").exists()


def test_deleting_a_relocation_or_an_abolition_through_the_api_restores_office_and_status(people, login):
    post = make_post(people["admin"], number="GEN-9", office="geneva", grade="P4")
    move = services.post_action_create(
        actor=people["admin"],
        post=post,
        kind="relocation",
        effective_on=D(2024, 3, 1),
        to_office=Office.objects.get(code="dakar"),
    )
    post.refresh_from_db()
    end = services.post_action_create(
        actor=people["admin"], post=post, kind="abolition", effective_on=D(2024, 9, 1)
    )
    client = login(people["admin"])
    url = f"/api/staffing/posts/{post.pk}/actions/{end.pk}"
    assert client.get(url).headers["ETag"] == f'"{end.pk}-{end.version}"'
    assert client.delete(url).status_code == 428
    delete_through_api(client, url, end)
    post.refresh_from_db()
    assert (post.status, post.office.code) == ("vacant", "dakar")
    delete_through_api(client, f"/api/staffing/posts/{post.pk}/actions/{move.pk}", move)
    post.refresh_from_db()
    assert post.office.code == "geneva"
    assert AuditEntry.objects.filter(action="delete", object_id=str(move.pk)).exists()


def test_a_viewer_cannot_delete_a_post_action(people, login):
    post = make_post(people["admin"])
    upgrade = services.post_action_create(
        actor=people["admin"], post=post, kind="upgrade", effective_on=D(2024, 1, 1), to_grade="P2"
    )
    client = login(people["viewer"])
    url = reverse("staffing:post-action-delete", args=[post.pk, upgrade.pk])
    assert url not in client.get(post.get_absolute_url()).content.decode()
    assert client.post(url, {"version": upgrade.version}).status_code == 403
    api = client.delete(
        f"/api/staffing/posts/{post.pk}/actions/{upgrade.pk}",
        headers={"If-Match": f'"{upgrade.pk}-{upgrade.version}"'},
    )
    assert api.status_code == 403
    assert PostAction.objects.filter(pk=upgrade.pk).exists()


def test_the_post_list_shows_a_hundred_posts_a_page_and_exports_them_all(people, login):
    geneva = Office.objects.get(code="geneva")
    rows = [
        {"number": f"HQ-{n:03d}", "title": "Engineer", "office": geneva, "grade": "P3"} for n in range(130)
    ]
    services.post_bulk_create(actor=people["admin"], rows=rows, created_on=D(2015, 1, 1), reason="Load")
    client = login(people["viewer"])
    first = client.get(reverse("staffing:post-list"))
    assert len(first.context["rows"]) == 100
    assert "130 posts" in first.content.decode()
    second = client.get(reverse("staffing:post-list") + "?page=2")
    assert [p.number for p, _name in second.context["rows"]][-1] == "HQ-129"
    export = client.get(reverse("staffing:post-list") + "?format=csv").content.decode()
    assert export.count("HQ-") == 130
