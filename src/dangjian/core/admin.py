from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from dangjian.core import otp, tokens
from dangjian.core.models import AdminRole, ApiToken, AuditEvent, SecurityEvent, User


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


@admin.action(description="重置所选用户的双因素认证（手机丢失时）")
def reset_second_factor(modeladmin, request, queryset):
    for user in queryset:
        otp.disable(user=user, actor=request.user, request=request)
    modeladmin.message_user(request, f"已重置 {queryset.count()} 个用户的双因素认证。")


@admin.action(description="吊销所选用户的全部接口令牌")
def revoke_user_tokens(modeladmin, request, queryset):
    count = sum(
        tokens.tokens_revoke_all(user=user, reason="管理员吊销", request=request)
        for user in queryset
    )
    modeladmin.message_user(request, f"已吊销 {count} 个接口令牌。")


DangjianUserAdmin.actions = [reset_second_factor, revoke_user_tokens]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see every token (never the token itself) and revoke them."""

    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "expires_at", "status"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "prefix", "name"]
    readonly_fields = [f.name for f in ApiToken._meta.fields if f.name != "key_hash"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="吊销所选接口令牌")
    def revoke(self, request, queryset):
        count = sum(
            tokens.token_revoke(token=token, actor=request.user, request=request)
            for token in queryset.select_related("user")
        )
        self.message_user(request, f"已吊销 {count} 个接口令牌。")


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
