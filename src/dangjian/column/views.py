"""Pages of the work column for officers. The register of articles is declared once
(core.records); the article's own page, the review steps (submit, approve, return, withdraw),
photos and attachments, the review queue, publishing an annual summary and the A4 print are
written beside it. The public column is in the public app."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from rest_framework import serializers

from dangjian.column import filters, forms, permissions, rules, selectors, services
from dangjian.column.models import Article, ArticleAttachment, ArticlePhoto, ArticleState
from dangjian.core import access
from dangjian.core.audit import events_for
from dangjian.core.pagination import request_page
from dangjian.core.records import Column, RecordType
from dangjian.core.scoping import get_for_user
from dangjian.core.web import ActionView, ServiceFormView, editable_or_403, officer_required


class ArticleRecordType(RecordType):
    """The officers' register: the articles of their subtrees, every state."""

    def serializer(self) -> type[serializers.ModelSerializer]:
        return type("ColumnArticleSerializer", (super().serializer(),), {})

    def input_serializer(self) -> type[serializers.ModelSerializer]:
        return type("ColumnArticleInputSerializer", (super().input_serializer(),), {})

    def form_view(self) -> type[ServiceFormView]:
        base = super().form_view()

        class ArticleFormView(base):  # type: ignore[misc, valid-type]
            def get_title(self) -> str:
                return "修改稿件" if self.object else "撰写稿件"

        return ArticleFormView


ARTICLES = ArticleRecordType(
    model=Article,
    namespace="column",
    name="article",
    label="专栏稿件",
    form=forms.ArticleForm,
    filterset=filters.ArticleFilter,
    columns=[
        Column("标题", "title", link=True, width=40),
        Column("栏目", "column", width=14),
        Column("供稿党组织", "organisation.name", width=24),
        Column("年度", "year", width=8),
        Column("状态", "state", width=8),
        Column("报送时间", "submitted_time", width=18),
        Column("发布时间", "published_time", width=18),
    ],
    create=services.article_create,
    update=services.article_update,
    delete=services.article_delete,
    object_kwarg="article",
    order=("-created_at", "-id"),
    select_related=("organisation",),
    add_label="撰写稿件",
    add_actions=(("column:from_summary", "由年度工作总结生成", "bi-journal-arrow-up"),),
    officers_only=True,
    own_detail_page=True,  # article_detail below, with the review steps
    empty_text="还没有专栏稿件。撰写一篇工作简报或新闻动态，报送上级党组织审核，审核通过后在公开专栏发布。",
    help_text="稿件以所选党组织名义发布，须经上级党组织审核通过后才在公开专栏显示"
    "（《组织建设年实施方案》§四(四)：开设“基层组织建设年”专栏，编印活动简报）。"
    "正文为纯文本，按回车分段；保存后可上传图片和附件。",
    personal_data=False,
    api_fields=(
        "state",
        "source_summary",
        "submitted_at",
        "reviewed_at",
        "review_note",
        "published_at",
        "withdrawn_at",
        "withdraw_reason",
    ),
)


def _article(user: Any, pk: int) -> Article:
    return get_for_user(Article.objects.select_related("organisation"), user, pk=pk)


def _writable(user: Any, pk: int) -> Article:
    return editable_or_403(Article.objects.select_related("organisation"), user, pk)


def _rights(user: Any, article: Article) -> dict[str, bool]:
    state = article.state
    may_write = access.can(user, permissions.WRITE, article)
    may_review = access.can(user, permissions.REVIEW, article)
    own = getattr(user, "pk", None) in {article.created_by_id, article.submitted_by_id}
    return {
        "edit": may_write and rules.step_error(state, "edit") is None,
        "delete": may_write and rules.step_error(state, "delete") is None,
        "submit": access.can(user, permissions.SUBMIT, article)
        and rules.step_error(state, "submit") is None,
        "review": may_review and not own and state == ArticleState.SUBMITTED,
        "withdraw": access.can(user, permissions.WITHDRAW, article)
        and rules.step_error(state, "withdraw") is None,
    }


@officer_required
@require_GET
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(request.user, pk)
    rights = _rights(request.user, article)
    return render(
        request,
        "column/article_detail.html",
        {
            "article": article,
            "rights": rights,
            "photos": list(article.photos.all()),
            "attachments": list(article.attachments.all()),
            "events": events_for(article),
            "note_form": forms.NoteForm(),
            "max_photos": rules.MAX_PHOTOS,
        },
    )


@officer_required
@require_GET
def article_print(request: HttpRequest, pk: int) -> HttpResponse:
    """稿件审核单 (A4): the article as submitted, with the review."""
    article = _article(request.user, pk)
    return render(
        request,
        "column/article_print.html",
        {
            "article": article,
            "photos": list(article.photos.all()),
            "attachments": list(article.attachments.all()),
        },
    )


@officer_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    """待审核稿件: what the organisations below the user submitted."""
    page = request_page(
        request, selectors.review_queue(request.user), order=("submitted_at", "id"), size=50
    )
    return render(request, "column/review_list.html", {"page": page, "base_query": ""})


class _Step(ActionView):
    def get_object(self) -> Article:
        return _article(self.request.user, self.kwargs["pk"])

    def get_success_url(self, obj: Article) -> str:
        return reverse("column:article_detail", args=[obj.pk])


class SubmitView(_Step):
    success_message = "已报送上级党组织审核，审核通过后在公开专栏发布。"

    def perform(self, obj: Article, data: dict[str, Any]) -> Any:
        return services.article_submit(actor=self.request.user, article=obj)


class ApproveView(_Step):
    form_class = forms.NoteForm
    success_message = "审核通过，稿件已在公开专栏发布。"

    def perform(self, obj: Article, data: dict[str, Any]) -> Any:
        return services.article_approve(
            actor=self.request.user, article=obj, note=data.get("note", "")
        )


class ReturnView(_Step):
    form_class = forms.NoteForm
    success_message = "已退回供稿党组织修改。"

    def perform(self, obj: Article, data: dict[str, Any]) -> Any:
        return services.article_return(
            actor=self.request.user, article=obj, note=data.get("note", "")
        )


class WithdrawView(_Step):
    form_class = forms.NoteForm
    success_message = "稿件已撤回，公开专栏不再显示。"

    def perform(self, obj: Article, data: dict[str, Any]) -> Any:
        return services.article_withdraw(
            actor=self.request.user, article=obj, note=data.get("note", "")
        )


class _FileAdd(ServiceFormView):
    form_user_kwarg = False
    multipart = True
    show_events = False
    submit_label = "上传"

    def get_object(self) -> None:
        self.article = _writable(self.request.user, self.kwargs["pk"])
        return None

    def get_crumbs(self) -> list[tuple[str, str]]:
        return [
            (reverse("column:article_list"), "专栏稿件"),
            (reverse("column:article_detail", args=[self.article.pk]), str(self.article)),
        ]

    def get_success_url(self, result: Any) -> str:
        return reverse("column:article_detail", args=[self.article.pk])


class PhotoAddView(_FileAdd):
    form_class = forms.PhotoForm
    title = "上传图片"
    success_message = "图片已上传。"
    help_text = (
        f"JPG、PNG、GIF或WebP图片，每篇稿件最多{rules.MAX_PHOTOS}张；公开专栏按版面缩放显示。"
    )

    def perform(self, data: dict[str, Any]) -> Any:
        return services.photo_add(
            actor=self.request.user,
            article=self.article,
            file=data["file"],
            caption=data.get("caption", ""),
        )


class AttachmentAddView(_FileAdd):
    form_class = forms.AttachmentForm
    title = "上传附件"
    success_message = "附件已上传。"
    help_text = f"每篇稿件最多{rules.MAX_ATTACHMENTS}个附件；发布后公众可以下载。"

    def perform(self, data: dict[str, Any]) -> Any:
        return services.attachment_add(
            actor=self.request.user, article=self.article, file=data["file"]
        )


class _FileRemove(ActionView):
    model: Any = None
    success_message = "已删除。"

    def get_object(self) -> Any:
        return editable_or_403(
            self.model.objects.select_related("article"), self.request.user, self.kwargs["pk"]
        )

    def perform(self, obj: Any, data: dict[str, Any]) -> Any:
        services.file_remove(actor=self.request.user, file=obj)

    def get_success_url(self, obj: Any) -> str:
        return reverse("column:article_detail", args=[obj.article_id])


class PhotoRemoveView(_FileRemove):
    model = ArticlePhoto
    success_message = "图片已删除。"


class AttachmentRemoveView(_FileRemove):
    model = ArticleAttachment
    success_message = "附件已删除。"


class FromSummaryView(ServiceFormView):
    form_class = forms.FromSummaryForm
    title = "发布年度工作总结"
    submit_label = "生成稿件"
    success_message = "已按提交的年度工作总结生成稿件（草稿），请核对后报送上级党组织审核。"
    help_text = (
        "党支部的年度“亮岗履职”工作总结上交党总支，党总支的总结上交党委组织部"
        "（《168模式实施意见》§五(二)4）；各级总结经上级审核后在“年度工作总结”栏目公开"
        "（《组织建设年实施方案》§二(六)：分级做好总结工作，宣传推广经验）。"
    )

    def get_crumbs(self) -> list[tuple[str, str]]:
        return [(reverse("column:article_list"), "专栏稿件")]

    def perform(self, data: dict[str, Any]) -> Any:
        return services.article_from_summary(actor=self.request.user, summary=data["summary"])

    def get_success_url(self, result: Any) -> str:
        return reverse("column:article_detail", args=[result.pk])
