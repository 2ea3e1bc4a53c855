"""The public work column (工作专栏): articles of an organisation — 工作简报, 新闻动态, the
“基层组织建设年” column (《组织建设年实施方案》§四(四)) and the annual summaries
(《168模式实施意见》§五(二)4) — with photos and attachments, reviewed by the level above before
they appear on the public site (column.rules).

Drafts and their files are seen only by the officers of the organisation and of the levels
above (OrgScopedQuerySet); the public reads published articles through public.selectors, which
names every field that leaves the database."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from dangjian.column import rules
from dangjian.core.text_limits import TEXT_MINUTES
from dangjian.core.uploads import UploadFileField, companion_fields
from dangjian.org.models import Organisation, OrgScopedQuerySet
from dangjian.posts.models import DutySummary


class ColumnKind(models.TextChoices):
    BRIEFING = rules.BRIEFING, "工作简报"
    NEWS = rules.NEWS, "新闻动态"
    ORG_YEAR = rules.ORG_YEAR, "基层组织建设年"
    ANNUAL_SUMMARY = rules.ANNUAL_SUMMARY, "年度工作总结"


class ArticleState(models.TextChoices):
    DRAFT = rules.DRAFT, rules.STATE_LABELS[rules.DRAFT]
    SUBMITTED = rules.SUBMITTED, rules.STATE_LABELS[rules.SUBMITTED]
    RETURNED = rules.RETURNED, rules.STATE_LABELS[rules.RETURNED]
    PUBLISHED = rules.PUBLISHED, rules.STATE_LABELS[rules.PUBLISHED]
    WITHDRAWN = rules.WITHDRAWN, rules.STATE_LABELS[rules.WITHDRAWN]


def this_year() -> int:
    return timezone.localdate().year


class ArticleQuerySet(OrgScopedQuerySet):
    org_field = "organisation"

    def published(self) -> "ArticleQuerySet":
        return self.filter(state=ArticleState.PUBLISHED)


class Article(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="供稿党组织",
        on_delete=models.PROTECT,
        related_name="column_articles",
        help_text="稿件以该党组织名义发布，由其上级党组织审核。",
    )
    column = models.CharField("栏目", max_length=20, choices=ColumnKind.choices)
    year = models.PositiveSmallIntegerField("年度", default=this_year)
    title = models.CharField("标题", max_length=rules.TITLE_MAX)
    body = models.TextField(
        "正文", max_length=TEXT_MINUTES, help_text="纯文本，按回车分段；不支持网页代码。"
    )
    source_summary = models.ForeignKey(
        DutySummary,
        verbose_name="来源：年度工作总结",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="column_articles",
    )
    state = models.CharField(
        "状态", max_length=10, choices=ArticleState.choices, default=ArticleState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撰写人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("撰写时间", default=timezone.now)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.CharField("审核意见", max_length=rules.REASON_MAX, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdraw_reason = models.CharField("撤回原因", max_length=rules.REASON_MAX, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "专栏稿件"
        indexes = [
            # The officers' list (keyset over (-created_at, -id)).
            models.Index(fields=["-created_at", "-id"], name="column_article_order"),
            # The public column: published articles of a column, newest first.
            models.Index(fields=["state", "column", "-published_at", "-id"], name="column_public"),
            models.Index(
                fields=["state", "organisation", "-published_at", "-id"],
                name="column_public_org",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def paragraphs(self) -> list[str]:
        return rules.paragraphs(self.body)

    @property
    def excerpt(self) -> str:
        return rules.summary_of(self.body)

    @staticmethod
    def _local(moment) -> str:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""

    def submitted_time(self) -> str:
        return self._local(self.submitted_at)

    def published_time(self) -> str:
        return self._local(self.published_at)


class ArticleFileQuerySet(OrgScopedQuerySet):
    """A photo or an attachment is served (core.views.media_file) to whoever sees its article;
    the public gets it only once the article is published (public.views)."""

    org_field = "article__organisation"


class ArticlePhoto(models.Model):
    article = models.ForeignKey(
        Article, verbose_name="稿件", on_delete=models.CASCADE, related_name="photos"
    )
    file = UploadFileField("图片", area="column_photos")
    file_name, file_size, file_owner = companion_fields("图片")
    caption = models.CharField("图片说明", max_length=rules.CAPTION_MAX, blank=True)
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    objects = ArticleFileQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "稿件图片"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.file_name


class ArticleAttachment(models.Model):
    article = models.ForeignKey(
        Article, verbose_name="稿件", on_delete=models.CASCADE, related_name="attachments"
    )
    file = UploadFileField("附件", area="column")
    file_name, file_size, file_owner = companion_fields("附件")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    objects = ArticleFileQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "稿件附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file_name
