"""REST API of target management: scoping matrix, writes through the services, close-step,
progress by the responsible member, query counts, 400s in Chinese, schema."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from dangjian.core.models import AuditEvent
from dangjian.targets.models import Opinion, Step, Task, WorkItem
from tests.harness import assert_num_queries
from tests.targets.conftest import YEAR, make_task

pytestmark = pytest.mark.django_db

API = "/api/v1"
ANON = (401, 403)


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


ENDPOINTS = {
    "goals": lambda t: t.goal,
    "plans": lambda t: t.plan,
    "work-items": lambda t: t.item,
    "opinions": lambda t: t.opinion,
    "decisions": lambda t: t.decision,
    "evaluations": lambda t: t.evaluation,
    "tasks": lambda t: t.task,
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_retrieve_matrix(t, endpoint):
    obj = ENDPOINTS[endpoint](t)
    url = f"{API}/{endpoint}/{obj.pk}/"
    w = t.world
    assert client_for(w.secretary_a).get(url).status_code == 200
    assert client_for(w.gb_secretary_a).get(url).status_code == 200
    assert client_for(w.secretary_b).get(url).status_code == 404
    member = client_for(w.member_user).get(url).status_code
    assert member == (200 if endpoint == "tasks" else 403)  # member_a is the task's responsible
    assert client_for(None).get(url).status_code in ANON


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_list_matrix(t, endpoint):
    obj = ENDPOINTS[endpoint](t)
    url = f"{API}/{endpoint}/"
    w = t.world
    assert obj.pk in ids(client_for(w.secretary_a).get(url))
    assert obj.pk not in ids(client_for(w.secretary_b).get(url))
    if endpoint == "tasks":
        assert ids(client_for(w.member_user).get(url)) == {t.task.pk}
    else:
        assert client_for(w.member_user).get(url).status_code == 403
    assert client_for(None).get(url).status_code in ANON


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_update_matrix(t, endpoint):
    obj = ENDPOINTS[endpoint](t)
    url = f"{API}/{endpoint}/{obj.pk}/"
    w = t.world
    assert client_for(w.secretary_b).patch(url, {}, format="json").status_code == 404
    assert client_for(w.member_user).patch(url, {}, format="json").status_code == 403
    assert client_for(None).patch(url, {}, format="json").status_code in ANON
    assert client_for(w.secretary_a).patch(url, {}, format="json").status_code == 200


def _payloads(t):
    w = t.world
    return {
        "goals": {
            "organisation": w.branch_a.pk,
            "kind": "school",
            "honour": "文明学校",
            "current_level": 2,
            "target_level": 3,
            "start_year": 2026,
            "end_year": 2031,
        },
        "plans": {
            "organisation": w.branch_a.pk,
            "year": 2027,
            "theme": "党建特色建设年",
            "featured_work": "x",
            "theoretical_study": "y",
        },
        "work-items": {
            "organisation": w.branch_a.pk,
            "year": 2026,
            "kind": "activity",
            "title": "主题党日",
        },
        "opinions": {
            "work_item": t.item.pk,
            "source": "form",
            "category": "teaching",
            "content": "增加教研活动",
            "received_on": "2026-01-05",
        },
        "decisions": {
            "work_item": t.item.pk,
            "meeting_kind": "committee",
            "held_on": "2026-01-25",
            "attendees": "委员",
            "decisions": "同意",
        },
        "tasks": {
            "work_item": t.item.pk,
            "title": "学习教育",
            "target": "每月1次",
            "measures": "集中学习",
            "assignee_kind": "organisation",
            "assignee_org": w.group_a.pk,
            "responsible": w.member_a.pk,
            "deadline": "2026-12-31",
            "role": 1,
        },
    }


@pytest.mark.parametrize(
    "endpoint", ["goals", "plans", "work-items", "opinions", "decisions", "tasks"]
)
def test_create(t, endpoint):
    payload = _payloads(t)[endpoint]
    url = f"{API}/{endpoint}/"
    w = t.world
    assert client_for(w.member_user).post(url, payload, format="json").status_code == 403
    assert client_for(None).post(url, payload, format="json").status_code in ANON
    # Another branch's officer may not name branch_a's records: 400 with a Chinese message.
    response = client_for(w.secretary_b).post(url, payload, format="json")
    assert response.status_code == 400
    assert "不在您的管理范围内" in str(response.json())
    response = client_for(w.secretary_a).post(url, payload, format="json")
    assert response.status_code == 201, response.json()
    assert AuditEvent.objects.filter(object_id=response.json()["id"], action="create").exists()


def test_evaluation_create_once(world):
    from tests.targets.conftest import make_item

    item = make_item(world.branch_a)
    client = client_for(world.secretary_a)
    payload = {"work_item": item.pk, "evaluated_on": "2026-12-01", "method": "测评", "result": "好"}
    assert client.post(f"{API}/evaluations/", payload, format="json").status_code == 201
    response = client.post(f"{API}/evaluations/", payload, format="json")
    assert response.status_code == 400 and "已登记考评结果" in str(response.json())


def test_bad_input_is_400_in_chinese(t):
    client = client_for(t.world.secretary_a)
    payload = _payloads(t)["goals"] | {"target_level": 4, "end_year": 2028}
    response = client.post(f"{API}/goals/", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "上一级" in body["target_level"][0] and "3—5年" in body["end_year"][0]
    payload = _payloads(t)["tasks"] | {"assignee_kind": "unit"}
    response = client.post(f"{API}/tasks/", payload, format="json")
    assert response.status_code == 400 and "assignee_kind" in response.json()
    response = client.post(f"{API}/plans/", _payloads(t)["plans"] | {"year": YEAR}, format="json")
    assert response.status_code == 400 and "每年一个" in response.json()["year"][0]
    response = client.post(f"{API}/tasks/", {"work_item": "x"}, format="json")
    assert response.status_code == 400


def test_close_step_returns_missing(t):
    client = client_for(t.world.secretary_a)
    url = f"{API}/work-items/{t.item.pk}/close-step/"
    response = client.post(url)
    assert response.status_code == 400
    assert response.json()["missing"] == [
        "还有1条意见待处理（征求意见：每条意见须梳理分类，并予以采纳或答复）"
    ]
    Opinion.objects.filter(pk=t.opinion.pk).update(handling="answered", response="已答复")
    response = client.post(url)
    assert response.status_code == 200 and response.json()["step"] == Step.DECISION
    assert client_for(t.world.secretary_b).post(url).status_code == 404
    assert client_for(t.world.member_user).post(url).status_code == 403


def test_task_publish_action(t):
    url = f"{API}/tasks/{t.task.pk}/publish/"
    payload = {"commitment": "确保完成", "published_on": "2026-02-01"}
    assert client_for(t.world.member_user).post(url, payload, format="json").status_code == 403
    response = client_for(t.world.secretary_a).post(url, payload, format="json")
    assert response.status_code == 200 and response.json()["published_on"] == "2026-02-01"


def test_progress_by_responsible_member(t, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = f"{API}/tasks/{t.task.pk}/progress/"
    response = client_for(t.world.member_user).post(
        url, {"reported_on": "2026-03-01", "percent": 100, "note": "完成"}, format="json"
    )
    assert response.status_code == 201, response.json()
    task = Task.objects.get(pk=t.task.pk)
    assert task.progress == 100 and task.completed_on == date(2026, 3, 1)
    other = f"{API}/tasks/{t.other_task.pk}/progress/"
    payload = {"reported_on": "2026-03-01", "percent": 10, "note": "x"}
    assert client_for(t.world.member_user).post(other, payload, format="json").status_code == 404
    assert client_for(None).post(url, payload, format="json").status_code in ANON
    response = client_for(t.world.secretary_a).post(url, payload | {"percent": 150}, format="json")
    assert response.status_code == 400 and "percent" in response.json()


def test_progress_multipart_with_evidence(t, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    response = client_for(t.world.secretary_a).post(
        f"{API}/tasks/{t.task.pk}/progress/",
        {
            "reported_on": "2026-03-01",
            "percent": 50,
            "note": "过半",
            "evidence": SimpleUploadedFile("a.png", b"\x89PNG", content_type="image/png"),
        },
        format="multipart",
    )
    assert response.status_code == 201 and response.json()["evidence"]


def test_task_filters(t):
    client = client_for(t.world.org_officer)
    assert ids(client.get(f"{API}/tasks/?org={t.world.branch_b.pk}")) == {t.other_task.pk}
    assert ids(client.get(f"{API}/tasks/?status=done")) == set()
    assert ids(client.get(f"{API}/tasks/?work_item={t.item.pk}")) == {t.task.pk}
    assert client.get(f"{API}/tasks/?status=bad").status_code == 400
    mine = client_for(t.world.member_user).get(f"{API}/tasks/?mine=1")
    assert ids(mine) == {t.task.pk}


def test_goal_achieve_action(t):
    url = f"{API}/goals/{t.goal.pk}/achieve/"
    response = client_for(t.world.secretary_a).post(
        url, {"achieved_on": "2028-05-01"}, format="json"
    )
    assert response.status_code == 200 and response.json()["achieved_on"] == "2028-05-01"


def test_evaluation_publish_action(t):
    url = f"{API}/evaluations/{t.evaluation.pk}/publish/"
    client = client_for(t.world.secretary_a)
    assert client.post(url, {"published_on": "2026-12-01"}, format="json").status_code == 400
    assert client.post(url, {"published_on": "2026-12-25"}, format="json").status_code == 200


def test_opinion_shows_suggestion_code_field(t):
    body = client_for(t.world.secretary_a).get(f"{API}/opinions/{t.opinion.pk}/").json()
    assert body["suggestion_tracking_code"] is None


@pytest.mark.parametrize("endpoint", ["tasks", "work-items", "goals", "opinions"])
def test_list_query_count_constant(t, endpoint):
    client = client_for(t.world.secretary_a)
    url = f"{API}/{endpoint}/"

    def count(expected=None):
        with assert_num_queries(expected) as ctx:
            assert client.get(url).status_code == 200
        return ctx

    make_task(t.item, t.world.member_a)
    before = count()
    for i in range(4):
        make_task(t.item, t.world.member_a, assignee_kind="unit", assignee_unit=t.unit)
        WorkItem.objects.create(
            organisation=t.world.branch_a, year=YEAR, kind="project", title=f"{i}"
        )
        Opinion.objects.create(
            work_item=t.item,
            source="other",
            category="other",
            content="c",
            received_on=date(YEAR, 1, 1),
        )
    count(before)
