from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from dangjian.core.models import AuditEvent, User


@admin.register(User)
class DangjianUserAdmin(UserAdmin):
    fieldsets = [*UserAdmin.fieldsets, ("党建平台", {"fields": ["person", "is_org_officer"]})]
    raw_id_fields = ["person"]
    list_display = ["username", "person", "is_org_officer", "is_superuser", "is_active"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
