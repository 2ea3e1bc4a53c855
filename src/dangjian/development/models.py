"""The member development pipeline: the ten steps of 《基层组织建设实施意见》§四(三)1 with their
notices (公示), objections, votes, probation reports and conversion."""

from django.conf import settings
from django.db import models

from dangjian.core import uploads
from dangjian.core.text_limits import TEXT_DEFAULT, TEXT_LONG
from dangjian.org.models import Organisation, OrgScopedQuerySet, Person


class Stage(models.IntegerChoices):
    """The ten steps (《基层组织建设实施意见》§四(三)1); names and documents are configurable per
    institution in StageDefinition, the order and the checks are the seed's."""

    APPLICATION = 1, "递交入党申请"
    ACTIVIST = 2, "确定入党积极分子"
    CANDIDATE = 3, "确定培养考察对象"
    CULTIVATION = 4, "培养考察"
    TARGET = 5, "确定发展对象"
    ADMISSION = 6, "支部大会讨论接收预备党员"
    TALK = 7, "党总支指派专人谈话"
    APPROVAL = 8, "党总支委员会审批"
    PROBATION = 9, "预备期培养考察"
    CONVERSION = 10, "预备党员转正"


class StageDefinition(models.Model):
    """An institution's wording of a step and the documents it keeps (seeded from
    《基层组织建设实施意见》)."""

    stage = models.PositiveSmallIntegerField("步骤", choices=Stage.choices, unique=True)
    name = models.CharField("名称", max_length=40)
    description = models.TextField("要求", blank=True, max_length=TEXT_DEFAULT)
    documents = models.TextField(
        "应存材料", blank=True, help_text="每行一项。", max_length=TEXT_DEFAULT
    )

    class Meta:
        verbose_name = "发展步骤"
        verbose_name_plural = "发展步骤"
        ordering = ["stage"]

    def __str__(self) -> str:
        return f"{self.stage}. {self.name}"


class CaseStatus(models.TextChoices):
    ACTIVE = "active", "培养发展中"
    PROBATION = "probation", "预备期"
    EXTENDED = "extended", "延长预备期"
    CONVERTED = "converted", "已转正"
    CANCELLED = "cancelled", "已终止"


OPEN_STATUSES = (CaseStatus.ACTIVE, CaseStatus.PROBATION, CaseStatus.EXTENDED)
PROBATION_STATUSES = (CaseStatus.PROBATION, CaseStatus.EXTENDED)


class CaseQuerySet(OrgScopedQuerySet):
    person_field = "person"


class Case(models.Model):
    """One person's way from application to full membership (发展党员档案)."""

    person = models.ForeignKey(
        Person, verbose_name="发展对象", on_delete=models.PROTECT, related_name="development_cases"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="所在党支部",
        on_delete=models.PROTECT,
        related_name="development_cases",
    )
    stage = models.PositiveSmallIntegerField(
        "当前步骤", choices=Stage.choices, default=Stage.APPLICATION
    )
    status = models.CharField(
        "状态", max_length=10, choices=CaseStatus.choices, default=CaseStatus.ACTIVE
    )
    applied_on = models.DateField("递交申请书日期")
    activist_on = models.DateField("确定为积极分子日期", null=True, blank=True)
    exam_passed_on = models.DateField("党校考试合格日期", null=True, blank=True)
    exam_score = models.DecimalField(
        "党校考试成绩", max_digits=5, decimal_places=1, null=True, blank=True
    )
    candidate_on = models.DateField("确定为培养考察对象日期", null=True, blank=True)
    cultivation_starts_on = models.DateField("培养考察开始日期", null=True, blank=True)
    target_committee_on = models.DateField(
        "支委会讨论发展对象日期", null=True, blank=True, help_text="民主推荐、支委会集体讨论评议。"
    )
    target_on = models.DateField("确定为发展对象日期", null=True, blank=True)
    admitted_on = models.DateField(
        "支部大会通过日期", null=True, blank=True, help_text="预备期从这一天算起。"
    )
    talk_on = models.DateField("谈话日期", null=True, blank=True)
    talker = models.ForeignKey(
        Person,
        verbose_name="谈话人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="development_talks",
    )
    approved_on = models.DateField("党总支审批日期", null=True, blank=True)
    probation_ends_on = models.DateField("预备期满日期", null=True, blank=True)
    conversion_applied_on = models.DateField("转正申请日期", null=True, blank=True)
    conversion_late = models.BooleanField(
        "转正申请逾期", default=False, help_text="未在预备期满前一个月提出书面转正申请。"
    )
    conversion_opinions_on = models.DateField("征求党内外意见日期", null=True, blank=True)
    conversion_committee_on = models.DateField("支委会讨论转正日期", null=True, blank=True)
    conversion_reviewed_on = models.DateField("党总支审查转正日期", null=True, blank=True)
    extended_on = models.DateField("延长预备期决定日期", null=True, blank=True)
    extension_reason = models.CharField("延长预备期原因", max_length=200, blank=True)
    converted_on = models.DateField("转正日期", null=True, blank=True)
    ended_on = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("终止原因", max_length=200, blank=True)
    cultivators = models.ManyToManyField(
        Person, verbose_name="培养人", blank=True, related_name="cultivating"
    )
    sponsors = models.ManyToManyField(
        Person, verbose_name="入党介绍人", blank=True, related_name="sponsoring"
    )
    created_at = models.DateTimeField("建档时间", auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "发展党员档案"
        verbose_name_plural = "发展党员档案"
        ordering = ["organisation__path", "stage", "applied_on", "id"]
        indexes = [
            models.Index(fields=["organisation", "status", "stage"]),
            # The board's keyset order over the open cases, and the probations ending soon.
            models.Index(
                fields=["stage", "applied_on", "id"],
                condition=models.Q(status__in=["active", "probation", "extended"]),
                name="case_board_order",
            ),
            # 预备期将满: every probation by its end (the board's list).
            models.Index(
                fields=["probation_ends_on", "id"],
                condition=models.Q(status__in=["probation", "extended"]),
                name="case_probations_by_end",
            ),
            # 转正申请将到期: those not yet applied.
            models.Index(
                fields=["probation_ends_on", "id"],
                condition=models.Q(
                    status__in=["probation", "extended"], conversion_applied_on__isnull=True
                ),
                name="case_probation_ending",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=["active", "probation", "extended"]),
                name="one_open_case_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_stage_display()}"


class CaseEventQuerySet(OrgScopedQuerySet):
    org_field = "case__organisation"
    person_field = "case__person"


class CaseEvent(models.Model):
    """A dated step of the timeline with its document (申请书、思想汇报、志愿书…)."""

    case = models.ForeignKey(
        Case, verbose_name="档案", on_delete=models.CASCADE, related_name="events"
    )
    stage = models.PositiveSmallIntegerField("步骤", choices=Stage.choices)
    happened_on = models.DateField("日期")
    title = models.CharField("事项", max_length=120)
    note = models.TextField("说明", blank=True, max_length=TEXT_DEFAULT)
    document = uploads.UploadFileField("材料", area="development", blank=True)
    document_name, document_size, document_owner = uploads.companion_fields("材料")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = "发展纪实"
        verbose_name_plural = "发展纪实"
        ordering = ["case", "happened_on", "id"]

    def __str__(self) -> str:
        return f"{self.happened_on} {self.title}"


class NoticePurpose(models.TextChoices):
    CANDIDATE = "candidate", "培养考察对象公示"
    TARGET = "target", "发展对象公示"
    CONVERSION = "conversion", "预备党员转正公示"


class NoticeQuerySet(OrgScopedQuerySet):
    org_field = "case__organisation"


class Notice(models.Model):
    """A public notice period (公示) and the objections it received."""

    case = models.ForeignKey(
        Case, verbose_name="档案", on_delete=models.CASCADE, related_name="notices"
    )
    purpose = models.CharField("公示事项", max_length=12, choices=NoticePurpose.choices)
    starts_on = models.DateField("公示开始")
    ends_on = models.DateField("公示结束")
    channel = models.CharField("公示范围", max_length=100, default="全体师生")

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"
        ordering = ["case", "starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.starts_on}—{self.ends_on}"


class Objection(models.Model):
    notice = models.ForeignKey(
        Notice, verbose_name="公示", on_delete=models.CASCADE, related_name="objections"
    )
    received_on = models.DateField("收到日期")
    content = models.TextField("反映内容", max_length=TEXT_DEFAULT)
    resolved_on = models.DateField("处理日期", null=True, blank=True)
    resolution = models.TextField("核查处理结果", blank=True, max_length=TEXT_DEFAULT)
    upheld = models.BooleanField("反映属实", default=False)

    class Meta:
        verbose_name = "公示意见"
        verbose_name_plural = "公示意见"
        ordering = ["notice", "received_on", "id"]

    def __str__(self) -> str:
        return self.content[:30]


class VotePurpose(models.TextChoices):
    ADMISSION = "admission", "接收预备党员"
    CONVERSION = "conversion", "预备党员转正"


class VoteQuerySet(OrgScopedQuerySet):
    org_field = "case__organisation"


class Vote(models.Model):
    """A branch general meeting's vote (《基层组织建设实施意见》§四(三)1(6))."""

    case = models.ForeignKey(
        Case, verbose_name="档案", on_delete=models.CASCADE, related_name="votes"
    )
    purpose = models.CharField("表决事项", max_length=12, choices=VotePurpose.choices)
    held_on = models.DateField("支部大会日期")
    should_attend = models.PositiveSmallIntegerField("应到会有表决权的正式党员数")
    present = models.PositiveSmallIntegerField("实到会有表决权的正式党员数")
    in_favour = models.PositiveSmallIntegerField("赞成")
    against = models.PositiveSmallIntegerField("反对", default=0)
    abstained = models.PositiveSmallIntegerField("弃权", default=0)
    passed = models.BooleanField("通过", default=False)
    failure = models.CharField("未通过原因", max_length=200, blank=True)
    note = models.TextField("备注", blank=True, max_length=TEXT_DEFAULT)

    objects = VoteQuerySet.as_manager()

    class Meta:
        verbose_name = "支部大会表决"
        verbose_name_plural = "支部大会表决"
        ordering = ["case", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_purpose_display()}"


class ReportKind(models.TextChoices):
    SPONSOR = "sponsor", "向入党介绍人汇报（每两个月）"
    BRANCH = "branch", "向党支部书面汇报（每季度）"


class ProbationReportQuerySet(OrgScopedQuerySet):
    org_field = "case__organisation"
    person_field = "case__person"


class ProbationReport(models.Model):
    """A probationary member's report: to the sponsors every two months, in writing to the
    branch every quarter (《基层组织建设实施意见》§四(三)1(9))."""

    case = models.ForeignKey(
        Case, verbose_name="档案", on_delete=models.CASCADE, related_name="probation_reports"
    )
    kind = models.CharField("汇报类别", max_length=10, choices=ReportKind.choices)
    submitted_on = models.DateField("汇报日期")
    summary = models.TextField("汇报内容摘要", max_length=TEXT_LONG)
    document = uploads.UploadFileField("书面材料", area="development", blank=True)
    document_name, document_size, document_owner = uploads.companion_fields("书面材料")

    objects = ProbationReportQuerySet.as_manager()

    class Meta:
        verbose_name = "预备期汇报"
        verbose_name_plural = "预备期汇报"
        ordering = ["case", "submitted_on", "id"]

    def __str__(self) -> str:
        return f"{self.submitted_on} {self.get_kind_display()}"
