from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from dangjian.core import otp, tokens
from dangjian.core.models import ApiToken, AuditEvent, User


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
