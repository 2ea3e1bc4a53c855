"""Screens: scoping of every page, the meeting form with attendance radios, compliance with
its roll-up in a constant number of queries, the record book (print + XLSX), hours."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.orglife import services
from dangjian.orglife.models import Meeting, StudyRecord
from dangjian.orglife.views import (
    COMPLIANCE_HEADERS,
    HOURS_HEADERS,
    MEETING_HEADERS,
    RECORD_BOOK_HEADERS,
)
from tests.factories import make_officer, make_org, make_person
from tests.harness import assert_num_queries, assert_role_matrix, capture_queries

pytestmark = pytest.mark.django_db

OFFICER_PAGES = [
    "orglife:meeting_list",
    "orglife:meeting_export",
    "orglife:meeting_create",
    "orglife:compliance",
    "orglife:compliance_xlsx",
    "orglife:record_book",
    "orglife:record_book_xlsx",
    "orglife:rule_list",
    "orglife:training_list",
    "orglife:training_create",
    "orglife:hours",
    "orglife:hours_xlsx",
    "orglife:study_record_create",
    "orglife:secretary_training",
]
MEMBER_PAGES = ["orglife:my_meetings", "orglife:my_hours"]


@pytest.mark.parametrize("name", OFFICER_PAGES)
def test_officer_pages_scoping(world, as_role, name):
    assert_role_matrix(as_role, reverse(name), {"officer": 200, "member": 403, "anonymous": 302})


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_member_pages(world, as_role, name):
    assert_role_matrix(as_role, reverse(name), {"member": 200, "officer": 200, "anonymous": 302})


@pytest.mark.parametrize(
    "name", ["orglife:compliance", "orglife:record_book", "orglife:hours", "orglife:meeting_list"]
)
def test_other_branch_organisation_is_404(world, as_role, name):
    param = "organisation" if name == "orglife:compliance" else "org"
    url = f"{reverse(name)}?{param}={world.branch_a.pk}"
    expected = 200 if name == "orglife:meeting_list" else 404  # the list ignores the filter
    assert_role_matrix(as_role, url, {"officer": 200, "other_officer": expected})


def test_meeting_pages_scoping(world, as_role, make_meeting):
    meeting = make_meeting()
    for name in ("orglife:meeting_detail", "orglife:meeting_edit"):
        assert_role_matrix(
            as_role,
            reverse(name, args=[meeting.pk]),
            {
                "officer": 200,
                "gb_officer": 200,
                "other_officer": 404,
                "member": 403,
                "anonymous": 302,
            },
        )
    delete = reverse("orglife:meeting_delete", args=[meeting.pk])
    matrix = {"other_officer": 404, "officer": 302}
    assert_role_matrix(as_role, delete, matrix, "post", isolate=False)
    assert not Meeting.objects.exists()


def test_meeting_create_other_branch_refused(world, as_user):
    url = reverse("orglife:meeting_create") + f"?org={world.branch_a.pk}"
    assert as_user(world.secretary_b).get(url).status_code == 404


def test_meeting_form_prefills_members_and_saves_attendance(world, as_user):
    client = as_user(world.secretary_a)
    url = reverse("orglife:meeting_create") + f"?org={world.branch_a.pk}"
    page = client.get(url)
    html = page.content.decode()
    assert f'name="att-{world.member_a.pk}"' in html
    assert html.count('value="present" autocomplete="off" checked') == 2
    sec = world.secretary_a.person_id
    held = timezone.localdate()
    data = {
        "kind": "general",
        "topic": "学习党章",
        "held_on": held.isoformat(),
        "starts_at": "14:00",
        "ends_at": "16:00",
        "place": "党员活动室",
        "host": sec,
        "recorder": sec,
        "study_hours": "2",
        "minutes": "会议学习了党章。",
        f"att-{sec}": "present",
        f"att-{world.member_a.pk}": "excused",
        f"makeup-{world.member_a.pk}": "",
        f"note-{world.member_a.pk}": "出差",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("orglife:meeting_detail", args=[meeting.pk])
    att = {a.person_id: (a.status, a.note) for a in meeting.attendance.all()}
    assert att == {sec: ("present", ""), world.member_a.pk: ("excused", "出差")}
    assert list(StudyRecord.objects.values_list("person_id", flat=True)) == [sec]
    detail = client.get(response["Location"]).content.decode()
    assert "出席1人，请假1人" in detail and "操作记录" in detail


def test_meeting_form_keeps_input_and_says_what_is_wrong(world, as_user):
    client = as_user(world.secretary_a)
    url = reverse("orglife:meeting_create") + f"?org={world.branch_a.pk}"
    data = {
        "kind": "general",
        "topic": "学习党章",
        "held_on": "2025-03-10",
        "starts_at": "16:00",
        "ends_at": "14:00",
        "place": "党员活动室",
        "study_hours": "0",
        f"att-{world.member_a.pk}": "absent",
        f"makeup-{world.member_a.pk}": "不是日期",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "结束时间应晚于开始时间。" in html and "补课日期格式不正确" in html
    assert 'value="学习党章"' in html
    assert f'id="att-{world.member_a.pk}-absent" value="absent" autocomplete="off" checked' in html
    assert not Meeting.objects.exists()


def test_meeting_edit_updates_attendance_and_records(world, as_user, make_meeting):
    meeting = make_meeting(study_hours=Decimal("1"))
    assert StudyRecord.objects.count() == 2
    sec = world.secretary_a.person_id
    client = as_user(world.secretary_a)
    data = {
        "kind": "general",
        "topic": meeting.topic,
        "held_on": "2025-03-10",
        "starts_at": "14:00",
        "ends_at": "16:00",
        "place": meeting.place,
        "study_hours": "1",
        f"att-{sec}": "present",
        f"att-{world.member_a.pk}": "absent",
    }
    response = client.post(reverse("orglife:meeting_edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    assert list(StudyRecord.objects.values_list("person_id", flat=True)) == [sec]


def test_meeting_list_filters_and_constant_queries(world, as_user, make_meeting):
    client = as_user(world.org_officer)
    url = reverse("orglife:meeting_list")
    for _ in range(2):
        make_meeting()
    with capture_queries() as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        make_meeting(org=world.branch_b, kind="lecture", held_on=date(2025, 4, 2))
    with assert_num_queries(few):
        response = client.get(url)
    assert len(response.context["page"].rows) == 6
    rows = client.get(url + "?kind=lecture&month=2025-04").context["page"].rows
    assert len(rows) == 4
    rows = client.get(url + f"?org={world.gb_a.pk}").context["page"].rows
    assert len(rows) == 2 and rows[0].present_count == 2
    # The export carries the list's filters and counts.
    response = client.get(reverse("orglife:meeting_export") + f"?org={world.gb_a.pk}")
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(ws.iter_rows(values_only=True))
    assert list(values[1]) == MEETING_HEADERS and len(values) == 4
    assert values[2][8] == 2 and values[2][3] == rows[0].organisation.name


def _own(response):
    return {row.rule.name: row for row in response.context["own"].rows}


def test_compliance_month_done_overdue_and_119_minutes(world, as_user, make_meeting):
    # 《基层组织建设实施意见》§四(二)3(2): 在职教职工党支部每月至少一次，每次不少于2个小时
    client = as_user(world.secretary_a)
    url = reverse("orglife:compliance") + f"?organisation={world.branch_a.pk}&date=2025-03-15"
    make_meeting(minutes=119)
    row = _own(client.get(url))["机关党支部组织生活"]
    assert row.result.state == "overdue" and row.result.count == 0
    make_meeting(minutes=120)
    response = client.get(url)
    row = _own(response)["机关党支部组织生活"]
    assert row.result.state == "done" and row.result.count == 1
    assert "已完成" in response.content.decode()


def test_compliance_current_month_due_message(world, as_user):
    client = as_user(world.secretary_b)
    response = client.get(reverse("orglife:compliance"))
    row = _own(response)["学生党支部组织生活"]
    assert row.result.state == "due" and row.result.missing == 2
    assert "本月还需开展2次" in response.content.decode()


def test_compliance_student_branch_two_meetings(world, as_user, make_meeting):
    client = as_user(world.secretary_b)
    url = reverse("orglife:compliance") + "?period=month&date=2025-03-15"
    make_meeting(org=world.branch_b, actor=world.secretary_b)
    assert _own(client.get(url))["学生党支部组织生活"].result.state == "overdue"
    make_meeting(org=world.branch_b, actor=world.secretary_b, held_on=date(2025, 3, 20))
    response = client.get(url)
    assert _own(response)["学生党支部组织生活"].result.state == "done"
    assert set(_own(response)) == {"学生党支部组织生活", "党支部委员会"}  # period=month only


def test_compliance_roll_up_constant_queries(world, as_user, make_meeting):
    client = as_user(world.org_officer)
    url = reverse("orglife:compliance") + f"?organisation={world.committee.pk}&date=2025-03-15"
    make_meeting()
    with capture_queries() as few:
        response = client.get(url)
    assert len(response.context["below"]) == 4  # 2 general branches, 2 branches
    for i in range(4):
        branch = make_org(world.gb_b, name=f"教工支部{i}", category="staff")
        make_meeting(org=branch, held_on=date(2025, 3, 5))
    with assert_num_queries(few):
        response = client.get(url)
    below = {s.org.name: s for s in response.context["below"]}
    assert len(below) == 8
    assert below["机关一支部"].overdue > 0 and below["机关一支部"].done >= 1
    gb = below["信息工程学院党总支"]
    assert gb.overdue == 7 and gb.done == 0  # all seven general-branch rules, periods ended
    # Drill down: the general-branch secretary sees their branches only.
    gb_client = as_user(world.gb_secretary_a)
    response = gb_client.get(reverse("orglife:compliance"))
    assert [s.org.name for s in response.context["below"]] == ["机关一支部"]


def test_compliance_attention_filter_and_export(world, as_user, make_meeting):
    """The department finds the branches behind and exports exactly those rows."""
    client = as_user(world.org_officer)
    query = f"?organisation={world.committee.pk}&date=2025-03-15"
    url = reverse("orglife:compliance") + query
    everything = client.get(url).context["below"]
    behind = client.get(url + "&attention=1").context["below"]
    assert behind and all(s.worst in ("overdue", "due") for s in behind)
    assert {s.org.pk for s in behind} == {s.org.pk for s in everything if s.overdue or s.due}
    response = client.get(reverse("orglife:compliance_xlsx") + query + "&attention=1")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(ws.iter_rows(values_only=True))
    assert "需关注" in values[0][0] and list(values[1]) == COMPLIANCE_HEADERS
    assert [v[1] for v in values[2:]] == [s.org.name for s in behind]
    gb_row = next(v for v in values[2:] if v[1] == "信息工程学院党总支")
    assert gb_row[2] == world.committee.name and gb_row[4] == 7 and "党课" in gb_row[7]


def test_compliance_attention_empty_state(world, as_user):
    client = as_user(world.secretary_a)
    url = reverse("orglife:compliance") + f"?organisation={world.branch_a.pk}&attention=1"
    response = client.get(url)
    assert response.status_code == 200 and not response.context["below"]
    assert "没有适用的频次要求" not in response.content.decode()


def test_general_branch_forum_counts_branch_meetings(world, as_user, make_meeting):
    # 《基层组织建设实施意见》§四(二)3(1): 组织各支部每半年召开1次师生员工座谈会
    make_meeting(kind="forum", minutes=60)
    client = as_user(world.gb_secretary_a)
    url = reverse("orglife:compliance") + "?date=2025-03-15"
    assert _own(client.get(url))["师生员工座谈会"].result.state == "done"
    assert _own(client.get(url))["党课"].result.state == "overdue"


def test_rule_list_and_edit(world, as_user):
    from dangjian.orglife.models import FrequencyRule

    rule = FrequencyRule.objects.get(name="学生党支部组织生活")
    html = as_user(world.secretary_a).get(reverse("orglife:rule_list")).content.decode()
    assert "学生党支部组织生活" in html and "修改</a>" not in html
    edit = reverse("orglife:rule_edit", args=[rule.pk])
    assert as_user(world.gb_secretary_a).get(edit).status_code == 403
    client = as_user(world.org_officer)
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"min_count": "3", "min_minutes": "90", "is_active": "on"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.min_count, rule.min_minutes) == (3, 90)
    response = client.post(edit, {"min_count": "0", "min_minutes": "90"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_record_book_print_and_xlsx(world, as_user, make_meeting):
    make_meeting(topic="学习二十大报告", minutes=150)
    make_meeting(topic="下学期的会", held_on=date(2025, 9, 3))
    client = as_user(world.secretary_a)
    query = f"?org={world.branch_a.pk}&date=2025-03-01"
    html = client.get(reverse("orglife:record_book") + query).content.decode()
    assert "党支部活动记录册" in html and "学习二十大报告" in html and "下学期的会" not in html
    assert "2025年2月1日至2025年8月31日" in html and "2/2" in html
    response = client.get(reverse("orglife:record_book_xlsx") + query)
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[1]) == RECORD_BOOK_HEADERS
    assert rows[2][5] == "学习二十大报告" and rows[2][2] == "14:00-16:30"


def test_hours_page_and_xlsx(world, as_user):
    services.study_record_create(
        actor=world.secretary_a,
        person=world.member_a,
        studied_on=date(2025, 6, 1),
        title="网络学院课程",
        category="theory",
        hours=Decimal("23.5"),
    )
    client = as_user(world.secretary_a)
    query = f"?org={world.branch_a.pk}&year=2025"
    response = client.get(reverse("orglife:hours") + query)
    rows = {r.person.pk: r for r in response.context["rows"]}
    assert rows[world.member_a.pk].shortfall.total == Decimal("0.5")
    assert "table-danger" in response.content.decode()
    short = client.get(reverse("orglife:hours") + query + "&short=1").context["rows"]
    assert all(r.shortfall.any for r in short) and world.member_a.pk in {r.person.pk for r in short}
    response = client.get(reverse("orglife:hours_xlsx") + query)
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(ws.iter_rows(values_only=True))
    assert list(values[1]) == HOURS_HEADERS
    member_row = next(v for v in values[2:] if v[1] == world.member_a.name)
    assert member_row[4] == 23.5 and member_row[7] == 0.5 and member_row[8] == 4
    # The export keeps the page's 只看未达标: the same rows as the filtered page.
    services.study_record_create(
        actor=world.secretary_a,
        person=world.member_a,
        studied_on=date(2025, 7, 1),
        title="廉政教育",
        category="integrity",
        hours=Decimal("8"),
        integrity=True,
    )
    short = client.get(reverse("orglife:hours") + query + "&short=1").context["rows"]
    response = client.get(reverse("orglife:hours_xlsx") + query + "&short=1")
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [v[1] for v in list(ws.iter_rows(values_only=True))[2:]]
    assert "未达标" in ws["A1"].value and world.member_a.name not in names
    assert names == [r.person.name for r in short]


def test_hours_constant_queries(world, as_user):
    client = as_user(world.org_officer)
    url = reverse("orglife:hours") + f"?org={world.committee.pk}&year=2025"
    with capture_queries() as few:
        client.get(url)
    for i in range(4):
        make_person(world.branch_b, name=f"学生{i}", category="student")
    with assert_num_queries(few):
        response = client.get(url)
    assert len(response.context["rows"]) >= 8


def test_training_pages(world, as_user, as_role):
    client = as_user(world.secretary_a)
    response = client.post(
        reverse("orglife:training_create"),
        {
            "organisation": world.branch_a.pk,
            "kind": "study",
            "title": "廉政警示教育",
            "category": "integrity",
            "starts_on": "2025-05-01",
            "ends_on": "2025-05-01",
            "hours": "4",
            "participants": [world.member_a.pk],
        },
    )
    assert response.status_code == 302
    training_url = response["Location"]
    assert StudyRecord.objects.get().integrity
    matrix = {"officer": 200, "other_officer": 404, "member": 403}
    assert_role_matrix(as_role, training_url, matrix)
    html = as_user(world.member_user).get(reverse("orglife:my_hours") + "?year=2025")
    assert "廉政警示教育" in html.content.decode()


def test_secretary_training_page_scoping(world, as_user):
    response = as_user(world.gb_secretary_a).get(reverse("orglife:secretary_training"))
    names = [c.position.person.name for c in response.context["checks"]]
    assert names == ["张书记"]
    response = as_user(world.org_officer).get(reverse("orglife:secretary_training"))
    assert len(response.context["checks"]) == 2


def test_my_meetings_shows_own_attendance(world, as_user, make_meeting):
    make_meeting(
        topic="主题党日：参观红岩村",
        kind="party_day",
        attendance=[{"person_id": world.member_a.pk, "status": "absent"}],
    )
    make_meeting(org=world.branch_b, topic="别的支部的会")
    html = as_user(world.member_user).get(reverse("orglife:my_meetings")).content.decode()
    assert "主题党日：参观红岩村" in html and "缺席" in html and "别的支部的会" not in html


def test_meeting_create_for_officer_without_branch_defaults(world, as_user):
    officer = make_officer(world.gb_b, name="学院总支书记")
    response = as_user(officer).get(reverse("orglife:meeting_create"))
    assert response.context["organisation"] == world.branch_b


def test_hours_page_is_paged_and_filters_those_short_in_the_database(world, as_user):
    # Only the page's members are computed; "只看未达标" is a database filter, not a loop.
    client = as_user(world.org_officer)
    url = reverse("orglife:hours") + f"?org={world.committee.pk}&year=2025&short=1"
    response = client.get(url)
    names = {r.person.name for r in response.context["rows"]}
    assert world.member_a.name in names  # no hours at all: short
    assert response.context["short"] == len(response.context["rows"])


@pytest.mark.parametrize(
    ("name", "param", "default"),
    [
        ("orglife:meeting_list", "org", None),
        ("orglife:compliance", "organisation", "中共示范学院委员会"),
        ("orglife:hours", "org", "中共示范学院委员会"),
    ],
)
def test_organisation_filter_is_a_typeahead_not_a_select(world, as_user, name, param, default):
    client = as_user(world.org_officer)
    page = client.get(reverse(name)).content.decode()
    assert 'id="f-org"' in page and reverse("org:pick_organisations") in page
    assert "信息工程学院学生支部</option>" not in page
    assert f'name="{param}"' in page
    if default:  # no choice: the top of the scope, shown as chosen
        assert f'value="{default}"' in page
    chosen = client.get(reverse(name), {param: world.branch_a.pk}).content.decode()
    assert f'value="{world.branch_a.name}"' in chosen
