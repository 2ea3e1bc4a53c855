"""The suggestion box (意见箱): the public's suggestions to an organisation, no login needed
(《168模式实施意见》§五(二): “设立征求意见箱，接受群众监督”)."""

from django.conf import settings
from django.db import models

from dangjian.core.crypto import EncryptedCharField
from dangjian.core.text_limits import TEXT_DEFAULT
from dangjian.org.models import Organisation, OrgScopedQuerySet, Person
from dangjian.public import rules


class SuggestionCategory(models.TextChoices):
    PARTY = "party", "党的建设"
    TEACHING = "teaching", "教育教学"
    MANAGEMENT = "management", "管理服务"
    STUDENTS = "students", "学生工作"
    LOGISTICS = "logistics", "后勤保障"
    CONDUCT = "conduct", "党员作风"
    OTHER = "other", "其他"


class SuggestionStatus(models.TextChoices):
    RECEIVED = "received", "已收到"
    ASSIGNED = "assigned", "办理中"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"


class Suggestion(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="suggestions"
    )
    tracking_code = models.CharField("查询码", max_length=12, unique=True)
    name = models.CharField("姓名", max_length=30, blank=True, help_text="可不填，匿名提交。")
    # Usually a phone number: encrypted at rest like the people registry's (core.crypto).
    contact = EncryptedCharField("联系方式", max_length=60, blank=True)
    category = models.CharField(
        "类别", max_length=20, choices=SuggestionCategory.choices, default=SuggestionCategory.OTHER
    )
    content = models.TextField("意见建议", max_length=rules.CONTENT_MAX)
    status = models.CharField(
        "办理状态",
        max_length=10,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.RECEIVED,
    )
    assigned_to = models.ForeignKey(
        Person,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions_assigned",
    )
    reply = models.TextField("答复", blank=True, max_length=TEXT_DEFAULT)
    reply_public = models.BooleanField(
        "公开答复", default=False, help_text="公开后，答复显示在公开栏的意见箱中（不显示提交人）。"
    )
    replied_on = models.DateField("答复日期", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A keyed hash of the sender's address, only for the rate limit; never shown.
    client_hash = models.CharField(max_length=64, db_index=True, editable=False)
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "意见建议"
        verbose_name_plural = "意见建议"
        ordering = ["-created_at", "-id"]
        # The list's keyset order (core.pagination compares (created_at, id) rows).
        indexes = [models.Index(fields=["created_at", "id"], name="suggestion_created_at_id")]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.content[:20]}"
