"""Branch target-management assessment (党支部工作目标管理考核, 《支部考核办法》 and its
考核评分表).

A score-sheet template (一级指标 → 二级指标 with points, 测评要素, 评分方法, bonus rules, grade
bands, veto rules); a round (考核) assesses every branch below an organisation: the branch
self-scores with evidence, the assessment group scores, the written result is sent, the branch
may appeal within a week and the group answers within 10 days.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import FSMField, transition

from dangjian.assessment import rules
from dangjian.core import uploads
from dangjian.core.scoping import ScopedQuerySet
from dangjian.core.text_limits import TEXT_DEFAULT, TEXT_LONG
from dangjian.org.models import Organisation, OrgScopedQuerySet, orgs_under


def default_bands() -> list:
    return [list(band) for band in rules.DEFAULT_BANDS]


def default_veto_rules() -> list:
    return [rules.VETO_RULE]


class TemplateQuerySet(ScopedQuerySet):
    """Every officer reads the templates; only the organisation department changes them."""

    def scope_q(self, scope):
        return Q() if scope.is_officer else Q(pk__in=[])

    def editable_q(self, scope):
        return Q(pk__in=[])


class ScoreSheetTemplate(models.Model):
    """考核评分表模板: the seed-004 sheet is the default (data migration 0002)."""

    name = models.CharField("名称", max_length=100)
    note = models.TextField("说明", blank=True, max_length=TEXT_DEFAULT)
    bands = models.JSONField(
        "等次分数线",
        default=default_bands,
        help_text="从高到低的“分数线, 等次”，低于最后一条为不合格（《支部考核办法》§二）。",
    )
    bonus_cap = models.DecimalField(
        "附加分上限",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="不填为不设上限（《支部考核办法》评分表未设上限）。",
    )
    veto_rules = models.JSONField(
        "一票否决情形",
        default=default_veto_rules,
        blank=True,
        help_text="《支部考核办法》§六(二)。",
    )
    is_active = models.BooleanField("启用", default=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name="复制自",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = TemplateQuerySet.as_manager()

    class Meta:
        verbose_name = "考核评分表模板"
        verbose_name_plural = "考核评分表模板"
        ordering = ["-is_active", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def band_text(self) -> str:
        return rules.band_text(self.bands)

    @property
    def band_ranges(self) -> list[tuple[str, str]]:
        return rules.band_ranges(self.bands)

    @property
    def grade_labels(self) -> list[str]:
        return rules.grade_labels(self.bands)


class Indicator(models.Model):
    """一级指标 (支部建设 25分 …; 支部工作特色 is the bonus indicator)."""

    template = models.ForeignKey(
        ScoreSheetTemplate, verbose_name="模板", on_delete=models.CASCADE, related_name="indicators"
    )
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("一级指标", max_length=50)
    points = models.DecimalField(
        "分值", max_digits=5, decimal_places=1, null=True, blank=True, help_text="附加分指标不填。"
    )
    is_bonus = models.BooleanField("附加分", default=False)

    class Meta:
        verbose_name = "一级指标"
        verbose_name_plural = "一级指标"
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="indicator_unique_order")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        suffix = "附加分" if self.is_bonus else f"{rules.fmt(self.points)}分"
        return f"{self.name}（{suffix}）"


class ItemReference(models.TextChoices):
    NONE = "", "—"
    EDUCATION_HOURS = "education_hours", "党员教育学时"
    ORG_LIFE = "org_life", "组织生活落实"
    SATISFACTION = "satisfaction", "群众满意度测评"
    MEMBERS_AWAY = "members_away", "流动党员管理"
    DUES = "dues", "党费收缴"
    REELECTION = "reelection", "定期改选（换届选举）"


class Item(models.Model):
    """二级指标: content, points, scoring elements (测评要素), method (评分方法); bonus items carry
    their rule (points per 项 by level or kind)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="一级指标", on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField("序号")
    content = models.TextField("二级指标及内容", max_length=TEXT_DEFAULT)
    points = models.DecimalField(
        "分值", max_digits=5, decimal_places=1, null=True, blank=True, help_text="附加分项不填。"
    )
    elements = models.JSONField(
        "测评要素", default=list, blank=True, help_text="如：健全2分、分工2分、改选1分。"
    )
    methods = models.CharField("评分方法", max_length=100, blank=True)
    bonus_rule = models.JSONField(
        "附加分标准",
        default=list,
        blank=True,
        help_text='[[类别, 每项分值], …]，如：[["国家级", 3], ["省部级", 2]]。',
    )
    reference = models.CharField(
        "参考数据",
        max_length=20,
        choices=ItemReference.choices,
        blank=True,
        default="",
        help_text="评分时显示系统记录的参考数据。",
    )

    class Meta:
        verbose_name = "二级指标"
        verbose_name_plural = "二级指标"
        ordering = ["indicator__order", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.content[:30]}"

    @property
    def is_bonus(self) -> bool:
        return self.points is None

    @property
    def elements_text(self) -> str:
        return "\n".join(rules.element_text(e) for e in self.elements)

    @property
    def bonus_options(self) -> dict:
        """Option → points per 项, in the rule's order."""
        return rules.bonus_options(self.bonus_rule)

    @property
    def bonus_text(self) -> str:
        return "\n".join(f"{k}{rules.fmt(v)}分/项" for k, v in self.bonus_options.items())


class RoundKind(models.TextChoices):
    ANNUAL = "annual", "年度考核"
    SPECIAL = "special", "专项考核"


class RoundQuerySet(ScopedQuerySet):
    """A round is seen by the officers of any organisation it assesses (its subtree) and of the
    levels above; only the organisation department creates and changes rounds."""

    def scope_q(self, scope):
        ancestors: set[str] = set()
        step = Organisation.steplen
        for path in scope.org_paths:
            ancestors.update(path[:i] for i in range(step, len(path) + 1, step))
        return Q(organisation__in=orgs_under(scope.org_paths)) | Q(
            organisation__path__in=sorted(ancestors)
        )

    def editable_q(self, scope):
        return Q(pk__in=[])


class AssessmentRound(models.Model):
    """考核: one year's (or a special) assessment of the branches below an organisation."""

    template = models.ForeignKey(
        ScoreSheetTemplate,
        verbose_name="考核评分表",
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    year = models.PositiveSmallIntegerField("考核年度")
    title = models.CharField("名称", max_length=100)
    kind = models.CharField(
        "类别", max_length=10, choices=RoundKind.choices, default=RoundKind.ANNUAL
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="考核范围",
        on_delete=models.PROTECT,
        related_name="assessment_rounds",
        help_text="该党组织下的全部党支部参加考核，通常为校党委。",
    )
    self_due = models.DateField("自评截止日期")
    finish_by = models.DateField(
        "考核完成日期", help_text="考核年度的12月中旬前完成（《支部考核办法》§五）。"
    )
    note = models.TextField("考核安排", blank=True, max_length=TEXT_DEFAULT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = "考核"
        verbose_name_plural = "考核"
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title


class AssessmentState(models.TextChoices):
    SELF_SCORING = "self_scoring", "支部自评"
    SUBMITTED = "submitted", "已提交自评"
    SCORED = "scored", "考核组已评分"
    NOTIFIED = "notified", "已书面通知"
    APPEALED = "appealed", "申请复核"
    REVIEWED = "reviewed", "复核完成"


RESULT_STATES = (AssessmentState.NOTIFIED, AssessmentState.APPEALED, AssessmentState.REVIEWED)
FIXED_LABEL = "结果已确定"


class BranchAssessmentQuerySet(OrgScopedQuerySet):
    org_field = "branch"


class BranchAssessment(models.Model):
    """One branch in a round: its state and its results, stored so they are reproducible."""

    round = models.ForeignKey(
        AssessmentRound, verbose_name="考核", on_delete=models.CASCADE, related_name="assessments"
    )
    branch = models.ForeignKey(
        Organisation, verbose_name="党支部", on_delete=models.PROTECT, related_name="assessments"
    )
    state = FSMField(
        "状态", max_length=16, choices=AssessmentState.choices, default=AssessmentState.SELF_SCORING
    )
    submitted_on = models.DateField("提交自评日期", null=True, blank=True)
    self_total = models.DecimalField(
        "自评得分", max_digits=6, decimal_places=1, null=True, blank=True
    )
    base_total = models.DecimalField(
        "考评基本分", max_digits=6, decimal_places=1, null=True, blank=True
    )
    bonus_raw = models.DecimalField(
        "附加分（认定）", max_digits=6, decimal_places=1, null=True, blank=True
    )
    bonus_total = models.DecimalField(
        "附加分（计入）", max_digits=6, decimal_places=1, null=True, blank=True
    )
    total = models.DecimalField("总分", max_digits=6, decimal_places=1, null=True, blank=True)
    grade = models.CharField("等次", max_length=10, blank=True)
    vetoed = models.BooleanField("一票否决", default=False)
    veto_reason = models.TextField("否决事由", blank=True, max_length=TEXT_DEFAULT)
    staff_members = models.PositiveIntegerField("教职工党员数", null=True, blank=True)
    student_members = models.PositiveIntegerField("学生党员数", null=True, blank=True)
    funding = models.DecimalField(
        "活动经费（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    scored_on = models.DateField("评分日期", null=True, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评分人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notice_on = models.DateField("书面通知日期", null=True, blank=True)
    notice_text = models.TextField("书面通知", blank=True, max_length=TEXT_LONG)
    appeal_due = models.DateField("复核申请截止", null=True, blank=True)
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="通知人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = BranchAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = "党支部考核"
        verbose_name_plural = "党支部考核"
        ordering = ["round", "branch__path"]
        constraints = [
            models.UniqueConstraint(fields=["round", "branch"], name="assessment_unique_branch")
        ]
        indexes = [models.Index(fields=["round", "state"])]

    def __str__(self) -> str:
        return f"{self.round.year}年 {self.branch}"

    @property
    def has_result(self) -> bool:
        return self.state in RESULT_STATES

    def is_fixed(self, today) -> bool:
        """结果已确定: reviewed, or notified and the appeal window has passed."""
        if self.state == AssessmentState.REVIEWED:
            return True
        return self.state == AssessmentState.NOTIFIED and rules.result_fixed(self.appeal_due, today)

    def state_label(self, today) -> str:
        return FIXED_LABEL if self.is_fixed(today) else self.get_state_display()

    # Transitions: the services call them after checking rights and rules.
    @transition(field=state, source=AssessmentState.SELF_SCORING, target=AssessmentState.SUBMITTED)
    def to_submitted(self):
        pass

    @transition(field=state, source=AssessmentState.SUBMITTED, target=AssessmentState.SELF_SCORING)
    def to_self_scoring(self):
        pass

    @transition(field=state, source=AssessmentState.SUBMITTED, target=AssessmentState.SCORED)
    def to_scored(self):
        pass

    @transition(field=state, source=AssessmentState.SCORED, target=AssessmentState.NOTIFIED)
    def to_notified(self):
        pass

    @transition(field=state, source=AssessmentState.NOTIFIED, target=AssessmentState.APPEALED)
    def to_appealed(self):
        pass

    @transition(field=state, source=AssessmentState.APPEALED, target=AssessmentState.REVIEWED)
    def to_reviewed(self):
        pass


class AssessmentRowQuerySet(OrgScopedQuerySet):
    org_field = "assessment__branch"


class ItemScore(models.Model):
    """A base item's self score (with evidence) and the group's score."""

    assessment = models.ForeignKey(
        BranchAssessment, verbose_name="党支部考核", on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        Item, verbose_name="二级指标", on_delete=models.PROTECT, related_name="scores"
    )
    self_score = models.DecimalField(
        "支部自评", max_digits=4, decimal_places=1, null=True, blank=True
    )
    self_note = models.TextField(
        "自评说明", blank=True, help_text="自评依据、证明材料说明。", max_length=TEXT_DEFAULT
    )
    evidence = uploads.UploadFileField("证明材料", area="assessment", blank=True)
    evidence_name, evidence_size, evidence_owner = uploads.companion_fields("证明材料")
    group_score = models.DecimalField(
        "考核组评分", max_digits=4, decimal_places=1, null=True, blank=True
    )
    group_note = models.TextField("考评意见", blank=True, max_length=TEXT_DEFAULT)

    objects = AssessmentRowQuerySet.as_manager()

    class Meta:
        verbose_name = "指标得分"
        verbose_name_plural = "指标得分"
        ordering = ["assessment", "item__number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="itemscore_unique_item")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} 第{self.item.number}项"


class BonusClaim(models.Model):
    """附加分申报 (评分表 17–20): the branch claims, the group accepts or rejects."""

    assessment = models.ForeignKey(
        BranchAssessment, verbose_name="党支部考核", on_delete=models.CASCADE, related_name="claims"
    )
    item = models.ForeignKey(
        Item, verbose_name="附加分项目", on_delete=models.PROTECT, related_name="claims"
    )
    option = models.CharField("类别", max_length=30, help_text="如：国家级、省部级、公开发表论文。")
    description = models.CharField(
        "事项", max_length=200, help_text="如：荣誉名称、报道标题、论文题目。"
    )
    count = models.PositiveSmallIntegerField("项数", default=1)
    points = models.DecimalField("分值", max_digits=5, decimal_places=1)
    evidence = uploads.UploadFileField("证明材料", area="assessment", blank=True)
    evidence_name, evidence_size, evidence_owner = uploads.companion_fields("证明材料")
    accepted = models.BooleanField("认定", null=True, blank=True)
    group_note = models.CharField("认定意见", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("申报时间", auto_now_add=True)

    objects = AssessmentRowQuerySet.as_manager()

    class Meta:
        verbose_name = "附加分申报"
        verbose_name_plural = "附加分申报"
        ordering = ["assessment", "item__number", "id"]

    def __str__(self) -> str:
        return f"{self.option}：{self.description}"

    @property
    def accepted_label(self) -> str:
        return {None: "待认定", True: "认定", False: "不予认定"}[self.accepted]

    @property
    def counted_points(self) -> Decimal:
        return self.points if self.accepted else Decimal(0)


class AppealState(models.TextChoices):
    PENDING = "pending", "待复核"
    ANSWERED = "answered", "已复核"


class Appeal(models.Model):
    """申请复核: within a week of the notice; answered in writing within 10 days."""

    assessment = models.OneToOneField(
        BranchAssessment, verbose_name="党支部考核", on_delete=models.CASCADE, related_name="appeal"
    )
    filed_on = models.DateField("申请日期")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField("复核理由", max_length=TEXT_DEFAULT)
    answer_due = models.DateField("复核意见截止")
    state = models.CharField(
        "状态", max_length=10, choices=AppealState.choices, default=AppealState.PENDING
    )
    answered_on = models.DateField("复核日期", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField("复核意见", blank=True, max_length=TEXT_DEFAULT)
    original_total = models.DecimalField(
        "原总分", max_digits=6, decimal_places=1, null=True, blank=True
    )
    original_grade = models.CharField("原等次", max_length=10, blank=True)
    revised_total = models.DecimalField(
        "复核后总分", max_digits=6, decimal_places=1, null=True, blank=True
    )

    objects = AssessmentRowQuerySet.as_manager()

    class Meta:
        verbose_name = "申请复核"
        verbose_name_plural = "申请复核"
        ordering = ["-filed_on", "-id"]
        indexes = [models.Index(fields=["state", "answer_due"])]

    def __str__(self) -> str:
        return f"{self.assessment} 申请复核"

    @property
    def answered_late(self) -> bool:
        return self.answered_on is not None and self.answered_on > self.answer_due
