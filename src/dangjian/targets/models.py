"""Organisational target management and the six-step work method (《168模式实施意见》,
《延伸提升168机制意见》, 《机关168模式通知》)."""

from django.conf import settings
from django.db import models

from dangjian.core import uploads
from dangjian.core.text_limits import TEXT_DEFAULT, TEXT_LONG
from dangjian.org.models import Organisation, OrgScopedQuerySet, Person, Unit


class Role(models.IntegerChoices):
    """The eight roles every organisation and team plays (《168模式实施意见》§二;
    《延伸提升168机制意见》§一)."""

    LEADERSHIP = 1, "党组织领导核心和政治核心作用"
    ADMINISTRATION = 2, "行政班子推进科学发展作用"
    UNION = 3, "工会教代会民主监督作用"
    YOUTH = 4, "团委学生会等群团组织桥梁纽带作用"
    MEMBERS = 5, "党员先锋模范作用"
    BACKBONE = 6, "教学骨干及学术带头人引领带动作用"
    COUNSELLORS = 7, "辅导员班主任组织管理指导作用"
    ALL_STAFF = 8, "教职员工全员育人作用"


class HonourLevel(models.IntegerChoices):
    """Levels of an honour, lowest first (《延伸提升168机制意见》§二: county → city → province →
    central)."""

    NONE = 0, "尚未获得"
    COUNTY = 1, "县（区）级"
    CITY = 2, "市级"
    PROVINCE = 3, "省级"
    CENTRAL = 4, "中央（国家）级"


class GoalKind(models.TextChoices):
    PARTY = "party", "党组织争创目标"
    SCHOOL = "school", "学校发展目标"


class LongTermGoal(models.Model):
    """A 3–5 year goal: the next level of an honour (《延伸提升168机制意见》§二)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="goals"
    )
    kind = models.CharField("目标类别", max_length=10, choices=GoalKind.choices)
    honour = models.CharField(
        "争创荣誉",
        max_length=60,
        help_text="党组织：先进基层党组织；学校：文明学校、示范性学校、绿色学校、平安校园等。",
    )
    current_level = models.PositiveSmallIntegerField(
        "已获层级", choices=HonourLevel.choices, default=HonourLevel.NONE
    )
    target_level = models.PositiveSmallIntegerField("争创层级", choices=HonourLevel.choices)
    start_year = models.PositiveSmallIntegerField("起始年度")
    end_year = models.PositiveSmallIntegerField("目标年度")
    measures = models.TextField("主要措施", blank=True, max_length=TEXT_DEFAULT)
    achieved_on = models.DateField("实现日期", null=True, blank=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "长期目标"
        verbose_name_plural = "长期目标"
        ordering = ["organisation__path", "kind", "-end_year"]

    def __str__(self) -> str:
        return f"{self.end_year}年前争创{self.get_target_level_display()}{self.honour}"


class AnnualPlan(models.Model):
    """The year's plan of an organisation: a theme, a featured work item and a theoretical
    study — “年年有主题、年年有特色、年年有推动” (《延伸提升168机制意见》§二)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="plans"
    )
    year = models.PositiveSmallIntegerField("年度")
    theme = models.CharField(
        "争创主题", max_length=60, help_text="如：基层组织工作建设年、党建特色建设年、党员奉献年。"
    )
    featured_work = models.CharField("特色工作", max_length=200)
    theoretical_study = models.CharField("理论调研", max_length=200)
    development_goals = models.TextField(
        "年度发展目标",
        blank=True,
        help_text="学校（单位）本年度改革发展目标。",
        max_length=TEXT_LONG,
    )
    note = models.TextField("备注", blank=True, max_length=TEXT_DEFAULT)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "年度计划"
        verbose_name_plural = "年度计划"
        ordering = ["-year", "organisation__path"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="plan_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}年度计划（{self.theme}）"


class WorkItemKind(models.TextChoices):
    ANNUAL_PLAN = "annual_plan", "年度工作计划"
    PROJECT = "project", "重大项目"
    ACTIVITY = "activity", "重大活动"


class Step(models.IntegerChoices):
    """The six-step work method (《168模式实施意见》§四(一)); DONE once the sixth step is closed."""

    OPINIONS = 1, "征求意见"
    DECISION = 2, "议事决策"
    DECOMPOSITION = 3, "任务分解"
    COMMITMENT = 4, "公开承诺"
    IMPLEMENTATION = 5, "组织实施"
    EVALUATION = 6, "考评奖惩"
    DONE = 7, "已完成"


class WorkItem(models.Model):
    """A year's work plan, major project or activity run through the six steps."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="work_items"
    )
    plan = models.ForeignKey(
        AnnualPlan,
        verbose_name="所属年度计划",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_items",
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类别", max_length=20, choices=WorkItemKind.choices)
    title = models.CharField("名称", max_length=120)
    description = models.TextField("内容", blank=True, max_length=TEXT_LONG)
    step = models.PositiveSmallIntegerField("当前步骤", choices=Step.choices, default=Step.OPINIONS)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "工作事项"
        verbose_name_plural = "工作事项"
        ordering = ["-year", "organisation__path", "id"]
        indexes = [models.Index(fields=["organisation", "year"])]

    def __str__(self) -> str:
        return self.title


class OpinionSource(models.TextChoices):
    MEETING = "meeting", "座谈会议"
    FORM = "form", "征求意见表"
    SUGGESTION_BOX = "suggestion_box", "意见箱"
    VISIT = "visit", "上门访谈"
    OTHER = "other", "其他"


class OpinionCategory(models.TextChoices):
    PARTY = "party", "党的建设"
    TEACHING = "teaching", "教育教学"
    MANAGEMENT = "management", "管理服务"
    STUDENTS = "students", "学生工作"
    LOGISTICS = "logistics", "后勤保障"
    WELFARE = "welfare", "教职工权益"
    OTHER = "other", "其他"


class OpinionHandling(models.TextChoices):
    PENDING = "pending", "待处理"
    ADOPTED = "adopted", "已采纳"
    ANSWERED = "answered", "已答复"
    NOT_ADOPTED = "not_adopted", "未采纳（已说明）"


class OpinionQuerySet(OrgScopedQuerySet):
    org_field = "work_item__organisation"


class Opinion(models.Model):
    """Step 1: an opinion collected, classified and answered or adopted."""

    work_item = models.ForeignKey(
        WorkItem, verbose_name="工作事项", on_delete=models.CASCADE, related_name="opinions"
    )
    source = models.CharField("来源", max_length=20, choices=OpinionSource.choices)
    category = models.CharField("分类", max_length=20, choices=OpinionCategory.choices)
    content = models.TextField("意见内容", max_length=TEXT_DEFAULT)
    raised_by = models.CharField("提出人", max_length=60, blank=True, help_text="可不填（匿名）。")
    received_on = models.DateField("收集日期")
    suggestion = models.OneToOneField(
        "public.Suggestion",
        verbose_name="来自意见箱",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinion",
    )
    handling = models.CharField(
        "处理情况", max_length=20, choices=OpinionHandling.choices, default=OpinionHandling.PENDING
    )
    response = models.TextField("答复或采纳情况", blank=True, max_length=TEXT_DEFAULT)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["work_item", "-received_on", "-id"]

    def __str__(self) -> str:
        return self.content[:30]


class MeetingKind(models.TextChoices):
    JOINT = "joint", "党政联席会议"
    COMMITTEE = "committee", "党委（总支、支部）委员会"
    GENERAL = "general", "党员大会"
    STAFF_CONGRESS = "staff_congress", "教职工代表大会"
    OTHER = "other", "其他会议"


class DecisionQuerySet(OrgScopedQuerySet):
    org_field = "work_item__organisation"


class Decision(models.Model):
    """Step 2: the meeting that deliberated and decided (democratic centralism)."""

    work_item = models.ForeignKey(
        WorkItem, verbose_name="工作事项", on_delete=models.CASCADE, related_name="decisions"
    )
    meeting_kind = models.CharField("会议类型", max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField("会议日期")
    place = models.CharField("地点", max_length=100, blank=True)
    attendees = models.TextField("参会人员", max_length=TEXT_DEFAULT)
    representatives = models.TextField("列席代表", blank=True, max_length=TEXT_DEFAULT)
    decisions = models.TextField("决定事项", max_length=TEXT_LONG)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "议事决策"
        verbose_name_plural = "议事决策"
        ordering = ["work_item", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_meeting_kind_display()}"


class AssigneeKind(models.TextChoices):
    ORGANISATION = "organisation", "党组织"
    UNIT = "unit", "行政单位（处室、学院、年段、班级、群团）"
    PERSON = "person", "个人"


class TaskQuerySet(OrgScopedQuerySet):
    org_field = "work_item__organisation"
    person_field = "responsible"


class Task(models.Model):
    """Step 3: a quantified target decomposed to an organisation, unit or person, with its
    measures, responsible person, deadline and role (《延伸提升168机制意见》§二,
    《168模式实施意见》§四(一)3); step 4 publishes its commitment and step 5 records its
    progress."""

    work_item = models.ForeignKey(
        WorkItem, verbose_name="工作事项", on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField("任务（项目）", max_length=120)
    target = models.CharField("量化目标", max_length=200)
    measures = models.TextField("具体措施", max_length=TEXT_DEFAULT)
    assignee_kind = models.CharField("承担方类别", max_length=20, choices=AssigneeKind.choices)
    assignee_org = models.ForeignKey(
        Organisation,
        verbose_name="承担党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_tasks",
    )
    assignee_unit = models.ForeignKey(
        Unit,
        verbose_name="承担单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_tasks",
    )
    assignee_person = models.ForeignKey(
        Person,
        verbose_name="承担人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_tasks",
    )
    responsible = models.ForeignKey(
        Person, verbose_name="责任人", on_delete=models.PROTECT, related_name="responsible_tasks"
    )
    deadline = models.DateField("完成时限")
    role = models.PositiveSmallIntegerField("发挥作用", choices=Role.choices)
    commitment = models.TextField("公开承诺", blank=True, max_length=TEXT_DEFAULT)
    published_on = models.DateField("公开日期", null=True, blank=True)
    progress = models.PositiveSmallIntegerField("完成进度（%）", default=0)
    completed_on = models.DateField("完成日期", null=True, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "分解任务"
        verbose_name_plural = "分解任务"
        ordering = ["work_item", "deadline", "id"]
        indexes = [models.Index(fields=["deadline", "completed_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def assignee(self):
        return self.assignee_org or self.assignee_unit or self.assignee_person


class TaskProgressQuerySet(OrgScopedQuerySet):
    org_field = "task__work_item__organisation"
    person_field = "task__responsible"


class TaskProgress(models.Model):
    """Step 5: a progress update with evidence."""

    task = models.ForeignKey(
        Task, verbose_name="任务", on_delete=models.CASCADE, related_name="updates"
    )
    reported_on = models.DateField("报告日期")
    percent = models.PositiveSmallIntegerField("完成进度（%）")
    note = models.TextField("进展情况", max_length=TEXT_DEFAULT)
    evidence = uploads.UploadFileField("佐证材料", area="evidence", blank=True)
    evidence_name, evidence_size, evidence_owner = uploads.companion_fields("佐证材料")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TaskProgressQuerySet.as_manager()

    class Meta:
        verbose_name = "进展情况"
        verbose_name_plural = "进展情况"
        ordering = ["task", "-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.reported_on} {self.percent}%"


class EvaluationQuerySet(OrgScopedQuerySet):
    org_field = "work_item__organisation"


class Evaluation(models.Model):
    """Step 6: the evaluation of the item with its rewards and penalties, published."""

    work_item = models.OneToOneField(
        WorkItem, verbose_name="工作事项", on_delete=models.CASCADE, related_name="evaluation"
    )
    evaluated_on = models.DateField("考评日期")
    method = models.TextField(
        "考评方式",
        help_text="如：个人述岗自评、教职工民意测评、党组织综合评定相结合。",
        max_length=TEXT_DEFAULT,
    )
    result = models.TextField("考评结果", max_length=TEXT_DEFAULT)
    rewards = models.TextField("奖惩情况", blank=True, max_length=TEXT_DEFAULT)
    published_on = models.DateField("公布日期", null=True, blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = "考评奖惩"
        verbose_name_plural = "考评奖惩"

    def __str__(self) -> str:
        return f"{self.work_item} 考评"
