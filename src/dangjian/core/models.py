from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from dangjian.core.events import label_of


class AppendOnlyError(Exception):
    """An audit row was about to be changed or deleted: the audit trail is append-only."""


class AppendOnlyQuerySet(models.QuerySet):
    """Audit rows are written once and never changed: bulk update and delete refuse too.

    Only `dangjian archive_audit` removes rows, after writing and verifying an archive, with
    its own statement (see core.audit_archive)."""

    def update(self, **kwargs):
        # The one change allowed: deleting an account detaches it from its rows (on_delete
        # SET_NULL; a security event keeps the user name as written).
        if kwargs == {self.model.ACCOUNT_FIELD: None}:
            return super().update(**kwargs)
        raise AppendOnlyError(f"{self.model._meta.verbose_name}只能新增，不能修改。")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name}只能新增，不能删除。")

    update.queryset_only = True
    delete.queryset_only = True


class AppendOnlyModel(models.Model):
    """save() inserts a new row and refuses to rewrite one; delete() refuses."""

    objects = AppendOnlyQuerySet.as_manager()
    ACCOUNT_FIELD = ""  # the foreign key to the user, nulled when the account is deleted

    class Meta:
        abstract = True
        base_manager_name = "objects"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name}只能新增，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name}只能新增，不能删除。")


class AdminRole(models.TextChoices):
    """三员分立: three administrators, each with one duty and no other."""

    NONE = "", "无"
    SYSTEM = "system", "系统管理员"
    SECURITY = "security", "安全管理员"
    AUDIT = "audit", "审计管理员"


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
    admin_role = models.CharField(
        "管理员角色",
        max_length=16,
        choices=AdminRole.choices,
        default=AdminRole.NONE,
        blank=True,
        help_text="三员分立：系统管理员管理账号和配置；安全管理员管理安全设置并查看安全审计；"
        "审计管理员只能查阅审计日志，不能访问其他任何页面。",
    )
    must_change_password = models.BooleanField(
        "首次登录须修改密码",
        default=False,
        help_text="使用初始密码开通的账号，登录后须先设置自己的密码。",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"


class AuditEvent(AppendOnlyModel):
    """Who did what, when, to which object, with each changed field's before → after."""

    ACCOUNT_FIELD = "actor"

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
    # A named workflow step ("branches.grading_decided"), declared in the app's events.py.
    event = models.CharField("事件", max_length=64, blank=True, default="")

    class Meta(AppendOnlyModel.Meta):
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.label} {self.object_repr}"

    @property
    def label(self) -> str:
        """The named event's label, else the generic action's."""
        return (label_of(self.event) if self.event else "") or self.get_action_display()

    @property
    def change_list(self) -> list[tuple[str, list]]:
        """The changes in the model's field order: PostgreSQL's jsonb keeps its keys sorted
        by length, so the stored order is not the order the fields were written in."""
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        labels = [str(f.verbose_name) for f in model._meta.fields] if model else []
        position = {label: index for index, label in enumerate(labels)}
        return sorted(self.changes.items(), key=lambda item: position.get(item[0], len(labels)))


class ApiToken(models.Model):
    """A personal API token (接口令牌). Only the SHA-256 of the token is stored; the token itself
    is shown once, when issued. Revoked when the owner changes the password or is deactivated."""

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("名称", max_length=100, blank=True)
    prefix = models.CharField("前缀", max_length=16, help_text="令牌开头几位，用于辨认。")
    key_hash = models.CharField("摘要", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    expires_at = models.DateTimeField("到期时间", db_index=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}".strip()

    @property
    def status(self) -> str:
        from django.utils import timezone

        if self.revoked_at:
            return "已吊销"
        if self.expires_at <= timezone.now():
            return "已过期"
        return "有效"


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


class SecurityEvent(AppendOnlyModel):
    """One entry of the security audit (等保 2.0 三级 安全审计): sign-ins and their failures,
    sign-outs, lockouts, refusals, exports and prints of personal data, changes of accounts,
    roles and settings. Append-only: written through core.security_log, never changed."""

    ACCOUNT_FIELD = "user"

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

    class Meta(AppendOnlyModel.Meta):
        verbose_name = "安全审计记录"
        verbose_name_plural = "安全审计记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "-at"]), models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username}"


class JobQuerySet(models.QuerySet):
    def visible_to(self, user) -> "JobQuerySet":
        """A job is its owner's alone (others: 404)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)


class Job(models.Model):
    """A piece of long work run in the background (core.jobs): an export, its progress and the
    file it made. Seen, polled and downloaded only by its owner (`for_owner`); the file is
    removed when the job expires (EXPORT_KEEP_DAYS, by the sweep)."""

    class Kind(models.TextChoices):
        EXPORT = "export", "导出"

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    owner = models.ForeignKey(User, verbose_name="发起人", on_delete=models.CASCADE)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.EXPORT)
    title = models.CharField("名称", max_length=200)
    # What to run: for an export the page's path and query string, and the address and host of
    # the request that started it (the security audit records them as for any export).
    params = models.JSONField("参数", default=dict, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=State.choices, default=State.QUEUED, db_index=True
    )
    rows = models.PositiveIntegerField("已处理行数", default=0)
    file = models.FileField("文件", upload_to="exports/%Y/%m/", blank=True, max_length=200)
    file_size = models.PositiveBigIntegerField("文件大小", default=0)
    error = models.CharField("错误", max_length=500, blank=True)
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True, db_index=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def running(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def downloadable(self) -> bool:
        return self.state == self.State.DONE and bool(self.file)


class DataImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DataImportQuerySet":
        """An import is its uploader's alone (others: 404)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(created_by=user)


class DataImport(models.Model):
    """An Excel import of records (core.imports): validated as a dry run in the background,
    confirmed by its uploader, then written all at once, or not at all."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队校验"
        VALIDATING = "validating", "校验中"
        INVALID = "invalid", "校验未通过"
        VALID = "valid", "校验通过，待确认"
        COMMIT_QUEUED = "commit_queued", "排队导入"
        IMPORTING = "importing", "导入中"
        DONE = "done", "已导入"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=30)
    created_by = models.ForeignKey(User, verbose_name="上传人", on_delete=models.CASCADE)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    original_name = models.CharField("文件名", max_length=200, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=State.choices, default=State.QUEUED, db_index=True
    )
    total_rows = models.PositiveIntegerField("行数", default=0)
    imported_rows = models.PositiveIntegerField("已导入行数", default=0)
    # The rows read from the file ([row number, cells…]) until the job ends; then emptied.
    rows = models.JSONField("数据", default=list, blank=True)
    errors = models.JSONField("错误", default=list, blank=True)

    objects = DataImportQuerySet.as_manager()

    class Meta:
        verbose_name = "数据导入"
        verbose_name_plural = "数据导入"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return self.original_name or f"导入{self.pk}"

    @property
    def running(self) -> bool:
        return self.state in (
            self.State.QUEUED,
            self.State.VALIDATING,
            self.State.COMMIT_QUEUED,
            self.State.IMPORTING,
        )
