"""Anonymous surveys of the masses (民意测评, 满意度测评) answered through one-time links.

Anonymity is structural: a ballot has no link to the token that admitted it and no time at all,
and nothing but aggregates is ever shown — and only once a survey has reached its minimum number
of ballots.
"""

from django.conf import settings
from django.db import models

from dangjian.core.text_limits import TEXT_DEFAULT
from dangjian.org.models import OrgScopedQuerySet


class SurveyKind(models.TextChoices):
    MEMBER_RATING = "member_rating", "党员民意测评"
    BRANCH_SATISFACTION = "branch_satisfaction", "党支部工作满意度测评"


class SurveyState(models.TextChoices):
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class Rating(models.TextChoices):
    # member rating (《168模式实施意见》§五(二)5 grades)
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"
    # branch satisfaction (《支部考核办法》评分表第16项)
    SATISFIED = "satisfied", "满意"
    FAIRLY_SATISFIED = "fairly_satisfied", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class SurveyQuerySet(OrgScopedQuerySet):
    pass


class Survey(models.Model):
    """One survey of the masses about an organisation (its work, or each of its members)."""

    organisation = models.ForeignKey(
        "org.Organisation",
        verbose_name="党组织",
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    kind = models.CharField("测评类型", max_length=24, choices=SurveyKind.choices)
    title = models.CharField("标题", max_length=120)
    instructions = models.TextField("填写说明", blank=True, max_length=TEXT_DEFAULT)
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    min_responses = models.PositiveSmallIntegerField(
        "最少有效票数",
        help_text="回收票数达到此数后才显示汇总结果，避免从少数答卷推断答卷人。",
    )
    state = models.CharField(
        "状态", max_length=10, choices=SurveyState.choices, default=SurveyState.OPEN
    )
    subjects = models.ManyToManyField(
        "org.Person",
        verbose_name="测评对象",
        blank=True,
        related_name="+",
        help_text="党员民意测评：被测评的党员；满意度测评不填。",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = "民意测评"
        verbose_name_plural = "民意测评"
        ordering = ["-opens_on", "-id"]
        indexes = [models.Index(fields=["organisation", "state"])]

    def __str__(self) -> str:
        return self.title


class SurveyTokenQuerySet(OrgScopedQuerySet):
    org_field = "survey__organisation"


class SurveyToken(models.Model):
    """A one-time link handed to one person of the masses (printed as a QR code).

    It records only whether it was used — never when, nor which ballot it produced."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tokens")
    token = models.CharField("令牌", max_length=32, unique=True)
    batch = models.PositiveSmallIntegerField("发放批次", default=1)
    used = models.BooleanField("已使用", default=False)

    objects = SurveyTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "测评链接"
        verbose_name_plural = "测评链接"
        ordering = ["survey", "id"]
        indexes = [models.Index(fields=["survey", "used"])]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class SurveyBallot(models.Model):
    """One submitted answer sheet. Deliberately holds no token, user, address, date or time."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="ballots")
    comment = models.TextField("意见建议", blank=True, max_length=500)

    class Meta:
        verbose_name = "测评答卷"
        verbose_name_plural = "测评答卷"

    def __str__(self) -> str:
        return f"{self.survey} 答卷"


class SurveyAnswer(models.Model):
    """One rating on a ballot: of a member, or of the branch's work (subject empty)."""

    ballot = models.ForeignKey(SurveyBallot, on_delete=models.CASCADE, related_name="answers")
    subject = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    rating = models.CharField("评价", max_length=20, choices=Rating.choices)

    class Meta:
        verbose_name = "测评评价"
        verbose_name_plural = "测评评价"
        indexes = [models.Index(fields=["subject", "rating"])]

    def __str__(self) -> str:
        return self.get_rating_display()
