"""Members away (流动党员): where they are, until when, who keeps in touch
(《支部考核办法》 item 8; 《组织建设年实施方案》§二(三))."""

from django.db import models
from django.utils import timezone

from dangjian.core.text_limits import TEXT_DEFAULT
from dangjian.org.models import Organisation, OrgScopedQuerySet, Person, Unit, in_orgs


class AwayKind(models.TextChoices):
    INTERN = "intern", "外出实习"
    SECONDED = "seconded", "挂职、支教或借调"
    STUDY = "study", "外出学习进修"
    ABROAD = "abroad", "出国（境）"
    WORK = "work", "外出务工经商"
    OTHER = "other", "其他"


class MemberAwayQuerySet(OrgScopedQuerySet):
    org_field = "person__primary_org"
    person_field = "person"


class MemberAway(models.Model):
    """One period a member spends away; the branch keeps the relationship and the contact."""

    person = models.ForeignKey(
        Person, verbose_name="党员", on_delete=models.PROTECT, related_name="away_periods"
    )
    kind = models.CharField("外出类别", max_length=20, choices=AwayKind.choices)
    place = models.CharField("去向（地点、单位）", max_length=120)
    left_on = models.DateField("外出日期")
    until = models.DateField("预计返回日期", null=True, blank=True)
    returned_on = models.DateField("实际返回日期", null=True, blank=True)
    keeps_contact = models.ForeignKey(
        Person,
        verbose_name="联系人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="支部负责与该党员保持联系的人。",
    )
    group = models.ForeignKey(
        Organisation,
        verbose_name="参加组织生活的党小组",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_contact_on = models.DateField("最近联系日期", null=True, blank=True)
    note = models.TextField("备注", blank=True, max_length=TEXT_DEFAULT)

    objects = MemberAwayQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "流动党员"
        indexes = [models.Index(fields=["-left_on", "-id"], name="away_order")]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_kind_display()}，{self.left_on:%Y-%m-%d}起）"


class ContactWay(models.TextChoices):
    VISIT = "visit", "当面走访"
    PHONE = "phone", "电话"
    VIDEO = "video", "视频通话"
    MESSAGE = "message", "微信、短信等即时消息"
    LETTER = "letter", "书信、电子邮件"
    OTHER = "other", "其他"


class AwayContactQuerySet(OrgScopedQuerySet):
    org_field = "away__person__primary_org"
    person_field = "away__person"


class AwayContact(models.Model):
    """One contact with a member away (联系记录): when, how, by whom, about what. The away
    record's last contact is the latest of these (《支部考核办法》 item 8: 保持联系)."""

    away = models.ForeignKey(
        MemberAway, verbose_name="流动党员", on_delete=models.CASCADE, related_name="contacts"
    )
    contacted_on = models.DateField("联系日期")
    way = models.CharField("联系方式", max_length=10, choices=ContactWay.choices)
    by = models.ForeignKey(
        Person,
        verbose_name="联系人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="不填则为登记人本人。",
    )
    content = models.TextField("联系内容", max_length=TEXT_DEFAULT)

    objects = AwayContactQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "流动党员联系记录"
        indexes = [
            models.Index(fields=["-contacted_on", "-id"], name="away_contact_order"),
            models.Index(fields=["away", "contacted_on"], name="away_contact_away"),
        ]

    def __str__(self) -> str:
        return f"{self.away.person.name} {self.contacted_on:%Y-%m-%d} {self.get_way_display()}"


# --- 组织关系转接 ------------------------------------------------------------------------------


class TransferKind(models.TextChoices):
    WITHIN = "within", "校内转接"
    OUT = "out", "转出本单位"
    IN = "in", "转入本单位"


class TransferState(models.TextChoices):
    SENT = "sent", "待接收"
    RECEIVED = "received", "待审批"
    AWAITING_SLIP = "awaiting_slip", "待回执"
    COMPLETED = "completed", "已办结"
    REJECTED = "rejected", "已退回"
    CANCELLED = "cancelled", "已撤回"


OPEN_STATES = (TransferState.SENT, TransferState.RECEIVED, TransferState.AWAITING_SLIP)


class TransferQuerySet(OrgScopedQuerySet):
    """Seen and acted on by the officers of either end (and the levels above), read by the
    person moving."""

    person_field = "person"

    def editable_q(self, scope):
        return in_orgs("origin_org", scope.org_paths) | in_orgs("destination_org", scope.org_paths)

    def open(self):
        return self.filter(state__in=OPEN_STATES)


class TransferBatch(models.Model):
    """Graduates leaving in one batch (毕业生党员组织关系集中转出): the rows submitted and each
    row's result."""

    title = models.CharField("批次名称", max_length=100)
    organisation = models.ForeignKey(
        Organisation, verbose_name="办理党组织", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="班级或年段", null=True, blank=True, on_delete=models.SET_NULL
    )
    issued_on = models.DateField("开具日期")
    results = models.JSONField("各行结果", default=list, blank=True)
    created_by = models.ForeignKey(
        "core.User", verbose_name="办理人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("办理时间", auto_now_add=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "毕业生党员组织关系批量转出"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Transfer(models.Model):
    """One transfer of a member's organisational relationship, within, out of or into the
    institution; each step is a TransferStep (who, when, note) and an audit event."""

    kind = models.CharField("转接类型", max_length=10, choices=TransferKind.choices)
    state = models.CharField("状态", max_length=16, choices=TransferState.choices)
    person = models.ForeignKey(
        Person, verbose_name="党员", on_delete=models.PROTECT, related_name="transfers"
    )
    origin_org = models.ForeignKey(
        Organisation,
        verbose_name="原党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    destination_org = models.ForeignKey(
        Organisation,
        verbose_name="转入党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    origin_text = models.CharField("原党组织（外单位）", max_length=120, blank=True)
    destination_text = models.CharField("转往党组织（外单位）", max_length=120, blank=True)
    reason = models.CharField("转接原因", max_length=200)
    letter_number = models.CharField("介绍信编号", max_length=40, blank=True)
    issued_on = models.DateField("办理日期")
    valid_days = models.PositiveSmallIntegerField("介绍信有效期（天）", null=True, blank=True)
    dues_paid_until = models.DateField(
        "党费交到", null=True, blank=True, help_text="党费已交到的月份（填该月任一日）。"
    )
    slip_returned_on = models.DateField("回执返回日期", null=True, blank=True)
    completed_on = models.DateField("办结日期", null=True, blank=True)
    batch = models.ForeignKey(
        TransferBatch,
        verbose_name="批次",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transfers",
    )
    note = models.TextField("备注", blank=True, max_length=TEXT_DEFAULT)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "组织关系转接"
        indexes = [
            models.Index(fields=["-issued_on", "-id"], name="transfer_order"),
            models.Index(fields=["person", "state"], name="transfer_person_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["letter_number"],
                condition=models.Q(kind="out"),
                name="transfer_unique_out_letter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_kind_display()}，{self.issued_on:%Y-%m-%d}）"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def from_label(self) -> str:
        return self.origin_org.name if self.origin_org_id else self.origin_text

    @property
    def to_label(self) -> str:
        return self.destination_org.name if self.destination_org_id else self.destination_text


class StepKind(models.TextChoices):
    SEND = "send", "原党组织发出"
    RECEIVE = "receive", "转入党组织接收"
    APPROVE = "approve", "党总支审批同意"
    REJECT = "reject", "退回"
    CANCEL = "cancel", "撤回"
    ISSUE = "issue", "开具介绍信"
    SLIP = "slip", "回执返回"
    ARRIVE = "arrive", "接收转入"
    COMPLETE = "complete", "办结"


class TransferStep(models.Model):
    """One step of a transfer: who, when, in which organisation's name, with what note."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("步骤", max_length=10, choices=StepKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="办理党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        "core.User", verbose_name="办理人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField("办理人姓名", max_length=50, blank=True)
    at = models.DateTimeField("办理时间", default=timezone.now)
    note = models.CharField("意见或说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "转接步骤"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()
