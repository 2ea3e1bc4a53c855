"""REST API of 设岗定责 / 亮岗履职 (/api/v1/): scoped exactly like the screens.

Reads start from the scoped querysets (out of scope = 404); officers' writes need the row in
`editable_by` (else 403); members write their own claims, commitments and duty records; the
services check the rules (400 with Chinese field errors) and the rights (403 naming the rule).
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from dangjian.core import access
from dangjian.core import api_views as core_api
from dangjian.core.api_views import ScopedViewSet
from dangjian.posts import permissions, selectors, services
from dangjian.posts.filters import CommitmentFilter, DutyCheckFilter, DutyRecordFilter, PostFilter
from dangjian.posts.models import (
    Commitment,
    CommitmentProgress,
    DutyCheck,
    DutyRecord,
    Post,
    PostType,
)
from dangjian.posts.serializers import (
    CommitmentCreateSerializer,
    CommitmentProgressInputSerializer,
    CommitmentSerializer,
    CommitmentUpdateSerializer,
    DutyCheckSerializer,
    DutyRecordCreateSerializer,
    DutyRecordSerializer,
    DutyRecordUpdateSerializer,
    MonthlyCheckSerializer,
    PostAssignSerializer,
    PostCreateSerializer,
    PostDateSerializer,
    PostEvaluateSerializer,
    PostRolloverSerializer,
    PostSerializer,
    PostTypeCreateSerializer,
    PostTypeSerializer,
    PostTypeUpdateSerializer,
    PostUpdateSerializer,
    QuarterlyCheckSerializer,
)

MEMBER_ACTIONS = {"claim", "release", "perform"}


class PostTypeViewSet(ScopedViewSet):
    """岗位目录: the department's posts and the general branches' own posts."""

    model = PostType
    serializer_class = PostTypeSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("organisation")

    @extend_schema(summary="岗位目录")
    def list(self, request):
        return self.paginated(self.get_queryset())

    @extend_schema(summary="岗位目录详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=PostTypeCreateSerializer, responses={201: PostTypeSerializer}, summary="新增岗位"
    )
    def create(self, request):
        data = self.validated(PostTypeCreateSerializer)
        post_type = services.post_type_create(actor=request.user, **data)
        return self.respond(post_type, status.HTTP_201_CREATED)

    @extend_schema(
        request=PostTypeUpdateSerializer, responses=PostTypeSerializer, summary="修改岗位"
    )
    def partial_update(self, request, pk=None):
        post_type = self.get_editable_object()
        data = self.validated(PostTypeUpdateSerializer, partial=True)
        post_type = services.post_type_update(actor=request.user, post_type=post_type, **data)
        return self.respond(post_type)

    @extend_schema(request=None, responses=PostTypeSerializer, summary="停用岗位（不实用的岗位）")
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        post_type = self.get_editable_object()
        post_type = services.post_type_set_active(
            actor=request.user, post_type=post_type, is_active=False
        )
        return self.respond(post_type)

    @extend_schema(request=None, responses=PostTypeSerializer, summary="启用岗位")
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        post_type = self.get_editable_object()
        post_type = services.post_type_set_active(
            actor=request.user, post_type=post_type, is_active=True
        )
        return self.respond(post_type)


class PostViewSet(ScopedViewSet):
    """Posts of the user's scope, the member's own posts and the open posts they may claim."""

    model = Post
    serializer_class = PostSerializer
    filterset_class = PostFilter

    def get_permissions(self):
        if self.action in MEMBER_ACTIONS:
            return [IsAuthenticated()]
        return super().get_permissions()

    def get_queryset(self):
        return selectors.with_post_relations(selectors.reachable_posts(self.request.user))

    @extend_schema(summary="岗位列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="岗位详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=PostCreateSerializer, responses={201: PostSerializer}, summary="设岗")
    def create(self, request):
        data = self.validated(PostCreateSerializer)
        post = services.post_create(actor=request.user, **data)
        return self.respond(post, status.HTTP_201_CREATED)

    @extend_schema(request=PostUpdateSerializer, responses=PostSerializer, summary="修改岗位")
    def partial_update(self, request, pk=None):
        post = self.get_editable_object()
        data = self.validated(PostUpdateSerializer, partial=True)
        post = services.post_update(actor=request.user, post=post, **data)
        return self.respond(post)

    def _step(self, call, post, **kwargs):
        post = call(actor=self.request.user, post=post, **kwargs)
        return self.respond(post)

    @extend_schema(request=None, responses=PostSerializer, summary="认岗（本人认领）")
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        return self._step(services.post_claim, self.get_object())

    @extend_schema(
        request=PostAssignSerializer, responses=PostSerializer, summary="认岗（组织安排）"
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        post = self.get_editable_object()
        data = self.validated(PostAssignSerializer)
        return self._step(services.post_assign, post, **data)

    @extend_schema(request=None, responses=PostSerializer, summary="退岗（认岗 → 设岗）")
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        return self._step(services.post_release, self.get_object())

    @extend_schema(
        request=PostDateSerializer, responses=PostSerializer, summary="定岗（由党总支确定）"
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        post = self.get_object()
        data = self.validated(PostDateSerializer)
        return self._step(services.post_confirm, post, confirmed_on=data.get("on"))

    @extend_schema(request=PostDateSerializer, responses=PostSerializer, summary="明岗（公示）")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        post = self.get_editable_object()
        data = self.validated(PostDateSerializer)
        return self._step(services.post_publish, post, published_on=data.get("on"))

    @extend_schema(request=None, responses=PostSerializer, summary="履岗")
    @action(detail=True, methods=["post"])
    def perform(self, request, pk=None):
        return self._step(services.post_perform, self.get_object())

    @extend_schema(request=PostEvaluateSerializer, responses=PostSerializer, summary="评岗")
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        post = self.get_editable_object()
        data = self.validated(PostEvaluateSerializer)
        return self._step(services.post_evaluate, post, **data)

    @extend_schema(
        request=PostRolloverSerializer,
        responses={201: PostSerializer(many=True)},
        summary="按上年设岗（复制上一年度岗位，不带履岗人）",
    )
    @action(detail=False, methods=["post"], pagination_class=None)
    def rollover(self, request):
        data = self.validated(PostRolloverSerializer)
        created = services.post_rollover(actor=request.user, **data)
        posts = self.get_queryset().filter(pk__in=[p.pk for p in created])
        return Response(PostSerializer(posts, many=True).data, status=status.HTTP_201_CREATED)


class OwnWritesViewSet(core_api.OwnWritesViewSet):
    own_action = ""  # the posts.permissions action on the member's own row

    def get_own_object(self):
        obj = self.get_object()
        access.require(self.request.user, self.own_action, obj)
        return obj


class CommitmentViewSet(OwnWritesViewSet):
    """党员岗位责任承诺书 (one per member per year)."""

    model = Commitment
    serializer_class = CommitmentSerializer
    own_action = permissions.EDIT_COMMITMENT
    filterset_class = CommitmentFilter
    member_actions = {"create", "partial_update", "progress"}

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("person", "organisation")
            .prefetch_related(
                Prefetch("updates", queryset=CommitmentProgress.objects.order_by("-reported_on"))
            )
        )

    @extend_schema(summary="承诺书列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="承诺书详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=CommitmentCreateSerializer,
        responses={201: CommitmentSerializer},
        summary="填写本人承诺书",
    )
    def create(self, request):
        data = self.validated(CommitmentCreateSerializer)
        commitment = services.commitment_create(actor=request.user, **data)
        return self.respond(commitment, status.HTTP_201_CREATED)

    @extend_schema(
        request=CommitmentUpdateSerializer, responses=CommitmentSerializer, summary="修改本人承诺书"
    )
    def partial_update(self, request, pk=None):
        commitment = self.get_own_object()
        data = self.validated(CommitmentUpdateSerializer, partial=True)
        commitment = services.commitment_update(actor=request.user, commitment=commitment, **data)
        return self.respond(commitment)

    @extend_schema(request=PostDateSerializer, responses=CommitmentSerializer, summary="公开承诺书")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        commitment = self.get_editable_object()
        data = self.validated(PostDateSerializer)
        commitment = services.commitment_publish(
            actor=request.user,
            commitment=commitment,
            published_on=data.get("on"),
        )
        return self.respond(commitment)

    @extend_schema(
        request=CommitmentProgressInputSerializer,
        responses={201: CommitmentSerializer},
        summary="填写践诺情况",
    )
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        commitment = self.get_own_object()
        data = self.validated(CommitmentProgressInputSerializer)
        services.commitment_progress_add(actor=request.user, commitment=commitment, **data)
        return self.respond(commitment, status.HTTP_201_CREATED)


class DutyRecordViewSet(OwnWritesViewSet):
    """履职记实: members record their own; officers read their subtree."""

    model = DutyRecord
    serializer_class = DutyRecordSerializer
    own_action = permissions.EDIT_DUTY_RECORD
    filterset_class = DutyRecordFilter
    member_actions = {"create", "partial_update", "destroy"}

    def get_queryset(self):
        return super().get_queryset().select_related("person", "organisation", "post")

    @extend_schema(summary="履职记实列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="履职记实详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=DutyRecordCreateSerializer,
        responses={201: DutyRecordSerializer},
        summary="记录本人履职情况",
    )
    def create(self, request):
        data = self.validated(DutyRecordCreateSerializer)
        record = services.duty_record_create(actor=request.user, **data)
        return self.respond(record, status.HTTP_201_CREATED)

    @extend_schema(
        request=DutyRecordUpdateSerializer,
        responses=DutyRecordSerializer,
        summary="修改本人履职记实",
    )
    def partial_update(self, request, pk=None):
        record = self.get_own_object()
        data = self.validated(DutyRecordUpdateSerializer, partial=True)
        record = services.duty_record_update(actor=request.user, record=record, **data)
        return self.respond(record)

    @extend_schema(summary="删除本人未检查的履职记实")
    def destroy(self, request, pk=None):
        record = self.get_own_object()
        services.duty_record_delete(actor=request.user, record=record)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DutyCheckViewSet(ScopedViewSet):
    """党支部书记月检查 and 党委组织部季度检查, with 通报."""

    model = DutyCheck
    serializer_class = DutyCheckSerializer
    filterset_class = DutyCheckFilter

    def get_queryset(self):
        return super().get_queryset().select_related("organisation")

    @extend_schema(summary="履职检查列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="履职检查详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=MonthlyCheckSerializer, responses={201: DutyCheckSerializer}, summary="登记月检查"
    )
    def create(self, request):
        data = self.validated(MonthlyCheckSerializer)
        check = services.duty_check_monthly(actor=request.user, **data)
        return self.respond(check, status.HTTP_201_CREATED)

    @extend_schema(
        request=QuarterlyCheckSerializer,
        responses={201: DutyCheckSerializer},
        summary="登记季度检查（党委组织部）",
    )
    @action(detail=False, methods=["post"])
    def quarterly(self, request):
        access.require(request.user, permissions.CHECK_QUARTERLY)
        data = self.validated(QuarterlyCheckSerializer)
        check = services.duty_check_quarterly(actor=request.user, **data)
        return self.respond(check, status.HTTP_201_CREATED)

    @extend_schema(
        request=PostDateSerializer, responses=DutyCheckSerializer, summary="通报检查情况"
    )
    @action(detail=True, methods=["post"])
    def circulate(self, request, pk=None):
        check = self.get_editable_object()
        data = self.validated(PostDateSerializer)
        check = services.duty_check_circulate(
            actor=request.user,
            check=check,
            circulated_on=data.get("on"),
        )
        return self.respond(check)
