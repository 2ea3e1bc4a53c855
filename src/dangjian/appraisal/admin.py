from django.contrib import admin

from dangjian.appraisal import models

# Read-mostly: cycles are computed and published through the services (audited); the admin
# is for looking things up.


@admin.register(models.EvaluationCycle)
class EvaluationCycleAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "kind", "year", "period", "state", "published_on"]
    list_filter = ["kind", "state", "year"]
    search_fields = ["title"]
    raw_id_fields = ["organisation", "created_by", "surveys"]
    list_select_related = ["organisation"]
    readonly_fields = ["state", "bands", "computed_at", "published_on", "created_at"]


@admin.register(models.EvaluationResult)
class EvaluationResultAdmin(admin.ModelAdmin):
    list_display = ["person", "cycle", "organisation", "final_score", "grade"]
    list_filter = ["grade"]
    search_fields = ["person__name"]
    raw_id_fields = ["cycle", "person", "organisation"]
    list_select_related = ["person", "cycle", "organisation"]


@admin.register(models.Honour)
class HonourAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "year", "organisation", "awarded_on"]
    list_filter = ["kind", "year"]
    search_fields = ["person__name"]
    raw_id_fields = ["person", "cycle", "organisation", "awarded_by"]
    list_select_related = ["person", "organisation"]


@admin.register(models.MemberRectification)
class MemberRectificationAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "state", "deadline", "done_on"]
    list_filter = ["state"]
    search_fields = ["person__name"]
    raw_id_fields = ["result", "person", "organisation", "explain_meeting", "verified_by"]
    list_select_related = ["person", "organisation"]
    readonly_fields = ["state"]
