"""Admin for the results framework, reporting periods and indicators (edits are audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from presence.org.admin import AuditedAdmin
from presence.results.models import (
    Framework,
    Indicator,
    IndicatorValue,
    Outcome,
    Output,
    ReportingPeriod,
    StrategicGoal,
)
from presence.results.services import ATTACHMENTS, _indicator_place


@admin.register(Framework)
class FrameworkAdmin(AuditedAdmin):
    list_display = ("code", "name", "start_year", "end_year", "priority_cycle")


@admin.register(StrategicGoal)
class StrategicGoalAdmin(AuditedAdmin):
    list_display = ("framework", "code", "name", "sort_order")
    list_filter = ("framework",)
    filter_horizontal = ("priorities",)


@admin.register(Outcome)
class OutcomeAdmin(AuditedAdmin):
    list_display = ("framework", "priority", "code", "title", "sort_order")
    list_filter = ("framework", "priority")


@admin.register(Output)
class OutputAdmin(AuditedAdmin):
    list_display = ("outcome", "code", "title", "kind", "sort_order")
    list_filter = ("outcome__framework", "kind")


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(AuditedAdmin):
    list_display = ("year", "quarter", "starts_on", "ends_on", "submission_deadline")


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0
    fields = ("year", "quarter", "breakdown_region", "gender", "target", "actual", "note")


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = ("code", "name", "measure", "direction", "region")
    list_filter = ("measure", "region")
    search_fields = ("code", "name")
    raw_id_fields = ("activity", "project")
    inlines = [IndicatorValueInline]
    exclude = ("region", "office")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # An indicator sits where the record it measures sits, as the services ensure.
        obj.region, obj.office = _indicator_place({name: getattr(obj, name) for name in ATTACHMENTS})
        super().save_model(request, obj, form, change)
