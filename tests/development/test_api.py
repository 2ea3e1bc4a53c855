"""API: scoping, transitions, 400 with Chinese errors naming the rule, the schema."""

import pytest
from rest_framework.test import APIClient

from dangjian.development.models import Stage
from tests.factories import make_user
from tests.harness import assert_role_matrix

pytestmark = pytest.mark.django_db

BASE = "/api/v1/development"


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_cases_list_and_retrieve_scoping(world, api_as_role, advance, applicant):
    case = advance("activist")
    rows = api(world.secretary_a).get(f"{BASE}/cases/").json()["results"]
    assert [r["id"] for r in rows] == [case.pk]
    assert api(world.secretary_b).get(f"{BASE}/cases/").json()["results"] == []
    expected = {"officer": 200, "other_officer": 404, "member": 404}
    assert_role_matrix(api_as_role, f"{BASE}/cases/{case.pk}/", expected)
    own = api(make_user(applicant))
    assert own.get(f"{BASE}/cases/{case.pk}/").status_code == 200
    assert own.post(f"{BASE}/cases/{case.pk}/candidate/", {}).status_code == 403
    assert_role_matrix(api_as_role, f"{BASE}/cases/", {"anonymous": (401, 403)})


def test_create_and_transitions(world, applicant, advance, sponsors):
    d = advance.dates
    client = api(world.secretary_a)
    bad = client.post(
        f"{BASE}/cases/", {"person": applicant.pk, "applied_on": "2010-01-01"}, format="json"
    )
    assert bad.status_code == 400 and "年满18周岁" in str(bad.json()["applied_on"])
    created = client.post(
        f"{BASE}/cases/",
        {"person": applicant.pk, "applied_on": d.applied.isoformat()},
        format="json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    r = client.post(f"{BASE}/cases/{pk}/activist/", {"on": d.activist.isoformat()}, format="json")
    assert r.status_code == 200 and r.json()["stage"] == Stage.ACTIVIST
    r = client.post(f"{BASE}/cases/{pk}/candidate/", {"on": d.candidate.isoformat()}, format="json")
    assert r.status_code == 400 and "exam_passed_on" in r.json()
    r = client.post(
        f"{BASE}/cases/{pk}/candidate/",
        {"on": d.candidate.isoformat(), "exam_passed_on": d.exam.isoformat()},
        format="json",
    )
    assert r.status_code == 200
    r = client.post(
        f"{BASE}/cases/{pk}/cultivate/",
        {"on": d.cultivation.isoformat(), "cultivators": [sponsors[0].pk]},
        format="json",
    )
    assert r.status_code == 400 and "培养考察对象公示" in str(r.json())
    notice = client.post(
        f"{BASE}/notices/",
        {"case": pk, "purpose": "candidate", "starts_on": d.notice_candidate.isoformat()},
        format="json",
    )
    assert notice.status_code == 201
    nid = notice.json()["id"]
    r = client.post(
        f"{BASE}/notices/{nid}/objections/",
        {"received_on": d.notice_candidate.isoformat(), "content": "反映问题"},
        format="json",
    )
    assert r.status_code == 201 and len(r.json()["objections"]) == 1
    r = client.post(
        f"{BASE}/cases/{pk}/cultivate/",
        {"on": d.cultivation.isoformat(), "cultivators": [sponsors[0].pk]},
        format="json",
    )
    assert r.status_code == 400 and "尚未核查处理" in str(r.json())
    objection_id = (
        api(world.secretary_a).get(f"{BASE}/notices/{nid}/").json()["objections"][0]["id"]
    )
    r = client.post(
        f"{BASE}/notices/{nid}/resolve/",
        {
            "objection": objection_id,
            "resolved_on": d.cultivation.isoformat(),
            "resolution": "不属实",
        },
        format="json",
    )
    assert r.status_code == 200
    r = client.post(
        f"{BASE}/cases/{pk}/cultivate/",
        {"on": d.cultivation.isoformat(), "cultivators": [sponsors[0].pk]},
        format="json",
    )
    assert r.status_code == 200 and r.json()["cultivators"] == [sponsors[0].pk]


def test_votes_and_general_branch_steps(world, advance, sponsors):
    case = advance("target")
    d = advance.dates
    client = api(world.secretary_a)
    payload = {
        "case": case.pk,
        "purpose": "admission",
        "held_on": d.vote.isoformat(),
        "should_attend": 20,
        "present": 11,
        "in_favour": 10,
    }
    r = client.post(f"{BASE}/votes/", payload, format="json")
    assert r.status_code == 201 and r.json()["passed"] is False and "半数" in r.json()["failure"]
    r = client.post(f"{BASE}/votes/", payload | {"present": 30}, format="json")
    assert r.status_code == 400 and "实到人数" in str(r.json()["present"])
    r = client.post(f"{BASE}/votes/", payload | {"in_favour": 11}, format="json")
    assert r.json()["passed"] is True
    talk = {"on": d.talk.isoformat(), "talker": sponsors[1].pk}
    r = client.post(f"{BASE}/cases/{case.pk}/talk/", talk, format="json")
    assert r.status_code == 403 and "党总支" in str(r.json())
    r = api(world.gb_secretary_a).post(f"{BASE}/cases/{case.pk}/talk/", talk, format="json")
    assert r.status_code == 200 and r.json()["stage"] == Stage.TALK
    r = api(world.gb_secretary_a).post(
        f"{BASE}/cases/{case.pk}/approve/", {"on": d.approved.isoformat()}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "probation"
    assert api(world.secretary_b).get(f"{BASE}/votes/").json()["results"] == []
    report = client.post(
        f"{BASE}/probation-reports/",
        {"case": case.pk, "kind": "branch", "submitted_on": d.talk.isoformat(), "summary": "汇报"},
        format="json",
    )
    assert report.status_code == 201
    assert api(world.secretary_b).get(f"{BASE}/probation-reports/").json()["results"] == []


def test_stages_read_only(world):
    rows = api(world.member_user).get(f"{BASE}/stages/").json()
    assert [r["stage"] for r in rows] == list(range(1, 11))
    assert api(world.secretary_a).post(f"{BASE}/stages/", {}).status_code == 405


def test_cases_list_gives_a_small_scope_as_ids_and_keeps_own_case(world, advance, applicant):
    """org.selectors.narrowed: a branch's scope reaches the database as literal ids (the planner
    then knows it is small), and the same rows come back — one's own case outside it included."""
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dangjian.org.models import Position

    case = advance("activist")  # in branch A
    Position.objects.create(
        person=applicant,
        organisation=world.branch_b,
        title="organisation",
        starts_on=date(2020, 1, 1),
    )
    with CaptureQueriesContext(connection) as ctx:
        rows = api(make_user(applicant)).get(f"{BASE}/cases/").json()["results"]
    assert [r["id"] for r in rows] == [case.pk]
    listed = [q["sql"] for q in ctx.captured_queries if 'FROM "development_case"' in q["sql"]]
    assert any(f'"organisation_id" IN ({world.branch_b.pk})' in sql for sql in listed), listed
