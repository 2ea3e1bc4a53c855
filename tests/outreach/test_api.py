"""REST API of the outreach app: scoping as in the screens, 400 with Chinese errors, schema."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from dangjian.outreach import services
from dangjian.outreach.models import Contact, Visit
from tests.factories import make_person, make_user
from tests.harness import assert_num_queries, capture_queries

pytestmark = pytest.mark.django_db

BASE = "/api/v1/outreach"


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize("path", ["contacts", "links", "visits", "compliance"])
def test_anonymous_refused(world, path):
    assert api(None).get(f"{BASE}/{path}/").status_code in (401, 403)


def test_compliance_for_officers_only(world, links):
    assert api(world.member_user).get(f"{BASE}/compliance/").status_code == 403
    response = api(world.secretary_a).get(f"{BASE}/compliance/", {"on": "2025-03-10"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["id"] for r in rows] == [links.dorm.pk]
    assert rows[0]["status"] == "overdue" and rows[0]["period_label"] == "2025年3月"
    everything = api(world.org_officer).get(f"{BASE}/compliance/", {"on": "2025-03-10"}).json()
    assert len(everything["results"]) == 3
    bad = api(world.secretary_a).get(f"{BASE}/compliance/", {"status": "late"})
    assert bad.status_code == 400 and "无效的取值" in bad.json()["status"][0]


def test_contacts_scoped_and_fourth_refused(world):
    member = api(world.member_user)
    for i in range(3):
        response = member.post(f"{BASE}/contacts/", {"name": f"群众{i}", "relation": "同事"})
        assert response.status_code == 201, response.json()
    response = member.post(f"{BASE}/contacts/", {"name": "第四人", "relation": "同事"})
    assert response.status_code == 400 and "1～3名党外群众" in response.json()["name"][0]
    pk = Contact.objects.filter(member=world.member_a).first().pk
    assert api(world.secretary_a).get(f"{BASE}/contacts/{pk}/").status_code == 200
    assert api(world.secretary_b).get(f"{BASE}/contacts/{pk}/").status_code == 404
    assert api(world.secretary_b).post(f"{BASE}/contacts/{pk}/end/").status_code == 404
    assert len(api(world.secretary_b).get(f"{BASE}/contacts/").json()["results"]) == 0
    # a member cannot register a contact for another member: out of their scope (400)
    other = member.post(
        f"{BASE}/contacts/", {"member": world.member_b.pk, "name": "x", "relation": "y"}
    )
    assert other.status_code == 400 and "member" in other.json()
    # nor may an officer of another branch
    refused = api(world.secretary_b).post(
        f"{BASE}/contacts/",
        {"member": world.member_b.pk, "contact": world.member_a.pk, "relation": "y"},
    )
    assert refused.status_code == 400 and "contact" in refused.json()
    ended = member.post(f"{BASE}/contacts/{pk}/end/", {})
    assert ended.status_code == 200 and ended.json()["active"] is False


def test_party_member_refused_as_contact_in_chinese(world):
    response = api(world.secretary_a).post(
        f"{BASE}/contacts/",
        {"member": world.member_a.pk, "contact": world.secretary_a.person_id, "relation": "同事"},
    )
    assert response.status_code == 400 and "党外群众" in response.json()["contact"][0]


def test_links_api(world, units, links):
    teacher = make_person(world.branch_a, name="教师戊")
    payload = {"visitor": teacher.pk, "kind": "teacher_dorm", "target": "5号楼"}
    assert api(world.member_user).post(f"{BASE}/links/", payload).status_code == 403
    created = api(world.secretary_a).post(f"{BASE}/links/", payload)
    assert (
        created.status_code == 201 and created.json()["kind_display"] == "党员教师走访联系学生宿舍"
    )
    college = {"visitor": teacher.pk, "kind": "leader_college", "unit": units.college.pk}
    refused = api(world.secretary_a).post(f"{BASE}/links/", college)
    assert refused.status_code == 403 and "组织部" in refused.json()["detail"]
    wrong = api(world.org_officer).post(f"{BASE}/links/", {**college, "unit": units.klass.pk})
    assert wrong.status_code == 400 and "二级学院" in wrong.json()["unit"][0]
    assert api(world.secretary_b).get(f"{BASE}/links/{links.dorm.pk}/").status_code == 404
    assert api(world.member_user).get(f"{BASE}/links/{links.dorm.pk}/").status_code == 200
    assert api(world.member_user).post(f"{BASE}/links/{links.dorm.pk}/end/").status_code == 403
    ended = api(world.secretary_a).post(f"{BASE}/links/{links.dorm.pk}/end/", {})
    assert ended.status_code == 200 and ended.json()["ended_on"]


def test_visits_api(world, links):
    member = api(world.member_user)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    payload = {"link": links.dorm.pk, "visited_on": tomorrow, "content": "走访宿舍"}
    bad = member.post(f"{BASE}/visits/", payload)
    assert bad.status_code == 400 and bad.json()["visited_on"] == ["走访日期不能晚于今天。"]
    payload["visited_on"] = "2025-03-31"
    created = member.post(f"{BASE}/visits/", payload)
    assert created.status_code == 201 and created.json()["kind"] == "teacher_dorm"
    pk = created.json()["id"]
    not_own = member.post(
        f"{BASE}/visits/", {**payload, "link": links.klass.pk, "kind": "leader_class"}
    )
    assert not_own.status_code == 400  # another's link is out of the member's scope
    assert api(world.secretary_b).get(f"{BASE}/visits/{pk}/").status_code == 404
    assert api(world.secretary_b).patch(f"{BASE}/visits/{pk}/", {"content": "x"}).status_code == 404
    assert api(world.secretary_a).get(f"{BASE}/visits/{pk}/").status_code == 200
    patched = member.patch(f"{BASE}/visits/{pk}/", {"needs_follow_up": True}, format="json")
    assert patched.status_code == 400 and "interviewee" in patched.json()
    patched = member.patch(
        f"{BASE}/visits/{pk}/", {"needs_follow_up": True, "interviewee": "学生丙"}, format="json"
    )
    assert patched.status_code == 200
    pending = api(world.secretary_a).get(f"{BASE}/visits/", {"follow": "pending"}).json()
    assert [r["id"] for r in pending["results"]] == [pk]
    bad_kind = member.post(
        f"{BASE}/visits/", {"kind": "trip", "visited_on": "2025-03-01", "content": "x"}
    )
    assert bad_kind.status_code == 400 and "无效的取值" in bad_kind.json()["kind"][0]
    other_member = make_user(world.member_b)
    assert api(other_member).delete(f"{BASE}/visits/{pk}/").status_code == 404
    assert member.delete(f"{BASE}/visits/{pk}/").status_code == 204
    assert not Visit.objects.filter(pk=pk).exists()


def test_visit_list_constant_queries(world, links):
    client = api(world.secretary_a)

    def grow(n):
        for _ in range(n):
            services.visit_create(
                actor=world.member_user,
                kind="teacher_dorm",
                visited_on=date(2025, 3, 1),
                content="走访",
            )

    grow(2)
    with capture_queries() as small:
        client.get(f"{BASE}/visits/")
    grow(4)
    with assert_num_queries(small):
        response = client.get(f"{BASE}/visits/")
    assert len(response.json()["results"]) == 6
