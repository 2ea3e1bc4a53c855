"""The quarterly progress report on the “168” mechanism (季报表, 《延伸提升168机制意见》附件5)."""

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition

from dangjian.core.text_limits import TEXT_DEFAULT, TEXT_LONG
from dangjian.org.models import Organisation, OrgScopedQuerySet


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已审核"


class QuarterlyReport(models.Model):
    """One organisation's report for one quarter: figures computed from the records
    (kept as they were when submitted) and the narrative the data cannot say."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="党组织",
        on_delete=models.CASCADE,
        related_name="quarterly_reports",
    )
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField(
        "季度", choices=[(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")]
    )
    figures = models.JSONField("统计数据", default=dict)
    progress = models.TextField("工作进展情况", blank=True, max_length=TEXT_LONG)
    highlights = models.TextField("特色做法和成效", blank=True, max_length=TEXT_LONG)
    problems = models.TextField("存在问题", blank=True, max_length=TEXT_LONG)
    next_steps = models.TextField("下一步工作打算", blank=True, max_length=TEXT_LONG)
    status = FSMField(
        "状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.TextField("审核意见", blank=True, max_length=TEXT_DEFAULT)

    objects = OrgScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "季报表"
        verbose_name_plural = "季报表"
        ordering = ["-year", "-quarter", "organisation__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "quarter"], name="report_once_a_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}年第{self.quarter}季度季报表"

    @transition(
        field=status,
        source=[ReportStatus.DRAFT, ReportStatus.RETURNED],
        target=ReportStatus.SUBMITTED,
    )
    def submit(self):
        pass

    @transition(field=status, source=ReportStatus.SUBMITTED, target=ReportStatus.RETURNED)
    def send_back(self):
        pass

    @transition(field=status, source=ReportStatus.SUBMITTED, target=ReportStatus.ACCEPTED)
    def accept(self):
        pass
