from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models


class User(AbstractUser):
    """A login. Its rights come from the linked person's positions (see core.scoping)."""

    person = models.OneToOneField(
        "org.Person",
        verbose_name="对应人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    is_org_officer = models.BooleanField(
        "组织部干事",
        default=False,
        help_text="党委组织部（“168”领导小组办公室）干事：可查看和管理全校数据。",
    )
    must_change_password = models.BooleanField(
        "首次登录须修改密码",
        default=False,
        help_text="使用初始密码开通的账号，登录后须先设置自己的密码。",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"


class AuditEvent(models.Model):
    """Who did what, when, to which object, with each changed field's before → after."""

    class Action(models.TextChoices):
        CREATE = "create", "新建"
        UPDATE = "update", "修改"
        MOVE = "move", "移动"
        STATUS = "status", "状态变更"
        DISSOLVE = "dissolve", "撤销"
        IMPORT = "import", "导入"
        DELETE = "delete", "删除"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    object_repr = models.CharField("对象", max_length=200)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    @property
    def change_list(self) -> list[tuple[str, list]]:
        """The changes in the model's field order: PostgreSQL's jsonb keeps its keys sorted
        by length, so the stored order is not the order the fields were written in."""
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        labels = [str(f.verbose_name) for f in model._meta.fields] if model else []
        position = {label: index for index, label in enumerate(labels)}
        return sorted(self.changes.items(), key=lambda item: position.get(item[0], len(labels)))


class LoginFailure(models.Model):
    """One failed login; recent rows decide the lockout (core.rules.login_locked)."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


class Reminder(models.Model):
    """An in-app reminder (待办) of something due soon or overdue, made by the reminder sweep.

    The sweep is idempotent: one row per (person, key); what no longer applies is marked
    resolved, what applies again is reopened."""

    person = models.ForeignKey(
        "org.Person", verbose_name="提醒对象", on_delete=models.CASCADE, related_name="reminders"
    )
    key = models.CharField("提醒标识", max_length=200)
    category = models.CharField("类别", max_length=20)
    title = models.CharField("事项", max_length=200)
    due_on = models.DateField("截止日期", db_index=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("提醒时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    resolved_at = models.DateTimeField("完成时间", null=True, blank=True)
    dismissed_at = models.DateTimeField("忽略时间", null=True, blank=True)

    class Meta:
        verbose_name = "待办提醒"
        verbose_name_plural = "待办提醒"
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="reminder_once_per_person")
        ]
        indexes = [models.Index(fields=["person", "resolved_at", "due_on"])]

    def __str__(self) -> str:
        return self.title


class SecurityEvent(models.Model):
    """One entry of the security audit (等保 2.0 三级 安全审计): sign-ins and their failures,
    sign-outs, lockouts, refusals, exports and prints of personal data, changes of accounts,
    roles and settings. Append-only: written through core.security_log, never changed."""

    class Kind(models.TextChoices):
        LOGIN = "login", "登录成功"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOGOUT = "logout", "退出登录"
        LOCKOUT = "lockout", "账号锁定"
        REFUSED = "refused", "越权访问被拒绝"
        EXPORT = "export", "导出个人信息"
        PRINT = "print", "打印个人信息"
        ACCOUNT = "account", "账号变更"
        ROLE = "role", "角色与权限变更"
        SETTING = "setting", "安全设置变更"
        TOKEN = "token", "接口令牌"
        PASSWORD = "password", "密码变更"
        OTP = "otp", "双因素认证"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    kind = models.CharField("事件", max_length=20, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        User, verbose_name="用户", null=True, blank=True, on_delete=models.SET_NULL
    )
    # The name as typed (a failed sign-in may name no existing user) and kept after deletion.
    username = models.CharField("用户名", max_length=150, blank=True, db_index=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    path = models.CharField("访问路径", max_length=300, blank=True)
    detail = models.CharField("说明", max_length=500, blank=True)
    rows = models.PositiveIntegerField("涉及条数", null=True, blank=True)

    class Meta:
        verbose_name = "安全审计记录"
        verbose_name_plural = "安全审计记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "-at"]), models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username}"
