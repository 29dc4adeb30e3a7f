"""Admin for the results framework, reporting periods and indicators; writes go through the services.

Indicator values are shown for reference: they are set on the indicator's page, where the closed
periods and the measure's range are enforced.
"""

from __future__ import annotations

from functools import partial

from django.contrib import admin

from presence.core.admin import AuditedAdmin, ReadOnlyInline, RecordServices
from presence.results import services as results_services
from presence.results.models import (
    Framework,
    Indicator,
    IndicatorValue,
    Outcome,
    Output,
    ReportingPeriod,
    StrategicGoal,
)
from presence.results.services.framework import FRAMEWORK_FIELDS
from presence.results.services.indicators import INDICATOR_FIELDS


def framework_services(
    model: type[Framework | StrategicGoal | Outcome | Output | ReportingPeriod],
) -> RecordServices:
    return RecordServices(
        "instance",
        create=partial(results_services.framework_element_create, model=model),
        update=results_services.framework_element_update,
        delete=results_services.framework_element_delete,
    )


@admin.register(Framework)
class FrameworkAdmin(AuditedAdmin):
    list_display = ("code", "name", "start_year", "end_year", "priority_cycle")
    fields = FRAMEWORK_FIELDS[Framework]
    services = framework_services(Framework)


@admin.register(StrategicGoal)
class StrategicGoalAdmin(AuditedAdmin):
    list_display = ("framework", "code", "name", "sort_order")
    list_filter = ("framework",)
    filter_horizontal = ("priorities",)
    fields = FRAMEWORK_FIELDS[StrategicGoal]
    services = framework_services(StrategicGoal)


@admin.register(Outcome)
class OutcomeAdmin(AuditedAdmin):
    list_display = ("framework", "priority", "code", "title", "sort_order")
    list_filter = ("framework", "priority")
    fields = FRAMEWORK_FIELDS[Outcome]
    services = framework_services(Outcome)


@admin.register(Output)
class OutputAdmin(AuditedAdmin):
    list_display = ("outcome", "code", "title", "kind", "sort_order")
    list_filter = ("outcome__framework", "kind")
    fields = FRAMEWORK_FIELDS[Output]
    services = framework_services(Output)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(AuditedAdmin):
    list_display = ("year", "quarter", "starts_on", "ends_on", "submission_deadline")
    fields = FRAMEWORK_FIELDS[ReportingPeriod]
    services = framework_services(ReportingPeriod)


class IndicatorValueInline(ReadOnlyInline):
    model = IndicatorValue
    fields = ("year", "quarter", "breakdown_region", "gender", "target", "actual", "note")


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    """An indicator sits where the record it measures sits; the service places it."""

    list_display = ("code", "name", "measure", "direction", "region")
    list_filter = ("measure", "region")
    search_fields = ("code", "name")
    raw_id_fields = ("activity", "project")
    inlines = [IndicatorValueInline]
    fields = INDICATOR_FIELDS
    services = RecordServices(
        "indicator",
        create=results_services.indicator_create,
        update=results_services.indicator_update,
        delete=results_services.indicator_delete,
    )
