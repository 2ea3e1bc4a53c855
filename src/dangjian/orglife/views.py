"""Screens of organisational life and education hours: meetings with attendance, the
frequency rules and compliance, the activity record book, trainings and hours, branch
secretaries' training, and the member's own pages. Thin: scope, validate, call a service."""

import calendar
from datetime import date, timedelta
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from dangjian.core import access
from dangjian.core.audit import events_for
from dangjian.core.export import PersonalDataAudit, render_print, xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.params import parse_date, parse_int
from dangjian.core.scoping import get_for_user
from dangjian.core.web import (
    ActionView,
    ServiceFormView,
    editable_or_403,
    officer_required,
    submit,
)
from dangjian.org.models import Organisation, OrgKind, Person
from dangjian.org.widgets import org_picker
from dangjian.orglife import forms, rules, selectors, services
from dangjian.orglife.filters import MeetingFilter, TrainingFilter
from dangjian.orglife.models import (
    Attendance,
    FrequencyRule,
    LeaveRequest,
    Meeting,
    MeetingFile,
    MeetingKind,
    MeetingState,
    Period,
    StudyRecord,
    Training,
)

PAGE_SIZE = 50
RECORD_BOOK_HEADERS = [
    "序号",
    "日期",
    "时间",
    "地点",
    "活动类型",
    "主题",
    "主持人",
    "记录人",
    "出席/应到",
    "会议记录摘要",
]
HOURS_HEADERS = [
    "序号",
    "姓名",
    "所在党支部",
    "人员类别",
    "全年学时",
    "廉政教育学时",
    "年度要求",
    "尚缺学时",
    "尚缺廉政学时",
]
STATE_CLASSES = selectors.STATE_CLASSES


def _org_from_request(request, name="org"):
    """The organisation asked for (404 when out of scope), else the top of the user's scope."""
    if request.GET.get(name):
        org = selectors.visible_org(request.user, parse_int(request.GET.get(name)))
        if org is None:
            raise Http404
        return org
    org = selectors.default_org(request.user)
    if org is None:
        raise Http404
    return org


def _today():
    return timezone.localdate()


# --- meetings ------------------------------------------------------------------------------


@officer_required
@require_GET
def meeting_list(request):
    filters = MeetingFilter.for_page(
        request, Meeting.objects.visible_to(request.user).select_related("organisation", "host")
    )
    page = request_page(request, filters.qs, order=("-held_on", "-id"), size=PAGE_SIZE)
    selectors.attach_counts(page.rows)
    org = filters.organisation("org")
    return render(
        request,
        "orglife/meeting_list.html",
        {
            "page": page,
            "filters": filters.active,
            "org": org,
            "base_query": filters.querystring(),
            "org_picker": org_picker("org", org),
            "kinds": MeetingKind.choices,
            "this_month": _today().strftime("%Y-%m"),
        },
    )


MEETING_HEADERS = [
    "日期",
    "时间",
    "时长（分钟）",
    "党组织",
    "类型",
    "主题",
    "地点",
    "主持人",
    "出席",
    "应到",
    "列席",
    "状态",
]


def _meeting_rows(meetings):
    """Rows of the export, counted per chunk so memory stays flat whatever the scope."""
    chunk: list = []

    def flush():
        for m in selectors.attach_counts(chunk):
            yield [
                m.held_on,
                f"{m.starts_at:%H:%M}-{m.ends_at:%H:%M}",
                m.duration_minutes,
                m.organisation.name,
                m.get_kind_display(),
                m.topic,
                m.place,
                m.host.name if m.host_id else "",
                m.present_count,
                m.should_count,
                m.observer_count,
                m.get_state_display(),
            ]
        chunk.clear()

    for meeting in meetings.iterator(chunk_size=2000):
        chunk.append(meeting)
        if len(chunk) == 2000:
            yield from flush()
    yield from flush()


@officer_required
@require_GET
def meeting_export(request):
    """三会一课 with the list's filters, as a workbook."""
    filters = MeetingFilter.for_page(
        request, Meeting.objects.visible_to(request.user).select_related("organisation", "host")
    )
    org = filters.organisation("org")
    title = f"组织生活记录（{org.name if org else '管理范围内全部'}）"
    audit = PersonalDataAudit(request, title)
    content = xlsx_table(
        sheet="三会一课",
        headers=MEETING_HEADERS,
        rows=audit.count(_meeting_rows(filters.qs.order_by("-held_on", "-id"))),
        title=title,
        widths=[12, 12, 8, 24, 12, 30, 16, 10, 6, 6, 6, 8],
    )
    return xlsx_response(request, content, "三会一课记录.xlsx", audit=audit)


def _meeting_form_page(request, *, organisation, meeting=None, planning=False):
    people = list(selectors.members_of(organisation))
    committee = list(selectors.committee_of(organisation).select_related("primary_org"))
    committee_ids = {p.pk for p in committee}
    people += [p for p in committee if p.pk not in {q.pk for q in people}]
    kind = (
        request.POST.get("kind")
        if request.method == "POST"
        else (meeting.kind if meeting else request.GET.get("kind", ""))
    )
    saved = {}
    if meeting is not None:
        saved = {
            row.person_id: row for row in meeting.attendance.select_related("person__primary_org")
        }
    is_post = request.method == "POST"
    form = forms.MeetingForm(
        request.POST or None,
        request.FILES or None,
        instance=meeting,
        organisation=organisation,
        planning=planning,
        initial={} if meeting else {"held_on": _today(), "place": "", "kind": kind or None},
    )
    attendance = forms.AttendanceRows(
        people,
        data=request.POST if is_post else None,
        saved=saved,
        default="present" if meeting is None else "",
        committee_ids=committee_ids,
        kind=kind or "",
    )
    if is_post:
        rows = attendance.cleaned()
        for message in attendance.errors:
            form.add_error(None, message)

        def call(data):
            if meeting is None:
                if planning:
                    data["state"] = MeetingState.PLANNED
                return services.meeting_create(
                    actor=request.user,
                    organisation=organisation,
                    attendance=None if planning else rows,
                    **data,
                )
            # while still planned the list is kept as sign-in and leave left it
            keep = data.get("state", meeting.state) == MeetingState.PLANNED
            return services.meeting_update(
                actor=request.user, meeting=meeting, attendance=None if keep else rows, **data
            )

        saved_meeting = submit(
            request,
            form,
            call,
            "已安排会议，参会党员将收到提醒。" if planning else "已保存会议记录和出席情况。",
        )
        if saved_meeting:
            return redirect("orglife:meeting_detail", saved_meeting.pk)
    context = {
        "form": form,
        "attendance": attendance,
        "organisation": organisation,
        "meeting": meeting,
        "statuses": forms.AttendanceRows.STATUSES,
        "title": f"编辑：{meeting}" if meeting else ("安排会议" if planning else "登记组织生活"),
        "planning": planning,
        "org_choices": [] if meeting else list(selectors.editable_orgs(request.user)[:500]),
    }
    if meeting is not None:
        context["events"] = events_for(meeting)
    return render(request, "orglife/meeting_form.html", context)


@officer_required
def meeting_plan(request):
    """安排会议: a meeting planned ahead, its members told and able to ask for leave."""
    return meeting_create(request, planning=True)


@officer_required
def meeting_create(request, planning=False):
    org_id = request.GET.get("org")
    orgs = selectors.editable_orgs(request.user)
    if org_id:
        organisation = orgs.filter(pk=parse_int(org_id, 0)).first()
        if organisation is None:
            if selectors.visible_org(request.user, parse_int(org_id)) is None:
                raise Http404
            raise PermissionDenied(access.refusal("orglife.record"))
    else:
        # Default: the first branch of the scope, else the top organisation.
        organisation = (
            orgs.filter(kind=OrgKind.BRANCH).order_by("path").first()
            or orgs.order_by("depth", "path").first()
        )
        if organisation is None:
            raise PermissionDenied(access.refusal("orglife.record"))
    return _meeting_form_page(request, organisation=organisation, planning=planning)


def _visible_meeting(request, pk):
    return get_for_user(
        Meeting.objects.select_related("organisation", "host", "recorder"), request.user, pk=pk
    )


@officer_required
@require_GET
def meeting_detail(request, pk):
    meeting = _visible_meeting(request, pk)
    attendance = selectors.meeting_detail(meeting)
    return render(
        request,
        "orglife/meeting_detail.html",
        {
            "meeting": meeting,
            "planned": meeting.state == MeetingState.PLANNED,
            "leaves": selectors.leave_requests(meeting),
            "attendance": attendance,
            "summary": (
                selectors.signin_summary(attendance)
                if meeting.state == MeetingState.PLANNED
                else services.attendance_summary(attendance)
            ),
            "records": meeting.study_records.count(),
            "files": list(meeting.files.all()),
            "max_files": settings.ORGLIFE_MEETING_MAX_FILES,
            "file_form": forms.MeetingFileForm(),
            "can_edit": Meeting.objects.editable_by(request.user).filter(pk=pk).exists(),
            "events": events_for(meeting),
        },
    )


@officer_required
def meeting_edit(request, pk):
    meeting = editable_or_403(Meeting.objects.select_related("organisation"), request.user, pk)
    return _meeting_form_page(request, organisation=meeting.organisation, meeting=meeting)


class MeetingDelete(ActionView):
    def get_object(self) -> Meeting:
        return editable_or_403(
            Meeting.objects.select_related("organisation"), self.request.user, self.kwargs["pk"]
        )

    def perform(self, obj: Meeting, data: dict) -> None:
        services.meeting_delete(actor=self.request.user, meeting=obj)
        self.success_message = f"已删除“{obj}”。"

    def get_success_url(self, obj: Meeting) -> str:
        return reverse("orglife:meeting_list")


class MeetingFileAdd(ServiceFormView):
    """Add one photo or file to a meeting (the detail page's form posts here; a refused file
    comes back on this page with what was typed)."""

    form_class = forms.MeetingFileForm
    form_user_kwarg = False
    multipart = True
    show_events = False
    title = "上传会议照片或文件"
    submit_label = "上传"
    success_message = "已上传。"

    def get_object(self) -> None:
        self.meeting = editable_or_403(
            Meeting.objects.select_related("organisation"), self.request.user, self.kwargs["pk"]
        )
        return None

    def get_crumbs(self) -> list[tuple[str, str]]:
        return [
            (reverse("orglife:meeting_list"), "组织生活"),
            (reverse("orglife:meeting_detail", args=[self.meeting.pk]), self.meeting.topic),
        ]

    def perform(self, data: dict) -> MeetingFile:
        return services.meeting_file_add(
            actor=self.request.user,
            meeting=self.meeting,
            file=data["file"],
            caption=data.get("caption", ""),
        )

    def get_success_url(self, result: MeetingFile) -> str:
        return reverse("orglife:meeting_detail", args=[self.meeting.pk]) + "#meeting-files"


class MeetingFileRemove(ActionView):
    success_message = "已删除。"

    def get_object(self) -> MeetingFile:
        return editable_or_403(
            MeetingFile.objects.select_related("meeting"), self.request.user, self.kwargs["pk"]
        )

    def perform(self, obj: MeetingFile, data: dict) -> None:
        services.meeting_file_remove(actor=self.request.user, meeting_file=obj)

    def get_success_url(self, obj: MeetingFile) -> str:
        return reverse("orglife:meeting_detail", args=[obj.meeting_id]) + "#meeting-files"


# --- compliance ----------------------------------------------------------------------------


PERIOD_FILTERS = [("", "全部要求"), *Period.choices]


def _compliance(request):
    """The compliance roll-up the page and its export show: the root's own rules and, below, each
    organisation's states — only those needing attention (未完成 or 进行中) with `attention=1`."""
    root = _org_from_request(request, "organisation")
    on = parse_date(request.GET.get("date"), _today())
    period = request.GET.get("period", "")
    if period not in dict(Period.choices):
        period = ""
    own, below = selectors.compliance_tree(root, on, _today(), period)
    attention = request.GET.get("attention") == "1"
    if attention:
        below = [s for s in below if s.worst in (rules.OVERDUE, rules.DUE)]
    return root, on, period, attention, own, below


@officer_required
@require_GET
def compliance(request):
    root, on, period, attention, own, below = _compliance(request)
    query = {"organisation": root.pk, "period": period, "date": on.isoformat()}
    return render(
        request,
        "orglife/compliance.html",
        {
            "root": root,
            "own": own,
            "below": below,
            "on": on,
            "period": period,
            "periods": PERIOD_FILTERS,
            "attention": attention,
            "export_query": urlencode({**query, **({"attention": 1} if attention else {})}),
            "classes": STATE_CLASSES,
            "org_picker": org_picker("organisation", root),
            "totals": {
                "overdue": sum(s.overdue for s in below),
                "due": sum(s.due for s in below),
                "done": sum(s.done for s in below),
            },
        },
    )


COMPLIANCE_HEADERS = [
    "序号",
    "党组织",
    "上级党组织",
    "类别",
    "未完成",
    "进行中",
    "已完成",
    "需关注",
]


def _compliance_row(index: int, status, parents: dict[str, str]) -> list:
    org = status.org
    kind = org.get_kind_display() + (f"·{org.get_category_display()}" if org.category else "")
    attention = "；".join(
        f"{row.rule.name}：{row.message}"
        for row in status.rows
        if row.result.state in (rules.OVERDUE, rules.DUE)
    )
    parent = parents.get(org.path[: -Organisation.steplen], "")
    return [index, org.name, parent, kind, status.overdue, status.due, status.done, attention]


@officer_required
@require_GET
def compliance_xlsx(request):
    """The roll-up as a workbook for the upward report; no personal data, so no audit row."""
    root, on, period, attention, own, below = _compliance(request)
    parents = {s.org.path: s.org.name for s in below} | {root.path: root.name}
    label = "（需关注）" if attention else ""
    title = f"{root.name} 组织生活频次落实情况{label}（{on:%Y-%m-%d}所在周期）"
    content = xlsx_table(
        sheet="组织生活落实",
        headers=COMPLIANCE_HEADERS,
        rows=(_compliance_row(i, s, parents) for i, s in enumerate(below, start=1)),
        title=title,
        widths=[6, 30, 24, 14, 8, 8, 8, 60],
    )
    return xlsx_response(request, content, f"{root.name}组织生活落实{label}{on:%Y%m%d}.xlsx")


# --- record book ---------------------------------------------------------------------------


def _record_book(request):
    org = _org_from_request(request)
    on = parse_date(request.GET.get("date"), _today())
    start, end = selectors.bounds(rules.SEMESTER, on)
    return org, start, end, selectors.record_book(org, start, end)


def _book_row(index, m):
    return [
        index,
        m.held_on,
        f"{m.starts_at:%H:%M}-{m.ends_at:%H:%M}",
        m.place,
        m.get_kind_display(),
        m.topic,
        m.host.name if m.host else "",
        m.recorder.name if m.recorder else "",
        f"{m.present_count}/{m.should_count}",
        (m.minutes[:200] + "…") if len(m.minutes) > 200 else m.minutes,
    ]


@officer_required
@require_GET
def record_book(request):
    org, start, end, meetings = _record_book(request)
    rows = [_book_row(i, m) for i, m in enumerate(meetings, start=1)]
    return render_print(
        request,
        "orglife/record_book.html",
        {
            "org": org,
            "start": start,
            "end": end,
            "headers": RECORD_BOOK_HEADERS,
            "rows": rows,
            "query": urlencode({"org": org.pk, "date": start.isoformat()}),
        },
        label=f"{org.name}党支部活动记录册（{start:%Y-%m-%d}至{end:%Y-%m-%d}）",
        rows=len(rows),
    )


@officer_required
@require_GET
def record_book_xlsx(request):
    org, start, end, meetings = _record_book(request)
    title = f"{org.name}党支部活动记录册（{start:%Y-%m-%d}至{end:%Y-%m-%d}）"
    audit = PersonalDataAudit(request, title)
    content = xlsx_table(
        sheet="活动记录册",
        headers=RECORD_BOOK_HEADERS,
        rows=audit.count((_book_row(i, m) for i, m in enumerate(meetings, start=1))),
        title=title,
        widths=[6, 12, 12, 16, 12, 30, 10, 10, 10, 60],
    )
    return xlsx_response(request, content, f"{org.name}活动记录册{start:%Y%m}.xlsx", audit=audit)


# --- frequency rules -----------------------------------------------------------------------


@officer_required
@require_GET
def rule_list(request):
    rule_rows = list(FrequencyRule.objects.all())
    kind_labels = dict(MeetingKind.choices)
    for rule in rule_rows:
        rule.kind_labels = "、".join(kind_labels.get(k, k) for k in rule.kinds)
    return render(
        request,
        "orglife/rule_list.html",
        {"rules": rule_rows, "can_edit": access.can(request.user, "orglife.edit_rules")},
    )


class RuleEdit(ServiceFormView):
    form_class = forms.RuleForm
    form_user_kwarg = False
    access_action = "orglife.edit_rules"
    success_message = "已保存频次要求。"

    def get_object(self) -> FrequencyRule:
        return get_object_or_404(FrequencyRule, pk=self.kwargs["pk"])

    def get_title(self) -> str:
        return f"修改频次要求：{self.object.name}"

    def get_crumbs(self) -> list[tuple[str, str]]:
        return [(reverse("orglife:rule_list"), "频次要求")]

    def perform(self, data: dict) -> FrequencyRule:
        return services.rule_update(actor=self.request.user, rule=self.object, **data)

    def get_success_url(self, result: FrequencyRule) -> str:
        return reverse("orglife:rule_list")


# --- trainings and study records -----------------------------------------------------------


@officer_required
@require_GET
def training_list(request):
    filters = TrainingFilter.for_page(
        request, Training.objects.visible_to(request.user).select_related("organisation")
    )
    qs = filters.qs.annotate(participant_count=Count("participants"))
    page = request_page(request, qs, order=("-starts_on", "-id"), size=PAGE_SIZE)
    return render(
        request,
        "orglife/training_list.html",
        {
            "page": page,
            "filters": filters.active,
            "base_query": filters.querystring(),
            "kinds": Training._meta.get_field("kind").choices,
        },
    )


class TrainingForm(ServiceFormView):
    """登记培训/学习 and its edit page; participants' hours follow (services)."""

    form_class = forms.TrainingForm

    def get_object(self) -> Training | None:
        if "pk" not in self.kwargs:
            return None
        return editable_or_403(
            Training.objects.select_related("organisation"), self.request.user, self.kwargs["pk"]
        )

    def get_initial(self) -> dict:
        initial = {"starts_on": _today(), "ends_on": _today()}
        if self.request.GET.get("kind"):
            initial["kind"] = self.request.GET["kind"]
        return initial

    def get_title(self) -> str:
        return f"编辑培训：{self.object.title}" if self.object else "登记培训/学习"

    def get_crumbs(self) -> list[tuple[str, str]]:
        return [(reverse("orglife:training_list"), "培训与学习")]

    def perform(self, data: dict) -> Training:
        if self.object is None:
            self.success_message = "已登记培训，参训人员的学时已计入。"
            return services.training_create(actor=self.request.user, **data)
        self.success_message = "已保存，参训人员的学时已同步。"
        return services.training_update(actor=self.request.user, training=self.object, **data)

    def get_success_url(self, result: Training) -> str:
        return reverse("orglife:training_detail", args=[result.pk])


@officer_required
@require_GET
def training_detail(request, pk):
    training = get_for_user(Training.objects.select_related("organisation"), request.user, pk=pk)
    return render(
        request,
        "orglife/training_detail.html",
        {
            "training": training,
            "participants": training.participants.select_related("primary_org").order_by(
                "primary_org__path", "name"
            ),
            "can_edit": Training.objects.editable_by(request.user).filter(pk=pk).exists(),
            "events": events_for(training),
        },
    )


class TrainingDelete(ActionView):
    def get_object(self) -> Training:
        return editable_or_403(
            Training.objects.select_related("organisation"), self.request.user, self.kwargs["pk"]
        )

    def perform(self, obj: Training, data: dict) -> None:
        services.training_delete(actor=self.request.user, training=obj)
        self.success_message = f"已删除培训“{obj.title}”及其学时。"

    def get_success_url(self, obj: Training) -> str:
        return reverse("orglife:training_list")


class StudyRecordCreate(ServiceFormView):
    form_class = forms.StudyRecordForm
    title = "登记个人学时"
    success_message = "已登记学时。"

    def get_initial(self) -> dict:
        initial = {"studied_on": _today()}
        if self.request.GET.get("person"):
            initial["person"] = self.request.GET["person"]
        return initial

    def get_crumbs(self) -> list[tuple[str, str]]:
        return [(reverse("orglife:hours"), "学时统计")]

    def perform(self, data: dict) -> StudyRecord:
        return services.study_record_create(actor=self.request.user, **data)

    def get_success_url(self, result: StudyRecord) -> str:
        return reverse("orglife:hours") + f"?org={result.person.primary_org_id}"


class StudyRecordDelete(ActionView):
    success_message = "已删除学时记录。"

    def get_object(self) -> StudyRecord:
        return editable_or_403(
            StudyRecord.objects.select_related("person"), self.request.user, self.kwargs["pk"]
        )

    def perform(self, obj: StudyRecord, data: dict) -> None:
        services.study_record_delete(actor=self.request.user, record=obj)

    def get_success_url(self, obj: StudyRecord) -> str:
        return reverse("orglife:hours") + f"?org={obj.person.primary_org_id}"


def _hours(request):
    org = _org_from_request(request)
    year = parse_int(request.GET.get("year"), _today().year, 2000, 2100)
    return org, year, selectors.members_with_hours(org, year), request.GET.get("short") == "1"


def _hours_row(index, row):
    def num(value):
        return float(value)

    return [
        index,
        row.person.name,
        row.person.primary_org.name if row.person.primary_org_id else "",
        row.person.get_category_display(),
        num(row.total),
        num(row.integrity),
        row.requirement.label if row.requirement else "不作要求",
        num(row.shortfall.total),
        num(row.shortfall.integrity),
    ]


@officer_required
@require_GET
def hours(request):
    org, year, members, only_short = _hours(request)
    short = members.filter(selectors.short_of_hours_q())
    page = request_page(
        request, short if only_short else members, order=selectors.HOURS_ORDER, size=100
    )
    query = {"org": org.pk, "year": year, **({"short": 1} if only_short else {})}
    return render(
        request,
        "orglife/hours.html",
        {
            "org": org,
            "year": year,
            "page": page,
            "rows": [selectors.hours_row(p) for p in page.rows],
            "only_short": only_short,
            "short": short.count(),
            "base_query": urlencode(query),
            "org_picker": org_picker("org", org),
            "settings": selectors.hours_settings(),
        },
    )


@officer_required
@require_GET
def hours_xlsx(request):
    org, year, members, only_short = _hours(request)
    if only_short:
        members = members.filter(selectors.short_of_hours_q())
    rows = members.order_by(*selectors.HOURS_ORDER).iterator(chunk_size=2000)
    label = "（未达标）" if only_short else ""
    audit = PersonalDataAudit(request, f"{org.name} {year}年党员教育学时统计{label}")
    content = xlsx_table(
        sheet="学时统计",
        headers=HOURS_HEADERS,
        rows=audit.count(
            (_hours_row(i, selectors.hours_row(p)) for i, p in enumerate(rows, start=1))
        ),
        title=f"{org.name} {year}年党员教育学时统计{label}",
        widths=[6, 10, 24, 10, 10, 12, 20, 10, 12],
    )
    return xlsx_response(request, content, f"{org.name}{year}年学时统计{label}.xlsx", audit=audit)


@officer_required
@require_GET
def secretary_training(request):
    today = _today()
    checks = selectors.secretary_checks(
        selectors.secretary_positions(selectors.scope_paths(request.user), today), today
    )
    return render(
        request,
        "orglife/secretary_training.html",
        {"checks": checks, "classes": STATE_CLASSES, "today": today},
    )


# --- the member's own pages ----------------------------------------------------------------


def _me(request):
    if not request.user.person_id:
        return None
    return Person.objects.select_related("primary_org").filter(pk=request.user.person_id).first()


@login_required
@require_GET
def my_meetings(request):
    person = _me(request)
    page = planned = None
    if person is not None:
        qs = selectors.my_meetings(person.pk)
        page = request_page(request, qs, order=("-meeting__held_on", "-id"), size=PAGE_SIZE)
        if not request.GET.get("after"):
            planned = selectors.my_planned(person.pk, _today())
    return render(
        request,
        "orglife/my_meetings.html",
        {"person": person, "page": page, "planned": planned},
    )


@login_required
@require_GET
def my_hours(request):
    person = _me(request)
    year = parse_int(request.GET.get("year"), _today().year, 2000, 2100)
    context = {"person": person, "year": year}
    if person is not None:
        context["summary"] = selectors.person_hours(person, year)
        context["records"] = list(
            StudyRecord.objects.filter(
                person=person, studied_on__range=(date(year, 1, 1), date(year, 12, 31))
            ).order_by("-studied_on", "-id")
        )
    return render(request, "orglife/my_hours.html", context)


# --- planned meetings: the member's page, leave, sign-in, calendar -------------------------


@login_required
def my_meeting(request, pk):
    """A planned (or held) meeting as one of its attendees sees it, with 请假 while planned."""
    person = _me(request)
    if person is None:
        raise Http404
    row = get_object_or_404(
        Attendance.objects.select_related("meeting__organisation", "meeting__host"),
        meeting_id=pk,
        person_id=person.pk,
    )
    meeting = row.meeting
    leave = LeaveRequest.objects.filter(meeting=meeting, person=person).first()
    form = forms.LeaveRequestForm(request.POST or None)
    if request.method == "POST":

        def call(data):
            return services.leave_request(
                actor=request.user, meeting=meeting, reason=data["reason"]
            )

        if submit(request, form, call, "已提交请假申请，请等待党支部书记审批。"):
            return redirect("orglife:my_meeting", pk)
    may_ask = meeting.state == MeetingState.PLANNED and row.role == "member"
    return render(
        request,
        "orglife/my_meeting.html",
        {
            "meeting": meeting,
            "row": row,
            "leave": leave,
            "form": form,
            "may_ask": may_ask and (leave is None or leave.status == "refused"),
            "opens_minutes": settings.ORGLIFE_SIGNIN_OPENS_MINUTES,
        },
    )


class LeaveDecide(ActionView):
    """The secretary approves (→ 请假) or refuses a leave request on the meeting page."""

    def get_object(self) -> LeaveRequest:
        meeting = editable_or_403(
            Meeting.objects.select_related("organisation"), self.request.user, self.kwargs["pk"]
        )
        return get_object_or_404(
            LeaveRequest.objects.select_related("person"),
            meeting=meeting,
            pk=self.kwargs["leave_pk"],
        )

    def perform(self, obj: LeaveRequest, data: dict) -> None:
        approve = self.request.POST.get("decision") == "approve"
        services.leave_decide(actor=self.request.user, leave=obj, approve=approve)
        self.success_message = f"已{'批准' if approve else '不批准'}{obj.person.name}的请假。"

    def get_success_url(self, obj: LeaveRequest) -> str:
        return reverse("orglife:meeting_detail", args=[obj.meeting_id])


def _signin_qr_context(request, meeting: Meeting) -> dict:
    """A fresh code for the meeting (or the reason there is none), as the QR page shows it."""
    opens, closes = services.signin_window(meeting)
    context = {
        "meeting": meeting,
        "opens": opens,
        "closes": closes,
        "rotate_seconds": settings.ORGLIFE_SIGNIN_ROTATE_SECONDS,
        "grace_seconds": settings.ORGLIFE_SIGNIN_GRACE_SECONDS,
    }
    try:
        token = services.signin_token_issue(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        context["refusal"] = " ".join(exc.messages)
    else:
        url = request.build_absolute_uri(reverse("orglife:signin", args=[token]))
        context |= {
            "url": url,
            "qr_svg": segno.make(url, error="m").svg_inline(scale=6, border=2, omitsize=True),
        }
    return context


@officer_required
@require_GET
def signin_qr(request, pk):
    """签到二维码 on the secretary's phone: a fresh code now, then a new one every
    ORGLIFE_SIGNIN_ROTATE_SECONDS (htmx polls signin_qr_code; no script of our own)."""
    meeting = editable_or_403(Meeting.objects.select_related("organisation"), request.user, pk)
    response = render(request, "orglife/signin_qr.html", _signin_qr_context(request, meeting))
    response["Cache-Control"] = "no-store"
    return response


@officer_required
@require_GET
def signin_qr_code(request, pk):
    """The QR code alone, replaced: what the QR page's polling swaps in."""
    meeting = editable_or_403(Meeting.objects.select_related("organisation"), request.user, pk)
    response = render(request, "orglife/_signin_qr_code.html", _signin_qr_context(request, meeting))
    response["Cache-Control"] = "no-store"
    return response


@login_required
def signin(request, token):
    """The member who scanned the code confirms and is marked 出席 (refusals in plain Chinese)."""
    meeting = services.meeting_for_token(token)
    context = {"meeting": meeting}
    if meeting is None:
        context["refusal"] = "签到二维码无效或已更换，请扫描会场当前显示的二维码。"
    elif request.method == "POST":
        try:
            services.sign_in(actor=request.user, token=token)
        except (ValidationError, PermissionDenied) as exc:
            context["refusal"] = " ".join(getattr(exc, "messages", None) or [str(exc)])
        else:
            context["signed_in"] = True
    status = 200 if "refusal" not in context else 400
    return render(request, "orglife/signin.html", context, status=status)


@officer_required
@require_GET
def meeting_calendar(request):
    """The subtree's meetings of a month as a day-by-day list (phone-friendly)."""
    today = _today()
    month = request.GET.get("month", "")
    try:
        first = date.fromisoformat(f"{month}-01") if month else today.replace(day=1)
    except ValueError:
        first = today.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    org = None
    if request.GET.get("org"):
        org = selectors.visible_org(request.user, parse_int(request.GET.get("org")))
        if org is None:
            raise Http404
    meetings = selectors.calendar_month(request.user, first, last, org)
    days: dict[date, list] = {}
    for m in meetings:
        days.setdefault(m.held_on, []).append(m)
    prev_month = (first - timedelta(days=1)).strftime("%Y-%m")
    next_month = (last + timedelta(days=1)).strftime("%Y-%m")
    return render(
        request,
        "orglife/calendar.html",
        {
            "first": first,
            "days": sorted(days.items()),
            "today": today,
            "org": org,
            "prev_month": prev_month,
            "next_month": next_month,
            "count": len(meetings),
        },
    )
