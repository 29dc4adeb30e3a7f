"""Org's record type with pages and an API: offices (reference data, written by administrators)."""

from __future__ import annotations

from presence.org import services
from presence.org.models import Country, Office
from tests.kit.places import region
from tests.kit.types import Ctx, RecordType, api, pages


def make_office(ctx: Ctx) -> Office:
    ivory_coast = Country.objects.get(iso2="CI")
    return services.office_create(
        actor=ctx.admin,
        code=f"abidjan-{ctx.n()}",
        name="Office in Abidjan",
        city="Abidjan",
        country=ivory_coast,
        kind="area",
        region=region(),
        covered_countries=[ivory_coast],
    )


RECORDS = [
    RecordType(
        name="office",
        model=Office,
        make=make_office,
        shown=lambda r: r.name,
        edit=("name", "Abidjan Area Office"),
        **pages("/org/offices/", key=lambda r: r.code),
        form=lambda ctx: {
            "code": "lome",
            "name": "Office in Lomé",
            "city": "Lomé",
            "country": Country.objects.get(iso2="TG").pk,
            "kind": "area",
            "region": region().pk,
        },
        invalid={"opened_on": "2020-01-01", "closed_on": "2019-01-01"},
        **api("/api/org/offices/", key=lambda r: r.code),
        api_id=("code", lambda r: r.code),
        api_payload=lambda ctx: {
            "code": "lome",
            "name": "Lomé",
            "city": "Lomé",
            "country": "TG",
            "kind": "area",
            "region": "AFR",
        },
        writer=("admin",),
        refused=(("viewer",), ("editor", "AFR")),
        filters={"region": "AFR", "kind": "area"},
    ),
]
