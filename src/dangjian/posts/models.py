"""Posts (设岗定责 / 亮岗履职), commitments and duty records (《168模式实施意见》§五(二),
《延伸提升168机制意见》§三, 《机关168模式通知》)."""

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition

from dangjian.core import uploads
from dangjian.core.scoping import ANONYMOUS, ScopedQuerySet, scope_for
from dangjian.core.text_limits import TEXT_DEFAULT, TEXT_LONG
from dangjian.org.models import Organisation, OrgScopedQuerySet, Person, orgs_under


class PostAudience(models.TextChoices):
    STAFF = "staff", "教职工党员"
    STUDENT = "student", "学生党员"
    ALL = "all", "不限"


class PostTypeQuerySet(ScopedQuerySet):
    """The catalogue. The department's posts (no organisation) are read by everyone signed in;
    a general branch's own posts by the officers of its subtree and of the levels above.
    The department changes its posts; a general branch changes its own."""

    def scope_q(self, scope):
        ancestors = {
            path[:end]
            for path in scope.org_paths
            for end in range(Organisation.steplen, len(path) + 1, Organisation.steplen)
        }
        return (
            models.Q(organisation__isnull=True)
            | models.Q(organisation__path__in=sorted(ancestors))
            | self.editable_q(scope)
        )

    def editable_q(self, scope):
        return models.Q(organisation__in=orgs_under(scope.org_paths))

    def visible_to(self, user):
        scope = scope_for(user)
        if scope.is_officer or scope is ANONYMOUS:
            return super().visible_to(user)
        return self.filter(organisation__isnull=True)

    def active(self):
        return self.filter(is_active=True)


class PostType(models.Model):
    """A catalogue post with its duties and annual tasks (《168模式实施意见》§五(二)1;
    《基层组织建设实施意见》§四(四)5)."""

    name = models.CharField("岗位名称", max_length=40)
    audience = models.CharField(
        "适用对象", max_length=10, choices=PostAudience.choices, default=PostAudience.ALL
    )
    duties = models.TextField("岗位职责", max_length=TEXT_DEFAULT)
    annual_tasks = models.TextField("年度任务", blank=True, max_length=TEXT_DEFAULT)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="设立党组织",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="post_types",
        help_text="空白为组织部设置的示范岗位；党总支可另设本单位岗位。",
    )
    is_active = models.BooleanField("启用", default=True)
    display_order = models.PositiveSmallIntegerField("顺序", default=100)

    objects = PostTypeQuerySet.as_manager()

    class Meta:
        verbose_name = "岗位目录"
        verbose_name_plural = "岗位目录"
        ordering = ["display_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="post_type_unique_name_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PostState(models.TextChoices):
    """The six steps of post setting (《设岗定责通知》§2)."""

    SET = "set", "设岗"
    CLAIMED = "claimed", "认岗"
    CONFIRMED = "confirmed", "定岗"
    PUBLISHED = "published", "明岗"
    PERFORMING = "performing", "履岗"
    EVALUATED = "evaluated", "评岗"


class PostGrade(models.TextChoices):
    """Post evaluation grades (《168模式实施意见》§五(二)5)."""

    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class PostQuerySet(OrgScopedQuerySet):
    person_field = "holder"

    def open_for(self, person):
        """Posts a member may claim: 设岗 posts of their branch or of an organisation above it."""
        org = person.primary_org if person is not None else None
        if org is None:
            return self.none()
        steplen = Organisation.steplen
        ancestors = [org.path[:end] for end in range(steplen, len(org.path) + 1, steplen)]
        return self.filter(
            state=PostState.SET,
            holder__isnull=True,
            organisation__path__in=ancestors,
            organisation__kind__in=["branch", "general_branch"],
        )

    def public(self):
        """Posts shown on the public board (明岗 and after)."""
        return self.filter(
            state__in=[PostState.PUBLISHED, PostState.PERFORMING, PostState.EVALUATED]
        )


class Post(models.Model):
    """A post set in an organisation for one year and the member who holds it.

    One member may hold several posts; posts are set again each year (no post for life)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="posts"
    )
    post_type = models.ForeignKey(
        PostType, verbose_name="岗位类型", on_delete=models.PROTECT, related_name="posts"
    )
    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("岗位名称", max_length=40)
    duties = models.TextField("岗位职责", max_length=TEXT_DEFAULT)
    targets = models.TextField("目标任务", blank=True, max_length=TEXT_DEFAULT)
    holder = models.ForeignKey(
        Person,
        verbose_name="履岗党员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    state = FSMField("状态", max_length=12, choices=PostState.choices, default=PostState.SET)
    claimed_by_self = models.BooleanField("本人认领", default=False)
    confirmed_on = models.DateField("定岗日期", null=True, blank=True)
    published_on = models.DateField("公示日期", null=True, blank=True)
    progress = models.TextField(
        "工作进展", blank=True, help_text="公开栏“工作进展情况公开”。", max_length=TEXT_DEFAULT
    )
    score = models.DecimalField("考评分数", max_digits=4, decimal_places=1, null=True, blank=True)
    grade = models.CharField("考评等次", max_length=12, choices=PostGrade.choices, blank=True)
    evaluation = models.TextField("考核评议", blank=True, max_length=TEXT_DEFAULT)
    reward = models.CharField("奖惩结果", max_length=200, blank=True)
    evaluated_on = models.DateField("评岗日期", null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        ordering = ["-year", "organisation__path", "id"]
        indexes = [
            models.Index(fields=["organisation", "year", "state"]),
            models.Index(fields=["holder", "year"]),
            # The department's counters and state counts over a whole year (no organisation).
            models.Index(fields=["year", "state"], name="post_year_state"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    # Transitions: services call these inside a transaction after checking the rules.
    @transition(field=state, source=PostState.SET, target=PostState.CLAIMED)
    def claim(self):
        pass

    @transition(field=state, source=PostState.CLAIMED, target=PostState.SET)
    def release(self):
        pass

    @transition(field=state, source=PostState.CLAIMED, target=PostState.CONFIRMED)
    def confirm(self):
        pass

    @transition(field=state, source=PostState.CONFIRMED, target=PostState.PUBLISHED)
    def publish(self):
        pass

    @transition(field=state, source=PostState.PUBLISHED, target=PostState.PERFORMING)
    def perform(self):
        pass

    @transition(
        field=state, source=[PostState.PUBLISHED, PostState.PERFORMING], target=PostState.EVALUATED
    )
    def evaluate(self):
        pass


class CommitmentQuerySet(OrgScopedQuerySet):
    person_field = "person"


class Commitment(models.Model):
    """A member's yearly commitment letter on the six areas of 《机关168模式通知》§二3."""

    person = models.ForeignKey(
        Person, verbose_name="党员", on_delete=models.CASCADE, related_name="commitments"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="所在支部", on_delete=models.CASCADE, related_name="commitments"
    )
    year = models.PositiveSmallIntegerField("年度")
    political = models.TextField("思想政治", max_length=TEXT_DEFAULT)
    duties = models.TextField("履行岗位职责", max_length=TEXT_DEFAULT)
    development = models.TextField("服务发展", max_length=TEXT_DEFAULT)
    pairing = models.TextField("结对帮带帮扶", max_length=TEXT_DEFAULT)
    integrity = models.TextField("廉政建设", max_length=TEXT_DEFAULT)
    org_life = models.TextField("参加组织生活", max_length=TEXT_DEFAULT)
    published_on = models.DateField("公开日期", null=True, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = "党员承诺书"
        verbose_name_plural = "党员承诺书"
        ordering = ["-year", "organisation__path", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="commitment_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.year}年承诺书"


class CommitmentProgress(models.Model):
    commitment = models.ForeignKey(
        Commitment, verbose_name="承诺书", on_delete=models.CASCADE, related_name="updates"
    )
    reported_on = models.DateField("日期")
    note = models.TextField("践诺情况", max_length=TEXT_DEFAULT)

    class Meta:
        verbose_name = "践诺进展"
        verbose_name_plural = "践诺进展"
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.reported_on}"


class DutyCheckKind(models.TextChoices):
    MONTHLY = "monthly", "党支部书记月检查"
    QUARTERLY = "quarterly", "党委组织部季度检查"


class DutyCheck(models.Model):
    """The branch secretary's monthly or the department's quarterly check of duty records,
    with its findings, circulated (《168模式实施意见》§五(二)4)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="检查对象", on_delete=models.CASCADE, related_name="duty_checks"
    )
    kind = models.CharField("检查类别", max_length=10, choices=DutyCheckKind.choices)
    period_start = models.DateField("检查期间自")
    period_end = models.DateField("检查期间至")
    checked_on = models.DateField("检查日期")
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="检查人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    records_checked = models.PositiveIntegerField("检查记录数", default=0)
    findings = models.TextField("检查情况", max_length=TEXT_DEFAULT)
    circulated_on = models.DateField("通报日期", null=True, blank=True)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "履职检查"
        verbose_name_plural = "履职检查"
        ordering = ["-period_end", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_kind_display()} {self.period_start}"


class DutyRecordQuerySet(OrgScopedQuerySet):
    person_field = "person"


class DutyRecord(models.Model):
    """One entry of a member's duty record book: time, place, content, effect."""

    person = models.ForeignKey(
        Person, verbose_name="党员", on_delete=models.CASCADE, related_name="duty_records"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="所在支部", on_delete=models.CASCADE, related_name="duty_records"
    )
    post = models.ForeignKey(
        Post,
        verbose_name="岗位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duty_records",
    )
    occurred_on = models.DateField("活动日期")
    place = models.CharField("地点", max_length=100)
    content = models.TextField("履职内容", max_length=TEXT_DEFAULT)
    effect = models.TextField("成效", blank=True, max_length=TEXT_DEFAULT)
    attachment = uploads.UploadFileField("附件", area="duty", blank=True)
    attachment_name, attachment_size, attachment_owner = uploads.companion_fields("附件")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    duty_check = models.ForeignKey(
        DutyCheck,
        verbose_name="月检查",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
    )

    objects = DutyRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "履职记实"
        verbose_name_plural = "履职记实"
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "occurred_on"]),
            models.Index(fields=["person", "occurred_on"]),
            # The list's keyset order (core.pagination compares (occurred_on, id) rows).
            models.Index(fields=["occurred_on", "id"], name="dutyrecord_occurred_on_id"),
            # 往月未检查: the records still waiting for the monthly check, a fraction of all.
            models.Index(
                fields=["occurred_on"],
                condition=models.Q(duty_check__isnull=True),
                name="dutyrecord_unchecked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.content[:20]}"

    @property
    def is_checked(self) -> bool:
        return self.duty_check_id is not None


class SummaryKind(models.TextChoices):
    MEMBER_SEMESTER = "member_semester", "党员学期履职小结"
    BRANCH_ANNUAL = "branch_annual", "党支部年度亮岗履职工作总结"
    GENERAL_BRANCH_ANNUAL = "general_branch_annual", "党总支年度亮岗履职工作总结"


class DutySummaryQuerySet(OrgScopedQuerySet):
    person_field = "person"


class DutySummary(models.Model):
    """A member's semester-end summary or a branch's / general branch's annual summary."""

    kind = models.CharField("类别", max_length=24, choices=SummaryKind.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name="党组织", on_delete=models.CASCADE, related_name="duty_summaries"
    )
    person = models.ForeignKey(
        Person,
        verbose_name="党员",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="duty_summaries",
    )
    year = models.PositiveSmallIntegerField("年度")
    semester = models.PositiveSmallIntegerField(
        "学期", null=True, blank=True, choices=[(1, "第一学期"), (2, "第二学期")]
    )
    content = models.TextField("总结内容", max_length=TEXT_LONG)
    submitted_on = models.DateField("提交日期")

    objects = DutySummaryQuerySet.as_manager()

    class Meta:
        verbose_name = "履职总结"
        verbose_name_plural = "履职总结"
        ordering = ["-year", "-semester", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"
