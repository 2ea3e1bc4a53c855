"""Screens of organisational life and education hours: meetings with attendance, the
frequency rules and compliance, the activity record book, trainings and hours, branch
secretaries' training, and the member's own pages. Thin: scope, validate, call a service."""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dangjian.core.audit import events_for
from dangjian.core.export import PersonalDataAudit, render_print, xlsx_response, xlsx_table
from dangjian.core.pagination import request_page
from dangjian.core.scoping import get_for_user, scope_for
from dangjian.core.web import editable_or_403, officer_required, submit
from dangjian.org.models import OrgKind, Person
from dangjian.orglife import forms, rules, selectors, services
from dangjian.orglife.models import (
    FrequencyRule,
    Meeting,
    MeetingKind,
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


def _refused(request, exc, back_url):
    message = exc.args[0] if exc.args else "您没有办理该事项的权限。"
    return render(
        request, "core/refused.html", {"message": message, "back_url": back_url}, status=403
    )


def _org_from_request(request, name="org"):
    """The organisation asked for (404 when out of scope), else the top of the user's scope."""
    if request.GET.get(name):
        org = selectors.visible_org(request.user, request.GET.get(name))
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
    qs, filters, org = selectors.meetings_for_list(request.user, request.GET)
    page = request_page(request, qs, order=("-held_on", "-id"), size=PAGE_SIZE)
    selectors.attach_counts(page.rows)
    return render(
        request,
        "orglife/meeting_list.html",
        {
            "page": page,
            "filters": filters,
            "org": org,
            "base_query": urlencode(filters),
            "org_choices": selectors.org_choices(request.user),
            "kinds": MeetingKind.choices,
            "this_month": _today().strftime("%Y-%m"),
        },
    )


def _meeting_form_page(request, *, organisation, meeting=None):
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
                return services.meeting_create(
                    actor=request.user, organisation=organisation, attendance=rows, **data
                )
            return services.meeting_update(
                actor=request.user, meeting=meeting, attendance=rows, **data
            )

        saved_meeting = submit(request, form, call, "已保存会议记录和出席情况。")
        if saved_meeting:
            return redirect("orglife:meeting_detail", saved_meeting.pk)
    context = {
        "form": form,
        "attendance": attendance,
        "organisation": organisation,
        "meeting": meeting,
        "statuses": forms.AttendanceRows.STATUSES,
        "title": f"编辑：{meeting}" if meeting else "登记组织生活",
        "org_choices": [] if meeting else list(selectors.editable_orgs(request.user)[:500]),
    }
    if meeting is not None:
        context["events"] = events_for(meeting)
    return render(request, "orglife/meeting_form.html", context)


@officer_required
def meeting_create(request):
    org_id = request.GET.get("org")
    orgs = selectors.editable_orgs(request.user)
    if org_id:
        organisation = orgs.filter(pk=selectors.parse_int(org_id, 0)).first()
        if organisation is None:
            if selectors.visible_org(request.user, org_id) is None:
                raise Http404
            raise PermissionDenied(services.NOT_IN_SCOPE)
    else:
        # Default: the first branch of the scope, else the top organisation.
        organisation = (
            orgs.filter(kind=OrgKind.BRANCH).order_by("path").first()
            or orgs.order_by("depth", "path").first()
        )
        if organisation is None:
            raise PermissionDenied(services.NOT_IN_SCOPE)
    return _meeting_form_page(request, organisation=organisation)


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
            "attendance": attendance,
            "summary": services.attendance_summary(attendance),
            "records": meeting.study_records.count(),
            "can_edit": Meeting.objects.editable_by(request.user).filter(pk=pk).exists(),
            "events": events_for(meeting),
        },
    )


@officer_required
def meeting_edit(request, pk):
    meeting = editable_or_403(Meeting.objects.select_related("organisation"), request.user, pk)
    return _meeting_form_page(request, organisation=meeting.organisation, meeting=meeting)


@officer_required
@require_POST
def meeting_delete(request, pk):
    meeting = editable_or_403(Meeting.objects.select_related("organisation"), request.user, pk)
    services.meeting_delete(actor=request.user, meeting=meeting)
    messages.success(request, f"已删除“{meeting}”。")
    return redirect("orglife:meeting_list")


# --- compliance ----------------------------------------------------------------------------


PERIOD_FILTERS = [("", "全部要求"), *Period.choices]


@officer_required
@require_GET
def compliance(request):
    root = _org_from_request(request, "organisation")
    on = selectors.parse_date(request.GET.get("date"), _today())
    period = request.GET.get("period", "")
    if period not in dict(Period.choices):
        period = ""
    own, below = selectors.compliance_tree(root, on, _today(), period)
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
            "classes": STATE_CLASSES,
            "org_choices": selectors.org_choices(request.user),
            "totals": {
                "overdue": sum(s.overdue for s in below),
                "due": sum(s.due for s in below),
                "done": sum(s.done for s in below),
            },
        },
    )


# --- record book ---------------------------------------------------------------------------


def _record_book(request):
    org = _org_from_request(request)
    on = selectors.parse_date(request.GET.get("date"), _today())
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
    return xlsx_response(content, f"{org.name}活动记录册{start:%Y%m}.xlsx", audit=audit)


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
        {"rules": rule_rows, "can_edit": scope_for(request.user).everything},
    )


@officer_required
def rule_edit(request, pk):
    if not scope_for(request.user).everything:
        raise PermissionDenied(services.RULES_BY_DEPARTMENT)
    rule = FrequencyRule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404
    form = forms.RuleForm(request.POST or None, instance=rule)
    if submit(
        request,
        form,
        lambda d: services.rule_update(actor=request.user, rule=rule, **d),
        "已保存频次要求。",
    ):
        return redirect("orglife:rule_list")
    return render(
        request,
        "orglife/form.html",
        {
            "form": form,
            "title": f"修改频次要求：{rule.name}",
            "crumb_label": "频次要求",
            "crumb_url": reverse("orglife:rule_list"),
            "events": events_for(rule),
        },
    )


# --- trainings and study records -----------------------------------------------------------


@officer_required
@require_GET
def training_list(request):
    qs = Training.objects.visible_to(request.user).select_related("organisation")
    kind = request.GET.get("kind", "")
    filters = {}
    if kind in dict(Training._meta.get_field("kind").choices):
        qs = qs.filter(kind=kind)
        filters["kind"] = kind
    qs = qs.annotate(participant_count=Count("participants"))
    page = request_page(request, qs, order=("-starts_on", "-id"), size=PAGE_SIZE)
    return render(
        request,
        "orglife/training_list.html",
        {
            "page": page,
            "filters": filters,
            "base_query": urlencode(filters),
            "kinds": Training._meta.get_field("kind").choices,
        },
    )


def _form_page(request, form, title, crumb_label, crumb_url, **extra):
    return render(
        request,
        "orglife/form.html",
        {"form": form, "title": title, "crumb_label": crumb_label, "crumb_url": crumb_url} | extra,
    )


@officer_required
def training_create(request):
    initial = {"starts_on": _today(), "ends_on": _today()}
    if request.GET.get("kind"):
        initial["kind"] = request.GET["kind"]
    form = forms.TrainingForm(request.POST or None, user=request.user, initial=initial)
    training = submit(
        request,
        form,
        lambda d: services.training_create(actor=request.user, **d),
        "已登记培训，参训人员的学时已计入。",
    )
    if training:
        return redirect("orglife:training_detail", training.pk)
    return _form_page(
        request, form, "登记培训/学习", "培训与学习", reverse("orglife:training_list")
    )


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


@officer_required
def training_edit(request, pk):
    training = editable_or_403(Training.objects.select_related("organisation"), request.user, pk)
    form = forms.TrainingForm(request.POST or None, instance=training, user=request.user)
    if submit(
        request,
        form,
        lambda d: services.training_update(actor=request.user, training=training, **d),
        "已保存，参训人员的学时已同步。",
    ):
        return redirect("orglife:training_detail", training.pk)
    return _form_page(
        request,
        form,
        f"编辑培训：{training.title}",
        "培训与学习",
        reverse("orglife:training_list"),
        events=events_for(training),
    )


@officer_required
@require_POST
def training_delete(request, pk):
    training = editable_or_403(Training.objects.select_related("organisation"), request.user, pk)
    services.training_delete(actor=request.user, training=training)
    messages.success(request, f"已删除培训“{training.title}”及其学时。")
    return redirect("orglife:training_list")


@officer_required
def study_record_create(request):
    initial = {"studied_on": _today()}
    if request.GET.get("person"):
        initial["person"] = request.GET["person"]
    form = forms.StudyRecordForm(request.POST or None, user=request.user, initial=initial)
    try:
        record = submit(
            request,
            form,
            lambda d: services.study_record_create(actor=request.user, **d),
            "已登记学时。",
        )
    except PermissionDenied as exc:
        return _refused(request, exc, reverse("orglife:hours"))
    if record:
        return redirect(reverse("orglife:hours") + f"?org={record.person.primary_org_id}")
    return _form_page(request, form, "登记个人学时", "学时统计", reverse("orglife:hours"))


@officer_required
@require_POST
def study_record_delete(request, pk):
    record = editable_or_403(StudyRecord.objects.select_related("person"), request.user, pk)
    try:
        services.study_record_delete(actor=request.user, record=record)
        messages.success(request, "已删除学时记录。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(reverse("orglife:hours") + f"?org={record.person.primary_org_id}")


def _hours(request):
    org = _org_from_request(request)
    year = selectors.parse_int(request.GET.get("year"), _today().year, 2000, 2100)
    return org, year, selectors.members_with_hours(org, year)


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
    org, year, members = _hours(request)
    only_short = request.GET.get("short") == "1"
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
            "org_choices": selectors.org_choices(request.user),
            "query": urlencode({"org": org.pk, "year": year}),
            "settings": selectors.hours_settings(),
        },
    )


@officer_required
@require_GET
def hours_xlsx(request):
    org, year, members = _hours(request)
    rows = members.order_by(*selectors.HOURS_ORDER).iterator(chunk_size=2000)
    audit = PersonalDataAudit(request, f"{org.name} {year}年党员教育学时统计")
    content = xlsx_table(
        sheet="学时统计",
        headers=HOURS_HEADERS,
        rows=audit.count(
            (_hours_row(i, selectors.hours_row(p)) for i, p in enumerate(rows, start=1))
        ),
        title=f"{org.name} {year}年党员教育学时统计",
        widths=[6, 10, 24, 10, 10, 12, 20, 10, 12],
    )
    return xlsx_response(content, f"{org.name}{year}年学时统计.xlsx", audit=audit)


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
    page = None
    if person is not None:
        qs = selectors.my_meetings(person.pk)
        page = request_page(request, qs, order=("-meeting__held_on", "-id"), size=PAGE_SIZE)
    return render(request, "orglife/my_meetings.html", {"person": person, "page": page})


@login_required
@require_GET
def my_hours(request):
    person = _me(request)
    year = selectors.parse_int(request.GET.get("year"), _today().year, 2000, 2100)
    context = {"person": person, "year": year}
    if person is not None:
        context["summary"] = selectors.person_hours(person, year)
        context["records"] = list(
            StudyRecord.objects.filter(
                person=person, studied_on__range=(date(year, 1, 1), date(year, 12, 31))
            ).order_by("-studied_on", "-id")
        )
    return render(request, "orglife/my_hours.html", context)
