from django.conf import settings
from django.db import models

from dangjian.core.scoping import ScopedQuerySet
from dangjian.org.models import orgs_under


class AccountBatchQuerySet(ScopedQuerySet):
    """Seen by the officers of the batch's organisation and of the levels above."""

    def scope_q(self, scope):
        return models.Q(organisation__in=orgs_under(scope.org_paths))


class AccountBatch(models.Model):
    """One opening of accounts for the people of an organisation subtree (账号开通批次)."""

    class Method(models.TextChoices):
        ACTIVATION = "activation", "激活链接"
        PASSWORD = "password", "初始密码"

    organisation = models.ForeignKey(
        "org.Organisation",
        verbose_name="党组织",
        on_delete=models.PROTECT,
        related_name="account_batches",
    )
    members_only = models.BooleanField("仅党员", default=True)
    method = models.CharField("发放方式", max_length=20, choices=Method.choices)
    username_rule = models.CharField("用户名规则", max_length=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="开通人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("开通时间", auto_now_add=True, db_index=True)
    created_count = models.PositiveIntegerField("开通账号数", default=0)
    refused_count = models.PositiveIntegerField("未开通人数", default=0)

    objects = AccountBatchQuerySet.as_manager()

    class Meta:
        verbose_name = "账号开通批次"
        verbose_name_plural = "账号开通批次"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.created_at:%Y-%m-%d %H:%M}"


class AccountGrant(models.Model):
    """One account opened in a batch; for activation links, the link's hashed token."""

    batch = models.ForeignKey(AccountBatch, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_grants"
    )
    person = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="+")
    # SHA-256 of the activation token: the token itself is shown once and never stored.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    expires_at = models.DateTimeField("链接有效期至", null=True, blank=True)
    used_at = models.DateTimeField("激活时间", null=True, blank=True)

    class Meta:
        verbose_name = "开通账号"
        verbose_name_plural = "开通账号"
        ordering = ["batch", "id"]

    def __str__(self) -> str:
        return str(self.person)
