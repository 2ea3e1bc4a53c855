from django.contrib import admin

from dangjian.posts.models import (
    Commitment,
    CommitmentProgress,
    DutyCheck,
    DutyRecord,
    DutySummary,
    Post,
    PostType,
)


@admin.register(PostType)
class PostTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "audience", "organisation", "is_active", "display_order"]
    list_filter = ["audience", "is_active"]
    search_fields = ["name"]
    raw_id_fields = ["organisation"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "organisation", "holder", "state", "grade"]
    list_filter = ["year", "state", "grade"]
    search_fields = ["name", "holder__name"]
    raw_id_fields = ["organisation", "holder", "post_type"]
    list_select_related = ["organisation", "holder"]


class ProgressInline(admin.TabularInline):
    model = CommitmentProgress
    extra = 0


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "year", "published_on"]
    list_filter = ["year"]
    search_fields = ["person__name"]
    raw_id_fields = ["person", "organisation"]
    inlines = [ProgressInline]


@admin.register(DutyRecord)
class DutyRecordAdmin(admin.ModelAdmin):
    list_display = ["occurred_on", "person", "organisation", "place", "duty_check"]
    search_fields = ["person__name", "content"]
    raw_id_fields = ["person", "organisation", "post", "duty_check"]
    list_select_related = ["person", "organisation"]


@admin.register(DutyCheck)
class DutyCheckAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind", "period_start", "period_end", "records_checked"]
    list_filter = ["kind"]
    raw_id_fields = ["organisation", "checker"]


@admin.register(DutySummary)
class DutySummaryAdmin(admin.ModelAdmin):
    list_display = ["kind", "organisation", "person", "year", "semester", "submitted_on"]
    list_filter = ["kind", "year"]
    raw_id_fields = ["organisation", "person"]
