from django.db import models

from dangjian.org.models import OrgScopedQuerySet


class StatisticsRunQuerySet(OrgScopedQuerySet):
    """Seen by the officers of the organisation counted and of the levels above."""


class StatisticsRun(models.Model):
    """One computation of the annual tables for an organisation's subtree at a cut-off date:
    the figures as JSON, who asked for it, when it ran. Computed in the background (a Celery
    task): at province scale the tables are never counted on a page request; the page shows
    the latest finished run."""

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "统计中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    organisation = models.ForeignKey(
        "org.Organisation",
        verbose_name="党组织",
        on_delete=models.CASCADE,
        related_name="statistics_runs",
    )
    cut_off = models.DateField("统计截止日期")
    period_start = models.DateField("变动统计起始日期")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    figures = models.JSONField("统计数据", default=dict, blank=True)
    error = models.CharField("失败原因", max_length=300, blank=True)
    requested_by = models.ForeignKey(
        "core.User", verbose_name="统计人", null=True, blank=True, on_delete=models.SET_NULL
    )
    requested_at = models.DateTimeField("发起时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    duration_ms = models.PositiveIntegerField("用时（毫秒）", null=True, blank=True)

    objects = StatisticsRunQuerySet.as_manager()

    class Meta:
        verbose_name = "党内统计"
        verbose_name_plural = "党内统计"
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["organisation", "cut_off", "-requested_at"])]

    def __str__(self) -> str:
        return f"{self.organisation} {self.cut_off:%Y-%m-%d}"
