from django.contrib import admin

from dangjian.reports.models import QuarterlyReport


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(admin.ModelAdmin):
    """Read-mostly: the workflow runs through the pages and the API (audited services)."""

    list_display = ("organisation", "year", "quarter", "status", "submitted_at", "reviewed_at")
    list_filter = ("year", "quarter", "status")
    search_fields = ("organisation__name",)
    list_select_related = ("organisation",)
    raw_id_fields = ("organisation", "submitted_by", "reviewed_by")
    readonly_fields = (
        "figures",
        "status",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
    )
