"""REST API of member development (/api/v1/): scoped exactly like the screens. Reads start from
the scoped querysets (out of scope = 404); transitions are one action per verb on a case; the
services check the rules (400 with Chinese field errors naming the rule) and the rights (403
naming the rule: the general branch's own steps need an officer above the branch)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated

from dangjian.core.api_views import ScopedViewSet
from dangjian.development import serializers as s
from dangjian.development import services
from dangjian.development.filters import CaseFilter
from dangjian.development.models import (
    Case,
    Notice,
    Objection,
    ProbationReport,
    StageDefinition,
    Vote,
)
from dangjian.org.selectors import narrowed


class CaseViewSet(mixins.ListModelMixin, ScopedViewSet):
    """发展党员档案: the branch's officers and those above act; the person reads their own."""

    model = Case
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilter

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("person", "organisation")
            .prefetch_related("cultivators", "sponsors")
        )

    @extend_schema(summary="发展党员档案列表")
    def list(self, request):
        cases = narrowed(self.get_queryset(), request.user, "organisation", "person")
        return self.paginated(self.filter_queryset(cases))

    @extend_schema(summary="发展党员档案详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=s.CaseCreateSerializer,
        responses={201: s.CaseSerializer},
        summary="建立发展党员档案（递交入党申请）",
    )
    def create(self, request):
        data = self.validated(s.CaseCreateSerializer)
        case = services.case_create(actor=request.user, **data)
        return self.respond(case, status.HTTP_201_CREATED)

    def _step(self, serializer_class, service, **extra):
        case = self.get_object()  # the service checks the right (a 403 naming the rule)
        data = self.validated(serializer_class) if serializer_class else {}
        case = service(actor=self.request.user, case=case, **data, **extra)
        return self.respond(case)

    @extend_schema(
        request=s.StepSerializer, responses=s.CaseSerializer, summary="第2步 确定为入党积极分子"
    )
    @action(detail=True, methods=["post"])
    def activist(self, request, pk=None):
        return self._step(s.StepSerializer, services.case_make_activist)

    @extend_schema(
        request=s.CandidateSerializer,
        responses=s.CaseSerializer,
        summary="第3步 确定为培养考察对象",
    )
    @action(detail=True, methods=["post"])
    def candidate(self, request, pk=None):
        return self._step(s.CandidateSerializer, services.case_make_candidate)

    @extend_schema(
        request=s.CultivateSerializer,
        responses=s.CaseSerializer,
        summary="第4步 指定培养人，开始培养考察",
    )
    @action(detail=True, methods=["post"])
    def cultivate(self, request, pk=None):
        return self._step(s.CultivateSerializer, services.case_start_cultivation)

    @extend_schema(
        request=s.TargetSerializer, responses=s.CaseSerializer, summary="第5步 确定为发展对象"
    )
    @action(detail=True, methods=["post"])
    def target(self, request, pk=None):
        return self._step(s.TargetSerializer, services.case_make_target)

    @extend_schema(
        request=s.TalkSerializer,
        responses=s.CaseSerializer,
        summary="第7步 党总支指派专人谈话（党总支办理）",
    )
    @action(detail=True, methods=["post"])
    def talk(self, request, pk=None):
        return self._step(s.TalkSerializer, services.case_record_talk)

    @extend_schema(
        request=s.StepSerializer,
        responses=s.CaseSerializer,
        summary="第8步 党总支委员会审批（党总支办理）",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(s.StepSerializer, services.case_approve)

    @extend_schema(
        request=s.StepSerializer, responses=s.CaseSerializer, summary="第10步 提出书面转正申请"
    )
    @action(detail=True, methods=["post"], url_path="apply-conversion")
    def apply_conversion(self, request, pk=None):
        return self._step(s.StepSerializer, services.case_apply_conversion)

    @extend_schema(
        request=s.ConversionStepSerializer,
        responses=s.CaseSerializer,
        summary="第10步 征求意见、支委会讨论、党总支审查",
    )
    @action(detail=True, methods=["post"], url_path="conversion-step")
    def conversion_step(self, request, pk=None):
        return self._step(s.ConversionStepSerializer, services.case_conversion_step)

    @extend_schema(
        request=s.StepSerializer,
        responses=s.CaseSerializer,
        summary="第10步 党总支审批转正（党总支办理）",
    )
    @action(detail=True, methods=["post"], url_path="approve-conversion")
    def approve_conversion(self, request, pk=None):
        return self._step(s.StepSerializer, services.case_approve_conversion)

    @extend_schema(
        request=s.ExtendSerializer, responses=s.CaseSerializer, summary="延长预备期（党总支办理）"
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._step(s.ExtendSerializer, services.case_extend)

    @extend_schema(
        request=s.CancelSerializer, responses=s.CaseSerializer, summary="终止发展或取消预备党员资格"
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._step(s.CancelSerializer, services.case_cancel)


class NoticeViewSet(mixins.ListModelMixin, ScopedViewSet):
    """公示 and their objections."""

    model = Notice
    serializer_class = s.NoticeSerializer

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("objections", queryset=Objection.objects.order_by("received_on", "id"))
            )
        )

    @extend_schema(summary="公示列表")
    def list(self, request):
        return self.paginated(self.get_queryset())

    @extend_schema(summary="公示详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=s.NoticeCreateSerializer, responses={201: s.NoticeSerializer}, summary="发布公示"
    )
    def create(self, request):
        data = self.validated(s.NoticeCreateSerializer)
        notice = services.notice_create(actor=request.user, **data)
        return self.respond(notice, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ObjectionCreateSerializer,
        responses={201: s.NoticeSerializer},
        summary="登记公示意见",
    )
    @action(detail=True, methods=["post"])
    def objections(self, request, pk=None):
        notice = self.get_object()
        data = self.validated(s.ObjectionCreateSerializer)
        services.objection_create(actor=request.user, notice=notice, **data)
        return self.respond(notice, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.ObjectionResolveSerializer,
        responses=s.NoticeSerializer,
        summary="登记公示意见的核查处理结果",
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        notice = self.get_object()
        data = self.validated(s.ObjectionResolveSerializer)
        objection = notice.objections.filter(pk=data.pop("objection")).first()
        if objection is None:
            raise NotFound()
        services.objection_resolve(actor=request.user, objection=objection, **data)
        return self.respond(notice)


class VoteViewSet(mixins.ListModelMixin, ScopedViewSet):
    """支部大会表决: a failed vote is recorded (passed = false, the rule in `failure`)."""

    model = Vote
    serializer_class = s.VoteSerializer

    @extend_schema(summary="支部大会表决列表")
    def list(self, request):
        return self.paginated(self.get_queryset())

    @extend_schema(summary="支部大会表决详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=s.VoteCreateSerializer,
        responses={201: s.VoteSerializer},
        summary="登记支部大会表决",
    )
    def create(self, request):
        data = self.validated(s.VoteCreateSerializer)
        vote = services.vote_record(actor=request.user, **data)
        return self.respond(vote, status.HTTP_201_CREATED)


class ProbationReportViewSet(mixins.ListModelMixin, ScopedViewSet):
    """预备期思想汇报."""

    model = ProbationReport
    serializer_class = s.ProbationReportSerializer

    @extend_schema(summary="预备期汇报列表")
    def list(self, request):
        return self.paginated(self.get_queryset())

    @extend_schema(summary="预备期汇报详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=s.ProbationReportCreateSerializer,
        responses={201: s.ProbationReportSerializer},
        summary="登记预备期汇报",
    )
    def create(self, request):
        data = self.validated(s.ProbationReportCreateSerializer)
        report = services.probation_report_create(actor=request.user, **data)
        return self.respond(report, status.HTTP_201_CREATED)


class StageViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The ten steps with the institution's wording (read-only)."""

    queryset = StageDefinition.objects.all()
    serializer_class = s.StageDefinitionSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None

    @extend_schema(summary="发展党员步骤")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)
