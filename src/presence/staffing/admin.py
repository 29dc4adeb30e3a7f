"""Admin for posts and recruitments; writes go through the staffing services.

A post's grade, office and category change only through dated post actions (on the post's page),
so the admin shows them, and the actions, read-only once the post exists.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from presence.core.admin import AuditedAdmin, ReadOnlyInline, RecordServices
from presence.staffing import services as staffing_services
from presence.staffing.models import Post, PostAction, Recruitment


class PostActionInline(ReadOnlyInline):
    model = PostAction
    fk_name = "post"
    fields = staffing_services.ACTION_FIELDS


@admin.register(Post)
class PostAdmin(AuditedAdmin):
    list_display = ["number", "title", "office", "grade", "sector", "funding", "status"]
    list_filter = ["sector", "category", "status", "funding", "office__region"]
    search_fields = ["number", "title"]
    inlines = [PostActionInline]
    fields = staffing_services.POST_FIELDS
    services = RecordServices(
        "post",
        create=staffing_services.post_create,
        update=staffing_services.post_update,
        delete=staffing_services.post_delete,
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        return tuple(
            name for name in staffing_services.POST_FIELDS if name not in staffing_services.POST_UPDATE_FIELDS
        )


@admin.register(Recruitment)
class RecruitmentAdmin(AuditedAdmin):
    list_display = ["vacancy_number", "post", "status", "opened_on", "selected_on"]
    list_filter = ["status"]
    fields = staffing_services.RECRUITMENT_FIELDS
    services = RecordServices(
        "recruitment",
        create=staffing_services.recruitment_create,
        update=staffing_services.recruitment_update,
        delete=staffing_services.recruitment_delete,
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The post a vacancy fills is fixed once the recruitment exists.
        return ("post",) if obj is not None else ()
