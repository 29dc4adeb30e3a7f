"""Deleting posts, post actions and recruitments: confirmation page with the version, API with If-Match,
access-checked and audited; a deleted action leaves the post in line with the actions that remain."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from presence.core.models import AuditEntry
from presence.org.models import Office
from presence.staffing import services
from presence.staffing.models import Post, PostAction
from tests.delete_steps import (
    api_delete_refused,
    deletes_through_api,
    deletes_through_page,
    page_delete_refused,
)

D = dt.date


@pytest.fixture
def people(reference, admin_user, make_user):
    return {
        "admin": admin_user,
        "dakar_editor": make_user("dakar-ed", ("editor", "office:dakar")),
        "cairo_editor": make_user("cairo-ed", ("editor", "office:cairo")),
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


def make_recruitment(actor, post):
    return services.recruitment_create(
        actor=actor, vacancy_number="VA-DAK-9", post=post, opened_on=D(2024, 1, 5)
    )


def test_an_office_editor_deletes_a_post_through_its_page(people, login):
    post = make_post(people["admin"])
    deletes_through_page(
        login(people["dakar_editor"]),
        post,
        post.get_absolute_url(),
        reverse("staffing:post-delete", args=[post.pk]),
    )
    assert not PostAction.objects.filter(post_id=post.pk).exists()


@pytest.mark.parametrize("who", ["viewer", "cairo_editor"])
def test_a_viewer_or_another_offices_editor_cannot_delete_a_post(people, login, who):
    post = make_post(people["admin"])
    url = reverse("staffing:post-delete", args=[post.pk])
    page_delete_refused(login(people[who]), post, post.get_absolute_url(), url)
    api_delete_refused(login(people[who]), post, f"/api/staffing/posts/{post.pk}")


def test_a_post_with_recruitments_is_not_deleted_and_the_page_says_why(people, login):
    post = make_post(people["admin"])
    make_recruitment(people["admin"], post)
    client = login(people["admin"])
    response = client.post(reverse("staffing:post-delete", args=[post.pk]), {"version": post.version})
    assert response.status_code == 422
    assert "abolish it instead" in response.content.decode()
    assert Post.objects.filter(pk=post.pk).exists()


def test_a_post_is_deleted_through_the_api_with_if_match(people, login):
    post = make_post(people["admin"])
    deletes_through_api(login(people["admin"]), post, f"/api/staffing/posts/{post.pk}")


def test_a_recruitment_is_deleted_through_its_page_and_the_api(people, login):
    post = make_post(people["admin"])
    recruitment = make_recruitment(people["admin"], post)
    deletes_through_page(
        login(people["dakar_editor"]),
        recruitment,
        recruitment.get_absolute_url(),
        reverse("staffing:recruitment-delete", args=[recruitment.pk]),
    )
    again = services.recruitment_create(
        actor=people["admin"], vacancy_number="VA-DAK-10", post=post, opened_on=D(2024, 2, 1)
    )
    api_delete_refused(login(people["viewer"]), again, f"/api/staffing/recruitments/{again.pk}")
    page_delete_refused(
        login(people["cairo_editor"]),
        again,
        again.get_absolute_url(),
        reverse("staffing:recruitment-delete", args=[again.pk]),
    )
    deletes_through_api(login(people["admin"]), again, f"/api/staffing/recruitments/{again.pk}")


def test_deleting_an_upgrade_recorded_in_error_restores_the_posts_grade(people, login):
    post = make_post(people["admin"], grade="G6")
    upgrade = services.post_action_create(
        actor=people["admin"], post=post, kind="upgrade", effective_on=D(2024, 1, 1), to_grade="P2"
    )
    post.refresh_from_db()
    assert (post.grade, post.category) == ("P2", "P")
    deletes_through_page(
        login(people["dakar_editor"]),
        upgrade,
        post.get_absolute_url(),
        reverse("staffing:post-action-delete", args=[post.pk, upgrade.pk]),
    )
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
    etag = client.get(f"/api/staffing/posts/{post.pk}/actions/{end.pk}").headers["ETag"]
    assert etag == f'"{end.pk}-{end.version}"'
    deletes_through_api(client, end, f"/api/staffing/posts/{post.pk}/actions/{end.pk}")
    post.refresh_from_db()
    assert (post.status, post.office.code) == ("vacant", "dakar")
    deletes_through_api(client, move, f"/api/staffing/posts/{post.pk}/actions/{move.pk}")
    post.refresh_from_db()
    assert post.office.code == "geneva"


def test_a_viewer_cannot_delete_a_post_action(people, login):
    post = make_post(people["admin"])
    upgrade = services.post_action_create(
        actor=people["admin"], post=post, kind="upgrade", effective_on=D(2024, 1, 1), to_grade="P2"
    )
    url = reverse("staffing:post-action-delete", args=[post.pk, upgrade.pk])
    page_delete_refused(login(people["viewer"]), upgrade, post.get_absolute_url(), url)
    api_delete_refused(
        login(people["viewer"]), upgrade, f"/api/staffing/posts/{post.pk}/actions/{upgrade.pk}"
    )


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
