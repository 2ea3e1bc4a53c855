from django.contrib import admin

from dangjian.public import models


@admin.register(models.Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["tracking_code", "organisation", "category", "status", "created_at"]
    list_filter = ["status", "category"]
    search_fields = ["tracking_code", "content"]
    raw_id_fields = ["organisation", "assigned_to", "replied_by"]
    list_select_related = ["organisation"]
    readonly_fields = ["tracking_code", "created_at"]
    # The address hash is for the rate limit only; it is not shown anywhere.
    exclude = ["client_hash"]
