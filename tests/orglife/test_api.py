"""REST API: scoping of every endpoint, nested attendance, 400 with Chinese errors, schema."""

from datetime import date
from decimal import Decimal

import pytest

from dangjian.orglife import services
from dangjian.orglife.models import FrequencyRule, Meeting, StudyRecord
from tests.harness import assert_role_matrix

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _payload(world, **extra):
    sec = world.secretary_a.person_id
    data = {
        "organisation": world.branch_a.pk,
        "kind": "general",
        "topic": "学习党章",
        "held_on": "2025-03-10",
        "starts_at": "14:00",
        "ends_at": "16:00",
        "place": "党员活动室",
        "study_hours": "2.0",
        "attendance": [
            {"person": sec, "status": "present"},
            {"person": world.member_a.pk, "status": "absent", "makeup_on": "2025-03-12"},
        ],
    }
    return data | extra


def test_meeting_create_with_nested_attendance(world, as_user):
    client = as_user(world.secretary_a)
    response = client.post(f"{API}/meetings/", _payload(world), content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["duration_minutes"] == 120 and len(body["attendance"]) == 2
    assert StudyRecord.objects.count() == 2  # present + made up
    meeting_id = body["id"]
    response = client.patch(
        f"{API}/meetings/{meeting_id}/",
        {"attendance": [{"person": world.member_a.pk, "status": "excused"}]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert StudyRecord.objects.count() == 0
    assert client.get(f"{API}/meetings/?month=2025-03").json()["results"][0]["id"] == meeting_id


def test_meeting_api_errors_are_400_in_chinese(world, as_user):
    client = as_user(world.secretary_a)
    response = client.post(
        f"{API}/meetings/",
        _payload(world, ends_at="13:00"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["ends_at"] == ["结束时间应晚于开始时间。"]
    response = client.post(
        f"{API}/meetings/",
        _payload(world, attendance=[{"person": world.member_b.pk, "status": "present"}]),
        content_type="application/json",
    )
    assert response.status_code == 400 and "不是本组织的党员" in str(response.json())
    response = client.post(
        f"{API}/meetings/",
        _payload(world, organisation=world.branch_b.pk),
        content_type="application/json",
    )
    assert response.status_code == 400 and "organisation" in response.json()
    response = client.post(
        f"{API}/meetings/", _payload(world, kind="party"), content_type="application/json"
    )
    assert response.status_code == 400 and "无效的取值" in response.json()["kind"][0]


def test_meeting_api_scoping(world, as_user, as_role, make_meeting):
    meeting = make_meeting()
    url = f"{API}/meetings/{meeting.pk}/"
    assert_role_matrix(
        as_role,
        url,
        {"officer": 200, "other_officer": 404, "member": 403, "anonymous": (401, 403)},
    )
    patch = {"topic": "x"}
    json = "application/json"
    assert_role_matrix(as_role, url, {"other_officer": 404}, "patch", patch, content_type=json)
    assert_role_matrix(as_role, f"{API}/meetings/", {"member": 403})
    assert as_user(world.secretary_b).get(f"{API}/meetings/").json()["results"] == []
    assert as_user(world.secretary_a).delete(url).status_code == 204
    assert not Meeting.objects.exists()


def test_frequency_rules_read_by_all_written_by_department(world, as_user):
    rule = FrequencyRule.objects.get(name="学生党支部组织生活")
    url = f"{API}/frequency-rules/{rule.pk}/"
    assert len(as_user(world.member_user).get(f"{API}/frequency-rules/").json()) == 15
    response = as_user(world.secretary_b).patch(
        url, {"min_count": 3}, content_type="application/json"
    )
    assert response.status_code == 403 and "组织部" in response.json()["detail"]
    client = as_user(world.org_officer)
    assert client.patch(url, {"min_count": 0}, content_type="application/json").status_code == 400
    response = client.patch(url, {"min_count": 3}, content_type="application/json")
    assert response.status_code == 200 and response.json()["min_count"] == 3
    assert as_user(None).get(url).status_code in (401, 403)


def test_compliance_api(world, as_user, make_meeting):
    make_meeting()
    client = as_user(world.secretary_a)
    response = client.get(
        f"{API}/compliance/?organisation={world.branch_a.pk}&period=month&date=2025-03-15"
    )
    assert response.status_code == 200
    rules = {r["name"]: r for r in response.json()["organisation"]["rules"]}
    assert rules["机关党支部组织生活"]["state"] == "done"
    assert rules["党支部委员会"]["state"] == "overdue"
    response = client.get(f"{API}/compliance/?organisation={world.branch_b.pk}")
    assert response.status_code == 404
    response = as_user(world.org_officer).get(f"{API}/compliance/?date=2025-03-15")
    assert len(response.json()["below"]) == 4
    assert as_user(world.member_user).get(f"{API}/compliance/").status_code == 403
    assert as_user(world.secretary_a).get(f"{API}/compliance/?date=bad").status_code == 400


def test_training_and_study_record_api(world, as_user):
    client = as_user(world.secretary_a)
    response = client.post(
        f"{API}/trainings/",
        {
            "organisation": world.branch_a.pk,
            "title": "党史学习",
            "category": "theory",
            "starts_on": "2025-04-01",
            "ends_on": "2025-04-02",
            "hours": "6",
            "participants": [world.member_a.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    training_id = response.json()["id"]
    assert StudyRecord.objects.get().hours == Decimal("6")
    assert as_user(world.secretary_b).get(f"{API}/trainings/{training_id}/").status_code == 404
    assert as_user(world.member_user).get(f"{API}/trainings/").status_code == 403
    client = as_user(world.secretary_a)
    response = client.post(
        f"{API}/study-records/",
        {
            "person": world.member_a.pk,
            "studied_on": "2025-05-01",
            "title": "网络学院课程",
            "category": "integrity",
            "hours": "4",
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["integrity"] is True
    record_id = response.json()["id"]
    # The member reads their own records; another branch's officer does not.
    mine = as_user(world.member_user).get(f"{API}/study-records/?year=2025").json()["results"]
    assert len(mine) == 2
    assert as_user(world.secretary_b).get(f"{API}/study-records/{record_id}/").status_code == 404
    assert as_user(world.member_user).delete(f"{API}/study-records/{record_id}/").status_code == 403
    client = as_user(world.secretary_a)
    response = client.post(
        f"{API}/study-records/",
        {
            "person": world.member_b.pk,
            "studied_on": "2025-05-01",
            "title": "x",
            "category": "theory",
            "hours": "1",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert client.delete(f"{API}/study-records/{record_id}/").status_code == 204


def test_hours_summary_api(world, as_user):
    services.study_record_create(
        actor=world.secretary_a,
        person=world.member_a,
        studied_on=date(2025, 5, 1),
        title="课程",
        category="theory",
        hours=Decimal("24"),
    )
    client = as_user(world.secretary_a)
    body = client.get(f"{API}/hours-summary/?organisation={world.branch_a.pk}&year=2025").json()
    row = next(r for r in body["rows"] if r["person"] == world.member_a.pk)
    assert row["total"] == "24.0" and row["shortfall_integrity"] == "4.0"
    assert client.get(f"{API}/hours-summary/?organisation={world.branch_b.pk}").status_code == 404
    assert as_user(world.member_user).get(f"{API}/hours-summary/").status_code == 403
