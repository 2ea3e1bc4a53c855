from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from dangjian.core.models import AdminRole, AuditEvent, SecurityEvent, User


@admin.register(User)
class DangjianUserAdmin(UserAdmin):
    fieldsets = [
        *UserAdmin.fieldsets,
        ("党建平台", {"fields": ["person", "is_org_officer", "admin_role"]}),
    ]
    raw_id_fields = ["person"]
    list_display = [
        "username",
        "person",
        "is_org_officer",
        "admin_role",
        "is_superuser",
        "is_active",
    ]
    list_filter = [*UserAdmin.list_filter, "admin_role"]


class ReadOnlyAuditAdmin(admin.ModelAdmin):
    """Audit rows are append-only: nobody adds, changes or deletes them here (no delete action
    either). Reading them is for the administrators whose role allows it (三员分立); the audit
    administrator reads both logs under /audit/, which has filters and export."""

    readers: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.admin_role in self.readers

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def get_actions(self, request):
        return {}


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAuditAdmin):
    list_display = ["at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    readers = (AdminRole.AUDIT,)


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAuditAdmin):
    list_display = ["at", "kind", "username", "ip", "path", "detail", "rows"]
    list_filter = ["kind"]
    readers = (AdminRole.SECURITY, AdminRole.AUDIT)
