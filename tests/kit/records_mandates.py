"""Mandates' record type: the governing bodies' requests (in no region or office: global grants write)."""

from __future__ import annotations

from presence.mandates import services
from presence.mandates.models import Mandate
from tests.kit.types import Ctx, RecordType, api, pages


def make_mandate(ctx: Ctx) -> Mandate:
    return services.mandate_create(
        actor=ctx.admin,
        body="council",
        session=f"C24-{ctx.n()}",
        year=2024,
        kind="request",
        text="Report on the regional presence review",
    )


RECORDS = [
    RecordType(
        name="mandate",
        model=Mandate,
        make=make_mandate,
        shown=lambda r: r.session,
        edit=("text", "Report on the regional presence review, with costs"),
        **pages("/mandates/"),
        form=lambda ctx: {
            "body": "wtdc",
            "session": "WTDC-25",
            "year": 2025,
            "kind": "resolution",
            "text": "Strengthen the regional presence",
            "status": "open",
        },
        invalid={"year": "next"},
        **api("/api/mandates/requests/"),
        api_payload=lambda ctx: {
            "body": "wtdc",
            "session": "WTDC-25",
            "year": 2025,
            "kind": "resolution",
            "text": "Strengthen the regional presence",
        },
        writer=("editor",),
        refused=(("viewer",), ("editor", "AFR")),
        filters={"body": "council", "kind": "request", "status": "open", "year": "2024"},
    ),
]
