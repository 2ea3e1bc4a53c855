from django.contrib import admin

from dangjian.accounts.models import AccountBatch


@admin.register(AccountBatch)
class AccountBatchAdmin(admin.ModelAdmin):
    list_display = [
        "organisation",
        "method",
        "created_count",
        "refused_count",
        "created_by",
        "created_at",
    ]
    readonly_fields = [f.name for f in AccountBatch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
