"""REST API of target management and the six-step work method (/api/v1/).

Scoped exactly like the screens: officers read and change the records of their subtree (a
row out of scope is a 404); members are refused (403), except for tasks where they are the
responsible person, which they read and report progress on.
"""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from dangjian.core.api_views import OfficersOnly, OfficersWrite, ScopedViewSet
from dangjian.core.parsers import JSONParser
from dangjian.targets import filters, rules, selectors, services
from dangjian.targets import serializers as s
from dangjian.targets.models import (
    AnnualPlan,
    Decision,
    Evaluation,
    LongTermGoal,
    Opinion,
    Task,
    WorkItem,
)


class RecordViewSet(ScopedViewSet):
    """list / retrieve / create / partial update through the app's services."""

    permission_classes = [IsAuthenticated, OfficersOnly]
    related: tuple[str, ...] = ()
    create_serializer: type
    update_serializer: type
    create_service = None
    update_service = None
    update_kw = ""

    def get_queryset(self):
        return super().get_queryset().select_related(*self.related)

    def list(self, request):
        return self.paginated(self.filter_queryset(self.get_queryset()))

    def create(self, request):
        data = self.validated(self.create_serializer)
        obj = type(self).create_service(actor=request.user, **data)
        return self.respond(obj, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        obj = self.get_editable_object()
        data = self.validated(self.update_serializer, instance=obj, partial=True)
        obj = type(self).update_service(actor=request.user, **{self.update_kw: obj}, **data)
        return self.respond(obj)


def _schema(label, output, create, update):
    return extend_schema_view(
        list=extend_schema(summary=f"{label}列表"),
        retrieve=extend_schema(summary=f"{label}详情"),
        create=extend_schema(request=create, responses={201: output}, summary=f"新建{label}"),
        partial_update=extend_schema(request=update, responses=output, summary=f"修改{label}"),
    )


@_schema(
    "长期目标",
    s.GoalSerializer,
    s.GoalCreateSerializer,
    s.GoalUpdateSerializer,
)
class GoalViewSet(RecordViewSet):
    model = LongTermGoal
    serializer_class = s.GoalSerializer
    related = ("organisation",)
    create_serializer = s.GoalCreateSerializer
    update_serializer = s.GoalUpdateSerializer
    filterset_class = filters.GoalFilter
    create_service = staticmethod(services.goal_create)
    update_service = staticmethod(services.goal_update)
    update_kw = "goal"

    @extend_schema(
        request=s.GoalAchieveSerializer, responses=s.GoalSerializer, summary="标记长期目标已实现"
    )
    @action(detail=True, methods=["post"])
    def achieve(self, request, pk=None):
        goal = self.get_editable_object()
        data = self.validated(s.GoalAchieveSerializer)
        return self.respond(services.goal_mark_achieved(actor=request.user, goal=goal, **data))


@_schema(
    "年度计划",
    s.PlanSerializer,
    s.PlanCreateSerializer,
    s.PlanUpdateSerializer,
)
class PlanViewSet(RecordViewSet):
    model = AnnualPlan
    serializer_class = s.PlanSerializer
    related = ("organisation",)
    create_serializer = s.PlanCreateSerializer
    update_serializer = s.PlanUpdateSerializer
    filterset_class = filters.PlanFilter
    create_service = staticmethod(services.plan_create)
    update_service = staticmethod(services.plan_update)
    update_kw = "plan"


@_schema(
    "工作事项",
    s.WorkItemSerializer,
    s.WorkItemCreateSerializer,
    s.WorkItemUpdateSerializer,
)
class WorkItemViewSet(RecordViewSet):
    model = WorkItem
    serializer_class = s.WorkItemSerializer
    related = ("organisation",)
    create_serializer = s.WorkItemCreateSerializer
    update_serializer = s.WorkItemUpdateSerializer
    filterset_class = filters.WorkItemFilter
    create_service = staticmethod(services.workitem_create)
    update_service = staticmethod(services.workitem_update)
    update_kw = "item"

    @extend_schema(
        request=None,
        responses={200: s.WorkItemSerializer, 400: s.CloseStepErrorSerializer},
        summary="完成本步骤，进入下一步骤",
        description="本步骤所需记录不齐时返回 400，missing 列出尚缺的记录。",
    )
    @action(detail=True, methods=["post"], url_path="close-step")
    def close_step(self, request, pk=None):
        item = self.get_editable_object()
        name = rules.STEP_NAMES.get(item.step, "")
        try:
            item = services.workitem_close_step(actor=request.user, item=item)
        except ValidationError as exc:
            return Response(
                {"detail": f"不能完成“{name}”步骤", "missing": exc.messages},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return self.respond(item)


@_schema(
    "征求意见",
    s.OpinionSerializer,
    s.OpinionCreateSerializer,
    s.OpinionUpdateSerializer,
)
class OpinionViewSet(RecordViewSet):
    model = Opinion
    serializer_class = s.OpinionSerializer
    related = ("suggestion",)
    create_serializer = s.OpinionCreateSerializer
    update_serializer = s.OpinionUpdateSerializer
    filterset_class = filters.RecordFilter
    create_service = staticmethod(services.opinion_create)
    update_service = staticmethod(services.opinion_update)
    update_kw = "opinion"


@_schema(
    "议事决策",
    s.DecisionSerializer,
    s.DecisionCreateSerializer,
    s.DecisionUpdateSerializer,
)
class DecisionViewSet(OpinionViewSet):
    model = Decision
    serializer_class = s.DecisionSerializer
    related = ()
    create_serializer = s.DecisionCreateSerializer
    update_serializer = s.DecisionUpdateSerializer
    create_service = staticmethod(services.decision_create)
    update_service = staticmethod(services.decision_update)
    update_kw = "decision"


def _evaluation_update(*, actor, evaluation, **data):
    return services.evaluation_save(actor=actor, work_item=evaluation.work_item, **data)


@_schema(
    "考评奖惩",
    s.EvaluationSerializer,
    s.EvaluationCreateSerializer,
    s.EvaluationUpdateSerializer,
)
class EvaluationViewSet(OpinionViewSet):
    model = Evaluation
    serializer_class = s.EvaluationSerializer
    related = ("work_item",)
    create_serializer = s.EvaluationCreateSerializer
    update_serializer = s.EvaluationUpdateSerializer
    create_service = staticmethod(services.evaluation_save)
    update_service = staticmethod(_evaluation_update)
    update_kw = "evaluation"

    @extend_schema(
        request=s.EvaluationPublishSerializer,
        responses=s.EvaluationSerializer,
        summary="公布考评结果",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        evaluation = self.get_editable_object()
        data = self.validated(s.EvaluationPublishSerializer)
        return self.respond(
            services.evaluation_publish(actor=request.user, evaluation=evaluation, **data)
        )


@_schema(
    "分解任务",
    s.TaskSerializer,
    s.TaskCreateSerializer,
    s.TaskUpdateSerializer,
)
class TaskViewSet(RecordViewSet):
    """Tasks in scope; a member reads the tasks where they are the responsible person and
    reports progress on them."""

    model = Task
    serializer_class = s.TaskSerializer
    permission_classes = [IsAuthenticated, OfficersWrite]
    related = selectors.TASK_RELATIONS
    create_serializer = s.TaskCreateSerializer
    update_serializer = s.TaskUpdateSerializer
    filterset_class = filters.TaskFilter
    create_service = staticmethod(services.task_create)
    update_service = staticmethod(services.task_update)
    update_kw = "task"

    def get_permissions(self):
        if self.action == "progress":
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(request=s.TaskPublishSerializer, responses=s.TaskSerializer, summary="公开承诺")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        task = self.get_editable_object()
        data = self.validated(s.TaskPublishSerializer)
        return self.respond(services.task_publish(actor=request.user, task=task, **data))

    @extend_schema(
        request={
            "multipart/form-data": s.TaskProgressInputSerializer,
            "application/json": s.TaskProgressInputSerializer,
        },
        responses={201: s.TaskProgressSerializer},
        summary="报告进展（责任人或党组织书记、委员）",
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[JSONParser, MultiPartParser, FormParser],
    )
    def progress(self, request, pk=None):
        task = self.get_object()  # visible: in scope, or the user is responsible
        data = self.validated(s.TaskProgressInputSerializer)
        update = services.progress_report(actor=request.user, task=task, **data)
        return Response(
            s.TaskProgressSerializer(update, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
