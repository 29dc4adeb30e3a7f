"""Staffing's record types: posts and recruitments (post actions keep their own tests: tests/staffing/)."""

from __future__ import annotations

from presence.staffing import services
from presence.staffing.models import Post, Recruitment
from tests.kit.places import D, office
from tests.kit.types import Ctx, RecordType, api, pages


def make_post(ctx: Ctx) -> Post:
    return services.post_create(
        actor=ctx.admin,
        number=f"DAK-{ctx.n()}",
        title="Programme Assistant",
        office=office(),
        grade="G6",
        created_on=D(2020, 1, 1),
    )


def make_recruitment(ctx: Ctx) -> Recruitment:
    return services.recruitment_create(
        actor=ctx.admin, vacancy_number=f"VA-DAK-{ctx.n()}", post=make_post(ctx), opened_on=D(2024, 1, 5)
    )


RECORDS = [
    RecordType(
        name="post",
        model=Post,
        make=make_post,
        shown=lambda r: r.number,
        edit=("title", "Senior Programme Assistant"),
        **pages("/staffing/posts/"),
        form=lambda ctx: {
            "number": "DAK-100",
            "title": "Engineer",
            "office": office().pk,
            "category": "P",
            "grade": "P3",
            "status": "vacant",
        },
        invalid={"number": ""},
        **api("/api/staffing/posts/"),
        api_payload=lambda ctx: {"number": "DAK-100", "title": "Engineer", "office": "dakar", "grade": "P3"},
        filters={"region": "AFR", "office": "dakar", "grade": "G6"},
    ),
    RecordType(
        name="recruitment",
        model=Recruitment,
        make=make_recruitment,
        shown=lambda r: r.vacancy_number,
        edit=("vacancy_number", "VA-DAK-2024-7"),
        **pages("/staffing/recruitments/"),
        form=lambda ctx: {
            "vacancy_number": "VA-DAK-2024-1",
            "post": make_post(ctx).number,  # typed: the post's number
            "status": "open",
            "opened_on": "2024-02-01",
        },
        invalid={"opened_on": "yesterday"},
        **api("/api/staffing/recruitments/"),
        api_payload=lambda ctx: {
            "vacancy_number": "VA-DAK-2024-1",
            "post": make_post(ctx).pk,
            "opened_on": "2024-02-01",
        },
        filters={"region": "AFR", "status": "open"},
    ),
]
