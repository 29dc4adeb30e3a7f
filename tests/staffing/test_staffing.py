"""Posts, post actions, recruitments: derived states, measures, time-to-fill, names kept private."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from presence.core.errors import AccessDenied
from presence.core.models import AuditEntry
from presence.org.models import Office
from presence.staffing import selectors, services
from presence.staffing.models import Post, PostAction, Recruitment
from tests.kit.steps import post_json

D = dt.date


@pytest.fixture
def hr(reference, make_user):
    return make_user("hr-person", ("hr",), ("viewer",))


def make_post(actor, number: str, office: str, grade: str = "P3", **extra) -> Post:
    data = {"title": "Programme Officer", "sector": "BDT", "funding": "regular", "status": "vacant"}
    data.update(extra)
    return services.post_create(
        actor=actor, number=number, office=Office.objects.get(code=office), grade=grade, **data
    )


def test_post_state_on_a_date_is_replayed_from_its_actions(admin_user):
    post = make_post(admin_user, "BDT-001", "geneva", "G6", created_on=D(2020, 1, 1))
    services.post_action_create(
        actor=admin_user,
        post=post,
        kind="relocation",
        effective_on=D(2023, 3, 1),
        to_office=Office.objects.get(code="dakar"),
    )
    services.post_action_create(
        actor=admin_user, post=post, kind="upgrade", effective_on=D(2024, 1, 1), to_grade="P2"
    )
    dakar, geneva = Office.objects.get(code="dakar"), Office.objects.get(code="geneva")

    assert selectors.post_state_on(post, D(2019, 12, 31)) is None
    before = selectors.post_state_on(post, D(2022, 6, 1))
    assert (before.grade, before.office_id) == ("G6", geneva.pk)
    moved = selectors.post_state_on(post, D(2023, 6, 1))
    assert (moved.grade, moved.office_id) == ("G6", dakar.pk)
    upgraded = selectors.post_state_on(post, D(2024, 1, 1))
    assert (upgraded.grade, upgraded.office_id) == ("P2", dakar.pk)

    post.refresh_from_db()
    assert (post.grade, post.category, post.office_id) == ("P2", "P", dakar.pk)

    services.post_action_create(actor=admin_user, post=post, kind="abolition", effective_on=D(2025, 1, 1))
    assert selectors.post_state_on(post, D(2024, 12, 31)).exists
    assert not selectors.post_state_on(post, D(2025, 1, 1)).exists
    post.refresh_from_db()
    assert post.status == Post.Status.ABOLISHED
    # The bulk version agrees with the single one.
    assert selectors.post_states_on([post], D(2023, 6, 1))[post.pk] == moved


def test_an_action_dated_before_a_later_one_changes_history_not_the_current_post(admin_user):
    post = make_post(admin_user, "BDT-002", "bangkok", "G5", created_on=D(2020, 1, 1))
    services.post_action_create(
        actor=admin_user,
        post=post,
        kind="upgrade",
        effective_on=D(2024, 1, 1),
        from_grade="G6",
        to_grade="P2",
    )
    services.post_action_create(
        actor=admin_user,
        post=post,
        kind="upgrade",
        effective_on=D(2022, 1, 1),
        from_grade="G5",
        to_grade="G6",
    )
    post.refresh_from_db()
    assert post.grade == "P2"
    assert selectors.post_state_on(post, D(2023, 1, 1)).grade == "G6"


def test_measures_count_g6_to_p2_upgrades_and_new_p5_posts_per_region_in_the_period(admin_user):
    for number, office in [("U1", "addis-ababa"), ("U2", "dakar"), ("U3", "bangkok"), ("U4", "cairo")]:
        post = make_post(admin_user, number, office, "G6", created_on=D(2015, 1, 1))
        when = D(2022, 12, 31) if number == "U4" else D(2024, 1, 1)  # U4 falls outside the period
        services.post_action_create(
            actor=admin_user, post=post, kind="upgrade", effective_on=when, to_grade="P2"
        )
    other = make_post(admin_user, "U5", "moscow", "G5", created_on=D(2015, 1, 1))
    services.post_action_create(
        actor=admin_user, post=other, kind="upgrade", effective_on=D(2024, 1, 1), to_grade="G6"
    )  # not G6 -> P2
    for number, office in [("P5-1", "geneva"), ("P5-2", "geneva"), ("P5-3", "addis-ababa")]:
        make_post(
            admin_user,
            number,
            office,
            "P5",
            created_on=D(2024, 2, 1),
            title="Projects Implementation Support Lead",
        )
    make_post(admin_user, "P5-old", "geneva", "P5", created_on=D(2010, 1, 1))
    tsb = make_post(admin_user, "TSB-1", "geneva", "P3", sector="TSB", created_on=D(2012, 1, 1))
    services.post_action_create(
        actor=admin_user,
        post=tsb,
        kind="relocation",
        effective_on=D(2024, 3, 1),
        to_office=Office.objects.get(code="cairo"),
    )

    rows = {
        row.region: row
        for row in selectors.measures(user=admin_user, start=D(2023, 1, 1), end=D(2024, 12, 31))
    }

    assert rows["AFR"].g6_to_p2_upgrades == 2
    assert rows["ASP"].g6_to_p2_upgrades == 1
    assert rows["ARB"].g6_to_p2_upgrades == 0
    assert rows["CIS"].g6_to_p2_upgrades == 0
    assert rows[""].g6_to_p2_upgrades == 3
    assert rows["HQ"].new_p5_posts == 2
    assert rows["AFR"].new_p5_posts == 1
    assert rows[""].new_p5_posts == 3
    assert rows["ARB"].relocations_to_field == 1
    assert rows["ARB"].tsb_field_deployments == 1


def test_time_to_fill_is_days_from_opening_to_selection(admin_user):
    post = make_post(admin_user, "R-1", "dakar")
    recruitment = services.recruitment_create(
        actor=admin_user,
        vacancy_number="VA-1",
        post=post,
        status="selected",
        opened_on=D(2024, 1, 10),
        closed_on=D(2024, 2, 10),
        selected_on=D(2024, 4, 19),
    )
    assert recruitment.time_to_fill == 100
    assert recruitment.time_to_on_board is None
    open_one = services.recruitment_create(
        actor=admin_user, vacancy_number="VA-2", post=post, opened_on=D(2024, 5, 1)
    )
    assert open_one.time_to_fill is None
    services.recruitment_create(
        actor=admin_user,
        vacancy_number="VA-3",
        post=post,
        status="selected",
        opened_on=D(2024, 1, 1),
        closed_on=D(2024, 1, 31),
        selected_on=D(2024, 3, 1),
    )
    pipeline = selectors.recruitment_pipeline(user=admin_user)
    assert pipeline.total is not None
    assert pipeline.total.average_time_to_fill == 80.0  # (100 + 60) / 2; the open one is not counted
    assert pipeline.rows[0].by_status["open"] == 1


def test_arrival_of_the_selected_candidate_fills_the_post(admin_user):
    post = make_post(admin_user, "R-2", "harare")
    recruitment = services.recruitment_create(
        actor=admin_user, vacancy_number="VA-9", post=post, opened_on=D(2024, 1, 1)
    )
    services.recruitment_update(
        actor=admin_user,
        recruitment=recruitment,
        expected_version=recruitment.version,
        status="on_board",
        closed_on=D(2024, 2, 1),
        selected_on=D(2024, 3, 1),
        on_board_on=D(2024, 5, 1),
        selected_candidate="Ada Lovelace",
    )
    post.refresh_from_db()
    assert (post.status, post.incumbent, post.start_date) == ("filled", "Ada Lovelace", D(2024, 5, 1))
    assert selectors.staff_count_by_office(on=D(2024, 6, 1)) == {post.office_id: 1}
    assert selectors.staff_count_by_office(on=D(2024, 4, 1)) == {}


def test_staff_counts_on_several_dates_follow_arrivals_and_relocations(admin_user):
    post = make_post(
        admin_user,
        "PM-1",
        "geneva",
        created_on=D(2020, 1, 1),
        status="filled",
        incumbent="Ada Lovelace",
        start_date=D(2022, 1, 1),
    )
    services.post_action_create(
        actor=admin_user,
        post=post,
        kind="relocation",
        effective_on=D(2024, 3, 1),
        to_office=Office.objects.get(code="dakar"),
    )
    geneva, dakar = Office.objects.get(code="geneva"), Office.objects.get(code="dakar")
    counts = selectors.staff_counts_by_office_on(dates=[D(2021, 6, 1), D(2023, 6, 1), D(2024, 6, 1)])
    assert counts == {D(2021, 6, 1): {}, D(2023, 6, 1): {geneva.pk: 1}, D(2024, 6, 1): {dakar.pk: 1}}
    assert selectors.staff_count_by_office(on=D(2023, 6, 1)) == {geneva.pk: 1}


def test_bulk_created_posts_have_creation_actions_and_audit_entries(admin_user):
    geneva = Office.objects.get(code="geneva")
    rows = [
        {"number": f"HQ-{n}", "title": "Engineer", "office": geneva, "grade": "P3", "sector": "BR"}
        for n in range(3)
    ]
    posts = services.post_bulk_create(actor=admin_user, rows=rows, created_on=D(2015, 1, 1), reason="Load")
    assert [p.category for p in posts] == ["P", "P", "P"]
    assert PostAction.objects.filter(post__in=posts, kind="creation", effective_on=D(2015, 1, 1)).count() == 3
    assert AuditEntry.objects.filter(content_type__model="post", reason="Load").count() == 3
    assert selectors.post_state_on(posts[0], D(2014, 1, 1)) is None


def test_bulk_create_refuses_the_whole_batch_on_a_bad_row_or_a_number_in_use(admin_user):
    geneva = Office.objects.get(code="geneva")
    make_post(admin_user, "HQ-1", "geneva")
    rows = [
        {"number": "HQ-2", "title": "Engineer", "office": geneva, "grade": "P3"},
        {"number": "HQ-1", "title": "Engineer", "office": geneva, "grade": "P3"},
        {"number": "HQ-3", "title": "Clerk", "office": geneva, "grade": "P3", "category": "GS"},
    ]
    with pytest.raises(ValidationError) as caught:
        services.post_bulk_create(actor=admin_user, rows=rows, created_on=D(2015, 1, 1), reason="Load")
    assert "HQ-1" in caught.value.message_dict["number"][0]
    assert "row 3 (HQ-3)" in caught.value.message_dict["grade"][0]
    assert list(Post.objects.values_list("number", flat=True)) == ["HQ-1"]


def test_bulk_create_is_refused_outside_the_editors_scope(reference, make_user):
    editor = make_user("dakar-ed", ("editor", "office:dakar"))
    rows = [
        {"number": "HQ-9", "title": "Engineer", "office": Office.objects.get(code="geneva"), "grade": "P3"}
    ]
    with pytest.raises(AccessDenied):
        services.post_bulk_create(actor=editor, rows=rows, created_on=D(2015, 1, 1), reason="Load")
    assert not Post.objects.exists()


# --- Bad input -----------------------------------------------------------------------------------


def test_grade_not_valid_for_the_category_is_a_field_error_and_nothing_is_saved(admin_user):
    with pytest.raises(ValidationError) as caught:
        make_post(admin_user, "BAD-1", "dakar", "P3", category="GS")
    assert "grade" in caught.value.message_dict
    assert "General Service" in caught.value.message_dict["grade"][0]
    assert not Post.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="post").exists()


def test_grade_not_valid_for_the_category_through_the_page_and_the_api(admin_user, login):
    client = login(admin_user)
    dakar = Office.objects.get(code="dakar")
    response = client.post(
        reverse("staffing:post-create"),
        {
            "number": "BAD-2",
            "title": "x",
            "office": dakar.pk,
            "category": "NO",
            "grade": "G4",
            "sector": "BDT",
            "funding": "regular",
            "status": "vacant",
        },
    )
    assert response.status_code == 422
    assert "grade" in response.context["form"].errors
    response = post_json(
        client,
        "/api/staffing/posts/",
        {
            "number": "BAD-3",
            "title": "x",
            "office": "dakar",
            "category": "D",
            "grade": "P5",
        },
    )
    assert response.status_code == 422
    assert "grade" in response.json()["errors"]
    assert not Post.objects.exists()


def test_a_recruitment_closing_before_it_opened_is_a_field_error_and_nothing_is_saved(admin_user, login):
    post = make_post(admin_user, "R-3", "dakar")
    with pytest.raises(ValidationError) as caught:
        services.recruitment_create(
            actor=admin_user,
            vacancy_number="VA-X",
            post=post,
            status="closed",
            opened_on=D(2024, 3, 1),
            closed_on=D(2024, 2, 1),
        )
    assert "closed_on" in caught.value.message_dict
    client = login(admin_user)
    response = post_json(
        client,
        "/api/staffing/recruitments/",
        {
            "vacancy_number": "VA-Y",
            "post": post.pk,
            "opened_on": "2024-03-01",
            "closed_on": "2024-01-01",
            "status": "closed",
        },
    )
    assert response.status_code == 422
    assert "closed_on" in response.json()["errors"]
    assert not Recruitment.objects.exists()


def test_an_upgrade_to_a_lower_grade_is_refused(admin_user):
    post = make_post(admin_user, "R-4", "dakar", "P3")
    with pytest.raises(ValidationError) as caught:
        services.post_action_create(
            actor=admin_user, post=post, kind="upgrade", effective_on=D(2024, 1, 1), to_grade="P2"
        )
    assert "to_grade" in caught.value.message_dict
    assert not PostAction.objects.exists()


# --- Names are personal data ------------------------------------------------------------------------


@pytest.fixture
def filled_post(hr, reference):
    post = make_post(
        hr, "N-1", "dakar", "G6", status="filled", incumbent="Zainab Secretname", start_date=D(2020, 1, 1)
    )
    services.post_update(actor=hr, post=post, expected_version=post.version, incumbent="Yusuf Secretname")
    services.recruitment_create(
        actor=hr,
        vacancy_number="VA-N",
        post=post,
        status="selected",
        opened_on=D(2019, 1, 1),
        closed_on=D(2019, 2, 1),
        selected_on=D(2019, 3, 1),
        selected_candidate="Candidate Secretname",
    )
    return Post.objects.get(pk=post.pk)


@pytest.mark.parametrize(
    "grants",
    [
        [("member_state",)],
        [("editor", "office:harare"), ("viewer",)],  # an editor of another office who reads everything
        [("hr", "office:harare"), ("viewer",)],  # HR of another office
        [("editor", "office:dakar")],  # the office's own editor is not HR either
    ],
)
def test_roles_without_personal_access_never_see_names(make_user, login, filled_post, grants):
    user = make_user("nosee", *grants)
    client = login(user)
    recruitment = Recruitment.objects.get()
    urls = [
        reverse("staffing:post-list"),
        reverse("staffing:post-list") + "?format=csv",
        reverse("staffing:post-list") + "?format=xlsx",
        reverse("staffing:post-detail", args=[filled_post.pk]),
        reverse("staffing:recruitment-list"),
        reverse("staffing:recruitment-list") + "?format=csv",
        reverse("staffing:recruitment-detail", args=[recruitment.pk]),
        reverse("staffing:staffing-table") + "?format=csv",
        "/api/staffing/posts/",
        f"/api/staffing/posts/{filled_post.pk}",
        "/api/staffing/recruitments/",
        f"/api/staffing/recruitments/{recruitment.pk}",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content
        if url.endswith("xlsx"):
            import io

            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(body)).active
            body = repr(list(sheet.values)).encode()
        assert b"Secretname" not in body, url
    assert client.get(f"/api/staffing/posts/{filled_post.pk}").json()["incumbent"] is None


def test_hr_sees_names_in_pages_exports_and_api(hr, login, filled_post):
    client = login(hr)
    assert b"Yusuf Secretname" in client.get(reverse("staffing:post-detail", args=[filled_post.pk])).content
    assert b"Yusuf Secretname" in client.get(reverse("staffing:post-list") + "?format=csv").content
    assert client.get(f"/api/staffing/posts/{filled_post.pk}").json()["incumbent"] == "Yusuf Secretname"


def test_an_editor_cannot_write_a_name(make_user, reference):
    editor = make_user("dakar-ed", ("editor", "office:dakar"))
    from presence.core.errors import AccessDenied

    with pytest.raises(AccessDenied):
        make_post(editor, "N-2", "dakar", status="filled", incumbent="Someone")
    post = make_post(editor, "N-3", "dakar")
    assert post.status == "vacant"


# --- Pages ---------------------------------------------------------------------------------------------


def test_pages_and_exports_render_for_an_office_editor(make_user, login, admin_user):
    post = make_post(admin_user, "PG-1", "dakar", "P4", created_on=D(2020, 1, 1))
    services.recruitment_create(actor=admin_user, vacancy_number="VA-PG", post=post, opened_on=D(2024, 1, 1))
    client = login(make_user("ed", ("editor", "office:dakar")))
    for name in (
        "staffing:staffing-table",
        "staffing:post-list",
        "staffing:recruitment-list",
        "staffing:measures",
    ):
        for suffix in ("", "?format=csv", "?format=xlsx"):
            assert client.get(reverse(name) + suffix).status_code == 200, (name, suffix)
    page = client.get(reverse("staffing:staffing-table") + "?office=dakar")
    assert page.context["rows"][0].vacant["BDT"] == 1
    csv = client.get(reverse("staffing:staffing-table") + "?office=dakar&format=csv").content.decode()
    assert "Area Office for West Africa,AFR,P4,0,1" in csv
    detail = client.get(reverse("staffing:post-detail", args=[post.pk]))
    assert b"History" in detail.content


def test_editor_records_an_action_through_the_page(make_user, login, admin_user):
    post = make_post(admin_user, "PG-2", "dakar", "G6", created_on=D(2020, 1, 1))
    client = login(make_user("ed2", ("editor", "office:dakar")))
    response = client.post(
        reverse("staffing:post-action-create", args=[post.pk]),
        {
            "kind": "upgrade",
            "effective_on": "2024-01-01",
            "to_grade": "P2",
            "post_version": post.version,
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.grade == "P2"


# --- Query counts ----------------------------------------------------------------------------------------


def _populate(actor, prefix: str, n: int) -> None:
    offices = list(Office.objects.all())
    for i in range(n):
        post = make_post(
            actor, f"{prefix}-{i}", offices[i % len(offices)].code, "G6", created_on=D(2018, 1, 1)
        )
        services.post_action_create(
            actor=actor, post=post, kind="upgrade", effective_on=D(2023, 1, 1), to_grade="P2"
        )
        services.recruitment_create(
            actor=actor,
            vacancy_number=f"V{prefix}-{i}",
            post=post,
            status="selected",
            opened_on=D(2022, 1, 1),
            closed_on=D(2022, 2, 1),
            selected_on=D(2022, 3, 1),
        )


def test_staffing_table_pipeline_and_measures_query_counts_do_not_grow(
    admin_user, make_user, login, count_queries
):
    client = login(make_user("viewer-q", ("viewer",)))
    pages = [
        reverse("staffing:staffing-table"),
        reverse("staffing:recruitment-list"),
        reverse("staffing:measures"),
        reverse("staffing:post-list"),
    ]
    _populate(admin_user, "a", 3)
    small = [count_queries(lambda url=url: client.get(url)) for url in pages]
    _populate(admin_user, "b", 20)
    large = [count_queries(lambda url=url: client.get(url)) for url in pages]
    assert small == large
