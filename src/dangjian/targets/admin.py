from django.contrib import admin

from dangjian.targets import models


@admin.register(models.LongTermGoal)
class LongTermGoalAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind", "honour", "target_level", "end_year", "achieved_on"]
    list_filter = ["kind", "target_level"]
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation"]


@admin.register(models.AnnualPlan)
class AnnualPlanAdmin(admin.ModelAdmin):
    list_display = ["organisation", "year", "theme"]
    list_filter = ["year"]
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation"]


class TaskInline(admin.TabularInline):
    model = models.Task
    extra = 0
    fields = ["title", "assignee_kind", "responsible", "deadline", "progress", "completed_on"]
    raw_id_fields = ["responsible"]


@admin.register(models.WorkItem)
class WorkItemAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "year", "kind", "step"]
    list_filter = ["year", "kind", "step"]
    search_fields = ["title"]
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation", "plan"]
    inlines = [TaskInline]


@admin.register(models.Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "work_item", "assignee_kind", "responsible", "deadline", "progress"]
    list_filter = ["assignee_kind", "role"]
    search_fields = ["title"]
    list_select_related = ["work_item", "responsible"]
    raw_id_fields = ["work_item", "assignee_org", "assignee_unit", "assignee_person", "responsible"]


@admin.register(models.Opinion)
class OpinionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "work_item", "source", "category", "handling", "received_on"]
    list_filter = ["source", "category", "handling"]
    raw_id_fields = ["work_item", "suggestion"]


@admin.register(models.Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "work_item", "held_on"]
    raw_id_fields = ["work_item"]


@admin.register(models.TaskProgress)
class TaskProgressAdmin(admin.ModelAdmin):
    list_display = ["task", "reported_on", "percent"]
    raw_id_fields = ["task", "reported_by"]


@admin.register(models.Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["work_item", "evaluated_on", "published_on"]
    raw_id_fields = ["work_item"]
