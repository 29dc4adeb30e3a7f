from django.contrib import admin

from presence.staffing.models import Post, PostAction, Recruitment


class PostActionInline(admin.TabularInline):
    model = PostAction
    extra = 0
    fk_name = "post"


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "office", "grade", "sector", "funding", "status"]
    list_filter = ["sector", "category", "status", "funding", "office__region"]
    search_fields = ["number", "title"]
    inlines = [PostActionInline]


@admin.register(Recruitment)
class RecruitmentAdmin(admin.ModelAdmin):
    list_display = ["vacancy_number", "post", "status", "opened_on", "selected_on"]
    list_filter = ["status"]
