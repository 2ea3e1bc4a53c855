"""The API of notices: officers draft, publish and withdraw (the register's viewset with two
steps and attachments); everyone lists their notices, reads one (recording the read), confirms
a receipt and marks everything read."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from dangjian.core.api_views import ScopedViewSet
from dangjian.core.uploads import UploadSerializerField
from dangjian.notices import filters, selectors, services
from dangjian.notices.models import Notice, NoticeAttachment
from dangjian.notices.views import NOTICES


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="file_name")
    url = serializers.CharField(source="file.url")

    class Meta:
        model = NoticeAttachment
        fields = ["id", "name", "file_size", "url"]


class AttachmentInputSerializer(serializers.Serializer):
    file = UploadSerializerField(area="notices")


class NoticeViewSet(NOTICES.viewset()):  # type: ignore[misc]
    """通知公告 (officers): the register's list, create, partial update and delete, plus
    publish, withdraw and attachments."""

    @extend_schema(request=None, summary="发布通知")
    @action(detail=True, methods=["post"])
    def publish(self, request: Any, pk: Any = None) -> Response:
        notice = services.notice_publish(actor=request.user, notice=self.get_editable_object())
        return self.respond(notice)

    @extend_schema(request=None, summary="撤回通知")
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Any, pk: Any = None) -> Response:
        notice = services.notice_withdraw(actor=request.user, notice=self.get_editable_object())
        return self.respond(notice)

    @extend_schema(
        request=AttachmentInputSerializer,
        responses={201: AttachmentSerializer},
        summary="上传附件（草稿）",
    )
    @action(detail=True, methods=["post"])
    def attachments(self, request: Any, pk: Any = None) -> Response:
        notice = self.get_editable_object()
        data = self.validated(AttachmentInputSerializer)
        attachment = services.attachment_add(actor=request.user, notice=notice, file=data["file"])
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class MyNoticeSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    is_read = serializers.BooleanField()
    is_confirmed = serializers.BooleanField()
    attachments = AttachmentSerializer(many=True)

    class Meta:
        model = Notice
        fields = [
            "id",
            "title",
            "body",
            "organisation",
            "audience",
            "receipt_required",
            "deadline",
            "published_at",
            "is_read",
            "is_confirmed",
            "attachments",
        ]


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class MyNoticeViewSet(mixins.ListModelMixin, ScopedViewSet):
    """我的通知: the published notices addressed to the signed-in user. Reading one records it."""

    model = Notice
    serializer_class = MyNoticeSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = filters.MyNoticeFilter

    def get_queryset(self) -> Any:
        return selectors.my_notices(self.request.user).prefetch_related("attachments")

    @extend_schema(summary="阅读通知（记录已读）")
    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        notice = self.get_object()
        if services.notice_open(user=request.user, notice=notice) is not None:
            notice = self.get_queryset().get(pk=notice.pk)
        return Response(self.get_serializer(notice).data)

    @extend_schema(request=None, summary="确认已阅（回执）")
    @action(detail=True, methods=["post"])
    def confirm(self, request: Any, pk: Any = None) -> Response:
        notice = self.get_object()
        services.notice_confirm(user=request.user, notice=notice)
        return self.respond(notice)

    @extend_schema(request=None, responses=ReadAllSerializer, summary="全部标为已读")
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Any) -> Response:
        if not request.user.person_id:
            raise DjangoValidationError("您的账号未关联人员信息，没有通知。")
        marked = services.inbox_mark_all_read(user=request.user)
        return Response({"marked": marked})
