"""Notices (通知公告) sent by an organisation to its subtree, who has read them, and each user's
message centre state (what they have seen, whether they want the daily e-mail digest).

A notice is never fanned out into one row per recipient (a notice to a province is millions of
people): whom it addresses is worked out when a person lists their notices, from their own
organisation's path and their positions (`Addressee`); a `NoticeRead` row is made when they
open it."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from dangjian.core.scoping import ScopedQuerySet, scope_for
from dangjian.core.text_limits import TEXT_LONG
from dangjian.core.uploads import UploadFileField, companion_fields
from dangjian.notices import rules
from dangjian.org.models import Organisation, Person, Position, in_orgs
from dangjian.org.rules import MEMBER_STATUSES, OFFICER_TITLES


class NoticeState(models.TextChoices):
    DRAFT = rules.DRAFT, "草稿"
    PUBLISHED = rules.PUBLISHED, "已发布"
    WITHDRAWN = rules.WITHDRAWN, "已撤回"


class Audience(models.TextChoices):
    ALL = rules.ALL, "全体在册人员"
    MEMBERS = rules.MEMBERS, "全体党员"
    OFFICERS = rules.OFFICERS, "党组织书记、副书记和委员"


@dataclass(frozen=True)
class Addressee:
    """What decides which notices reach a person: the paths of the organisations above their
    own (on the roll; as a Party member) and above those where they are an officer."""

    person_id: int | None
    roll_paths: tuple[str, ...] = ()
    member_paths: tuple[str, ...] = ()
    officer_paths: tuple[str, ...] = ()

    def q(self, prefix: str = "") -> models.Q:
        """Published notices addressed to this person (`prefix`: the lookup to the notice)."""
        path = f"{prefix}organisation__path__in"
        aud = f"{prefix}audience"
        q = models.Q(pk__in=[])
        for audience, paths in (
            (Audience.ALL, self.roll_paths),
            (Audience.MEMBERS, self.member_paths),
            (Audience.OFFICERS, self.officer_paths),
        ):
            if paths:
                q |= models.Q(**{aud: audience, path: paths})
        return q & models.Q(**{f"{prefix}state": NoticeState.PUBLISHED})


NOBODY = Addressee(person_id=None)
ADDRESSEE_CACHE_ATTR = "_dangjian_addressee"


def addressee_of_person(person_id: int | None) -> Addressee:
    """Two indexed reads: the person's own organisation and their current officer posts."""
    if not person_id:
        return NOBODY
    row = (
        Person.objects.filter(pk=person_id)
        .values_list("primary_org__path", "is_active", "party_status")
        .first()
    )
    if row is None:
        return NOBODY
    path, on_roll, status = row
    steplen = Organisation.steplen
    roll = tuple(rules.ancestor_paths(path, steplen)) if path and on_roll else ()
    officer_orgs = (
        Position.objects.current()
        .filter(
            person_id=person_id,
            title__in=OFFICER_TITLES,
            organisation__dissolved_on__isnull=True,
        )
        .values_list("organisation__path", flat=True)
    )
    officer = tuple(sorted({p for org in officer_orgs for p in rules.ancestor_paths(org, steplen)}))
    return Addressee(
        person_id=person_id,
        roll_paths=roll,
        member_paths=roll if status in MEMBER_STATUSES else (),
        officer_paths=officer,
    )


def addressee_for(user) -> Addressee:
    """The user's addressee, computed once per request object (as the scope is)."""
    if user is None or not user.is_authenticated or not getattr(user, "person_id", None):
        return NOBODY
    cached = getattr(user, ADDRESSEE_CACHE_ATTR, None)
    if cached is None:
        cached = addressee_of_person(user.person_id)
        setattr(user, ADDRESSEE_CACHE_ATTR, cached)
    return cached


class OrgNoticeQuerySet(ScopedQuerySet):
    """Officers see and change the notices of their subtrees (drafts included); everyone reads
    the published notices addressed to them."""

    def scope_q(self, scope):
        return self.editable_q(scope) | addressee_of_person(scope.person_id).q()

    def editable_q(self, scope):
        return in_orgs("organisation", scope.org_paths)

    def visible_to(self, user):
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        if not scope.person_id and not scope.org_paths:
            return self.none()
        return self.filter(self.editable_q(scope) | addressee_for(user).q())

    def addressed_to(self, user: Any) -> "OrgNoticeQuerySet":
        """The published notices addressed to the user (我的通知)."""
        addressee = addressee_for(user)
        if addressee is NOBODY:
            return self.none()
        return self.filter(addressee.q())


class Notice(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="发布范围",
        on_delete=models.PROTECT,
        related_name="notices",
        help_text="本组织及其全部下级组织。",
    )
    audience = models.CharField(
        "通知对象", max_length=10, choices=Audience.choices, default=Audience.ALL
    )
    title = models.CharField("标题", max_length=120)
    body = models.TextField("正文", max_length=TEXT_LONG, help_text="纯文本，按回车分段。")
    receipt_required = models.BooleanField(
        "需回执", default=False, help_text="要求收到通知的人员点击“已阅”确认。"
    )
    deadline = models.DateField("截止日期", null=True, blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=NoticeState.choices, default=NoticeState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="起草人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("起草时间", default=timezone.now)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    objects = OrgNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "通知公告"
        indexes = [
            # My notices: the addressed organisations' published notices, newest first.
            models.Index(fields=["organisation", "state", "-published_at"], name="notice_addr"),
            models.Index(fields=["-created_at", "-id"], name="notice_order"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def paragraphs(self) -> list[str]:
        return [line for line in self.body.splitlines()]


class AttachmentQuerySet(ScopedQuerySet):
    """An attachment is served to whoever sees its notice (core.views.media_file)."""

    def scope_q(self, scope):
        return models.Q(notice__in=Notice.objects.filter(Notice.objects.scope_q(scope)))

    def editable_q(self, scope):
        return in_orgs("notice__organisation", scope.org_paths)

    def visible_to(self, user):
        return self.filter(notice__in=Notice.objects.visible_to(user))


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(
        Notice, verbose_name="通知", on_delete=models.CASCADE, related_name="attachments"
    )
    file = UploadFileField("附件", area="notices")
    file_name, file_size, file_owner = companion_fields("附件")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "通知附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file_name or self.file.name


class NoticeRead(models.Model):
    """A person opened a notice (and, when a receipt is asked for, confirmed 已阅)."""

    # Both foreign keys are served by the two composite indexes below (no single-column ones:
    # the table holds a row per person and notice read).
    notice = models.ForeignKey(
        Notice,
        verbose_name="通知",
        on_delete=models.CASCADE,
        related_name="reads",
        db_index=False,
    )
    person = models.ForeignKey(
        Person,
        verbose_name="人员",
        on_delete=models.CASCADE,
        related_name="notice_reads",
        db_index=False,
    )
    read_at = models.DateTimeField("阅读时间", default=timezone.now)
    confirmed_at = models.DateTimeField("回执时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知阅读记录"
        constraints = [
            models.UniqueConstraint(fields=["person", "notice"], name="notice_read_once")
        ]
        indexes = [models.Index(fields=["notice", "person"], name="notice_read_notice")]

    def __str__(self) -> str:
        return f"{self.person_id} 已阅 {self.notice_id}"


class Inbox(models.Model):
    """A user's message centre: when they last marked it read (reminders and replies made or
    changed before then are read) and whether they receive the daily e-mail digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="inbox",
    )
    seen_at = models.DateTimeField("全部已读时间", null=True, blank=True)
    digest = models.BooleanField(
        "接收每日邮件摘要", default=True, help_text="每天一封，汇总未读通知和新的待办提醒。"
    )

    class Meta:
        verbose_name = verbose_name_plural = "消息中心设置"

    def __str__(self) -> str:
        return str(self.user)


class DigestSent(models.Model):
    """One digest per user per day: the record that makes `send_digest` idempotent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField("日期")
    sent_at = models.DateTimeField("发送时间", default=timezone.now)
    notices = models.PositiveIntegerField("未读通知数", default=0)
    reminders = models.PositiveIntegerField("新待办数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "邮件摘要发送记录"
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"
