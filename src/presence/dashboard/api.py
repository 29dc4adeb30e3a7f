"""API: the dashboard's figures and chart data as JSON, for the same filters as the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import AfterValidator, Field

from presence.core import formatting
from presence.core.years import Year
from presence.dashboard import figures
from presence.dashboard.filters import DashboardFilterForm

router = Router(tags=["dashboard"])


def _shown(value: Decimal | int | None) -> Decimal | int | None:
    """Amounts in k CHF and shares are computed in full precision and given as shown: one decimal."""
    return formatting.rounded(value, 1) if isinstance(value, Decimal) else value


class FigureOut(Schema):
    key: str
    label: str
    value: Annotated[Decimal | int | None, AfterValidator(_shown)]
    unit: str
    note: str
    url: str
    as_of: dt.datetime


class PointOut(Schema):
    category: str
    value: Annotated[Decimal | int | None, AfterValidator(_shown)]
    url: str


class SeriesOut(Schema):
    name: str
    points: list[PointOut]


class ChartOut(Schema):
    key: str
    title: str
    kind: str
    unit: str
    categories: list[str]
    series: list[SeriesOut]


class SectionOut(Schema):
    key: str
    title: str
    figures: list[FigureOut]
    charts: list[ChartOut]


class DashboardOut(Schema):
    year: int
    region: str
    office: str
    source: str
    as_of: dt.datetime
    # By region the charts break down by office, `offices_per_page` at a time (`?page=`).
    offices_count: int
    offices_page: int
    offices_per_page: int
    sections: list[SectionOut]
    trend: ChartOut | None


@router.get("/", response=DashboardOut)
def dashboard(
    request: HttpRequest,
    year: Year | None = None,
    region: str = "",
    office: str = "",
    source: str = "",
    page: Annotated[int, Field(ge=1, le=10**6)] = 1,
) -> Any:
    """Figures broken down by region, or by office when a region is given (a page of offices at a time:
    `page`; every figure counts all offices)."""
    params = {"year": year or "", "region": region, "office": office, "source": source}
    form = DashboardFilterForm({k: v for k, v in params.items() if v})
    if not form.is_valid():
        raise ValidationError({name: errors[0] for name, errors in form.errors.items()})
    filters = form.filters()
    data = figures.dashboard(
        user=request.user, filters=filters, mode="office" if region else "region", page=page
    )
    return {
        "year": filters.year,
        "region": filters.region,
        "office": filters.office,
        "source": filters.source,
        "as_of": data.as_of,
        "offices_count": data.offices_count,
        "offices_page": data.offices_page,
        "offices_per_page": data.offices_per_page,
        "sections": data.sections,
        "trend": data.trend,
    }
