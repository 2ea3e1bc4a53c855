"""Meetings planned ahead: the rules at their edges, leave, QR sign-in, completing the record,
held-only counting, the reminders, the calendar, and every new page as the four roles."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from dangjian.core.reminders import Due
from dangjian.orglife import reminders, rules, selectors, services
from dangjian.orglife.models import (
    Attendance,
    AttendanceStatus,
    LeaveRequest,
    LeaveStatus,
    Meeting,
    MeetingState,
    StudyRecord,
)
from tests.harness import assert_max_queries, assert_role_matrix

pytestmark = pytest.mark.django_db

D = date(2026, 3, 10)
START, END = time(14, 0), time(16, 0)


# --- rules ---------------------------------------------------------------------------------


def test_future_date_only_while_planned():
    today = date(2026, 3, 1)
    assert rules.meeting_date_error(rules.PLANNED, today + timedelta(days=30), today) is None
    assert rules.meeting_date_error(rules.HELD, today, today) is None
    assert "计划召开" in rules.meeting_date_error(rules.HELD, today + timedelta(days=1), today)
    assert rules.meeting_date_error(rules.CANCELLED, today + timedelta(days=1), today)


def test_state_changes():
    assert rules.state_change_error(rules.PLANNED, rules.HELD) is None
    assert rules.state_change_error(rules.PLANNED, rules.CANCELLED) is None
    assert rules.state_change_error(rules.HELD, rules.HELD) is None
    assert rules.state_change_error(rules.HELD, rules.PLANNED)
    assert rules.state_change_error(rules.CANCELLED, rules.HELD)


def test_leave_only_before_start_and_only_for_attendees():
    starts = datetime(2026, 3, 10, 14, 0)
    ok = {"state": rules.PLANNED, "on_roster": True, "starts": starts}
    assert rules.leave_error(now=starts - timedelta(seconds=1), **ok) is None
    assert "已经开始" in rules.leave_error(now=starts, **ok)
    assert "应到名单" in rules.leave_error(
        now=starts - timedelta(days=1), **ok | {"on_roster": False}
    )
    assert rules.leave_error(now=starts - timedelta(days=1), **ok | {"state": rules.HELD})


def test_signin_window_edges():
    opens, closes = rules.signin_window(D, START, END, 30)
    assert opens == datetime(2026, 3, 10, 13, 30) and closes == datetime(2026, 3, 10, 16, 0)
    ok = {"state": rules.PLANNED, "opens": opens, "closes": closes}
    assert "尚未开始" in rules.signin_error(now=opens - timedelta(seconds=1), **ok)
    assert rules.signin_error(now=opens, **ok) is None
    assert rules.signin_error(now=closes, **ok) is None
    assert "已结束" in rules.signin_error(now=closes + timedelta(seconds=1), **ok)
    assert "已取消" in rules.signin_error(now=opens, **ok | {"state": rules.CANCELLED})
    assert "已登记完成" in rules.signin_error(now=opens, **ok | {"state": rules.HELD})


# --- services ------------------------------------------------------------------------------


@pytest.fixture
def at(monkeypatch):
    """Set the clock the services see (local, naive)."""

    def set_now(moment: datetime):
        monkeypatch.setattr(services, "_now", lambda: moment)
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: moment.date())

    return set_now


@pytest.fixture
def planned(world, at):
    at(datetime(2026, 3, 1, 9, 0))
    return services.meeting_create(
        actor=world.secretary_a,
        organisation=world.branch_a,
        state=MeetingState.PLANNED,
        kind="general",
        topic="学习贯彻全会精神",
        held_on=D,
        starts_at=START,
        ends_at=END,
        place="党员活动室",
    )


def _row(meeting, person):
    return Attendance.objects.get(meeting=meeting, person=person)


def test_planned_meeting_lists_roster_not_signed_in(world, planned):
    rows = list(planned.attendance.all())
    assert {r.person_id for r in rows} >= {world.member_a.pk}
    assert {r.status for r in rows} == {AttendanceStatus.ABSENT}


def test_held_meeting_in_future_is_refused(world, at):
    at(datetime(2026, 3, 1, 9, 0))
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            actor=world.secretary_a,
            organisation=world.branch_a,
            kind="general",
            topic="x",
            held_on=D,
            starts_at=START,
            ends_at=END,
            place="p",
        )
    assert "计划召开" in str(exc.value.message_dict["held_on"])


def test_leave_approved_becomes_excused(world, planned):
    leave = services.leave_request(actor=world.member_user, meeting=planned, reason="出差")
    with pytest.raises(ValidationError, match="已提交过"):
        services.leave_request(actor=world.member_user, meeting=planned, reason="再次")
    services.leave_decide(actor=world.secretary_a, leave=leave, approve=True)
    assert _row(planned, world.member_a).status == AttendanceStatus.EXCUSED
    with pytest.raises(ValidationError, match="已审批"):
        services.leave_decide(actor=world.secretary_a, leave=leave, approve=False)


def test_leave_refused_stays_absent_and_may_ask_again(world, planned):
    leave = services.leave_request(actor=world.member_user, meeting=planned, reason="出差")
    services.leave_decide(actor=world.secretary_a, leave=leave, approve=False)
    assert _row(planned, world.member_a).status == AttendanceStatus.ABSENT
    again = services.leave_request(actor=world.member_user, meeting=planned, reason="病假")
    assert again.status == LeaveStatus.PENDING


def test_leave_decided_only_by_officers_in_scope(world, planned):
    leave = services.leave_request(actor=world.member_user, meeting=planned, reason="出差")
    with pytest.raises(PermissionDenied):
        services.leave_decide(actor=world.secretary_b, leave=leave, approve=True)


def test_leave_after_start_refused(world, planned, at):
    at(datetime(2026, 3, 10, 14, 0))
    with pytest.raises(ValidationError, match="已经开始"):
        services.leave_request(actor=world.member_user, meeting=planned, reason="出差")


def test_leave_needs_reason_and_attendee(world, planned):
    with pytest.raises(ValidationError, match="请假事由"):
        services.leave_request(actor=world.member_user, meeting=planned, reason="  ")
    outsider = world.secretary_b  # 李书记 belongs to branch_b
    with pytest.raises(ValidationError, match="应到名单"):
        services.leave_request(actor=outsider, meeting=planned, reason="出差")


def test_signin_inside_window_once(world, planned, at):
    at(datetime(2026, 3, 10, 13, 30))
    token = services.signin_token_issue(actor=world.secretary_a, meeting=planned)
    planned.refresh_from_db()
    assert planned.signin_token_hash and token not in planned.signin_token_hash
    services.sign_in(actor=world.member_user, token=token)
    assert _row(planned, world.member_a).status == AttendanceStatus.PRESENT
    with pytest.raises(ValidationError, match="已签到"):
        services.sign_in(actor=world.member_user, token=token)


def test_signin_refusals(world, planned, at):
    at(datetime(2026, 3, 10, 13, 29))
    with pytest.raises(ValidationError, match="尚未开始"):
        services.signin_token_issue(actor=world.secretary_a, meeting=planned)
    at(datetime(2026, 3, 10, 14, 0))
    token = services.signin_token_issue(actor=world.secretary_a, meeting=planned)
    with pytest.raises(ValidationError, match="无效"):
        services.sign_in(actor=world.member_user, token="guess" + token[5:])
    with pytest.raises(PermissionDenied, match="参会名单"):
        services.sign_in(actor=world.secretary_b, token=token)
    services.signin_token_issue(actor=world.secretary_a, meeting=planned)
    at(datetime(2026, 3, 10, 14, 0, 11))  # replaced, and the grace period is over
    with pytest.raises(ValidationError, match="无效"):
        services.sign_in(actor=world.member_user, token=token)
    at(datetime(2026, 3, 10, 15, 59, 50))
    newer = services.signin_token_issue(actor=world.secretary_a, meeting=planned)
    at(datetime(2026, 3, 10, 16, 0, 1))
    with pytest.raises(ValidationError, match="已结束"):
        services.sign_in(actor=world.member_user, token=newer)
    with pytest.raises(PermissionDenied):
        services.signin_token_issue(actor=world.secretary_b, meeting=planned)


def test_planned_meetings_do_not_count_until_held(world, planned, at):
    planned.study_hours = 2
    planned.save()

    def done():
        (status,) = selectors.compliance_for([world.branch_a], None, D, D, selectors.active_rules())
        return sum(r.result.count for r in status.rows if "general" in r.rule.kinds)

    assert done() == 0
    assert selectors.record_book(world.branch_a, D, D) == []
    at(datetime(2026, 3, 10, 14, 5))
    services.sign_in(
        actor=world.member_user,
        token=services.signin_token_issue(actor=world.secretary_a, meeting=planned),
    )
    assert StudyRecord.objects.count() == 0
    at(datetime(2026, 3, 10, 17, 0))
    rows = [{"person_id": r.person_id, "status": r.status} for r in planned.attendance.all()]
    services.meeting_update(
        actor=world.secretary_a, meeting=planned, state=MeetingState.HELD, attendance=rows
    )
    assert done() == 1
    assert len(selectors.record_book(world.branch_a, D, D)) == 1
    assert StudyRecord.objects.filter(person=world.member_a).count() == 1
    with pytest.raises(ValidationError):
        services.meeting_update(actor=world.secretary_a, meeting=planned, state="planned")


def test_reminders_per_attendee(world, planned):
    dues = [d for d in reminders.collect(D - timedelta(days=3), D) if "meeting" in d.key]
    assert world.member_a.pk in {d.person_id for d in dues}
    due: Due = next(d for d in dues if d.person_id == world.member_a.pk)
    assert due.category == "组织生活" and due.due_on == D
    assert due.url == reverse("orglife:my_meeting", args=[planned.pk])
    leave = services.leave_request(actor=world.member_user, meeting=planned, reason="出差")
    services.leave_decide(actor=world.secretary_a, leave=leave, approve=True)
    dues = [d for d in reminders.collect(D - timedelta(days=3), D) if "meeting" in d.key]
    assert world.member_a.pk not in {d.person_id for d in dues}


# --- pages ---------------------------------------------------------------------------------


def test_new_pages_roles(world, planned, as_role):
    detail = reverse("orglife:meeting_detail", args=[planned.pk])
    assert_role_matrix(
        as_role,
        detail,
        {"officer": 200, "gb_officer": 200, "other_officer": 404, "member": 403, "anonymous": 302},
    )
    assert_role_matrix(
        as_role,
        reverse("orglife:calendar") + "?month=2026-03",
        {"officer": 200, "other_officer": 200, "member": 403, "anonymous": 302},
    )
    assert_role_matrix(
        as_role,
        reverse("orglife:meeting_plan"),
        {"officer": 200, "member": 403, "anonymous": 302},
    )
    assert_role_matrix(
        as_role,
        reverse("orglife:my_meeting", args=[planned.pk]),
        {"member": 200, "other_officer": 404, "anonymous": 302},
    )
    assert_role_matrix(
        as_role,
        reverse("orglife:signin_qr", args=[planned.pk]),
        {"officer": 200, "other_officer": (403, 404), "member": 403, "anonymous": 302},
    )


def test_calendar_lists_subtree_only(world, planned, as_role):
    client = as_role("officer")
    page = client.get(reverse("orglife:calendar") + "?month=2026-03").content.decode()
    assert "学习贯彻全会精神" in page and "计划召开" in page
    detail = client.get(reverse("orglife:meeting_detail", args=[planned.pk])).content.decode()
    assert "已签到0人" in detail and "未签到" in detail
    other = as_role("other_officer")
    page = other.get(reverse("orglife:calendar") + "?month=2026-03").content.decode()
    assert "学习贯彻全会精神" not in page
    assert other.get(reverse("orglife:calendar") + "?month=bad").status_code == 200


def test_calendar_queries_constant(world, planned, as_role):
    client = as_role("officer")
    url = reverse("orglife:calendar") + "?month=2026-03"
    client.get(url)
    with assert_max_queries(12):
        assert client.get(url).status_code == 200


def test_plan_page_creates_planned_meeting(world, as_role, at):
    at(datetime(2026, 3, 1, 9, 0))
    client = as_role("officer")
    response = client.post(
        reverse("orglife:meeting_plan") + f"?org={world.branch_a.pk}",
        {
            "kind": "general",
            "topic": "主题党日",
            "held_on": "2026-03-20",
            "starts_at": "14:00",
            "ends_at": "16:00",
            "place": "活动室",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get(topic="主题党日")
    assert meeting.state == MeetingState.PLANNED


def test_leave_pages(world, planned, as_role, at):
    member = as_role("member")
    url = reverse("orglife:my_meeting", args=[planned.pk])
    bad = member.post(url, {"reason": ""})
    assert bad.status_code == 200 and "请填写请假事由" in bad.content.decode()
    assert member.post(url, {"reason": "出差"}).status_code == 302
    mine = member.get(reverse("orglife:my_meetings")).content.decode()
    assert "即将召开" in mine and "请假待审批" in mine
    leave = LeaveRequest.objects.get()
    officer = as_role("other_officer")
    decide = reverse("orglife:leave_decide", args=[planned.pk, leave.pk])
    assert officer.post(decide, {"decision": "approve"}).status_code in (403, 404)
    officer = as_role("officer")
    assert officer.post(decide, {"decision": "approve"}).status_code == 302
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED


def test_signin_pages(world, planned, as_role, at):
    at(datetime(2026, 3, 10, 13, 45))
    officer = as_role("officer")
    page = officer.get(reverse("orglife:signin_qr", args=[planned.pk]))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    url = page.context["url"]
    member = as_role("member")
    assert member.get(url).status_code == 200
    assert "签到成功" in member.post(url).content.decode()
    again = member.post(url)
    assert again.status_code == 400 and "已签到" in again.content.decode()
    bad = member.get(reverse("orglife:signin", args=["nonsense"]))
    assert bad.status_code == 400 and "无效" in bad.content.decode()
    anonymous = as_role("anonymous").get(url)
    assert anonymous.status_code == 302


# --- API -----------------------------------------------------------------------------------


def test_api_planned_meeting_with_state(world, as_user):
    client = as_user(world.secretary_a)
    future = (timezone.localdate() + timedelta(days=7)).isoformat()
    payload = {
        "organisation": world.branch_a.pk,
        "kind": "general",
        "topic": "计划学习",
        "held_on": future,
        "starts_at": "14:00",
        "ends_at": "16:00",
        "place": "活动室",
    }
    held = client.post("/api/v1/meetings/", payload, content_type="application/json")
    assert held.status_code == 400 and "计划召开" in str(held.json())
    bad = client.post(
        "/api/v1/meetings/", payload | {"state": "maybe"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "state" in str(bad.json())
    response = client.post(
        "/api/v1/meetings/", payload | {"state": "planned"}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "planned" and body["state_display"] == "计划召开"
    assert {a["status"] for a in body["attendance"]} == {"absent"}
    listed = client.get("/api/v1/meetings/?state=planned").json()["results"]
    assert [m["id"] for m in listed] == [body["id"]]


def test_api_leave_decision_and_signin(world, planned, as_user, at):
    member = as_user(world.member_user)
    url = "/api/v1/my-meetings/leave/"
    empty = member.post(url, {"meeting": planned.pk, "reason": ""}, content_type="application/json")
    assert empty.status_code == 400 and "reason" in empty.json()
    missing = member.post(url, {"meeting": 0, "reason": "出差"}, content_type="application/json")
    assert missing.status_code == 404
    asked = member.post(
        url, {"meeting": planned.pk, "reason": "出差"}, content_type="application/json"
    )
    assert asked.status_code == 201, asked.json()
    again = member.post(
        url, {"meeting": planned.pk, "reason": "出差"}, content_type="application/json"
    )
    assert again.status_code == 400 and "已提交过" in str(again.json())
    leave_id = asked.json()["id"]
    decision = f"/api/v1/meetings/{planned.pk}/leave-decision/"
    other = as_user(world.secretary_b)
    assert other.post(
        decision, {"leave": leave_id, "approve": True}, content_type="application/json"
    ).status_code in (403, 404)
    officer = as_user(world.secretary_a)
    bad = officer.post(decision, {"leave": "x"}, content_type="application/json")
    assert bad.status_code == 400
    done = officer.post(
        decision, {"leave": leave_id, "approve": True}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["status"] == "approved"

    at(datetime(2026, 3, 10, 13, 40))
    token = services.signin_token_issue(actor=world.secretary_a, meeting=planned)
    officer_signs = officer.post(
        "/api/v1/my-meetings/signin/", {"token": token}, content_type="application/json"
    )
    assert officer_signs.status_code == 200  # the secretary is on the roster too
    wrong = officer.post(
        "/api/v1/my-meetings/signin/", {"token": "nope"}, content_type="application/json"
    )
    assert wrong.status_code == 400 and "无效" in str(wrong.json())


def test_planned_pages_queries_do_not_grow_with_leave_requests(world, planned, as_role, at):
    from tests.factories import make_person, make_user

    def ask(n):
        for i in range(n):
            person = make_person(world.branch_a, name=f"请假人{i}")
            Attendance.objects.create(meeting=planned, person=person, status="absent")
            services.leave_request(actor=make_user(person), meeting=planned, reason="出差")

    officer = as_role("officer")
    detail = reverse("orglife:meeting_detail", args=[planned.pk])
    ask(1)
    officer.get(detail)
    with assert_max_queries(40) as few:
        officer.get(detail)
    ask(5)
    with assert_max_queries(few):
        assert officer.get(detail).status_code == 200
    member = as_role("member")
    member.get(reverse("orglife:my_meetings"))
    with assert_max_queries(25):
        assert member.get(reverse("orglife:my_meetings")).status_code == 200
