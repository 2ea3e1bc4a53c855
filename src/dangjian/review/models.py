"""联述联评联考 (《组织建设年实施方案》§四(三)): a round per year and level, in which each secretary
of a branch (or general branch) reports on the year's Party-building work to the level above
(联述), is rated by members and the masses through an anonymous survey (联评, the surveys app),
and is reviewed by the level above; the combined result is published and feeds the secretaries'
annual grades (联考) and the branch grading."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangjian.core.text_limits import TEXT_DEFAULT
from dangjian.core.uploads import UploadFileField, companion_fields
from dangjian.org.models import OrgScopedQuerySet, in_orgs
from dangjian.review import rules


class Level(models.TextChoices):
    BRANCH = rules.LEVEL_BRANCH, "党支部书记"
    GENERAL_BRANCH = rules.LEVEL_GENERAL_BRANCH, "党总支书记"


class RoundState(models.TextChoices):
    OPEN = rules.OPEN, "进行中"
    PUBLISHED = rules.PUBLISHED, "已发布"


class ReportState(models.TextChoices):
    PENDING = rules.PENDING, "待述职"
    REPORTED = rules.REPORTED, "已述职"
    RATING = rules.RATING, "测评中"
    REVIEWED = rules.REVIEWED, "已评定"


class ReviewRoundQuerySet(OrgScopedQuerySet):
    """The organisers (officers of the round's organisation and above) see and change a round;
    officers whose subtree holds one of its reports, and the secretaries reporting, read it."""

    def scope_q(self, scope):
        q = self.editable_q(scope)
        inside = SecretaryReport.objects.filter(in_orgs("organisation", scope.org_paths))
        if scope.org_paths:
            q |= Q(pk__in=inside.values("round_id"))
        if scope.person_id:
            q |= Q(
                pk__in=SecretaryReport.objects.filter(secretary_id=scope.person_id).values(
                    "round_id"
                )
            )
        return q

    def published(self):
        return self.filter(state=RoundState.PUBLISHED)


class ReviewRound(models.Model):
    organisation = models.ForeignKey(
        "org.Organisation",
        verbose_name="组织单位",
        on_delete=models.PROTECT,
        related_name="review_rounds",
        help_text="党委或党总支：其下级组织的书记向本组织述职。",
    )
    year = models.PositiveSmallIntegerField("年度")
    level = models.CharField("述职对象", max_length=20, choices=Level.choices)
    title = models.CharField("标题", max_length=120)
    due_on = models.DateField(
        "述职截止日期", help_text="《组织建设年实施方案》§二(六)：11月—12月组织专项述职。"
    )
    weight_masses = models.PositiveSmallIntegerField("测评权重（%）")
    weight_review = models.PositiveSmallIntegerField("上级评定权重（%）")
    state = models.CharField(
        "状态", max_length=10, choices=RoundState.choices, default=RoundState.OPEN
    )
    published_on = models.DateField("发布日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewRoundQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "联述联评联考"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "level"], name="review_round_unique_per_level"
            )
        ]
        indexes = [models.Index(fields=["year", "id"], name="review_round_year_id")]

    def __str__(self) -> str:
        return self.title


class SecretaryReportQuerySet(OrgScopedQuerySet):
    """Officers of the reporting organisation and above; the secretary reads their own."""

    org_field = "organisation"
    person_field = "secretary"


class SecretaryReport(models.Model):
    round = models.ForeignKey(
        ReviewRound, verbose_name="轮次", on_delete=models.CASCADE, related_name="reports"
    )
    organisation = models.ForeignKey(
        "org.Organisation", verbose_name="述职组织", on_delete=models.PROTECT, related_name="+"
    )
    secretary = models.ForeignKey(
        "org.Person", verbose_name="书记", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        "状态", max_length=10, choices=ReportState.choices, default=ReportState.PENDING
    )
    # 联述
    text = models.TextField("述职报告", blank=True, max_length=rules.REPORT_MAX_CHARS)
    attachment = UploadFileField("述职材料", area="assessment", blank=True)
    attachment_name, attachment_size, attachment_owner = companion_fields("述职材料")
    submitted_on = models.DateField("述职日期", null=True, blank=True)
    # 联评
    survey = models.OneToOneField(
        "surveys.Survey",
        verbose_name="党员群众测评",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="secretary_report",
    )
    masses_score = models.DecimalField(
        "测评得分", max_digits=5, decimal_places=2, null=True, blank=True
    )
    masses_responses = models.PositiveIntegerField("测评回收份数", default=0)
    # the level above
    review_score = models.DecimalField(
        "上级评定分", max_digits=4, decimal_places=1, null=True, blank=True
    )
    review_comment = models.TextField("上级评定意见", blank=True, max_length=TEXT_DEFAULT)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_on = models.DateField("评定日期", null=True, blank=True)
    # the result
    total = models.DecimalField("综合得分", max_digits=4, decimal_places=1, null=True, blank=True)
    grade = models.CharField("综合等次", max_length=10, blank=True)

    objects = SecretaryReportQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "书记述职"
        ordering = ["round", "organisation__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"], name="review_report_unique_org"
            )
        ]
        indexes = [models.Index(fields=["round", "state"], name="review_report_round_state")]

    def __str__(self) -> str:
        return f"{self.organisation.name} {self.secretary.name} 述职"

    @property
    def published(self) -> bool:
        return self.round.state == RoundState.PUBLISHED
