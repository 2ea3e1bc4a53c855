"""The API of the work column (/api/v1/).

- `column/articles`: officers — the register's list, create, partial update and delete (the
  same form and services as the pages), plus the review steps, photos, attachments and
  publishing an annual summary. Scoped like every other API: out of scope 404, members 403.
- `public/column/`: anyone, no credentials read — published articles only, from the
  whitelisted fields of column.selectors (no author, submitter or reviewer)."""

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from dangjian.column import selectors, services
from dangjian.column.models import Article, ArticlePhoto, ColumnKind
from dangjian.column.views import ARTICLES
from dangjian.core.api import CursorPagination
from dangjian.core.serializer_fields import ChoiceLabel
from dangjian.core.uploads import UploadSerializerField
from dangjian.org.models import Organisation
from dangjian.posts.models import DutySummary


class ColumnNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ColumnPhotoInputSerializer(serializers.Serializer):
    file = UploadSerializerField(area="column_photos")
    caption = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ColumnAttachmentInputSerializer(serializers.Serializer):
    file = UploadSerializerField(area="column")


class ColumnFromSummarySerializer(serializers.Serializer):
    summary = serializers.IntegerField()


class ColumnFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="file_name")
    size = serializers.IntegerField(source="file_size")


class ArticleViewSet(ARTICLES.viewset()):  # type: ignore[misc]
    """专栏稿件 (officers): the register plus submit, approve, return, withdraw, photos,
    attachments and 发布年度工作总结."""

    def _step(self, request: Any, call: Any, **extra: Any) -> Response:
        return self.respond(call(actor=request.user, article=self.get_object(), **extra))

    @extend_schema(request=None, summary="报送审核")
    @action(detail=True, methods=["post"])
    def submit(self, request: Any, pk: Any = None) -> Response:
        return self._step(request, services.article_submit)

    @extend_schema(request=ColumnNoteSerializer, summary="审核通过并发布（上级党组织）")
    @action(detail=True, methods=["post"])
    def approve(self, request: Any, pk: Any = None) -> Response:
        note = self.validated(ColumnNoteSerializer).get("note", "")
        return self._step(request, services.article_approve, note=note)

    @extend_schema(request=ColumnNoteSerializer, summary="退回修改（上级党组织，须写明原因）")
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Any, pk: Any = None) -> Response:
        note = self.validated(ColumnNoteSerializer).get("note", "")
        return self._step(request, services.article_return, note=note)

    @extend_schema(request=ColumnNoteSerializer, summary="撤回（须写明原因）")
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Any, pk: Any = None) -> Response:
        note = self.validated(ColumnNoteSerializer).get("note", "")
        return self._step(request, services.article_withdraw, note=note)

    @extend_schema(request=ColumnPhotoInputSerializer, responses={201: ColumnFileSerializer})
    @action(detail=True, methods=["post"])
    def photos(self, request: Any, pk: Any = None) -> Response:
        article = self.get_editable_object()
        data = self.validated(ColumnPhotoInputSerializer)
        photo = services.photo_add(
            actor=request.user,
            article=article,
            file=data["file"],
            caption=data.get("caption", ""),
        )
        return Response(ColumnFileSerializer(photo).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ColumnAttachmentInputSerializer, responses={201: ColumnFileSerializer})
    @action(detail=True, methods=["post"])
    def attachments(self, request: Any, pk: Any = None) -> Response:
        article = self.get_editable_object()
        data = self.validated(ColumnAttachmentInputSerializer)
        attachment = services.attachment_add(actor=request.user, article=article, file=data["file"])
        return Response(ColumnFileSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ColumnFromSummarySerializer, summary="由年度工作总结生成稿件")
    @action(detail=False, methods=["post"], url_path="from-summary")
    def from_summary(self, request: Any) -> Response:
        data = self.validated(ColumnFromSummarySerializer)
        summary = selectors.publishable_summaries(request.user).filter(pk=data["summary"]).first()
        if summary is None:
            if not DutySummary.objects.visible_to(request.user).filter(pk=data["summary"]):
                raise serializers.ValidationError(
                    {"summary": ["所选年度工作总结不存在或不在您的管理范围内。"]}
                )
            summary = DutySummary.objects.get(pk=data["summary"])
        article = services.article_from_summary(actor=request.user, summary=summary)
        return self.respond(article, status.HTTP_201_CREATED)


# --- the public column --------------------------------------------------------------------------


class PublicColumnFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="file_name")
    url = serializers.SerializerMethodField()

    def get_url(self, obj: Any) -> str:
        kind = "photo" if isinstance(obj, ArticlePhoto) else "attachment"
        return reverse("public:column_file", args=[kind, obj.pk])


class PublicColumnPhotoSerializer(PublicColumnFileSerializer):
    caption = serializers.CharField()


class PublicColumnArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    column = serializers.CharField()
    column_label = ChoiceLabel("column")
    year = serializers.IntegerField()
    title = serializers.CharField()
    excerpt = serializers.CharField()
    organisation = serializers.CharField(source="organisation.name")
    organisation_code = serializers.CharField(source="organisation.code")
    published_at = serializers.DateTimeField()


class PublicColumnArticleDetailSerializer(PublicColumnArticleSerializer):
    body = serializers.CharField()
    photos = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    def get_photos(self, obj: Article) -> list[dict[str, Any]]:
        return PublicColumnPhotoSerializer(selectors.public_photos(obj), many=True).data

    def get_attachments(self, obj: Article) -> list[dict[str, Any]]:
        return PublicColumnFileSerializer(selectors.public_attachments(obj), many=True).data


class PublicColumnPagination(CursorPagination):
    ordering = ("-published_at", "-id")
    page_size = 20
    max_page_size = 100


class PublicColumnList(generics.ListAPIView):
    """工作专栏 (no login): published articles, newest first; by column and organisation."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = PublicColumnArticleSerializer
    pagination_class = PublicColumnPagination

    def get_queryset(self) -> Any:
        column = self.request.query_params.get("column", "")
        if column and column not in ColumnKind.values:
            raise serializers.ValidationError({"column": ["栏目不存在。"]})
        code = self.request.query_params.get("org", "")[:50]
        org = None
        if code:
            org = Organisation.objects.filter(code=code).only("id", "path").first()
            if org is None:
                raise serializers.ValidationError({"org": ["党组织不存在。"]})
        return selectors.public_articles(column or None, org)

    @extend_schema(
        summary="工作专栏（无需登录）",
        parameters=[
            OpenApiParameter("column", str, enum=ColumnKind.values, required=False),
            OpenApiParameter("org", str, required=False, description="党组织代码（含下级）"),
        ],
        tags=["public"],
    )
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PublicColumnDetail(generics.GenericAPIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = PublicColumnArticleDetailSerializer

    @extend_schema(summary="专栏文章（无需登录）", tags=["public"])
    def get(self, request: Any, pk: int) -> Response:
        article = selectors.public_article(pk)
        if article is None:
            raise NotFound("该文章不存在或已撤回。")
        return Response(PublicColumnArticleDetailSerializer(article).data)
