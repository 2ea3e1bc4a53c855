"""REST API of organisational life and education hours (/api/v1/): scoped like the screens.

Meetings, trainings, compliance and hours tables are for officers (a member gets 403 and
reads their own attendance and study records instead); rows out of scope are 404; writes
need the row in `editable_by` (else 403); the services check the rules (400, Chinese field
errors). The frequency rules are read by everyone signed in and changed by the department.
"""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from dangjian.core import api_views as core_api
from dangjian.core.api_views import ScopedViewSet
from dangjian.org.models import Organisation
from dangjian.orglife import selectors, services
from dangjian.orglife.filters import MeetingFilter, StudyRecordFilter
from dangjian.orglife.models import (
    Attendance,
    FrequencyRule,
    LeaveRequest,
    Meeting,
    MeetingFile,
    StudyRecord,
    Training,
)
from dangjian.orglife.serializers import (
    ComplianceQuerySerializer,
    FrequencyComplianceSerializer,
    FrequencyRuleSerializer,
    FrequencyRuleUpdateSerializer,
    HoursQuerySerializer,
    HoursSummarySerializer,
    LeaveDecisionSerializer,
    LeaveRequestInputSerializer,
    LeaveRequestSerializer,
    MeetingCreateSerializer,
    MeetingFileInputSerializer,
    MeetingFileSerializer,
    MeetingSerializer,
    MeetingUpdateSerializer,
    SignInSerializer,
    StudyRecordCreateSerializer,
    StudyRecordSerializer,
    TrainingCreateSerializer,
    TrainingSerializer,
    TrainingUpdateSerializer,
    attendance_rows,
)

OFFICERS_ONLY = "仅党组织书记、委员和组织部干事可以访问；党员请查看“我的组织生活”。"


class OfficersOnly(core_api.OfficersOnly):
    message = OFFICERS_ONLY


def _visible_org(user, pk) -> Organisation:
    if pk is None:
        org = selectors.default_org(user)
    else:
        org = Organisation.objects.visible_to(user).filter(pk=pk).first()
    if org is None:
        raise NotFound("党组织不存在或不在您的管理范围内")
    return org


class MeetingViewSet(ScopedViewSet):
    """组织生活: meetings with their attendance."""

    model = Meeting
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    permission_classes = [IsAuthenticated, OfficersOnly]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("organisation", "host", "recorder")
            .prefetch_related(
                # Only the name of each attendee: loading whole people decrypted every
                # ID number and phone of a page's ~1,500 attendance rows (500 ms).
                Prefetch(
                    "attendance",
                    queryset=Attendance.objects.select_related("person").only(
                        "meeting_id", "status", "role", "makeup_on", "note", "person__name"
                    ),
                )
            )
        )

    @extend_schema(summary="组织生活列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="组织生活详情（含出席情况）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=MeetingCreateSerializer, responses={201: MeetingSerializer}, summary="登记组织生活"
    )
    def create(self, request):
        data = dict(self.validated(MeetingCreateSerializer))
        attendance = attendance_rows(data)
        meeting = services.meeting_create(actor=request.user, attendance=attendance, **data)
        return self.respond(meeting, status.HTTP_201_CREATED)

    @extend_schema(
        request=MeetingUpdateSerializer, responses=MeetingSerializer, summary="修改组织生活"
    )
    def partial_update(self, request, pk=None):
        meeting = self.get_editable_object()
        data = dict(self.validated(MeetingUpdateSerializer, partial=True))
        attendance = attendance_rows(data)
        meeting = services.meeting_update(
            actor=request.user,
            meeting=meeting,
            attendance=attendance,
            **data,
        )
        return self.respond(meeting)

    @extend_schema(
        request=LeaveDecisionSerializer,
        responses=LeaveRequestSerializer,
        summary="审批请假申请（计划召开的会议）",
    )
    @action(detail=True, methods=["post"], url_path="leave-decision")
    def leave_decision(self, request, pk=None):
        meeting = self.get_editable_object()
        data = self.validated(LeaveDecisionSerializer)
        leave = LeaveRequest.objects.filter(meeting=meeting, pk=data["leave"]).first()
        if leave is None:
            raise NotFound("没有这条请假申请。")
        leave = services.leave_decide(actor=request.user, leave=leave, approve=data["approve"])
        return Response(LeaveRequestSerializer(leave).data)

    @extend_schema(
        methods=["get"],
        request=None,
        responses=MeetingFileSerializer(many=True),
        summary="会议照片和文件",
    )
    @extend_schema(
        methods=["post"],
        request={"multipart/form-data": MeetingFileInputSerializer},
        responses={201: MeetingFileSerializer},
        summary="上传会议照片或文件",
    )
    @action(detail=True, methods=["get", "post"], url_path="files")
    def files(self, request, pk=None):
        if request.method == "GET":
            meeting = self.get_object()
            return Response(MeetingFileSerializer(meeting.files.all(), many=True).data)
        meeting = self.get_editable_object()
        data = self.validated(MeetingFileInputSerializer)
        row = services.meeting_file_add(
            actor=request.user, meeting=meeting, file=data["file"], caption=data["caption"]
        )
        return Response(MeetingFileSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None}, summary="删除会议照片或文件")
    @action(detail=True, methods=["delete"], url_path=r"files/(?P<file_pk>[0-9]+)")
    def file_delete(self, request, pk=None, file_pk=None):
        meeting = self.get_editable_object()
        row = MeetingFile.objects.filter(meeting=meeting, pk=file_pk).first()
        if row is None:
            raise NotFound("没有这个文件。")
        services.meeting_file_remove(actor=request.user, meeting_file=row)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={204: None}, summary="删除组织生活")
    def destroy(self, request, pk=None):
        meeting = self.get_editable_object()
        services.meeting_delete(actor=request.user, meeting=meeting)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FrequencyRuleViewSet(mixins.ListModelMixin, ScopedViewSet):
    """组织生活频次要求: read by everyone signed in, changed by the department."""

    model = FrequencyRule
    serializer_class = FrequencyRuleSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = None

    def get_queryset(self):
        return FrequencyRule.objects.all()

    @extend_schema(summary="频次要求列表")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="频次要求详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=FrequencyRuleUpdateSerializer,
        responses=FrequencyRuleSerializer,
        summary="修改频次要求（组织部）",
    )
    def partial_update(self, request, pk=None):
        rule = self.get_object()
        data = self.validated(FrequencyRuleUpdateSerializer, partial=True)
        rule = services.rule_update(actor=request.user, rule=rule, **data)
        return self.respond(rule)


class ComplianceViewSet(viewsets.ViewSet):
    """频次落实情况 of one organisation and a summary of those below it."""

    permission_classes = [IsAuthenticated, OfficersOnly]

    @extend_schema(
        parameters=[ComplianceQuerySerializer],
        responses=FrequencyComplianceSerializer,
        summary="组织生活频次落实情况",
    )
    def list(self, request):
        query = ComplianceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        root = _visible_org(request.user, params.get("organisation"))
        today = timezone.localdate()
        on = params.get("date") or today
        own, below = selectors.compliance_tree(root, on, today, params.get("period") or "")
        data = FrequencyComplianceSerializer({"date": on, "organisation": own, "below": below}).data
        return Response(data)


class TrainingViewSet(ScopedViewSet):
    """培训与学习: trainings and study sessions; participants' hours follow."""

    model = Training
    serializer_class = TrainingSerializer
    permission_classes = [IsAuthenticated, OfficersOnly]

    def get_queryset(self):
        return (
            super().get_queryset().select_related("organisation").prefetch_related("participants")
        )

    @extend_schema(summary="培训列表")
    def list(self, request):
        return self.paginated(self.get_queryset())

    @extend_schema(summary="培训详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=TrainingCreateSerializer, responses={201: TrainingSerializer}, summary="登记培训"
    )
    def create(self, request):
        data = self.validated(TrainingCreateSerializer)
        training = services.training_create(actor=request.user, **data)
        return self.respond(training, status.HTTP_201_CREATED)

    @extend_schema(
        request=TrainingUpdateSerializer, responses=TrainingSerializer, summary="修改培训"
    )
    def partial_update(self, request, pk=None):
        training = self.get_editable_object()
        data = self.validated(TrainingUpdateSerializer, partial=True)
        training = services.training_update(actor=request.user, training=training, **data)
        return self.respond(training)

    @extend_schema(request=None, responses={204: None}, summary="删除培训")
    def destroy(self, request, pk=None):
        training = self.get_editable_object()
        services.training_delete(actor=request.user, training=training)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StudyRecordViewSet(ScopedViewSet):
    """学习学时: officers read their scope, a member their own records."""

    model = StudyRecord
    serializer_class = StudyRecordSerializer
    filterset_class = StudyRecordFilter

    def get_queryset(self):
        return super().get_queryset().select_related("person")

    @extend_schema(summary="学时记录列表")
    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    @extend_schema(summary="学时记录详情")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        request=StudyRecordCreateSerializer,
        responses={201: StudyRecordSerializer},
        summary="登记个人学时（如网络学院课程）",
    )
    def create(self, request):
        data = self.validated(StudyRecordCreateSerializer)
        record = services.study_record_create(actor=request.user, **data)
        return self.respond(record, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None}, summary="删除个人学时")
    def destroy(self, request, pk=None):
        record = self.get_editable_object()
        services.study_record_delete(actor=request.user, record=record)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HoursSummaryViewSet(viewsets.ViewSet):
    """学时统计: each member of an organisation's subtree against the yearly requirement."""

    permission_classes = [IsAuthenticated, OfficersOnly]

    @extend_schema(
        parameters=[HoursQuerySerializer],
        responses=HoursSummarySerializer,
        summary="党员教育学时统计",
    )
    def list(self, request):
        query = HoursQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        org = _visible_org(request.user, params.get("organisation"))
        year = params.get("year") or timezone.localdate().year
        rows = selectors.hours_table(org, year)
        return Response(
            HoursSummarySerializer({"organisation": org.pk, "year": year, "rows": rows}).data
        )


class MyMeetingViewSet(viewsets.ViewSet):
    """A member's own steps on a planned meeting: ask for leave, sign in with the QR token."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=LeaveRequestInputSerializer,
        responses={201: LeaveRequestSerializer},
        summary="请假（本人，会议开始前）",
    )
    @action(detail=False, methods=["post"])
    def leave(self, request):
        data = LeaveRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = Meeting.objects.filter(
            pk=data.validated_data["meeting"], attendance__person_id=request.user.person_id
        ).first()
        if meeting is None:
            raise NotFound("没有这次会议，或您不在参会名单中。")
        leave = services.leave_request(
            actor=request.user, meeting=meeting, reason=data.validated_data["reason"]
        )
        return Response(LeaveRequestSerializer(leave).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SignInSerializer, responses={200: None}, summary="扫码签到（本人）")
    @action(detail=False, methods=["post"])
    def signin(self, request):
        data = SignInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.sign_in(actor=request.user, token=data.validated_data["token"])
        return Response({"meeting": row.meeting_id, "status": row.status})
