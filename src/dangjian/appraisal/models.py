"""Member duty evaluation (党员履岗考评, 民主评议党员): cycles, one result per evaluated member,
the three sources (述岗自评, 民意测评 through surveys, 综合评定), honours and rectification
(《168模式实施意见》§五(二)5; 《延伸提升168机制意见》§三; 《机关168模式通知》§二3 and
《设岗定责通知》§5).

A result stores its sub-scores, and its cycle the weights and grade bands used, so a published
result can always be recomputed to the same figure.
"""

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition

from dangjian.appraisal import rules
from dangjian.core.text_limits import TEXT_DEFAULT, TEXT_LONG
from dangjian.org.models import Organisation, OrgScopedQuerySet, Person, orgs_under


class CycleKind(models.TextChoices):
    QUARTER = rules.QUARTER, "一季一评"
    HALF_YEAR = rules.HALF_YEAR, "半年初评"
    YEAR = rules.YEAR, "年终总评"
    DEMOCRATIC = rules.DEMOCRATIC, "民主评议党员"


class Population(models.TextChoices):
    ALL = rules.ALL_MEMBERS, "全体党员（含预备党员）"
    FULL = rules.FULL_MEMBERS, "正式党员"
    STAFF = rules.STAFF_MEMBERS, "教职工党员"
    STUDENT = rules.STUDENT_MEMBERS, "学生党员"
    POST_HOLDERS = rules.POST_HOLDERS, "本年度在岗党员"


class CycleState(models.TextChoices):
    OPEN = "open", "进行中"
    COMPUTED = "computed", "已计算"
    PUBLISHED = "published", "已公布"


def _ancestor_paths(paths: tuple[str, ...]) -> list[str]:
    steplen = Organisation.steplen
    return sorted(
        {p[:end] for p in paths for end in range(steplen, len(p) + 1, steplen)},
    )


class CycleQuerySet(OrgScopedQuerySet):
    """Seen by the officers of its organisation's subtree — a branch secretary under a
    committee-wide cycle sees it too (to rate their members) — and by the members evaluated in
    it; changed (computed, published) only by officers of its organisation or above."""

    def scope_q(self, scope):
        q = models.Q(organisation__in=orgs_under(scope.org_paths))
        if scope.org_paths:
            q |= models.Q(organisation__path__in=_ancestor_paths(scope.org_paths))
        if scope.person_id:
            q |= models.Q(
                models.Exists(
                    EvaluationResult.objects.filter(
                        cycle=models.OuterRef("pk"), person_id=scope.person_id
                    )
                )
            )
        return q


class EvaluationCycle(models.Model):
    """One evaluation (考评) over an organisation's subtree and a population of members."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="组织考评的党组织",
        on_delete=models.PROTECT,
        related_name="evaluation_cycles",
        help_text="考评范围为该党组织及其下级党组织。",
    )
    kind = models.CharField("考评类型", max_length=12, choices=CycleKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    period = models.PositiveSmallIntegerField(
        "季度", default=1, help_text="一季一评填1～4；半年初评、年终总评、民主评议党员为1。"
    )
    title = models.CharField("名称", max_length=120)
    population = models.CharField(
        "考评对象", max_length=16, choices=Population.choices, default=Population.ALL
    )
    starts_on = models.DateField("述岗评议开始日期")
    ends_on = models.DateField("述岗评议截止日期")
    weight_self = models.DecimalField("述岗自评权重（%）", max_digits=5, decimal_places=2)
    weight_masses = models.DecimalField("民意测评权重（%）", max_digits=5, decimal_places=2)
    weight_branch = models.DecimalField("综合评定权重（%）", max_digits=5, decimal_places=2)
    bands = models.JSONField("等次分数线", default=list)
    min_responses = models.PositiveSmallIntegerField("民意测评最少有效票数", null=True, blank=True)
    state = FSMField("状态", max_length=10, choices=CycleState.choices, default=CycleState.OPEN)
    surveys = models.ManyToManyField(
        "surveys.Survey", verbose_name="党员民意测评", blank=True, related_name="evaluation_cycles"
    )
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = "党员考评"
        verbose_name_plural = "党员考评"
        ordering = ["-year", "-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "year", "period"], name="appraisal_cycle_once"
            )
        ]
        indexes = [models.Index(fields=["state", "ends_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def period_start(self):
        return rules.period_dates(self.kind, self.year, self.period)[0]

    @property
    def period_end(self):
        return rules.period_dates(self.kind, self.year, self.period)[1]

    @property
    def period_label(self) -> str:
        return rules.period_label(self.kind, self.year, self.period)

    @property
    def weights(self) -> tuple:
        return (self.weight_self, self.weight_masses, self.weight_branch)

    @property
    def has_survey(self) -> bool:
        return self.weight_masses > 0

    @transition(
        field=state, source=[CycleState.OPEN, CycleState.COMPUTED], target=CycleState.COMPUTED
    )
    def compute(self):
        pass

    @transition(field=state, source=CycleState.COMPUTED, target=CycleState.PUBLISHED)
    def publish(self):
        pass


class ResultQuerySet(OrgScopedQuerySet):
    """Officers read the results of their subtree; a member reads their own once published."""

    def scope_q(self, scope):
        q = self.editable_q(scope)
        if scope.person_id:
            q |= models.Q(person_id=scope.person_id, cycle__state=CycleState.PUBLISHED)
        return q

    def published(self):
        return self.filter(cycle__state=CycleState.PUBLISHED)


class EvaluationResult(models.Model):
    """One evaluated member in a cycle, with every figure that made the total."""

    cycle = models.ForeignKey(
        EvaluationCycle, verbose_name="考评", on_delete=models.CASCADE, related_name="results"
    )
    person = models.ForeignKey(
        Person, verbose_name="党员", on_delete=models.CASCADE, related_name="evaluation_results"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="所在支部",
        on_delete=models.CASCADE,
        related_name="evaluation_results",
    )
    self_score = models.DecimalField(
        "述岗自评", max_digits=5, decimal_places=2, null=True, blank=True
    )
    self_missing = models.BooleanField("未述岗自评", default=False)
    masses_score = models.DecimalField(
        "民意测评", max_digits=5, decimal_places=2, null=True, blank=True
    )
    masses_responses = models.PositiveIntegerField("民意测评票数", default=0)
    branch_score = models.DecimalField(
        "综合评定", max_digits=5, decimal_places=2, null=True, blank=True
    )
    raters = models.PositiveSmallIntegerField("评定人数", default=0)
    final_score = models.DecimalField("总分", max_digits=4, decimal_places=1, null=True, blank=True)
    grade = models.CharField("等次", max_length=12, blank=True, db_index=True)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = "考评结果"
        verbose_name_plural = "考评结果"
        ordering = ["cycle", "organisation__path", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="appraisal_result_once")
        ]
        indexes = [models.Index(fields=["cycle", "organisation"])]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.person}"


class SelfReportQuerySet(OrgScopedQuerySet):
    person_field = "person"


class SelfReport(models.Model):
    """述岗自评: the member's report on their posts and their own score."""

    cycle = models.ForeignKey(
        EvaluationCycle, verbose_name="考评", on_delete=models.CASCADE, related_name="self_reports"
    )
    person = models.ForeignKey(
        Person, verbose_name="党员", on_delete=models.CASCADE, related_name="self_reports"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="所在支部", on_delete=models.CASCADE, related_name="+"
    )
    report = models.TextField(
        "述岗报告",
        help_text="履职情况、承诺兑现、存在不足，以及今后的努力方向。",
        max_length=TEXT_LONG,
    )
    self_score = models.DecimalField(
        "自评分", max_digits=4, decimal_places=1, help_text="0～100分，可保留一位小数。"
    )
    posts = models.JSONField("本年度岗位", default=list, blank=True)
    duty_records = models.PositiveIntegerField("考评期间履职记实条数", default=0)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = SelfReportQuerySet.as_manager()

    class Meta:
        verbose_name = "述岗自评"
        verbose_name_plural = "述岗自评"
        ordering = ["cycle", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="appraisal_self_report_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} 述岗自评"


class RatingQuerySet(OrgScopedQuerySet):
    """Officers of the ratee's branch and above; never the ratee (raters stay unnamed to them,
    also when the ratee is an officer whose scope covers their own branch)."""

    def scope_q(self, scope):
        q = self.editable_q(scope)
        if scope.person_id:
            q &= ~models.Q(ratee_id=scope.person_id)
        return q


class BranchRating(models.Model):
    """综合评定: one officer's score for one member; the branch score is their mean."""

    cycle = models.ForeignKey(
        EvaluationCycle, verbose_name="考评", on_delete=models.CASCADE, related_name="ratings"
    )
    ratee = models.ForeignKey(
        Person, verbose_name="被评定党员", on_delete=models.CASCADE, related_name="+"
    )
    rater = models.ForeignKey(
        Person, verbose_name="评定人", on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="所在支部", on_delete=models.CASCADE, related_name="+"
    )
    score = models.DecimalField("评定分", max_digits=4, decimal_places=1)
    comment = models.CharField("评语", max_length=300, blank=True)
    rated_at = models.DateTimeField("评定时间", auto_now=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = "综合评定"
        verbose_name_plural = "综合评定"
        ordering = ["cycle", "ratee", "rater"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "ratee", "rater"], name="appraisal_rating_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rater} → {self.ratee}"


class HonourKind(models.TextChoices):
    PIONEER_POST = rules.PIONEER_POST, "党员示范（先锋）岗"
    EXCELLENT_MEMBER = rules.EXCELLENT_MEMBER, "优秀共产党员"
    RESERVE_CADRE = rules.RESERVE_CADRE, "列为后备干部重点培养"


def _own_published_q(scope, cycle_field: str, nullable: bool = False):
    """A member's own row, once its cycle is published (the result behind an honour or a
    rectification is not theirs to see before that)."""
    published = models.Q(**{f"{cycle_field}__state": CycleState.PUBLISHED})
    if nullable:
        published |= models.Q(**{f"{cycle_field}__isnull": True})
    return models.Q(person_id=scope.person_id) & published


class HonourQuerySet(OrgScopedQuerySet):
    """Officers of the subtree; the member their own, once the cycle is published (an honour
    recorded without a cycle at once)."""

    def scope_q(self, scope):
        q = self.editable_q(scope)
        if scope.person_id:
            q |= _own_published_q(scope, "cycle", nullable=True)
        return q


class Honour(models.Model):
    """An honour earned through the evaluation (《延伸提升168机制意见》§三; 《设岗定责通知》§5)."""

    person = models.ForeignKey(
        Person, verbose_name="党员", on_delete=models.CASCADE, related_name="honours"
    )
    kind = models.CharField("荣誉", max_length=20, choices=HonourKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    cycle = models.ForeignKey(
        EvaluationCycle,
        verbose_name="依据的考评",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="honours",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="所在支部", on_delete=models.CASCADE, related_name="+"
    )
    awarded_on = models.DateField("授予日期")
    note = models.CharField("备注", max_length=200, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = HonourQuerySet.as_manager()

    class Meta:
        verbose_name = "荣誉"
        verbose_name_plural = "荣誉"
        ordering = ["-year", "kind", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "year"], name="appraisal_honour_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.get_kind_display()} {self.person}"


class RectificationState(models.TextChoices):
    OPEN = "open", "待说明"
    EXPLAINED = "explained", "已说明"
    DONE = "done", "已整改"


class RectificationQuerySet(OrgScopedQuerySet):
    """Officers of the subtree; the member their own, once the cycle is published."""

    def scope_q(self, scope):
        q = self.editable_q(scope)
        if scope.person_id:
            q |= _own_published_q(scope, "result__cycle")
        return q

    def unfinished(self):
        return self.exclude(state=RectificationState.DONE)


class MemberRectification(models.Model):
    """限期整改: explanation at the branch general meeting, then rectification by a deadline
    (《168模式实施意见》§五(二)5; 《设岗定责通知》§5)."""

    result = models.OneToOneField(
        EvaluationResult,
        verbose_name="考评结果",
        on_delete=models.CASCADE,
        related_name="rectification",
    )
    person = models.ForeignKey(
        Person, verbose_name="党员", on_delete=models.CASCADE, related_name="rectifications"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="所在支部", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField("整改原因", max_length=300)
    explain_meeting = models.ForeignKey(
        "orglife.Meeting",
        verbose_name="作出说明的党员大会",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    explained_on = models.DateField("说明日期", null=True, blank=True)
    explanation = models.TextField("解释和说明", blank=True, max_length=TEXT_DEFAULT)
    measures = models.TextField("整改措施及完成情况", blank=True, max_length=TEXT_DEFAULT)
    deadline = models.DateField("整改期限")
    state = FSMField(
        "状态", max_length=10, choices=RectificationState.choices, default=RectificationState.OPEN
    )
    done_on = models.DateField("整改完成日期", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="验收人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_on = models.DateField("验收日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = "限期整改"
        verbose_name_plural = "限期整改"
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return f"{self.person} 限期整改"

    @transition(field=state, source=RectificationState.OPEN, target=RectificationState.EXPLAINED)
    def explain(self):
        pass

    @transition(field=state, source=RectificationState.EXPLAINED, target=RectificationState.DONE)
    def complete(self):
        pass
