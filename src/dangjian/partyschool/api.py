"""The Party school's API: sessions and exam results are the record kit's (list, retrieve,
create, partial update, delete, the pages' filters), a session's attendance is a POST validated
by the page's form, and a class's roster (attendance, hours, exam) is read per class."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from dangjian.core.api_views import OfficersOnly, ScopedViewSet
from dangjian.orglife.models import Training
from dangjian.partyschool import filters, forms, selectors, services
from dangjian.partyschool.views import SESSIONS


class SessionAttendanceInput(serializers.Serializer):
    present = serializers.ListField(
        child=serializers.IntegerField(), help_text="出勤学员的人员编号（其余记为缺勤）"
    )


class SessionViewSet(SESSIONS.viewset()):  # type: ignore[misc]
    """党校课次 and their attendance."""

    @extend_schema(request=SessionAttendanceInput, responses=SESSIONS.viewset().serializer_class)
    @action(detail=True, methods=["post"])
    def attendance(self, request: Any, pk: Any = None) -> Response:
        session = self.get_editable_object()
        if not isinstance(request.data, Mapping):
            raise DjangoValidationError("请求内容应为JSON对象（字段名: 值）。")
        present = request.data.get("present", [])
        if not isinstance(present, list):
            raise DjangoValidationError({"present": "应为人员编号的列表。"})
        form = forms.AttendanceForm(data={"present": [str(p) for p in present]}, session=session)
        if not form.is_valid():
            raise DjangoValidationError(form.errors.as_data())
        session = services.attendance_record(
            actor=request.user, session=session, present=form.cleaned_data["present"]
        )
        return self.respond(session)


class ClassSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    n_participants = serializers.IntegerField(read_only=True, help_text="学员数")
    n_sessions = serializers.IntegerField(read_only=True, help_text="课次数")
    n_passed = serializers.IntegerField(read_only=True, help_text="考试合格人数")

    class Meta:
        model = Training
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "hours",
            "n_participants",
            "n_sessions",
            "n_passed",
        ]


class RosterRowSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.name")
    attended = serializers.IntegerField(help_text="出勤课次")
    rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, help_text="计入学时")
    score = serializers.DecimalField(
        source="result.score", max_digits=4, decimal_places=1, allow_null=True, default=None
    )
    passed = serializers.BooleanField(source="result.passed", allow_null=True, default=None)


class ClassViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Party-school classes (orglife trainings) with their counts; each class's roster. The
    classes themselves are created and edited through /api/v1/trainings/."""

    model = Training
    serializer_class = ClassSerializer
    filterset_class = filters.ClassFilter
    permission_classes = [IsAuthenticated, OfficersOnly]

    def get_queryset(self) -> Any:
        return selectors.classes(self.request.user).order_by("-starts_on", "-id")

    @extend_schema(responses=RosterRowSerializer(many=True))
    @action(detail=True, methods=["get"])
    def roster(self, request: Any, pk: Any = None) -> Response:
        training = self.get_object()
        _sessions, rows = selectors.roster(training)
        return Response(RosterRowSerializer(rows, many=True).data)
