"""API: indicators and their values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import Schema
from ninja.pagination import paginate

from presence.core.api import LimitOffsetPagination, record_routes, set_etag
from presence.core.filtering import ListFilter, filtered
from presence.core.selectors import get_or_404
from presence.core.years import Year
from presence.org.access import Action, restrict
from presence.org.models import Region
from presence.portfolio.models import Project
from presence.results import selectors, services
from presence.results.api._common import _by_code, router
from presence.results.filters import IndicatorFilter
from presence.results.models import (
    Indicator,
    IndicatorValue,
    Outcome,
    Output,
)


class ValueOut(Schema):
    year: int
    quarter: int
    region: str | None
    gender: str
    target: Decimal | None
    actual: Decimal | None
    note: str

    @staticmethod
    def resolve_region(obj: IndicatorValue) -> str | None:
        return obj.breakdown_region.code if obj.breakdown_region else None


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    measure: str
    unit: str
    direction: str
    baseline_year: int | None
    baseline_value: Decimal | None
    accumulates: bool
    by_region: bool
    by_gender: bool
    measures: str
    values: list[ValueOut]
    version: int

    @staticmethod
    def resolve_measures(obj: Indicator) -> str:
        return str(obj.measured_record)

    @staticmethod
    def resolve_values(obj: Indicator) -> list[IndicatorValue]:
        return list(obj.values.all())


class ValueIn(Schema):
    year: Year
    quarter: int = 0
    region: str | None = None
    gender: IndicatorValue.Gender = IndicatorValue.Gender.ALL
    target: Decimal | None = None
    actual: Decimal | None = None
    note: str = ""


class IndicatorIn(Schema):
    code: str
    name: str
    measure: Indicator.Measure = Indicator.Measure.NUMBER
    unit: str = ""
    direction: Indicator.Direction = Indicator.Direction.INCREASE
    baseline_year: Year | None = None
    baseline_value: Decimal | None = None
    accumulates: bool = True
    by_region: bool = False
    by_gender: bool = False
    outcome: int | None = None
    output: int | None = None
    activity: int | None = None
    project: str | None = None


class IndicatorPatch(Schema):
    code: str | None = None
    name: str | None = None
    measure: Indicator.Measure | None = None
    unit: str | None = None
    direction: Indicator.Direction | None = None
    baseline_year: Year | None = None
    baseline_value: Decimal | None = None
    accumulates: bool | None = None
    by_region: bool | None = None
    by_gender: bool | None = None


@router.get("/indicators/", response=list[IndicatorOut])
@paginate(LimitOffsetPagination)
@filtered(IndicatorFilter)
def list_indicators(request: HttpRequest, filters: ListFilter) -> Any:
    """Indicators with the indicator list page's filters (`progress`: for `year`, this year by default)."""
    return selectors.indicator_list(user=request.user, filters=filters)


record_routes(
    router,
    "/indicators",
    noun="indicator",
    module=__name__,
    out=IndicatorOut,
    get=selectors.indicator_get,
    patch=IndicatorPatch,
    update=services.indicator_update,
    delete=services.indicator_delete,
)


@router.put("/indicators/{pk}/values", response=ValueOut)
def set_indicator_value(request: HttpRequest, pk: int, payload: ValueIn) -> Any:
    """Set a target, actual or note for a year (quarter 0) or a quarter; closed quarters refuse editors."""
    indicator = get_or_404(selectors.indicator_get, user=request.user, pk=pk)
    data = payload.dict()
    errors: dict[str, str] = {}
    region = _by_code(Region, "code", data.pop("region"), "region", errors)
    if errors:
        raise ValidationError(errors)
    values = {k: data.pop(k) for k in ("target", "actual", "note")}
    return services.indicator_value_set(
        actor=request.user, indicator=indicator, breakdown_region=region, **data, **values
    )


def _indicator_refs(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    for name, model in (("outcome", Outcome), ("output", Output)):
        if data.get(name) is not None:
            data[name] = model.objects.filter(pk=data[name]).first()
            if data[name] is None:
                errors[name] = f"Unknown {name} id."
    if data.get("activity") is not None:
        data["activity"] = selectors.activity_list(user=request.user).filter(pk=data["activity"]).first()
        if data["activity"] is None:
            errors["activity"] = "Unknown activity id."
    if data.get("project") is not None:
        code = data["project"]
        data["project"] = restrict(Project.objects.all(), request.user, Action.VIEW).filter(code=code).first()
        if data["project"] is None:
            errors["project"] = f"Unknown project {code!r}."
    if errors:
        raise ValidationError(errors)
    return data


@router.post("/indicators/", response={201: IndicatorOut})
def create_indicator(request: HttpRequest, response: HttpResponse, payload: IndicatorIn) -> Any:
    """Define an indicator on one outcome, output (administrators), activity or project (its editors)."""
    data = _indicator_refs(request, payload.dict())
    data = {k: v for k, v in data.items() if k not in ("outcome", "output", "activity", "project") or v}
    indicator = services.indicator_create(actor=request.user, **data)
    set_etag(response, indicator)
    return 201, indicator
