"""Pages of the Party school (党校培训): the classes, a class's sessions, attendance and exam
results, its roster in print and in Excel. Sessions and results are record types
(core.records); the class itself is an orglife training. Thin: scope, validate, one service."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangjian.core import access
from dangjian.core.audit import events_for
from dangjian.core.export import PersonalDataAudit, render_print, xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.records import Column, RecordType
from dangjian.core.scoping import get_for_user, scope_for
from dangjian.core.web import ServiceFormView, editable_or_403, officer_required
from dangjian.orglife.models import Training
from dangjian.partyschool import filters, forms, rules, selectors, services
from dangjian.partyschool.models import ClassSession, ExamResult
from dangjian.partyschool.permissions import MANAGE

HELP = (
    "《基层组织建设实施意见》§四(三)1(2)(3)：入党积极分子推荐参加党校学习，"
    "通过党校考试且合格的，方可确定为培养考察对象。"
)

SESSIONS = RecordType(
    model=ClassSession,
    namespace="partyschool",
    name="session",
    label="党校课次",
    form=forms.SessionForm,
    filterset=filters.SessionFilter,
    columns=[
        Column("上课日期", "held_on", link=True, width=12),
        Column("课程主题", "topic", width=30),
        Column("培训班", "training.title", width=30),
        Column("授课人", "teacher", width=12),
        Column("学时", "hours", width=8),
        Column("已登记出勤", "attendance_taken", width=10),
    ],
    create=services.session_create,
    update=services.session_update,
    delete=services.session_delete,
    object_kwarg="session",
    order=("-held_on", "-id"),
    select_related=("training__organisation",),
    api_fields=["attendance_taken"],
    personal_data=False,
    empty_text="还没有课次。在培训班页面“新增课次”，上课后登记出勤，出勤学员计入学时。",
    help_text="课次应在培训班起止日期之内；上课后登记，出勤学员按课次计入学时。",
)

RESULTS = RecordType(
    model=ExamResult,
    namespace="partyschool",
    name="result",
    label="党校考试成绩",
    form=forms.ResultForm,
    filterset=filters.ResultFilter,
    columns=[
        Column("学员", "person.name", link=True, width=12),
        Column("所在党组织", "person.primary_org.name", width=24),
        Column("培训班", "training.title", width=30),
        Column("考试日期", "taken_on", width=12),
        Column("成绩", "score", width=8),
        Column("合格", "passed", width=8),
    ],
    details=[
        Column("学员", "person.name"),
        Column("所在党组织", "person.primary_org.name"),
        Column("培训班", "training.title"),
        Column("考试日期", "taken_on"),
        Column("成绩", "score"),
        Column("合格分数线", "pass_mark"),
        Column("合格", "passed"),
        Column("备注", "note"),
    ],
    create=services.result_create,
    update=services.result_update,
    delete=services.result_delete,
    object_kwarg="result",
    order=("-taken_on", "-id"),
    select_related=("person__primary_org", "training"),
    api_fields=["passed", "pass_mark"],
    empty_text="还没有考试成绩。在培训班页面“登记成绩”。",
    help_text=HELP + "入党积极分子培训班考试合格的，自动记入其发展党员档案。",
)

PAGE_SIZE = 50


def _class(request: HttpRequest, pk: int) -> Training:
    return get_for_user(Training.objects.select_related("organisation"), request.user, pk=pk)


@officer_required
@require_GET
def class_list(request: HttpRequest) -> HttpResponse:
    flt = filters.ClassFilter.for_page(request, selectors.classes(request.user))
    page = request_page(request, flt.qs, order=("-starts_on", "-id"), size=PAGE_SIZE)
    return render(
        request,
        "partyschool/class_list.html",
        {
            "page": page,
            "bar": SESSIONS.filter_bar(flt, request.user),
            "base_query": flt.querystring(),
            "errors": flt.form.errors,
            "help": HELP,
            "pass_mark": selectors.pass_mark(),
            "school_kinds": selectors.SCHOOL_KINDS,
        },
    )


def _roster_context(request: HttpRequest, training: Training) -> dict[str, Any]:
    sessions, rows = selectors.roster(training)
    return {
        "training": training,
        "sessions": sessions,
        "rows": rows,
        "taken": sum(1 for s in sessions if s.attendance_taken),
        "passed": sum(1 for r in rows if r.result and r.result.passed),
        "pass_mark": selectors.pass_mark(),
        "gates": rules.gates_development(training.kind),
        "today": timezone.localdate(),
    }


@officer_required
@require_GET
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    training = _class(request, pk)
    context = _roster_context(request, training)
    context.update(
        may_manage=access.can(request.user, MANAGE, training),
        help=HELP,
        events=events_for(training),
    )
    return render(request, "partyschool/class_detail.html", context)


@officer_required
@require_GET
def class_print(request: HttpRequest, pk: int) -> HttpResponse:
    training = _class(request, pk)
    context = _roster_context(request, training)
    return render_print(
        request,
        "partyschool/class_print.html",
        context,
        label=f"{training.title}学员考勤与成绩登记表",
        rows=len(context["rows"]),
    )


EXPORT_HEADERS = [
    "序号",
    "姓名",
    "所在党组织",
    "政治面貌",
    "出勤课次",
    "出勤率（%）",
    "计入学时",
    "考试日期",
    "成绩",
    "是否合格",
]


@officer_required
@require_GET
def class_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    training = _class(request, pk)
    sessions, rows = selectors.roster(training)
    title = f"{training.title}学员考勤与成绩登记表"
    audit = PersonalDataAudit(request, title)
    content = xlsx_table(
        sheet="学员",
        title=f"{title}（共{sum(1 for s in sessions if s.attendance_taken)}个课次）",
        headers=EXPORT_HEADERS,
        rows=audit.count(
            [
                i,
                r.person.name,
                r.person.primary_org.name if r.person.primary_org else "",
                r.person.get_party_status_display(),
                r.attended,
                r.rate,
                r.hours,
                r.result.taken_on if r.result else None,
                r.result.score if r.result else None,
                ("合格" if r.result.passed else "不合格") if r.result else "未考试",
            ]
            for i, r in enumerate(rows, 1)
        ),
        widths=[6, 12, 26, 14, 10, 10, 10, 12, 8, 10],
    )
    return xlsx_response(request, content, f"{title}.xlsx", audit=audit)


class _ForClass(ServiceFormView):
    """A session or a result added from a class's page: the class is chosen."""

    record: RecordType

    def get_initial(self) -> dict[str, Any]:
        training = editable_or_403(Training.objects.all(), self.request.user, self.kwargs["pk"])
        self.training = training
        return {"training": training.pk, **self.extra_initial()}

    def extra_initial(self) -> dict[str, Any]:
        return {}

    def get_crumbs(self) -> list[tuple[str, str]]:
        return [
            (reverse("partyschool:class_list"), "党校培训"),
            (reverse("partyschool:class_detail", args=[self.kwargs["pk"]]), "培训班"),
        ]

    def get_success_url(self, result: Any) -> str:
        return reverse("partyschool:class_detail", args=[result.training_id])


class SessionCreate(_ForClass):
    form_class = forms.SessionForm
    title = "新增课次"
    help_text = SESSIONS.help_text
    success_message = "已新增课次。上课后请登记出勤，出勤学员计入学时。"

    def extra_initial(self) -> dict[str, Any]:
        return {"held_on": min(timezone.localdate(), self.training.ends_on)}

    def perform(self, data: dict[str, Any]) -> ClassSession:
        return services.session_create(actor=self.request.user, **data)


class ResultCreate(_ForClass):
    form_class = forms.ResultForm
    title = "登记考试成绩"
    help_text = RESULTS.help_text

    def extra_initial(self) -> dict[str, Any]:
        return {"taken_on": min(timezone.localdate(), self.training.ends_on)}

    def perform(self, data: dict[str, Any]) -> ExamResult:
        result = services.result_create(actor=self.request.user, **data)
        self.success_message = (
            f"已登记：{result.score}分，{'合格' if result.passed else '不合格'}。"
        )
        return result


class Attendance(ServiceFormView):
    form_class = forms.AttendanceForm
    title = "登记出勤"
    success_message = "已登记出勤，出勤学员的学时已计入。"
    form_user_kwarg = False

    def get_object(self) -> ClassSession:
        return editable_or_403(
            ClassSession.objects.select_related("training__organisation"),
            self.request.user,
            self.kwargs["pk"],
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"data": self.request.POST or None, "session": self.object}

    def get_title(self) -> str:
        return f"登记出勤：{self.object}"

    def get_crumbs(self) -> list[tuple[str, str]]:
        return [
            (reverse("partyschool:class_list"), "党校培训"),
            (
                reverse("partyschool:class_detail", args=[self.object.training_id]),
                self.object.training.title,
            ),
        ]

    def perform(self, data: dict[str, Any]) -> ClassSession:
        return services.attendance_record(
            actor=self.request.user, session=self.object, present=data["present"]
        )

    def get_success_url(self, result: ClassSession) -> str:
        return reverse("partyschool:class_detail", args=[result.training_id])


@login_required
@require_GET
def my_results(request: HttpRequest) -> HttpResponse:
    """A trainee's own classes and exam results (an activist or member signed in)."""
    person_id = request.user.person_id
    results = (
        ExamResult.objects.filter(person_id=person_id)
        .select_related("training__organisation")
        .order_by("-taken_on", "-id")
        if person_id
        else ExamResult.objects.none()
    )
    classes = (
        Training.objects.filter(participants=person_id)
        .select_related("organisation")
        .order_by("-starts_on", "-id")[:50]
        if person_id
        else []
    )
    return render(
        request,
        "partyschool/my_results.html",
        {
            "results": results,
            "classes": classes,
            "help": HELP,
            "is_officer": scope_for(request.user).is_officer,
        },
    )
