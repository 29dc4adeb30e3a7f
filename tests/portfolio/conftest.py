"""Fixtures for portfolio tests: funding sources, rates and a project factory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from presence.org.models import Office, Region
from presence.portfolio.models import ExchangeRate, Funding, FundingSource, Project


@pytest.fixture
def sources(reference: None) -> dict[str, FundingSource]:
    rows = [
        ("partners", "Funding from partners", "partner"),
        ("ict-df", "ICT-DF", "ictdf"),
        ("ri-fund", "RIs", "ri"),
        ("other-itu-funds", "Other ITU funds", "other"),
    ]
    return {
        code: FundingSource.objects.create(code=code, name=name, kind=kind, sort_order=i)
        for i, (code, name, kind) in enumerate(rows)
    }


@pytest.fixture
def usd_rate(reference: None) -> ExchangeRate:
    return ExchangeRate.objects.create(
        currency="USD", valid_from=dt.date(2023, 1, 1), rate_to_chf=Decimal("0.9")
    )


@pytest.fixture
def make_project(reference: None, sources: dict[str, FundingSource]) -> Callable[..., Project]:
    counter = {"n": 0}

    def factory(
        region: str = "AFR", office: str = "dakar", funding: Decimal | None = None, **fields: Any
    ) -> Project:
        counter["n"] += 1
        values: dict[str, Any] = {
            "code": f"9TST{counter['n']:05d}",
            "title": f"Test project {counter['n']}",
            "status": Project.Status.IMPLEMENTATION,
            "planned_start": dt.date(2022, 1, 1),
            "planned_end": dt.date(2024, 12, 31),
            "lead_office": Office.objects.get(code=office),
            "region": Region.objects.get(code=region),
            **fields,
        }
        project = Project.objects.create(**values)
        if funding is not None:
            Funding.objects.create(
                project=project,
                source=sources["partners"],
                amount=funding,
                currency="CHF",
                signed_on=dt.date(2022, 1, 1),
            )
        return project

    return factory
