"""Branch classification grading (分类定级) and rectification (整改) — the yearly loop of the
基层组织建设年 (《组织建设年实施方案》附件1 二; annexes 2–6)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import FSMField, transition

from dangjian.branches import rules
from dangjian.core.scoping import ScopedQuerySet
from dangjian.core.text_limits import TEXT_DEFAULT
from dangjian.org.models import Organisation, OrgScopedQuerySet, Person, orgs_under


class Grade(models.TextChoices):
    ADVANCED = rules.ADVANCED, "先进"
    GOOD = rules.GOOD, "较好"
    AVERAGE = rules.AVERAGE, "一般"
    LAGGING = rules.LAGGING, "后进"


class Audience(models.TextChoices):
    STAFF = "staff", "教工党支部（含机关、离退休）"
    STUDENT = "student", "学生党支部"


class CriterionGroup(models.TextChoices):
    SURVEY = "survey", "调查摸底七个方面"
    FIVE = "five", "五个一"


def default_bands() -> list:
    return [list(band) for band in rules.DEFAULT_BANDS]


class StandardQuerySet(ScopedQuerySet):
    """Institution-wide reference standards: every officer reads them; only the organisation
    department (scope `everything`) changes them — the services also let committee officers."""

    def scope_q(self, scope):
        return models.Q() if scope.is_officer else models.Q(pk__in=[])

    def editable_q(self, scope):
        return models.Q(pk__in=[])

    def active(self):
        return self.filter(is_active=True)


class GradingStandard(models.Model):
    """分类定级评分参考标准 (《组织建设年实施方案》附件2 教师、附件3 学生 — their text is not in the
    seed: built from the seven survey points and the 五个一 and editable by the organisation
    department)."""

    name = models.CharField("名称", max_length=60)
    applies_to = models.CharField(
        "适用支部",
        max_length=10,
        choices=Audience.choices,
        help_text="教工标准用于教工、机关、离退休党支部；学生标准用于学生党支部。",
    )
    bands = models.JSONField(
        "等次分数线",
        default=default_bands,
        help_text=(
            "《组织建设年实施方案》附件1只规定先进、较好、一般、后进四个等次，没有给出分数线；"
            "默认90分以上为先进，75分以上为较好，60分以上为一般，60分以下为后进，可按实际调整。"
        ),
    )
    is_active = models.BooleanField("启用", default=True)
    note = models.TextField("说明", blank=True, max_length=TEXT_DEFAULT)

    objects = StandardQuerySet.as_manager()

    class Meta:
        verbose_name = "分类定级评分参考标准"
        verbose_name_plural = "分类定级评分参考标准"
        ordering = ["applies_to", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["applies_to"],
                condition=models.Q(is_active=True),
                name="branches_one_active_standard_per_audience",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def bands_text(self) -> str:
        return rules.bands_text(self.bands)


class Criterion(models.Model):
    """One scoring item of a standard: one of the seven survey points or one of the 五个一."""

    standard = models.ForeignKey(
        GradingStandard, verbose_name="评分标准", on_delete=models.CASCADE, related_name="criteria"
    )
    order = models.PositiveSmallIntegerField("序号", default=1)
    group = models.CharField("类别", max_length=10, choices=CriterionGroup.choices)
    name = models.CharField("评分项目", max_length=60)
    guidance = models.TextField(
        "评分要点", blank=True, help_text="检查什么、怎样给分。", max_length=TEXT_DEFAULT
    )
    points = models.DecimalField("分值", max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = "评分项目"
        verbose_name_plural = "评分项目"
        ordering = ["standard", "order", "id"]

    def __str__(self) -> str:
        return self.name


def ancestor_paths(paths: tuple[str, ...]) -> list[str]:
    """The paths of these organisations and of every organisation above them."""
    step = Organisation.steplen
    return sorted({p[:i] for p in paths for i in range(step, len(p) + 1, step)})


class GradingYearQuerySet(ScopedQuerySet):
    """A year is seen by the officers of its organisation, of the levels above and below (each
    branch works to the committee's calendar); changed by the officers of its organisation."""

    def scope_q(self, scope):
        return models.Q(organisation__path__in=ancestor_paths(scope.org_paths)) | models.Q(
            organisation__in=orgs_under(scope.org_paths)
        )

    def editable_q(self, scope):
        return models.Q(organisation__in=orgs_under(scope.org_paths))


class GradingYear(models.Model):
    """基层组织建设年: one organisation's (usually the committee's) yearly grading loop with the
    dates of 《组织建设年实施方案》附件1 二."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="党组织",
        on_delete=models.PROTECT,
        related_name="grading_years",
        help_text="一般为校党委：其下所有党支部参加分类定级。",
    )
    year = models.PositiveSmallIntegerField("年度")
    theme = models.CharField("名称", max_length=60, default="基层组织建设年")
    plans_due = models.DateField(
        "实施方案、活动计划截止",
        help_text="各党总支研究制定本单位实施方案，各党支部研究制定本支部活动开展计划（二(一)）。",
    )
    grading_due = models.DateField(
        "分类定级截止", help_text="分类定级工作于3月30日前完成（二(二)）。"
    )
    restructure_from = models.DateField(
        "健全组织开始", help_text="4月—5月健全组织、理顺关系（二(三)）。"
    )
    restructure_to = models.DateField("健全组织结束")
    rectification_plans_due = models.DateField(
        "整改提高方案截止", help_text="整改提高方案在5月底前完成（二(四)）。"
    )
    regrading_from = models.DateField(
        "再次评定等级开始", help_text="6月—10月再次开展自查自评，再次评定等级（二(五)）。"
    )
    regrading_to = models.DateField("再次评定等级截止")
    items_due = models.DateField(
        "整改事项完成截止", help_text="除长期性项目外，必须在12月底前全部完成（二(四)）。"
    )
    review_from = models.DateField(
        "考核总结开始", help_text="11月—12月考核总结、健全制度（二(六)）。"
    )
    review_to = models.DateField("考核总结结束")
    created_at = models.DateTimeField("建立时间", auto_now_add=True)

    objects = GradingYearQuerySet.as_manager()

    class Meta:
        verbose_name = "年度分类定级"
        verbose_name_plural = "年度分类定级"
        ordering = ["-year", "organisation__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="branches_one_grading_year_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.theme}"

    def dates(self) -> dict[str, date]:
        return {key: getattr(self, key) for key in rules.TIMELINE_KEYS}


class Round(models.TextChoices):
    INITIAL = rules.INITIAL, "初次定级"
    REGRADE = rules.REGRADE, "复评定级"


class GradingState(models.TextChoices):
    DRAFT = "draft", "调查中"
    GRADED = "graded", "已定级"


MAX_MEMBERS = 9999  # a bound on the survey's members count against typing errors


class BranchGradingQuerySet(OrgScopedQuerySet):
    org_field = "branch"


class BranchGrading(models.Model):
    """党支部调查摸底与分类定级表 (《组织建设年实施方案》附件4): the survey of one branch, its
    scores, the branch's self-grade, the masses' opinion, and the grade decided by the level
    above."""

    grading_year = models.ForeignKey(
        GradingYear, verbose_name="年度", on_delete=models.CASCADE, related_name="gradings"
    )
    branch = models.ForeignKey(
        Organisation, verbose_name="党支部", on_delete=models.CASCADE, related_name="gradings"
    )
    round = models.CharField("轮次", max_length=10, choices=Round.choices, default=Round.INITIAL)
    standard = models.ForeignKey(
        GradingStandard, verbose_name="评分参考标准", on_delete=models.PROTECT, related_name="+"
    )
    # survey facts, taken from the organisation's data when the survey starts
    members_count = models.PositiveIntegerField("党员人数", default=0)
    committee_complete = models.BooleanField("支部班子健全", default=False)
    committee_note = models.CharField(
        "支部班子",
        max_length=200,
        blank=True,
        help_text="如：书记张三、组织委员李四、宣传委员王五。",
    )
    activity_room_area = models.DecimalField(
        "活动室面积（㎡）",
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="每个支部建立相对固定的活动场所；活动室面积不少于20平方米。",
    )
    annual_assessment = models.CharField(
        "年度考核情况", max_length=200, blank=True, help_text="上年度目标管理考核等次等。"
    )
    problems = models.TextField("主要问题", blank=True, max_length=TEXT_DEFAULT)
    self_grade = models.CharField("支部自评等次", max_length=10, choices=Grade.choices, blank=True)
    masses_opinion = models.TextField(
        "群众评议情况",
        blank=True,
        help_text="党员、群众评议的方式、人数和主要意见。",
        max_length=TEXT_DEFAULT,
    )
    total = models.DecimalField("得分", max_digits=5, decimal_places=1, default=0)
    suggested_grade = models.CharField(
        "建议等次",
        max_length=10,
        choices=Grade.choices,
        blank=True,
        help_text="按评分参考标准的分数线。",
    )
    grade = models.CharField("定级等次", max_length=10, choices=Grade.choices, blank=True)
    decision_reason = models.TextField(
        "党总支定级意见",
        blank=True,
        help_text="定级等次与建议等次不同时须写明理由。",
        max_length=TEXT_DEFAULT,
    )
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="定级人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    graded_on = models.DateField("定级日期", null=True, blank=True)
    # what the grade was decided under, copied at the decision: a later edit of the standard
    # does not rewrite a decided grading (draft surveys follow the standard)
    graded_standard_name = models.CharField("定级时的评分参考标准", max_length=60, blank=True)
    graded_bands = models.JSONField(
        "定级时的等次分数线", null=True, blank=True, help_text="定级时评分参考标准的分数线。"
    )
    state = FSMField(
        "状态", max_length=10, choices=GradingState.choices, default=GradingState.DRAFT
    )
    created_at = models.DateTimeField("建立时间", auto_now_add=True)

    objects = BranchGradingQuerySet.as_manager()

    class Meta:
        verbose_name = "党支部调查摸底与分类定级"
        verbose_name_plural = "党支部调查摸底与分类定级"
        ordering = ["grading_year", "branch__path", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["grading_year", "branch", "round"], name="branches_one_grading_per_round"
            )
        ]
        indexes = [models.Index(fields=["branch", "round", "state"])]

    def __str__(self) -> str:
        return f"{self.branch} {self.get_round_display()}"

    @property
    def is_graded(self) -> bool:
        return self.state == GradingState.GRADED

    @property
    def bands(self) -> list:
        """The bands of the grade: those copied at the decision once graded, the standard's
        while the survey is a draft."""
        if self.is_graded and self.graded_bands is not None:
            return self.graded_bands
        return self.standard.bands

    @property
    def bands_text(self) -> str:
        return rules.bands_text(self.bands)

    @property
    def standard_name(self) -> str:
        if self.is_graded and self.graded_standard_name:
            return self.graded_standard_name
        return self.standard.name

    @property
    def room_meets_standard(self) -> bool | None:
        if self.activity_room_area is None:
            return None
        from dangjian.org.rules import activity_room_meets_standard

        return activity_room_meets_standard(float(self.activity_room_area))

    @transition(field=state, source=GradingState.DRAFT, target=GradingState.GRADED)
    def decide(self):
        pass

    @transition(field=state, source=GradingState.GRADED, target=GradingState.DRAFT)
    def reopen(self):
        pass


# What a score row keeps of its criterion: the form shows these, never the live criterion, so a
# standard edited later does not rewrite a decided grading.
CRITERION_SNAPSHOT = ("order", "group", "name", "guidance", "points")


class GradingScore(models.Model):
    """One criterion's score on a survey, with a copy of the criterion it was scored against
    (order, group, name, guidance, points) taken when the row is made. While the survey is a
    draft the copy follows the standard (services refresh it on every edit of the standard and
    when the grade is decided); once graded it is history."""

    grading = models.ForeignKey(
        BranchGrading, verbose_name="分类定级", on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name="评分项目", on_delete=models.PROTECT, related_name="scores"
    )
    order = models.PositiveSmallIntegerField("序号", default=1)
    group = models.CharField("类别", max_length=10, choices=CriterionGroup.choices)
    name = models.CharField("评分项目名称", max_length=60)
    guidance = models.TextField("评分要点", blank=True, max_length=TEXT_DEFAULT)
    points = models.DecimalField("分值", max_digits=4, decimal_places=1)
    score = models.DecimalField("得分", max_digits=4, decimal_places=1, null=True, blank=True)
    finding = models.TextField("存在问题及情况", blank=True, max_length=TEXT_DEFAULT)

    class Meta:
        verbose_name = "评分"
        verbose_name_plural = "评分"
        ordering = ["order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["grading", "criterion"], name="branches_one_score_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.score}"

    @classmethod
    def of(cls, criterion: Criterion, **fields) -> "GradingScore":
        """A new row for a criterion, with its copy of the criterion."""
        return cls(criterion=criterion, **criterion_snapshot(criterion), **fields)

    def follow(self, criterion: Criterion) -> bool:
        """Copy the criterion as it stands now; True if anything changed."""
        changed = False
        for name, value in criterion_snapshot(criterion).items():
            if getattr(self, name) != value:
                setattr(self, name, value)
                changed = True
        return changed


def criterion_snapshot(criterion: Criterion) -> dict:
    return {name: getattr(criterion, name) for name in CRITERION_SNAPSHOT}


class PlanSource(models.TextChoices):
    GRADING = "grading", "分类定级"
    ASSESSMENT = "assessment", "目标管理考核不合格"
    OTHER = "other", "其他"


class PlanState(models.TextChoices):
    DRAFT = rules.DRAFT, "草拟中"
    DISCUSSED = rules.DISCUSSED, "已经党员大会讨论"
    SUBMITTED = rules.SUBMITTED, "已提交"
    DONE = rules.PLAN_DONE, "已完成"


class RectificationPlanQuerySet(OrgScopedQuerySet):
    org_field = "branch"


class RectificationPlan(models.Model):
    """整改提高方案 (《组织建设年实施方案》附件1 二(四)): goals and items, discussed at a general
    meeting, finished by the end of May, carried out by the end of December."""

    branch = models.ForeignKey(
        Organisation,
        verbose_name="党支部",
        on_delete=models.CASCADE,
        related_name="rectification_plans",
    )
    year = models.PositiveSmallIntegerField("年度")
    grading = models.ForeignKey(
        BranchGrading,
        verbose_name="依据的分类定级",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
    )
    source = models.CharField(
        "整改来源", max_length=12, choices=PlanSource.choices, default=PlanSource.GRADING
    )
    reason = models.CharField("整改原因", max_length=200, blank=True)
    goals = models.TextField(
        "整改目标",
        blank=True,
        help_text="对照“五个好”标准，明确加强组织建设的目标和任务。",
        max_length=TEXT_DEFAULT,
    )
    discussed_on = models.DateField("党员大会讨论日期", null=True, blank=True)
    meeting = models.ForeignKey(
        "orglife.Meeting",
        verbose_name="讨论的党员大会",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rectification_plans",
    )
    discussion_note = models.TextField("讨论情况", blank=True, max_length=TEXT_DEFAULT)
    state = FSMField("状态", max_length=10, choices=PlanState.choices, default=PlanState.DRAFT)
    submitted_on = models.DateField("提交日期", null=True, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    created_at = models.DateTimeField("建立时间", auto_now_add=True)

    objects = RectificationPlanQuerySet.as_manager()

    class Meta:
        verbose_name = "整改提高方案"
        verbose_name_plural = "整改提高方案"
        ordering = ["-year", "branch__path", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "year", "source"],
                condition=~models.Q(source="other"),
                name="branches_one_plan_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch} {self.year}年整改提高方案"

    @transition(field=state, source=PlanState.DRAFT, target=PlanState.DISCUSSED)
    def discuss(self):
        pass

    @transition(field=state, source=PlanState.DISCUSSED, target=PlanState.SUBMITTED)
    def submit(self):
        pass

    @transition(field=state, source=PlanState.SUBMITTED, target=PlanState.DONE)
    def complete(self):
        pass

    @transition(field=state, source=PlanState.DONE, target=PlanState.SUBMITTED)
    def resume(self):
        pass


class ItemState(models.TextChoices):
    OPEN = "open", "整改中"
    DONE = "done", "已完成"


class RectificationItemQuerySet(OrgScopedQuerySet):
    org_field = "plan__branch"
    person_field = "responsible"


class RectificationItem(models.Model):
    """整改事项: a problem, its measures, the responsible person and the deadline. The branch
    (its officers or the responsible person) marks it done; the level above verifies (销号)."""

    plan = models.ForeignKey(
        RectificationPlan,
        verbose_name="整改提高方案",
        on_delete=models.CASCADE,
        related_name="items",
    )
    order = models.PositiveSmallIntegerField("序号", default=1)
    problem = models.TextField("存在问题", max_length=TEXT_DEFAULT)
    measures = models.TextField("整改措施", max_length=TEXT_DEFAULT)
    responsible = models.ForeignKey(
        Person, verbose_name="责任人", on_delete=models.PROTECT, related_name="rectification_items"
    )
    deadline = models.DateField("完成时限", db_index=True)
    long_term = models.BooleanField(
        "长期性项目", default=False, help_text="长期性项目可不在12月底前完成（二(四)）。"
    )
    state = FSMField("状态", max_length=10, choices=ItemState.choices, default=ItemState.OPEN)
    done_on = models.DateField("完成日期", null=True, blank=True)
    result = models.TextField("整改成效", blank=True, max_length=TEXT_DEFAULT)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="销号人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_on = models.DateField("销号日期", null=True, blank=True)
    verify_note = models.CharField("上级意见", max_length=200, blank=True)

    objects = RectificationItemQuerySet.as_manager()

    class Meta:
        verbose_name = "整改事项"
        verbose_name_plural = "整改事项"
        ordering = ["plan", "order", "id"]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return self.problem[:40]

    @property
    def is_done(self) -> bool:
        return self.state == ItemState.DONE

    @property
    def is_verified(self) -> bool:
        return self.verified_on is not None

    def status(self, today: date | None = None) -> str:
        return rules.item_status(
            self.is_done, self.is_verified, self.deadline, today or timezone.localdate()
        )

    @property
    def status_label(self) -> str:
        return rules.ITEM_STATUS_LABELS[self.status()]

    @transition(field=state, source=ItemState.OPEN, target=ItemState.DONE)
    def finish(self):
        pass

    @transition(field=state, source=ItemState.DONE, target=ItemState.OPEN)
    def reopen(self):
        pass
